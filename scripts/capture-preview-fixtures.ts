/**
 * Captures `pulumi preview --json` from the real Pulumi CLI against the emulator for every scenario in
 * scripts/lib/previewScenarios.ts, into test/cli/fixtures/<name>.json. Afterwards, refresh the golden summaries:
 *
 *   npm run build && npx tsx scripts/capture-preview-fixtures.ts [scenario ...]
 *   UPDATE_GOLDEN=1 npx jest test/cli/prSummary.test.ts
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator } from "../emulator";
import { REPO_ROOT, locatePulumiCli } from "./lib/pulumiCli";
import { CAPTURE_DURATIONS, PREVIEW_SCENARIOS, capturePreview } from "./lib/previewScenarios";

const FIXTURES = path.join(REPO_ROOT, "test", "cli", "fixtures");

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const scenarios = PREVIEW_SCENARIOS.filter((s) => wanted.length === 0 || wanted.includes(s.name));
  const cliDir = locatePulumiCli();
  (require("./link-self.js") as { linkSelf(): void }).linkSelf();
  const emulator = await startEmulator({ durations: CAPTURE_DURATIONS });
  try {
    fs.mkdirSync(FIXTURES, { recursive: true });
    for (const scenario of scenarios) {
      process.stdout.write(`==> ${scenario.name} (${scenario.example})\n`);
      const json = await capturePreview(scenario, emulator, cliDir);
      // Pretty-printed with a stable port, so that a re-capture shows only real differences.
      const text = JSON.stringify(JSON.parse(json), null, 2)
        .split(emulator.url)
        .join("http://127.0.0.1:8912");
      fs.writeFileSync(path.join(FIXTURES, `${scenario.name}.json`), `${text}\n`);
    }
  } finally {
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
