import * as pulumi from "@pulumi/pulumi";
import { ChargeType, DesktopBatch, PeriodUnit } from "pulumi-ecd";

// Subscription (PrePaid) desktops: paid a month ahead and renewed automatically. The defaults match the
// local emulator's seed; `pulumi config set <key> <value>` changes any of them.
const config = new pulumi.Config();

const batch = new DesktopBatch("office-subscription", {
  officeSiteId: config.get("officeSiteId") ?? "cn-hangzhou+dir-0000000001",
  bundleId: config.get("bundleId") ?? "b-win-office-4c8g",
  policyGroupId: config.get("policyGroupId") ?? "system-all-enabled-policy",
  desktopName: config.get("desktopName") ?? "office",
  amount: config.getNumber("amount") ?? 2,
  endUserIds: config.getObject<string[]>("endUserIds") ?? ["alice", "bob"],
  chargeType: ChargeType.PrePaid,
  period: config.getNumber("period") ?? 1,
  periodUnit: (config.get("periodUnit") as PeriodUnit | undefined) ?? PeriodUnit.Month,
  autoPay: true,
  autoRenew: true,
  // Subscription desktops that have not expired are never released silently: deleting (or replacing) the batch
  // fails and lists them, unless this converts them to pay-as-you-go first (refund rules apply).
  releaseSubscriptionOnDelete: config.getBoolean("releaseSubscriptionOnDelete") ?? false,
  tags: { billing: "subscription" },
});

export const desktopIds = batch.desktopIds;
export const expiries = batch.desktops.apply((list) =>
  list.map((d) => ({ id: d.desktopId, chargeType: d.chargeType, expires: d.expiredTime })),
);
