import { addPeriod } from "./rules";
import type { DesktopRecord, DesktopStatus, PendingSpecChange, RegionState } from "./types";

/**
 * Lifecycle is derived lazily: a desktop stores when its current transition ends, and every read first settles
 * what has happened since. With a ManualClock nothing moves until the test advances time.
 */
function settle(d: DesktopRecord, now: number): "keep" | "gone" {
  if (d.transition && d.transition.at <= now) {
    const { at, next } = d.transition;
    if (next === null) return "gone";
    d.status = next;
    if (next === "Running" && d.startedAt === undefined) d.startedAt = at;
    d.transition = undefined;
  }
  if (d.pendingSpec && d.pendingSpec.at <= now) {
    applySpec(d, d.pendingSpec);
    d.pendingSpec = undefined;
  }
  if (d.pendingEntitlement && d.pendingEntitlement.at <= now) {
    d.endUserIds = d.pendingEntitlement.endUserIds;
    d.pendingEntitlement = undefined;
  }
  if (d.pendingCharge && d.pendingCharge.at <= now) {
    const change = d.pendingCharge;
    d.chargeType = change.chargeType;
    if (change.chargeType === "PrePaid" && change.period !== undefined && change.periodUnit !== undefined) {
      d.period = change.period;
      d.periodUnit = change.periodUnit;
      d.expiredTime = addPeriod(change.at, change.period, change.periodUnit);
    } else {
      d.period = undefined;
      d.periodUnit = undefined;
      d.expiredTime = undefined;
      d.autoRenew = false;
    }
    d.pendingCharge = undefined;
  }
  if (d.chargeType === "PrePaid" && d.autoRenew && d.expiredTime !== undefined && d.period && d.periodUnit) {
    while (d.expiredTime <= now) d.expiredTime = addPeriod(d.expiredTime, d.period, d.periodUnit);
  }
  return "keep";
}

function applySpec(d: DesktopRecord, spec: PendingSpecChange): void {
  d.desktopType = spec.desktopType;
  if (spec.systemDiskSize !== undefined) d.systemDisk.size = spec.systemDiskSize;
  if (spec.dataDiskSize !== undefined) {
    d.dataDisk = d.dataDisk
      ? { ...d.dataDisk, size: spec.dataDiskSize }
      : {
          id: spec.newDataDiskId,
          size: spec.dataDiskSize,
          category: d.systemDisk.category,
          performanceLevel: "PL0",
        };
  }
  if (spec.dataDiskPerformanceLevel !== undefined && d.dataDisk)
    d.dataDisk.performanceLevel = spec.dataDiskPerformanceLevel;
}

export function settleRegion(region: RegionState, now: number): void {
  for (const [id, desktop] of region.desktops) {
    if (settle(desktop, now) === "gone") region.desktops.delete(id);
  }
}

/** The status DescribeDesktops shows: the stored status, or `Expired` once a subscription has run out. */
export function effectiveStatus(d: DesktopRecord, now: number): DesktopStatus {
  const expired = d.chargeType === "PrePaid" && d.expiredTime !== undefined && d.expiredTime <= now;
  if (expired && (d.status === "Running" || d.status === "Stopped")) return "Expired";
  return d.status;
}

export function startTransition(
  d: DesktopRecord,
  via: DesktopStatus,
  durationMs: number,
  next: DesktopStatus | null,
  now: number,
): void {
  d.status = via;
  d.transition = { at: now + Math.max(0, durationMs), next };
}
