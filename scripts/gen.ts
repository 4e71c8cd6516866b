import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { dirname, join } from "path";
import * as prettier from "prettier";
import { loadDesktopBatchSchema } from "../schema";
import { GeneratedFile, generate, readPrettierOptions } from "./gen/index";
import { PACKAGE_SCHEMA_PATH, codegenBinary, generateLanguageSdks, leftoverSdkFiles } from "./gen/languages";

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

/** The Python and Go SDKs from the package schema this generation produces (or, failing that, the one on disk). */
function languageSdks(files: readonly GeneratedFile[]): GeneratedFile[] {
  const generated = files.find((file) => file.path === PACKAGE_SCHEMA_PATH)?.text;
  const onDisk = join(ROOT, PACKAGE_SCHEMA_PATH);
  const schemaText = generated ?? (existsSync(onDisk) ? readFileSync(onDisk, "utf8") : undefined);
  if (schemaText === undefined) {
    console.error(`no ${PACKAGE_SCHEMA_PATH}: the Python and Go SDKs are not generated`);
    return [];
  }
  return generateLanguageSdks(schemaText, codegenBinary(ROOT));
}

async function main(): Promise<number> {
  const check = process.argv.includes("--check");
  const typescript = await generate(loadDesktopBatchSchema(), readPrettierOptions(ROOT));
  await assertPrettierAccepts(typescript);
  const files = [...typescript, ...languageSdks(typescript)];
  const stale = files.filter(differs);
  const leftover = leftoverSdkFiles(ROOT, files);
  if (check) {
    for (const file of stale) console.error(`out of date: ${file.path}`);
    for (const path of leftover) console.error(`no longer generated: ${path}`);
    if (stale.length + leftover.length > 0) console.error("run `npm run gen` and commit the result");
    return stale.length + leftover.length === 0 ? 0 : 1;
  }
  for (const path of leftover) {
    rmSync(join(ROOT, path));
    console.log(`removed ${path}`);
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
