/** policyGroupId: a desktop has the batch's policy when it is among the desktop's policies (others may stay). */
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
    const results = await ctx.client.modifyDesktopsPolicyGroup(
      fixes.map((fix) => fix.desktopId),
      fixes[0].to,
      ctx.opts,
    );
    requireAccepted("ModifyDesktopsPolicyGroup", results);
  },
};
