/** policyGroupId: a desktop has the batch's policy when it is among the desktop's policies (others may stay). */
import { isBusy } from "../statuses";
import { Attribute, requireAccepted } from "./attribute";

export const policy: Attribute<string> = {
  inputs: "policyGroupId",
  plan({ inputs, desktops }) {
    const wanted = inputs.policyGroupId;
    if (!wanted) return [];
    return desktops
      .filter((d) => !(d.policyGroupIds ?? (d.policyGroupId ? [d.policyGroupId] : [])).includes(wanted))
      .map((d) => ({ desktopId: d.desktopId, from: d.policyGroupId ?? "none", to: wanted }));
  },
  describe: (fix) => `${fix.desktopId} uses policy ${fix.from} (will get ${fix.to})`,
  // The call replaces the desktop's policies with this one.
  applied: (desktop, to) => ({ ...desktop, policyGroupId: to, policyGroupIdList: [to] }),
  async apply(fixes, ctx) {
    if (!fixes.length) return;
    const ids = fixes.map((fix) => fix.desktopId);
    // ECD changes the policy of Running desktops only: one starting or stopping is waited for.
    await ctx.waitFor(ids, (d) => !isBusy(d), "waiting before changing the policy");
    const results = await ctx.client.modifyDesktopsPolicyGroup(ids, fixes[0].to, ctx.opts);
    requireAccepted("ModifyDesktopsPolicyGroup", results);
  },
};
