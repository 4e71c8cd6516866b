import type {
  DesktopIdsRequest,
  ModifyDesktopChargeTypeRequest,
  ModifyDesktopNameRequest,
  ModifyDesktopSpecRequest,
  ModifyDesktopsPolicyGroupRequest,
  ModifyEntitlementRequest,
  ModifyUserEntitlementRequest,
  RebuildDesktopsRequest,
  RenewDesktopsRequest,
  StopDesktopsRequest,
} from "../api/requests";
import { EcdServiceError, Errors } from "../errors";
import type { ModelContext } from "./context";
import { checkImageUsable, LANGUAGES } from "./create";
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

function checkEndUsers(region: RegionState, ids: string[], min = 1): string[] {
  checkCount("EndUserId", ids, min, 100);
  const unknown = ids.filter((id) => !region.endUsers.has(id));
  if (unknown.length > 0) throw Errors.usersNotFound(unknown);
  return [...new Set(ids)];
}

/**
 * While a charge-type change runs (ManagementFlag `Updating`) the SDK's ModifyDesktopChargeType description says
 * the desktop cannot be started, stopped or changed. Assumption: the refusal is IncorrectDesktopStatus, and
 * DeleteDesktops is refused too, so a delete never cancels the change.
 */
function requireNotUpdating(d: DesktopRecord): void {
  if (d.pendingCharge) throw Errors.desktopUpdating(d.id);
}

const DELETABLE: readonly DesktopStatus[] = ["Running", "Stopped", "Expired", "Hibernated", "Failed"];

/**
 * A deleted desktop shows `Deleted` (a status of the SDK's DescribeDesktops `DesktopStatus` list and of
 * Terraform's, found by a status filter like any other) for deleteMs, then vanishes from DescribeDesktops, which
 * is what Terraform's delete waits for. Assumption: deleting it again is IncorrectDesktopStatus.
 */
export function deleteDesktops(ctx: ModelContext, region: RegionState, request: DesktopIdsRequest): void {
  const desktops = findDesktops(region, request.DesktopId, "DesktopId", 100);
  for (const d of desktops) {
    if (
      effectiveStatus(d, ctx.now) === "Deleted" &&
      ctx.variants.deletedAgainCode !== "IncorrectDesktopStatus"
    )
      throw new EcdServiceError(ctx.variants.deletedAgainCode, `The desktop ${d.id} is already deleted.`);
    const status = requireStatus(d, ctx.now, DELETABLE);
    requireNotUpdating(d);
    if (d.chargeType === "PrePaid" && status !== "Expired" && status !== "Failed")
      throw Errors.chargeTypeUnsupported(d.id);
  }
  for (const d of desktops) {
    d.pendingEntitlement = undefined;
    d.pendingSpec = undefined;
    startTransition(d, "Deleted", ctx.durations.deleteMs, null, ctx.now);
  }
}

export function startDesktops(ctx: ModelContext, region: RegionState, request: DesktopIdsRequest): void {
  const desktops = findDesktops(region, request.DesktopId, "DesktopId", ctx.variants.powerBatchMax);
  for (const d of desktops) {
    requireStatus(d, ctx.now, ["Stopped"]);
    requireNotUpdating(d);
  }
  for (const d of desktops) startTransition(d, "Starting", ctx.durations.startMs, "Running", ctx.now);
}

export function stopDesktops(ctx: ModelContext, region: RegionState, request: StopDesktopsRequest): void {
  const mode = request.StoppedMode ?? "StopCharging";
  if (mode !== "StopCharging" && mode !== "KeepCharging") {
    throw Errors.invalidParameter("StoppedMode", "It must be StopCharging or KeepCharging.");
  }
  const desktops = findDesktops(region, request.DesktopId, "DesktopId", ctx.variants.powerBatchMax);
  for (const d of desktops) {
    requireStatus(d, ctx.now, ["Running"]);
    requireNotUpdating(d);
  }
  for (const d of desktops) {
    d.stoppedMode = mode;
    startTransition(d, "Stopping", ctx.durations.stopMs, "Stopped", ctx.now);
  }
}

export interface DesktopResult {
  DesktopId: string;
  Code: string;
  Message: string;
}

const resultOf = (id: string, run: () => void): DesktopResult => {
  try {
    run();
    return { DesktopId: id, Code: "success", Message: "" };
  } catch (e) {
    if (!(e instanceof EcdServiceError)) throw e;
    return { DesktopId: id, Code: e.code, Message: e.message };
  }
};

const REBUILDABLE: readonly DesktopStatus[] = ["Running", "Stopped"];

/**
 * The RebuildDesktops description of the SDK: "in the China (Hong Kong) region and regions outside the Chinese
 * mainland, you cannot switch to an image with a different operating system". Assumption: a region of the
 * Chinese mainland is a `cn-` region other than `cn-hongkong`.
 */
