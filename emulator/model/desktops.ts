import type {
  DesktopIdsRequest,
  ModifyDesktopChargeTypeRequest,
  ModifyDesktopNameRequest,
  ModifyDesktopSpecRequest,
  ModifyDesktopsPolicyGroupRequest,
  ModifyEntitlementRequest,
  ModifyUserEntitlementRequest,
  RenewDesktopsRequest,
  StopDesktopsRequest,
} from "../api/requests";
import { EcdServiceError, Errors } from "../errors";
import type { ModelContext } from "./context";
import { effectiveStatus, startTransition } from "./lifecycle";
import { addPeriod, checkCount, checkDesktopName, checkPeriod } from "./rules";
import { DESKTOP_TYPES } from "./seed";
import type { DesktopRecord, DesktopStatus, RegionState } from "./types";
import { desktopTypeOf } from "./wire";

/** Rules of the operations that change existing desktops. */

export function findDesktops(
  region: RegionState,
  ids: string[] | undefined,
  name: string,
  max: number,
): DesktopRecord[] {
  const list = ids ?? [];
  checkCount(name, list, 1, max);
  return [...new Set(list)].map((id) => {
    const desktop = region.desktops.get(id);
    // Assumption: unknown ids are rejected as a whole with 400 InvalidDesktopId.NotFound.
    if (!desktop) throw Errors.desktopNotFound(id);
    return desktop;
  });
}

function requireStatus(d: DesktopRecord, now: number, allowed: readonly DesktopStatus[]): DesktopStatus {
  const status = effectiveStatus(d, now);
  if (!allowed.includes(status)) throw Errors.incorrectDesktopStatus(d.id, status);
  return status;
}

function checkEndUsers(region: RegionState, ids: string[]): string[] {
  checkCount("EndUserId", ids, 1, 100);
  const unknown = ids.filter((id) => !region.endUsers.has(id));
  if (unknown.length > 0) throw Errors.usersNotFound(unknown);
  return [...new Set(ids)];
}

const DELETABLE: readonly DesktopStatus[] = ["Running", "Stopped", "Expired", "Hibernated", "Failed"];

export function deleteDesktops(ctx: ModelContext, region: RegionState, request: DesktopIdsRequest): void {
  const desktops = findDesktops(region, request.DesktopId, "DesktopId", 100);
  for (const d of desktops) {
    const status = requireStatus(d, ctx.now, DELETABLE);
    if (d.chargeType === "PrePaid" && status !== "Expired" && status !== "Failed")
      throw Errors.chargeTypeUnsupported(d.id);
  }
  for (const d of desktops) {
    d.pendingCharge = undefined;
    d.pendingEntitlement = undefined;
    startTransition(d, "Deleting", ctx.durations.deleteMs, null, ctx.now);
  }
}

export function startDesktops(ctx: ModelContext, region: RegionState, request: DesktopIdsRequest): void {
  const desktops = findDesktops(region, request.DesktopId, "DesktopId", 100);
  for (const d of desktops) requireStatus(d, ctx.now, ["Stopped"]);
  for (const d of desktops) startTransition(d, "Starting", ctx.durations.startMs, "Running", ctx.now);
}

export function stopDesktops(ctx: ModelContext, region: RegionState, request: StopDesktopsRequest): void {
  const mode = request.StoppedMode ?? "StopCharging";
  if (mode !== "StopCharging" && mode !== "KeepCharging") {
    throw Errors.invalidParameter("StoppedMode", "It must be StopCharging or KeepCharging.");
  }
  const desktops = findDesktops(region, request.DesktopId, "DesktopId", 100);
  for (const d of desktops) requireStatus(d, ctx.now, ["Running"]);
  for (const d of desktops) {
    d.stoppedMode = mode;
    startTransition(d, "Stopping", ctx.durations.stopMs, "Stopped", ctx.now);
  }
}

export function modifyDesktopName(region: RegionState, request: ModifyDesktopNameRequest): void {
  const ids =
    request.DesktopIds && request.DesktopIds.length > 0
      ? request.DesktopIds
      : request.DesktopId
        ? [request.DesktopId]
        : [];
  const desktops = findDesktops(region, ids, "DesktopId", 100);
  if (!request.NewDesktopName) throw Errors.missingParameter("NewDesktopName");
  checkDesktopName(request.NewDesktopName);
  for (const d of desktops) d.name = request.NewDesktopName;
}

export interface ModifyResult {
  DesktopId: string;
  Code: string;
  Message: string;
}

