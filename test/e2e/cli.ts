/** Finds the real Pulumi CLI for the end-to-end suite, or explains loudly why the suite is skipped. */
import { locatePulumiCli } from "../../scripts/lib/pulumiCli";

export const REQUIRE_E2E = process.env.PULUMI_ECD_REQUIRE_E2E === "1";

/** Emulator lifecycles for runs of the real CLI: short, yet long enough that a run can be caught mid-way. */
export const E2E_DURATIONS = {
  createMs: 400,
  startMs: 200,
  stopMs: 200,
  deleteMs: 200,
  entitlementMs: 200,
  chargeTypeMs: 200,
};

export function findCliOrSkip(): string | undefined {
  try {
    // Progress goes to stderr: on a machine without the cache this builds the CLI first (minutes).
    return locatePulumiCli();
  } catch (error) {
    if (REQUIRE_E2E) throw error;
    const banner = "!".repeat(100);
    console.warn(
      `${banner}\nSKIPPING the end-to-end suite: no Pulumi CLI and it could not be built here.\n${(error as Error).message}\n` +
        `Set PULUMI_ECD_REQUIRE_E2E=1 (as .ci/run does) to make this a failure.\n${banner}`,
    );
    return undefined;
  }
}
