/** README's RAM policy and troubleshooting table keep up with the client's operations and the emulator's errors. */
import * as fs from "fs";
import * as path from "path";
import { Errors } from "../../emulator/errors";
import { OPERATIONS } from "../../provider/ecd/operations";

const README = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
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

describe("README", () => {
  it("grants in its RAM policy exactly the ECD actions the client can call", () => {
    const granted = [...README.matchAll(/"ecd:(\w+)"/g)].map((m) => m[1]).sort();
    expect(granted).toEqual(Object.keys(OPERATIONS).sort());
  });

  it("explains every error code the emulator answers with in Troubleshooting", () => {
    const start = README.indexOf("## Troubleshooting");
    const troubleshooting = README.slice(start, README.indexOf("\n## ", start + 1));
    const codes = errorCodes();
    expect(codes.length).toBeGreaterThan(40);
    expect(codes.filter((code) => !troubleshooting.includes(`\`${code}\``))).toEqual([]);
  });
});