const crossOsRebuilds = (regionId: string): boolean =>
  regionId.startsWith("cn-") && regionId !== "cn-hongkong";
const AFTER_STATUSES: readonly DesktopStatus[] = ["Running", "Stopped"];

/**
 * RebuildDesktops (SDK RebuildDesktopsRequest/ResponseBody): 1-20 desktops, each answered in RebuildResults, a
 * desktop in a status that cannot be rebuilt with IncorrectDesktopStatus (the SDK's example). The desktop is
 * Rebuilding for rebuildMs, then AfterStatus or the status it had. The data disk, per the SDK's OperateType text,
 * is replaced with `replace`, else kept when the OS stays and cleared when it changes; a replaced or cleared disk
 * shows a new DiskId. Outside the Chinese mainland the operating system cannot change, and GPU images are for
 * graphics desktops only (the SDK's RebuildDesktops description). Assumptions: the codes of those two refusals,
 * answered per desktop; only Running and Stopped desktops can be rebuilt, AfterStatus is Running or
 * Stopped, unknown ids are answered per desktop like ModifyDesktopsPolicyGroup does, and the new ImageId shows at
 * once.
 */
export function rebuildDesktops(
  ctx: ModelContext,
  region: RegionState,
  request: RebuildDesktopsRequest,
): { RebuildResults: DesktopResult[] } {
  const ids = request.DesktopId ?? [];
  checkCount("DesktopId", ids, 1, 20);
  if (request.ImageId !== undefined) checkImageUsable(region, request.ImageId);
  if (request.Language !== undefined && !LANGUAGES.includes(request.Language)) {
    throw Errors.invalidParameter("Language", `It must be one of ${LANGUAGES.join(", ")}.`);
  }
  if (request.OperateType !== undefined && request.OperateType !== "replace") {
    throw Errors.invalidParameter("OperateType", "It must be replace or empty.");
  }
  const after = request.AfterStatus as DesktopStatus | undefined;
  if (after !== undefined && !AFTER_STATUSES.includes(after)) {
    throw Errors.invalidParameter("AfterStatus", "It must be Running or Stopped.");
  }
  return {
    RebuildResults: [...new Set(ids)].map((id) =>
      resultOf(id, () => {
        const d = region.desktops.get(id);
        if (!d) throw Errors.desktopNotFound(id);
        const status = requireStatus(d, ctx.now, REBUILDABLE);
        requireNotUpdating(d);
        const imageId = request.ImageId ?? d.imageId;
        const from = region.images.get(d.imageId);
        const to = region.images.get(imageId);
        const osChanges = to?.osType !== from?.osType;
        if (osChanges && !crossOsRebuilds(region.regionId))
          throw Errors.rebuildOsChange(d.id, region.regionId, from?.osType ?? "?", to?.osType ?? "?");
        if (from && to && (from.gpu ?? false) !== (to.gpu ?? false))
          throw Errors.rebuildGpuMismatch(d.id, from.gpu ?? false);
        if (d.dataDisk && (request.OperateType === "replace" || osChanges)) {
          d.dataDisk = { ...d.dataDisk, id: ctx.ids.diskId() };
        }
        d.imageId = imageId;
        if (request.Language !== undefined) d.defaultLanguage = request.Language;
        startTransition(d, "Rebuilding", ctx.durations.rebuildMs, after ?? status, ctx.now);
      }),
    ),
  };
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

export function modifyDesktopsPolicyGroup(
  ctx: ModelContext,
  region: RegionState,
  request: ModifyDesktopsPolicyGroupRequest,
): { ModifyResults: DesktopResult[] } {
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
  return {
    ModifyResults: ids.map((id) =>
      resultOf(id, () => {
        const d = region.desktops.get(id);
        if (!d) throw Errors.desktopNotFound(id);
        requireStatus(d, ctx.now, ["Running"]);
        d.policyGroupIds = [...policyIds];
      }),
    ),
  };
}

/**
 * The family rule of the ModifyDesktopSpec description (API reference and SDK): no change between General Office
 * and other families, nor between graphics and non-graphics types. Assumption: General Office is the `eds.general`
 * family, and a graphics type is one with GPUs.
 */
function familyRefusal(from: string, to: string): string | undefined {
  const a = desktopTypeOf(from);
  const b = desktopTypeOf(to);
  if ((a.family === "eds.general") !== (b.family === "eds.general"))
    return "General Office and other families cannot be switched";
  if (a.gpuCount > 0 !== b.gpuCount > 0) return "graphics and non-graphics types cannot be switched";
  return undefined;
}

/**
 * The ResourceType values DescribePrice documents for desktops: `Desktop` for pay-as-you-go and unlimited
 * subscription desktops, `DesktopMonthPackage` for subscriptions with an hour-limited plan (CreateDesktops
 * SubPayType `monthPackage`). Assumption: ModifyDesktopSpec refuses the value of the other plan.
 */
const SPEC_RESOURCE_TYPES: readonly string[] = ["Desktop", "DesktopMonthPackage"];

const specResourceType = (d: DesktopRecord): string =>
  d.chargeType === "PrePaid" && d.subPayType === "monthPackage" ? "DesktopMonthPackage" : "Desktop";

/**
 * ModifyDesktopSpec: the desktop must be Stopped; ResourceType is required for subscription desktops (SDK
 * model); the change shows in DescribeDesktops only after specMs (Terraform waits for the new DesktopType);
 * two changes of one desktop need specIntervalMs between them (the docs' 5 minutes).
 */
export function modifyDesktopSpec(
  ctx: ModelContext,
  region: RegionState,
  request: ModifyDesktopSpecRequest,
): { OrderId: string; OrderIds: number[] } {
  if (!request.DesktopId) throw Errors.missingParameter("DesktopId");
  if (!request.DesktopType) throw Errors.missingParameter("DesktopType");
  const [d] = findDesktops(region, [request.DesktopId], "DesktopId", 1);
  requireStatus(d, ctx.now, ["Stopped"]);
  requireNotUpdating(d);
  if (request.ResourceType !== undefined && !SPEC_RESOURCE_TYPES.includes(request.ResourceType)) {
    throw Errors.invalidParameter("ResourceType", `It must be ${SPEC_RESOURCE_TYPES.join(" or ")}.`);
  }
  if (d.chargeType === "PrePaid" && request.ResourceType === undefined) {
    throw Errors.missingParameter("ResourceType");
  }
  if (request.ResourceType !== undefined && request.ResourceType !== specResourceType(d)) {
    throw Errors.invalidParameter(
      "ResourceType",
      `${d.id} is billed as ${specResourceType(d)}, not ${request.ResourceType}.`,
    );
  }
  if (!DESKTOP_TYPES.has(request.DesktopType)) throw Errors.desktopTypeNotFound(request.DesktopType);
  const refusal = familyRefusal(d.desktopType, request.DesktopType);
  if (refusal) throw Errors.specFamily(d.desktopType, request.DesktopType, refusal);
  const last = d.lastSpecChangeAt;
  if (d.pendingSpec || (last !== undefined && ctx.now - last < ctx.durations.specIntervalMs)) {
    const waitMs = (last ?? ctx.now) + ctx.durations.specIntervalMs - ctx.now;
    throw Errors.specTooFrequent(d.id, Math.max(1, Math.ceil(waitMs / 1000)), ctx.variants.specIntervalCode);
  }

  const root = request.RootDiskSizeGib;
  if (root !== undefined && (root < 80 || root > 500 || root % 10 !== 0 || root < d.systemDisk.size)) {
    throw Errors.invalidDisk(
      "InvalidRootDiskSize",
      `RootDiskSizeGib must be 80 to 500 in steps of 10 and not smaller than the current ${d.systemDisk.size} GiB.`,
    );
  }
  const user = request.UserDiskSizeGib;
  const minUser = desktopTypeOf(request.DesktopType).gpuCount > 0 ? 40 : 20;
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

  d.lastSpecChangeAt = ctx.now;
  d.pendingSpec = {
    at: ctx.now + ctx.durations.specMs,
    desktopType: request.DesktopType,
    systemDiskSize: root,
    dataDiskSize: user,
    dataDiskPerformanceLevel: level,
    newDataDiskId: ctx.ids.diskId(),
  };
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
  const orderId = ctx.ids.orderId();
  // Official ModifyDesktopChargeType: converting to subscription starts only after the order is paid. With
  // AutoPay=false nothing changes here; the order is left for the console (no payment is modelled for it).
  if (chargeType === "PrePaid" && request.AutoPay === false) {
    return { DesktopId: desktops.map((d) => d.id), OrderId: orderId };
  }
  for (const d of desktops) {
    d.pendingCharge = {
      at: ctx.now + ctx.durations.chargeTypeMs,
      chargeType,
      period: period?.period,
      periodUnit: period?.unit,
    };
  }
  return { DesktopId: desktops.map((d) => d.id), OrderId: orderId };
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
  // The SDK model: the given users replace the current ones, so leaving EndUserId out removes them all.
  const users = checkEndUsers(region, request.EndUserId ?? [], 0);
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
  if (ctx.variants.userEntitlementNeedsBothLists) {
    if (authorize.length === 0) throw Errors.missingParameter("AuthorizeDesktopId");
    if (revoke.length === 0) throw Errors.missingParameter("RevokeDesktopId");
  }
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
