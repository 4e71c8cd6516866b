/** What a refresh reads off the live desktops beyond their views: the inputs they show, and an unfinished run. */
import type { Desktop } from "../ecd/operations";
import { ADOPTED_TAG, CREATING_TAG, LINEAGE_TAG, STOPPED_FOR_TAG, tagValue } from "./identity";
import type { DesktopBatchInputs } from "./inputs";
import { compact } from "./outputs";
import { userTags } from "./tags";
import { escapeRegExp } from "./text";

/**
 * For a lookup by ID alone: the inputs the live desktops show (office site, template, policy, billing, tags,
 * users, name stem, lineage). Inputs that leave no trace on a desktop stay unset.
 */
export function inputsSeenOn(desktops: Desktop[]): DesktopBatchInputs {
  const [first] = desktops;
  const names = desktops.map((d) => d.desktopName ?? "");
  const stem = /^(.*)-\d+$/.exec(names[0] ?? "")?.[1];
  const numbered =
    stem !== undefined &&
    names.every((name) => new RegExp(`^${escapeRegExp(stem)}-\\d+(-\\d+)?$`).test(name));
  const tags = userTags(first.tags);
  return compact({
    lineage: tagValue(first.tags, LINEAGE_TAG),
    amount: desktops.length,
    officeSiteId: first.officeSiteId,
    bundleId: first.bundleId,
    policyGroupId: first.policyGroupId,
    chargeType: first.chargeType,
    desktopName: numbered ? stem : first.desktopName,
    endUserIds: first.endUserIds?.length ? [...first.endUserIds] : undefined,
    tags: Object.keys(tags).length ? tags : undefined,
  });
}

/**
 * A refresh that finds desktops still marked as being created, or stopped for a spec change that did not finish
 * (powerState not Stopped): the next update lists the batch, commits the ones and starts the others.
 */
export function unfinishedRun(desktops: readonly Desktop[], inputs: DesktopBatchInputs): string | undefined {
  const creating = desktops.filter((desktop) => tagValue(desktop.tags, CREATING_TAG) !== undefined);
  // A create whose commit removed the creating mark but not the adopted one: only a listing update removes it.
  const adopted = desktops.filter(
    (desktop) => tagValue(desktop.tags, ADOPTED_TAG) !== undefined && !creating.includes(desktop),
  );
  const stopped =
    inputs.powerState === "Stopped"
      ? []
      : desktops.filter(
          (d) =>
            tagValue(d.tags, STOPPED_FOR_TAG) !== undefined &&
            (d.desktopStatus === "Stopped" || d.desktopStatus === "Stopping"),
        );
  const ids = (list: readonly Desktop[]) => list.map((d) => d.desktopId).join(", ");
  const reasons = [
    creating.length ? `${creating.length} desktop(s) still carry the creating mark (${ids(creating)})` : "",
    adopted.length
      ? `${adopted.length} adopted desktop(s) still carry the adopted mark (${ids(adopted)})`
      : "",
    stopped.length
      ? `${stopped.length} desktop(s) were stopped for a spec change and not started again (${ids(stopped)})`
      : "",
  ].filter(Boolean);
  return reasons.length ? reasons.join("; ") : undefined;
}
