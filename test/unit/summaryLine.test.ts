/** `npm test` ends with its plain "jest: N passed, N failed, N skipped" line, after jest's own summary. */
import { spawn } from "child_process";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");

it("a jest run ends with the plain line: nothing is printed after it", async () => {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules", "jest", "bin", "jest.js"), "test/unit/tagRules.test.ts"],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CI: "1" },
    },
  );
  let stderr = "";
  let stdout = "";
  child.stdout.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  const code = await new Promise((resolve) => child.on("close", resolve));
  expect(code).toBe(0);
  const lines = (stdout + stderr).trimEnd().split("\n");
  expect(lines.at(-1)).toMatch(/^jest: \d+ passed, 0 failed, 0 skipped$/);
  expect(stderr).toMatch(/Tests: +\d+ passed, \d+ total/);
});
