/** README's first command: the main job runs the quick start against the embedded emulator and cleans up. */
import { spawnSync } from "child_process";
import * as path from "path";
import { REPO_ROOT } from "../../scripts/lib/pulumiCli";
import { findCliOrSkip } from "./cli";

const cliDir = findCliOrSkip();
const itWithCli = cliDir ? it : it.skip;

describe("the main job (npm start)", () => {
  itWithCli(
    "provisions the quick start in the emulator, shows the desktops and outputs, and destroys with --destroy",
    () => {
      const tsx = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
      const run = spawnSync(tsx, ["scripts/demo.ts", "--destroy"], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        env: { ...process.env, ALIBABA_CLOUD_ECD_ENDPOINT: "", ALIBABA_CLOUD_ACCESS_KEY_ID: "" },
        timeout: 300_000,
      });
      expect(run.stderr).not.toMatch(/error/i);
      expect(run.status).toBe(0);
      const out = run.stdout;
      expect(out).toMatch(/Local ECD emulator listening on http:\/\/127\.0\.0\.1:\d+/);
      expect(out).toMatch(/DesktopBatch dev-desktops created/);
      const table = out.slice(out.indexOf("==> Desktops in the emulator"));
      expect(table.match(/^ecd-\w+\s+dev-\d\s+Running\s+172\.16\.0\.\d+\s+alice,bob/gm)).toHaveLength(3);
      expect(out).toMatch(/"desktopIds": \[/);
      expect(out).toMatch(/pulumi preview --stack demo/);
      expect(out).toMatch(/Desktops left in the emulator: 0/);
    },
  );
});
