/** The RAM policy and the troubleshooting table in docs/ keep up with the client's operations and the emulator's errors. */
import * as fs from "fs";
import * as path from "path";
import { startEmulator } from "../../emulator";
import { banner } from "../../emulator/cli";
import { Errors } from "../../emulator/errors";
import { OPERATIONS } from "../../provider/ecd/operations";

const doc = (name: string): string => fs.readFileSync(path.join(__dirname, "..", "..", "docs", name), "utf8");
const PLACEHOLDER = "PLACEHOLDER";

/** The code each error factory answers with; factories whose code is a parameter are left out. */
function errorCodes(): string[] {
  const codes = new Set<string>();
  for (const factory of Object.values(Errors) as ((...args: unknown[]) => { code: string })[]) {
    let code: string;
    try {
      code = factory(PLACEHOLDER, PLACEHOLDER).code;
    } catch {
      code = factory([PLACEHOLDER], PLACEHOLDER).code;
    }
    if (!code.includes(PLACEHOLDER)) codes.add(code);
  }
  return [...codes].sort();
}

describe("the user documentation", () => {
  it("grants in the RAM policy of docs/installation.md exactly the ECD actions the client can call", () => {
    const granted = [...doc("installation.md").matchAll(/"ecd:(\w+)"/g)].map((m) => m[1]).sort();
    expect(granted).toEqual(Object.keys(OPERATIONS).sort());
  });

  it("explains in docs/troubleshooting.md every error code the emulator answers with", () => {
    const troubleshooting = doc("troubleshooting.md");
    const codes = errorCodes();
    expect(codes.length).toBeGreaterThan(40);
    expect(codes.filter((code) => !troubleshooting.includes(`\`${code}\``))).toEqual([]);
  });
});

describe("README", () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");

  it("shows the environment exactly as the emulator prints it", async () => {
    const emu = await startEmulator({ port: 0 });
    try {
      const printed = banner(emu)
        .split("\n")
        .filter((line) => line.startsWith("export "))
        .map((line) => line.replace(emu.url, "http://127.0.0.1:8912"));
      const shown = readme
        .split("\n")
        .filter((line) => /^export ALIBABA_CLOUD_|^export PULUMI_ECD_/.test(line));
      expect(shown).toEqual(printed);
    } finally {
      await emu.close();
    }
  });
});
