/**
 * Releasing desktops, once for every step that releases (Failed desktops, a scale-down, a delete). Unexpired
 * subscription desktops are never dropped silently: without the opt-in the whole step is refused, before anything
 * is deleted, listing them with their expiry and the ways out; with it they become pay-as-you-go first.
 */
import { unreleasable } from "./desired";
import type { DesktopBatchInputs } from "./inputs";
import type { BatchSession } from "./session";

/** What the step is called in its refusal, its way out, its progress lines, and whether its inputs want pay-as-you-go. */
export interface ReleaseWords {
  refused: string;
  keep: string;
  label: string;
  wantsPostPaid?: boolean;
}

export interface ReleasableDesktop {
  desktopId: string;
  desktopStatus: string;
  chargeType?: string;
  expiredTime?: string;
}

/** Releases `ids` (of `desktops`, as last seen) and waits until they are gone. */
export async function releaseDesktops(
  batch: BatchSession,
  inputs: DesktopBatchInputs,
  desktops: readonly ReleasableDesktop[],
  ids: string[],
  words: ReleaseWords,
  log: (line: string) => void,
): Promise<void> {
  const wanted = new Set(ids);
  const locked = unreleasable(desktops.filter((d) => wanted.has(d.desktopId)));
  // Converting is opted into by releaseSubscriptionOnDelete, or by an update whose inputs convert them anyway.
  const mayConvert = inputs.releaseSubscriptionOnDelete || words.wantsPostPaid;
  if (locked.length && !mayConvert) {
    throw new Error(
      `${words.refused}: ECD does not release subscription (PrePaid) desktops before they expire, and ` +
        `${locked.length} of the ${ids.length} desktop(s) to release are such: ` +
        locked.map((d) => `${d.desktopId} (expires ${d.expiredTime ?? "unknown"})`).join(", ") +
        `. Nothing was released. Either ${words.keep}; or release them early: set ` +
        `releaseSubscriptionOnDelete: true (converts them to pay-as-you-go with ModifyDesktopChargeType, refund ` +
        `rules apply) and run pulumi up again.`,
    );
  }
  if (locked.length) {
    log(`converting ${locked.length} subscription desktop(s) to pay-as-you-go before release`);
    await batch.convertToPostPaid(locked.map((d) => d.desktopId));
  }
  await batch.release(ids, words.label);
}
