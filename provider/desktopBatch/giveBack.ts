/**
 * Giving a desktop back: what makes it no batch's any more. Shared by a create that no longer adopts a desktop an
 * interrupted create had adopted, and by `pulumi-ecd sweep --disown`.
 */
import type { CallOptions, EcdClient } from "../ecd/client";
import type { Desktop } from "../ecd/operations";
import { ADOPTED_TAG, OWNER_TAG, PROVIDER_TAG_PREFIX, tagValue } from "./identity";

/** UntagResources takes at most 20 tag keys per call. */
const KEYS_PER_CALL = 20;

/** The name a desktop had before a create adopted it, or undefined for a desktop no create adopted. */
export const formerName = (desktop: Desktop): string | undefined => tagValue(desktop.tags, ADOPTED_TAG);

/**
 * Renames every adopted desktop back to the name it had, then removes every pulumi-ecd tag the desktops carry
 * (owner, lineage, creating, adopted, stopped-for, any adoption claim), the owner tag last. The names go back first: a
 * run stopped in between leaves the adopted tag, and with it the former name, for the next run to finish the job.
 */
export async function giveBack(
  client: EcdClient,
  desktops: readonly Desktop[],
  opts?: CallOptions,
): Promise<void> {
  for (const desktop of desktops) {
    const name = formerName(desktop);
    // ECD has no way to set an empty name back: a desktop adopted nameless keeps the batch's.
    if (name && name !== (desktop.desktopName ?? ""))
      await client.modifyDesktopName(desktop.desktopId, name, opts);
  }
  const keys = [
    ...new Set(
      desktops.flatMap((d) =>
        (d.tags ?? []).map((t) => t.key).filter((k) => k.startsWith(PROVIDER_TAG_PREFIX)),
      ),
    ),
  ]
    // The owner tag goes in the last call: a run stopped before it leaves the desktops findable (and listed by
    // sweep) with what is left to remove.
    .sort((a, b) => Number(a === OWNER_TAG) - Number(b === OWNER_TAG));
  const ids = desktops.map((d) => d.desktopId);
  for (let start = 0; start < keys.length; start += KEYS_PER_CALL)
    await client.untagResources(ids, keys.slice(start, start + KEYS_PER_CALL), opts);
}
