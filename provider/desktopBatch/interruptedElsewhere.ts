/**
 * A create interrupted before a move to another region (regionId and officeSiteId edited) left its desktops
 * there: each other region is searched for them, and they are released (desktops it had adopted are given back),
 * with a log line naming them; a hold still renewed there is waited for like one here.
 */
import type { EcdClient } from "../ecd/client";
import { EcdApiError } from "../ecd/errors";
import type { DesktopBatchInputs } from "./inputs";
import type { BatchSession } from "./session";

/** Error codes of a region these credentials may not use. */
const DENIED = /Forbidden|NoPermission|Unauthorized|NotAuthorized/i;

export async function settleInterruptedElsewhere(
  inputs: DesktopBatchInputs,
  here: () => EcdClient,
  sessionIn: (regionId: string) => BatchSession,
  log: (line: string) => void,
): Promise<void> {
  if (!inputs.lineage) return;
  const regions = ((await here().describeRegions()).regions ?? [])
    .map((region) => region.regionId)
    .filter((regionId) => regionId !== inputs.regionId);
  for (const regionId of regions) {
    // A region that fails to answer fails the create before anything is made (the rerun looks again); one these
    // credentials may not use (a RAM policy for some regions only) cannot hold this resource's desktops.
    await sessionIn(regionId)
      .takeOverInterrupted()
      .catch((error: unknown) => {
        if (!(error instanceof EcdApiError && DENIED.test(error.code))) throw error;
        log(`not looking in ${regionId} for what an interrupted create left: ${error.code}`);
      });
  }
}
