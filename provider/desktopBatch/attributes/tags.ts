/**
 * tags: each desktop carries exactly the user's tags (the provider's pulumi-ecd:* and the service's acs:/aliyun
 * tags are not the user's and are left alone). One TagResources / UntagResources call per distinct change.
 */
import { toTagPairs, userTags } from "../tags";
import type { TagPair } from "../../ecd/operations";
import { Attribute, groupBy } from "./attribute";

interface TagChange {
  set: TagPair[];
  unset: string[];
}

const text = (tags: Record<string, string>): string =>
  Object.keys(tags).length
    ? Object.entries(tags)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`)
        .join(",")
    : "none";

export const tags: Attribute<TagChange> = {
  inputs: "tags",
  plan({ inputs, desktops }) {
    const wanted = inputs.tags ?? {};
    return desktops.flatMap((desktop) => {
      const live = userTags(toTagPairs(desktop.tags));
      const set = toTagPairs(wanted).filter((pair) => live[pair.key] !== pair.value);
      const unset = Object.keys(live)
        .filter((key) => !(key in wanted))
        .sort();
      return set.length || unset.length
        ? [{ desktopId: desktop.desktopId, from: text(live), to: { set, unset } }]
        : [];
    });
  },
  describe: (fix) => `${fix.desktopId} has tags ${fix.from} (will be retagged)`,
  applied: (desktop, to) => {
    const changed = new Set([...to.unset, ...to.set.map((pair) => pair.key)]);
    return {
      ...desktop,
      tags: [...(desktop.tags ?? []).filter((pair) => !changed.has(pair.key)), ...to.set],
    };
  },
  async apply(fixes, ctx) {
    const withUnset = fixes.filter((fix) => fix.to.unset.length);
    for (const [keys, ids] of groupBy(
      withUnset,
      (f) => JSON.stringify(f.to.unset),
      (f) => f.desktopId,
    ))
      await ctx.client.untagResources(ids, JSON.parse(keys) as string[], ctx.opts);
    const withSet = fixes.filter((fix) => fix.to.set.length);
    for (const [pairs, ids] of groupBy(
      withSet,
      (f) => JSON.stringify(f.to.set),
      (f) => f.desktopId,
    ))
      await ctx.client.tagResources(ids, JSON.parse(pairs) as TagPair[], ctx.opts);
  },
};
