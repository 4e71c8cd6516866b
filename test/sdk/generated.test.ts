import { existsSync, readFileSync } from "fs";
import { join } from "path";
import {
  PackageSchema,
  PropertySchema,
  TypeSpec,
  desktopBatchResource,
  isObjectType,
  isRef,
  loadDesktopBatchSchema,
  resolveRef,
} from "../../schema";
import { generate, readPrettierOptions } from "../../scripts/gen/index";
import { requestParameters, topLevelParameters } from "./apiReference";

const ROOT = join(__dirname, "..", "..");
const API_REFERENCE =
  process.env.ECD_API_REFERENCE ?? join(ROOT, "..", "shared", "CreateDesktops-api-reference.txt");

const schema: PackageSchema = loadDesktopBatchSchema();
const inputs = desktopBatchResource(schema).inputProperties;

function lowerCamel(name: string): string {
  return name[0].toLowerCase() + name.slice(1);
}

function objectTypeOf(spec: TypeSpec) {
  const target = !isRef(spec) && spec.type === "array" ? spec.items : spec;
  if (!isRef(target)) return undefined;
  const definition = resolveRef(schema, target.$ref);
  return isObjectType(definition) ? definition : undefined;
}

function isStringMap(spec: TypeSpec): boolean {
  return (
    !isRef(spec) &&
    spec.type === "object" &&
    !isRef(spec.additionalProperties) &&
    spec.additionalProperties.type === "string"
  );
}

function inputByWire(wire: string): [string, PropertySchema] | undefined {
  return Object.entries(inputs).find(([, property]) => property["x-ecd"]?.wire === wire);
}

/** The wire keys under a top-level parameter: a map is sent as `Tag.N.Key` / `Tag.N.Value`. */
function membersOf(wire: string): string[] {
  const input = inputByWire(wire);
  if (input === undefined) return [];
  if (isStringMap(input[1])) return ["Key", "Value"];
  const type = objectTypeOf(input[1]);
  return Object.values(type?.properties ?? {}).flatMap((p) => (p["x-ecd"]?.wire ? [p["x-ecd"].wire] : []));
}

describe("generated SDK and docs", () => {
  it("are byte-identical to a fresh generation from the schema (run `npm run gen` if not)", async () => {
    const files = await generate(schema, readPrettierOptions(ROOT));
    expect(files.map((f) => f.path).sort()).toEqual([
      "docs/reference.md",
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
  const page = existsSync(API_REFERENCE) ? readFileSync(API_REFERENCE, "utf8") : undefined;
  const parameters = page === undefined ? [] : topLevelParameters(requestParameters(page), membersOf);

  it("finds the API reference (shared/CreateDesktops-api-reference.txt beside the repository)", () => {
    expect({ path: API_REFERENCE, found: page !== undefined }).toEqual({ path: API_REFERENCE, found: true });
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
      const fields = Object.entries(objectTypeOf(property)?.properties ?? {});
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
