import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { dirname, join } from "path";
import * as prettier from "prettier";
import { loadDesktopBatchSchema } from "../schema";
import { GeneratedFile, generate, readPrettierOptions } from "./gen/index";

const ROOT = join(__dirname, "..");

function differs(file: GeneratedFile): boolean {
  const path = join(ROOT, file.path);
  return !existsSync(path) || readFileSync(path, "utf8") !== file.text;
}

/** Guards against the standalone formatter drifting from what `prettier --check .` expects. */
async function assertPrettierAccepts(files: readonly GeneratedFile[]): Promise<void> {
  for (const file of files) {
    const path = join(ROOT, file.path);
    const options = (await prettier.resolveConfig(path)) ?? {};
    if (!(await prettier.check(file.text, { ...options, filepath: path }))) {
      throw new Error(`${file.path}: generated text is not prettier-formatted`);
    }
  }
}

async function main(): Promise<number> {
  const check = process.argv.includes("--check");
  const files = await generate(loadDesktopBatchSchema(), readPrettierOptions(ROOT));
  await assertPrettierAccepts(files);
  const stale = files.filter(differs);
  if (check) {
    for (const file of stale) console.error(`out of date: ${file.path}`);
    if (stale.length > 0) console.error("run `npm run gen` and commit the result");
    return stale.length === 0 ? 0 : 1;
  }
  for (const file of stale) {
    mkdirSync(dirname(join(ROOT, file.path)), { recursive: true });
    writeFileSync(join(ROOT, file.path), file.text);
    console.log(`wrote ${file.path}`);
  }
  console.log(`${files.length} files, ${stale.length} changed`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