export function modifyDesktopsPolicyGroup(
  ctx: ModelContext,
  region: RegionState,
  request: ModifyDesktopsPolicyGroupRequest,
): { ModifyResults: ModifyResult[] } {
  const ids = request.DesktopId ?? [];
  checkCount("DesktopId", ids, 1, 100);
  const policyIds =
    request.PolicyGroupIds && request.PolicyGroupIds.length > 0
      ? [...new Set(request.PolicyGroupIds)]
      : request.PolicyGroupId
        ? [request.PolicyGroupId]
        : [];
  checkCount("PolicyGroupId", policyIds, 1, 5);
  for (const id of policyIds) {
    const policy = region.policyGroups.get(id);
    if (!policy) throw Errors.policyGroupNotFound(id);
    if (policy.status !== "AVAILABLE") throw Errors.policyGroupStatus();
  }
  if (policyIds.filter((id) => region.policyGroups.get(id)?.scope === "GLOBAL").length > 1) {
    throw Errors.invalidParameter("PolicyGroupIds", "At most one policy with the GLOBAL scope is allowed.");
  }
  return {
    ModifyResults: ids.map((id): ModifyResult => {
      const d = region.desktops.get(id);
      if (!d) {
        const e = Errors.desktopNotFound(id);
        return { DesktopId: id, Code: e.code, Message: e.message };
      }
      try {
        requireStatus(d, ctx.now, ["Running"]);
      } catch (e) {
        if (!(e instanceof EcdServiceError)) throw e;
        return { DesktopId: id, Code: e.code, Message: e.message };
      }
      d.policyGroupIds = [...policyIds];
      return { DesktopId: id, Code: "success", Message: "" };
    }),
  };
}

const isGraphics = (desktopType: string): boolean => desktopTypeOf(desktopType).gpuCount > 0;

export function modifyDesktopSpec(
  ctx: ModelContext,
  region: RegionState,
  request: ModifyDesktopSpecRequest,
): { OrderId: string; OrderIds: number[] } {
  if (!request.DesktopId) throw Errors.missingParameter("DesktopId");
  if (!request.DesktopType) throw Errors.missingParameter("DesktopType");
  const [d] = findDesktops(region, [request.DesktopId], "DesktopId", 1);
  requireStatus(d, ctx.now, ["Stopped"]);
  if (!DESKTOP_TYPES.has(request.DesktopType)) throw Errors.desktopTypeNotFound(request.DesktopType);
  if (isGraphics(d.desktopType) !== isGraphics(request.DesktopType))
    throw Errors.specFamily(d.desktopType, request.DesktopType);

  const root = request.RootDiskSizeGib;
  if (root !== undefined && (root < 80 || root > 500 || root % 10 !== 0 || root < d.systemDisk.size)) {
    throw Errors.invalidDisk(
      "InvalidRootDiskSize",
      `RootDiskSizeGib must be 80 to 500 in steps of 10 and not smaller than the current ${d.systemDisk.size} GiB.`,
    );
  }
  const user = request.UserDiskSizeGib;
  const minUser = isGraphics(request.DesktopType) ? 40 : 20;
  const currentUser = d.dataDisk?.size ?? 0;
  if (user !== undefined && (user < minUser || user > 1020 || user % 10 !== 0 || user < currentUser)) {
    throw Errors.invalidDisk(
      "InvalidUserDiskSize",
      `UserDiskSizeGib must be ${minUser} to 1020 in steps of 10 and not smaller than the current ${currentUser} GiB.`,
    );
  }
  const level = request.UserDiskPerformanceLevel;
  if (level !== undefined && !["PL0", "PL1", "PL2", "PL3"].includes(level)) {
    throw Errors.invalidParameter("UserDiskPerformanceLevel");
  }
  const changed =
    request.DesktopType !== d.desktopType ||
    (root !== undefined && root > d.systemDisk.size) ||
    (user !== undefined && user > currentUser) ||
    (level !== undefined && d.dataDisk !== undefined && level !== d.dataDisk.performanceLevel);
  if (!changed) throw Errors.specNoChange();

  d.desktopType = request.DesktopType;
  if (root !== undefined) d.systemDisk.size = root;
  if (user !== undefined) {
    d.dataDisk = d.dataDisk
      ? { ...d.dataDisk, size: user }
      : { id: ctx.ids.diskId(), size: user, category: d.systemDisk.category, performanceLevel: "PL0" };
  }
  if (level !== undefined && d.dataDisk) d.dataDisk.performanceLevel = level;
  const orderId = ctx.ids.orderId();
  return { OrderId: orderId, OrderIds: [Number(orderId)] };
}

