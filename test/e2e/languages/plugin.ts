/** Finds the `ecd` resource plugin (the `pulumi-resource-ecd` executable) the language suites put on PATH. */
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../../scripts/lib/pulumiCli";
import { REQUIRE_E2E } from "../cli";

const EXECUTABLE = "pulumi-resource-ecd";

/** Where the plugin's launcher lives in a checkout (it runs the built provider from dist/). */
const CANDIDATES = [path.join(REPO_ROOT, "provider", "cmd", EXECUTABLE)];

export function findPluginOrSkip(): string | undefined {
  const dirs = process.env.PULUMI_ECD_PLUGIN_DIR ? [process.env.PULUMI_ECD_PLUGIN_DIR] : CANDIDATES;
  const found = dirs.find((dir) => {
    try {
      fs.accessSync(path.join(dir, EXECUTABLE), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (found) return found;
  const problem = `no executable ${EXECUTABLE} in ${dirs.join(", ")} (build it with npm run build)`;
  if (REQUIRE_E2E) throw new Error(`the language end-to-end tests cannot run: ${problem}`);
  console.warn(`SKIPPING the language end-to-end tests: ${problem}`);
  return undefined;
}
