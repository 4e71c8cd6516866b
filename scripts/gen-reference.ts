/**
 * Regenerates schema/reference/create-desktops-parameters.json, the request parameter table of the CreateDesktops
 * API reference, from its text when that is available (../shared/CreateDesktops-api-reference.txt beside the
 * repository, or the path in ECD_API_REFERENCE). Tests compare the schema with the data file, so a fresh clone
 * tests itself without the text.
 */
import { existsSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import * as prettier from "prettier";
import { loadDesktopBatchSchema } from "../schema";
import { requestParameters, topLevelParameters } from "./reference/apiReference";
import { API_REFERENCE_DATA, ReferenceData, ReferenceParameter } from "./reference/data";
import { membersOf } from "./reference/members";

const ROOT = join(__dirname, "..");
const SOURCE =
  process.env.ECD_API_REFERENCE ?? join(ROOT, "..", "shared", "CreateDesktops-api-reference.txt");

function pageLine(page: string, pattern: RegExp): string {
  const line = page.split("\n").find((l) => pattern.test(l.trim()));
  if (line === undefined) throw new Error(`the reference text has no line matching ${pattern}`);
  return line.trim();
}

async function main(): Promise<number> {
  if (!existsSync(SOURCE)) {
    console.error(
      `reference text not found at ${SOURCE} (set ECD_API_REFERENCE); ${API_REFERENCE_DATA} unchanged`,
    );
    return 1;
  }
  const page = readFileSync(SOURCE, "utf8");
  const schema = loadDesktopBatchSchema();
  const parameters: ReferenceParameter[] = topLevelParameters(requestParameters(page), (name) =>
    membersOf(schema, name),
  ).flatMap((top) => [
    { name: top.name, type: top.type, required: top.required, parent: null },
    ...top.members.map((m) => ({ name: m.name, type: m.type, required: m.required, parent: top.name })),
  ]);
  const data: ReferenceData = {
    generated: `by npm run gen:reference (scripts/gen-reference.ts) from the source below; do not edit by hand`,
    source: {
      document: pageLine(page, /^Elastic Desktop Service:CreateDesktops$/),
      lastUpdated: pageLine(page, /^Last Updated:/).replace(/^Last Updated:\s*/, ""),
      publisher: "Alibaba Cloud Document Center, OpenAPI reference of ECD 2020-09-30",
      text: "shared/CreateDesktops-api-reference.txt, beside the repository",
      section: "Request parameters",
      grouping:
        "the page's table is flat: a row is a member (parent) of the object parameter before it when the schema gives that parameter a field with the row's wire name",
    },
    parameters,
  };
  const path = join(ROOT, API_REFERENCE_DATA);
  const options = (await prettier.resolveConfig(path)) ?? {};
  const text = await prettier.format(JSON.stringify(data), { ...options, filepath: path });
  const changed = !existsSync(path) || readFileSync(path, "utf8") !== text;
  if (changed) writeFileSync(path, text);
  console.log(`${API_REFERENCE_DATA}: ${parameters.length} parameters, ${changed ? "written" : "unchanged"}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