export function modifyDesktopChargeType(
  ctx: ModelContext,
  region: RegionState,
  request: ModifyDesktopChargeTypeRequest,
): { DesktopId: string[]; OrderId: string } {
  const desktops = findDesktops(region, request.DesktopId, "DesktopId", 20);
  const chargeType = request.ChargeType;
  if (!chargeType) throw Errors.missingParameter("ChargeType");
  if (chargeType !== "PostPaid" && chargeType !== "PrePaid") throw Errors.invalidChargeType(chargeType);
  const period =
    chargeType === "PrePaid"
      ? checkPeriod(request.Period, request.PeriodUnit, { allowWeek: true })
      : undefined;
  for (const d of desktops) {
    requireStatus(d, ctx.now, ["Running", "Stopped"]);
    if (d.pendingCharge) throw Errors.desktopUpdating(d.id);
    // Assumption: asking for the charge type a desktop already has is refused.
    if (d.chargeType === chargeType) throw Errors.chargeTypeUnchanged(d.id, chargeType);
  }
  for (const d of desktops) {
    d.pendingCharge = {
      at: ctx.now + ctx.durations.chargeTypeMs,
      chargeType,
      period: period?.period,
      periodUnit: period?.unit,
    };
  }
  return { DesktopId: desktops.map((d) => d.id), OrderId: ctx.ids.orderId() };
}

/** Assumption: a new entitlement change while one is running replaces its target and restarts the timer. */
function scheduleEntitlement(ctx: ModelContext, d: DesktopRecord, endUserIds: string[]): void {
  d.pendingEntitlement = { at: ctx.now + ctx.durations.entitlementMs, endUserIds };
}

export function modifyEntitlement(
  ctx: ModelContext,
  region: RegionState,
  request: ModifyEntitlementRequest,
): void {
  if (!request.DesktopId) throw Errors.missingParameter("DesktopId");
  const [d] = findDesktops(region, [request.DesktopId], "DesktopId", 1);
  const users = checkEndUsers(region, request.EndUserId ?? []);
  requireStatus(d, ctx.now, ["Running"]);
  scheduleEntitlement(ctx, d, users);
}

export function modifyUserEntitlement(
  ctx: ModelContext,
  region: RegionState,
  request: ModifyUserEntitlementRequest,
): void {
  const users = checkEndUsers(region, request.EndUserId ?? []);
  const authorize = request.AuthorizeDesktopId ?? [];
  const revoke = request.RevokeDesktopId ?? [];
  if (authorize.length === 0 && revoke.length === 0) throw Errors.missingParameter("AuthorizeDesktopId");
  if (authorize.some((id) => revoke.includes(id))) {
    throw Errors.invalidParameter(
      "RevokeDesktopId",
      "A desktop cannot be authorized and revoked in one call.",
    );
  }
  const toAuthorize = authorize.length > 0 ? findDesktops(region, authorize, "AuthorizeDesktopId", 100) : [];
  const toRevoke = revoke.length > 0 ? findDesktops(region, revoke, "RevokeDesktopId", 100) : [];
  for (const d of [...toAuthorize, ...toRevoke]) requireStatus(d, ctx.now, ["Running"]);
  const target = (d: DesktopRecord): string[] => d.pendingEntitlement?.endUserIds ?? d.endUserIds;
  for (const d of toAuthorize) scheduleEntitlement(ctx, d, [...new Set([...target(d), ...users])]);
  for (const d of toRevoke)
    scheduleEntitlement(
      ctx,
      d,
      target(d).filter((u) => !users.includes(u)),
    );
}

export function renewDesktops(
  ctx: ModelContext,
  region: RegionState,
  request: RenewDesktopsRequest,
): { OrderId: string } {
  const desktops = findDesktops(region, request.DesktopId, "DesktopId", 100);
  const { period, unit } = checkPeriod(request.Period ?? 1, request.PeriodUnit, { allowWeek: false });
  for (const d of desktops) {
    if (d.chargeType !== "PrePaid") {
      throw Errors.invalidParameterCode(
        "InvalidChargeType.Unsupported",
        `Only subscription desktops can be renewed; ${d.id} is pay-as-you-go.`,
      );
    }
  }
  for (const d of desktops) {
    d.expiredTime = addPeriod(Math.max(d.expiredTime ?? ctx.now, ctx.now), period, unit);
    if (request.AutoRenew !== undefined) d.autoRenew = request.AutoRenew;
  }
  return { OrderId: ctx.ids.orderId() };
}
