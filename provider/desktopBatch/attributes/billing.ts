/**
 * chargeType: ModifyDesktopChargeType, 20 desktops a call. Converting to subscription (PrePaid) starts only once
 * its order is paid, so AutoPay is always sent (true unless the user set autoPay: false); with autoPay false the
 * order is reported and not waited for.
 */
import { isBusy } from "../statuses";
import { Attribute } from "./attribute";

const CHARGE_TYPE_BATCH = 20;

export const billing: Attribute<string> = {
  inputs: "chargeType",
  plan({ inputs, desktops }) {
    const wanted = inputs.chargeType ?? "PostPaid";
    return desktops
      .filter((d) => d.chargeType && d.chargeType !== wanted)
      .map((d) => ({ desktopId: d.desktopId, from: d.chargeType as string, to: wanted }));
  },
  describe: (fix) => `${fix.desktopId} is ${fix.from} (will be converted to ${fix.to})`,
  async apply(fixes, ctx) {
    if (!fixes.length) return;
    const wanted = fixes[0].to;
    // A desktop starting, stopping or changing its billing method is refused: it is waited for, and one a change
    // running meanwhile converted is left alone.
    const settled = await ctx.waitFor(
      fixes.map((fix) => fix.desktopId),
      (d) => !isBusy(d),
      "waiting before changing the billing method",
    );
    const ids = settled.filter((d) => d.chargeType !== wanted).map((d) => d.desktopId);
    if (!ids.length) return;
    const prePaid = wanted === "PrePaid";
    const autoPay = ctx.inputs.autoPay ?? true;
    const orders: string[] = [];
    for (let start = 0; start < ids.length; start += CHARGE_TYPE_BATCH) {
      const answer = await ctx.client.modifyDesktopChargeType(
        {
          desktopIds: ids.slice(start, start + CHARGE_TYPE_BATCH),
          chargeType: wanted,
          ...(prePaid
            ? {
                period: ctx.inputs.period,
                periodUnit: ctx.inputs.periodUnit,
                autoPay,
                promotionId: ctx.inputs.promotionId,
              }
            : {}),
        },
        ctx.opts,
      );
      if (answer.orderId) orders.push(answer.orderId);
    }
    if (prePaid && !autoPay) {
      throw new Error(
        `converting ${ids.length} desktop(s) to PrePaid awaits payment of order(s) ${orders.join(", ") || "(none returned)"} ` +
          `(autoPay: false). Pay them in the Alibaba Cloud console; the conversion then starts and the next pulumi up ` +
          `finds the desktops converted.`,
      );
    }
    await ctx.waitFor(
      ids,
      (d) => d.chargeType === wanted && d.managementFlag !== "Updating",
      "changing the billing method",
      "change",
    );
  },
};
