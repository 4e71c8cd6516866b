import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { PackageSchema, desktopBatchResource, loadDesktopBatchSchema } from "../../schema";
import { generate, readPrettierOptions } from "../../scripts/gen/index";
import {
  API_REFERENCE_DATA,
  ReferenceParameter,
  SDK_ADDITIONS_DATA,
  readReferenceData,
} from "../../scripts/reference/data";
import { inputByWire as inputOf, isStringMap, objectTypeOf } from "../../scripts/reference/members";

const ROOT = join(__dirname, "..", "..");

const schema: PackageSchema = loadDesktopBatchSchema();
const inputs = desktopBatchResource(schema).inputProperties;
const inputByWire = (wire: string) => inputOf(schema, wire);

function lowerCamel(name: string): string {
  return name[0].toLowerCase() + name.slice(1);
}

describe("generated SDK and docs", () => {
  it("are byte-identical to a fresh generation from the schema (run `npm run gen` if not)", async () => {
    const files = await generate(schema, readPrettierOptions(ROOT));
    expect(files.map((f) => f.path).sort()).toEqual([
      "docs/reference.md",
      "provider/cmd/pulumi-resource-ecd/schema.json",
      "provider/desktopBatch/generated/types.ts",
      "sdk/desktopBatch.ts",
      "sdk/index.ts",
      "sdk/types/enums.ts",
      "sdk/types/index.ts",
      "sdk/types/input.ts",
      "sdk/types/output.ts",
    ]);
    for (const file of files) {
      const path = join(ROOT, file.path);
      expect({ path: file.path, text: existsSync(path) ? readFileSync(path, "utf8") : "<missing>" }).toEqual({
        path: file.path,
        text: file.text,
      });
    }
  });
});

describe("schema coverage of the CreateDesktops API reference", () => {
  const reference = readReferenceData(ROOT, API_REFERENCE_DATA);
  const additions = readReferenceData(ROOT, SDK_ADDITIONS_DATA);
  const rows: ReferenceParameter[] = [...reference.parameters, ...additions.parameters];
  const parameters = rows
    .filter((row) => row.parent === null)
    .map((top) => ({
      ...top,
      members: rows.filter((row) => row.parent === top.name).map((row) => row.name),
    }));

  it(`reads the reference's parameter table from ${API_REFERENCE_DATA}, its source named`, () => {
    expect(reference.source).toMatchObject({
      document: "Elastic Desktop Service:CreateDesktops",
      section: "Request parameters",
    });
    expect(additions.source).toMatchObject({
      repository: "aliyun/alibabacloud-typescript-sdk",
      path: "ecd-20200930/src/models/CreateDesktopsRequest.ts",
    });
    expect(reference.parameters.length).toBeGreaterThan(40);
  });

  it("tells top-level request parameters from the members of object parameters", () => {
    const names = parameters.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["RegionId", "Tag", "UserCommands", "ChannelCookie"]));
    for (const member of ["Key", "Value", "Content", "ContentType", "ImageId", "TimerType", "UseDuration"]) {
      expect(names).not.toContain(member);
    }
    expect(parameters.find((p) => p.name === "Tag")?.members).toEqual(["Key", "Value"]);
    expect(parameters.find((p) => p.name === "UserCommands")?.members).toEqual([
      "ContentEncoding",
      "Content",
      "ContentType",
    ]);
  });

  it("has a lowerCamelCase input with a description for every top-level request parameter", () => {
    const problems = parameters.flatMap(({ name }) => {
      const input = inputByWire(name);
      if (input === undefined) return [`${name}: no input with x-ecd.wire ${name}`];
      const [inputName, property] = input;
      // Lists are named in the plural (EndUserId → endUserIds, Tag → tags).
      const names = [lowerCamel(name), `${lowerCamel(name)}s`];
      return [
        ...(names.includes(inputName)
          ? []
          : [`${name}: input is named ${inputName}, not ${names.join(" or ")}`]),
        ...(property.description.trim() === "" ? [`${name}: ${inputName} has no description`] : []),
      ];
    });
    expect(problems).toEqual([]);
  });

  it("has a lowerCamelCase field with a description for every member of an object parameter", () => {
    const problems = parameters.flatMap(({ name, members }) => {
      const [inputName, property] = inputByWire(name) ?? [name, undefined];
      if (property === undefined || isStringMap(property)) return [];
      const fields = Object.entries(objectTypeOf(schema, property)?.properties ?? {});
      return members.flatMap((member) => {
        const field = fields.find(([, p]) => p["x-ecd"]?.wire === member);
        if (field === undefined) return [`${name}.${member}: no field of ${inputName} has wire ${member}`];
        return [
          ...(field[0] === lowerCamel(member) ? [] : [`${name}.${member}: field is named ${field[0]}`]),
          ...(field[1].description.trim() === "" ? [`${name}.${member}: no description`] : []),
        ];
      });
    });
    expect(problems).toEqual([]);
  });

  it("sends no input under a wire key the API does not document", () => {
    const documented = new Set(parameters.map((p) => p.name));
    const undocumented = Object.entries(inputs)
      .map(([name, property]) => [name, property["x-ecd"]?.wire])
      .filter(([, wire]) => wire !== undefined && !documented.has(wire));
    expect(undocumented).toEqual([]);
  });
});
