import type { CreateDesktopsRequest, DesktopAttachment } from "../api/requests";
import { Errors } from "../errors";
import type { ModelContext } from "./context";
import { allocateIps, isHostInCidr, parseCidr, parseIpv4 } from "./ip";
import { startTransition } from "./lifecycle";
import { addPeriod, checkDesktopName, checkPeriod, checkTags, expandHostnames } from "./rules";
import { DEFAULT_POLICY_GROUP_ID, DESKTOP_TYPES } from "./seed";
import type {
  DesktopRecord,
  DiskCategory,
  DiskSpec,
  OfficeSiteRecord,
  PeriodUnit,
  RegionState,
} from "./types";

/** CreateDesktops: every rule of the API reference, then the desktops in creation order. */

const MAX_AMOUNT = 300;
const DISK_CATEGORIES: readonly string[] = ["cloud_auto", "cloud_essd"];
const PERFORMANCE_LEVELS: readonly string[] = ["PL0", "PL1"];
export const LANGUAGES: readonly string[] = ["zh-CN", "zh-HK", "en-US", "ja-JP"];
const CONTENT_ENCODINGS: readonly string[] = ["Base64", "PlainText"];
const CONTENT_TYPES: readonly string[] = ["RunPowerShellScript", "RunShellScript", "RunBatScript"];

interface MachineSpec {
  bundleId?: string;
  imageId: string;
  desktopType: string;
  systemDisk: DiskSpec;
  dataDisk?: DiskSpec;
  defaultLanguage?: string;
}

/** One set of identical desktops: the whole request, or one entry of BundleModels. */
interface Group {
  machine: MachineSpec;
  amount: number;
  name?: string;
  hostnameTemplate?: string;
  endUserIds: string[];
  encryptionKey?: string;
  modelIndex?: number;
}

function checkAmount(amount: number): void {
  if (!Number.isInteger(amount) || amount < 1 || amount > MAX_AMOUNT) throw Errors.invalidAmount();
}

/** Assumption: HDX is not enabled for the emulator's account, so any non-ASP image is Protocol.NotAllowed. */
export function checkImageUsable(region: RegionState, imageId: string): void {
  const image = region.images.get(imageId);
  if (!image) throw Errors.imageNotFound(imageId);
  if (image.status !== "Available") throw Errors.imageStatusNotValid(imageId, image.status);
  if (!image.versionSupported) throw Errors.imageVersionNotSupported(imageId);
  if (image.protocolType !== "ASP") throw Errors.protocolNotAllowed(imageId, image.protocolType);
}

function machineFromBundle(region: RegionState, bundleId: string): MachineSpec {
  const bundle = region.bundles.get(bundleId);
  if (!bundle) throw Errors.bundleNotFound();
  checkImageUsable(region, bundle.imageId);
  return {
    bundleId: bundle.id,
    imageId: bundle.imageId,
    desktopType: bundle.desktopType,
    systemDisk: { ...bundle.systemDisk },
    dataDisk: bundle.dataDisk ? { ...bundle.dataDisk } : undefined,
  };
}

function diskOf(
  which: "System" | "Data",
  size: number,
  categoryInput: string | undefined,
  level: string | undefined,
): DiskSpec {
  const category = categoryInput ?? "cloud_auto";
  if (!DISK_CATEGORIES.includes(category)) {
    throw Errors.invalidDisk(
      `Invalid${which}DiskCategory`,
      `${which}DiskCategory must be cloud_auto or cloud_essd.`,
    );
  }
  if (category === "cloud_essd" && level === undefined) {
    throw Errors.missingParameter(`DesktopAttachment.${which}DiskPerLevel`);
  }
  if (level !== undefined && !PERFORMANCE_LEVELS.includes(level)) {
    throw Errors.invalidDisk(`Invalid${which}DiskPerLevel`, `${which}DiskPerLevel must be PL0 or PL1.`);
  }
  return { size, category: category as DiskCategory, performanceLevel: level ?? "PL0" };
}

/**
 * Template-less creation. Assumptions where the docs disagree: system disk 60-500 GiB (default 80), data disk
 * 40-2040 GiB with 0 (the default) meaning "no data disk", both in steps of 10.
 */
function machineFromAttachment(region: RegionState, attachment: DesktopAttachment | undefined): MachineSpec {
  if (!attachment) {
    throw Errors.invalidParameterCode(
      "MissingBundleId",
      "Either BundleId or DesktopAttachment (with DesktopType and ImageId) must be specified.",
    );
  }
  if (!attachment.DesktopType) throw Errors.missingParameter("DesktopAttachment.DesktopType");
  if (!attachment.ImageId) throw Errors.missingParameter("DesktopAttachment.ImageId");
  if (!DESKTOP_TYPES.has(attachment.DesktopType)) throw Errors.desktopTypeNotFound(attachment.DesktopType);
  checkImageUsable(region, attachment.ImageId);
  const systemSize = attachment.SystemDiskSize ?? 80;
  if (systemSize < 60 || systemSize > 500 || systemSize % 10 !== 0) {
    throw Errors.invalidDisk("InvalidSystemDiskSize", "SystemDiskSize must be 60 to 500 GiB in steps of 10.");
  }
  const dataSize = attachment.DataDiskSize ?? 0;
  if (dataSize !== 0 && (dataSize < 40 || dataSize > 2040 || dataSize % 10 !== 0)) {
    throw Errors.invalidDisk(
      "InvalidDataDiskSize",
      "DataDiskSize must be 0 or 40 to 2040 GiB in steps of 10.",
    );
  }
  const systemDisk = diskOf(
    "System",
    systemSize,
    attachment.SystemDiskCategory,
    attachment.SystemDiskPerLevel,
  );
  let dataDisk: DiskSpec | undefined;
  if (dataSize > 0) {
    dataDisk = diskOf(
      "Data",
      dataSize,
      attachment.DataDiskCategory ?? systemDisk.category,
      attachment.DataDiskPerLevel,
    );
    if (dataDisk.category !== systemDisk.category) {
      throw Errors.invalidDisk(
        "InvalidDataDiskCategory",
        "The system disk and data disk must be of the same type.",
      );
    }
  }
  if (attachment.DefaultLanguage !== undefined && !LANGUAGES.includes(attachment.DefaultLanguage)) {
    throw Errors.invalidParameter(
      "DesktopAttachment.DefaultLanguage",
      `It must be one of ${LANGUAGES.join(", ")}.`,
    );
  }
  return {
    imageId: attachment.ImageId,
    desktopType: attachment.DesktopType,
    systemDisk,
    dataDisk,
    defaultLanguage: attachment.DefaultLanguage,
  };
}

function checkEncryption(
  region: RegionState,
  enabled: boolean | undefined,
  key: string | undefined,
): string | undefined {
  if (enabled) {
    if (!key) throw Errors.encryptionKeyMissing();
    if (region.unauthorizedKmsKeys.has(key)) throw Errors.encryptionKeyNotAuthorized();
    if (!region.kmsKeys.has(key)) throw Errors.encryptionKeyNotFound();
    return key;
  }
  if (key) throw Errors.encryptionEnabledInvalid();
  return undefined;
}

function checkEndUsers(region: RegionState, ids: string[]): void {
  if (ids.length > 100) throw Errors.invalidParameter("EndUserId", "1 to 100 end users are allowed.");
  const unknown = ids.filter((id) => !region.endUsers.has(id));
  if (unknown.length > 0) throw Errors.usersNotFound(unknown);
}

function resolveOfficeSite(region: RegionState, request: CreateDesktopsRequest): OfficeSiteRecord {
  const id = request.OfficeSiteId ?? request.DirectoryId;
  if (!id) throw Errors.missingParameter("OfficeSiteId");
  const site = region.officeSites.get(id) ?? region.legacyDirectories.get(id);
  if (!site) throw Errors.directoryNotFound();
  if (site.status !== "REGISTERED") throw Errors.incorrectDirectoryStatus();
  if (site.type !== "SIMPLE" && site.type !== "AD_CONNECTOR") {
    throw Errors.directoryTypeNotSupported(site.type);
  }
  return site;
}

function checkSiteProtocol(region: RegionState, site: OfficeSiteRecord, groups: Group[]): void {
  for (const group of groups) {
    const protocol = region.images.get(group.machine.imageId)?.protocolType;
    if (protocol !== site.protocolType) {
      throw Errors.incorrectDirectoryType(site.protocolType, protocol ?? "");
    }
  }
}

function resolvePolicyGroup(region: RegionState, id: string): void {
  const policy = region.policyGroups.get(id);
  if (!policy) throw Errors.policyGroupNotFound(id);
  if (policy.status !== "AVAILABLE") throw Errors.policyGroupStatus();
}

function checkOptionalName(name: string | undefined): string | undefined {
  if (name === undefined || name === "") return undefined;
  checkDesktopName(name);
  return name;
}

function buildGroups(region: RegionState, request: CreateDesktopsRequest): Group[] {
  const topUsers = request.EndUserId ?? [];
  const models = request.BundleModels ?? [];
  if (models.length === 0) {
    const amount = request.Amount ?? 1;
    checkAmount(amount);
    const machine = request.BundleId
      ? machineFromBundle(region, request.BundleId)
      : machineFromAttachment(region, request.DesktopAttachment);
    return [
      {
        machine,
        amount,
        name: checkOptionalName(request.DesktopName),
        hostnameTemplate: request.Hostname || undefined,
        endUserIds: topUsers,
        encryptionKey: checkEncryption(region, request.VolumeEncryptionEnabled, request.VolumeEncryptionKey),
      },
    ];
  }
  const groups = models.map((model, index): Group => {
    const amount = model.Amount ?? 0;
    checkAmount(amount);
    const bundleId = model.BundleId ?? request.BundleId;
    if (!bundleId) throw Errors.missingParameter(`BundleModels.${index + 1}.BundleId`);
    const endUserIds = model.EndUserIds ?? topUsers;
    checkEndUsers(region, endUserIds);
    return {
      machine: machineFromBundle(region, bundleId),
      amount,
      name: checkOptionalName(model.DesktopName ?? request.DesktopName),
      hostnameTemplate: (model.Hostname ?? request.Hostname) || undefined,
      endUserIds,
      encryptionKey: checkEncryption(
        region,
        model.VolumeEncryptionEnabled ?? request.VolumeEncryptionEnabled,
        model.VolumeEncryptionKey ?? request.VolumeEncryptionKey,
      ),
      modelIndex: index,
    };
  });
  if (groups.reduce((sum, g) => sum + g.amount, 0) > MAX_AMOUNT) throw Errors.invalidAmount();
  return groups;
}

function hostnamesInUse(region: RegionState, officeSiteId: string): Set<string> {
  const used = new Set<string>();
  for (const d of region.desktops.values()) {
    if (d.officeSiteId === officeSiteId && d.hostname) used.add(d.hostname.toLowerCase());
  }
  return used;
}

/** Expands hostname templates for every group; a template shared by several groups keeps counting. */
function planHostnames(
  region: RegionState,
  site: OfficeSiteRecord,
  groups: Group[],
): (string | undefined)[][] {
  const used = hostnamesInUse(region, site.id);
  const consumed = new Map<string, number>();
  return groups.map((group) => {
    const template = group.hostnameTemplate;
    if (!template) return Array.from({ length: group.amount }, () => undefined);
    if (region.images.get(group.machine.imageId)?.osType === "Linux") throw Errors.hostnameForLinux();
    if (site.type !== "AD_CONNECTOR") throw Errors.hostnameNotAd();
    const offset = consumed.get(template) ?? 0;
    const names = expandHostnames(template, offset + group.amount).slice(offset);
    consumed.set(template, offset + group.amount);
    for (const name of names) {
      if (used.has(name.toLowerCase())) throw Errors.hostnameExists(name);
      used.add(name.toLowerCase());
    }
    return names;
  });
}

function planUsers(group: Group, mode: "ALL" | "PER_USER"): string[][] {
  const users = group.endUserIds;
  if (mode === "ALL" || users.length === 0) return Array.from({ length: group.amount }, () => [...users]);
  if (group.amount % users.length !== 0) throw Errors.amountNotTimesOfUsers();
  const perUser = group.amount / users.length;
  return Array.from({ length: group.amount }, (_, i) => [users[Math.floor(i / perUser)]]);
}

function usedIps(region: RegionState, officeSiteId: string): Set<string> {
  return new Set(
    [...region.desktops.values()].filter((d) => d.officeSiteId === officeSiteId).map((d) => d.ip),
  );
}

function checkMemberIp(region: RegionState, site: OfficeSiteRecord, ip: string, total: number): void {
  if (total !== 1) throw Errors.memberIpAmount();
  const value = parseIpv4(ip);
  if (value === undefined) throw Errors.memberIpInvalid(ip, "it is not an IPv4 address");
  if (!isHostInCidr(value, parseCidr(site.cidrBlock))) {
    throw Errors.memberIpInvalid(ip, `it is not a host address of ${site.cidrBlock}`);
  }
  if (usedIps(region, site.id).has(ip)) throw Errors.memberIpUsed(ip);
}

function checkCommandsAndTimers(request: CreateDesktopsRequest): void {
  (request.UserCommands ?? []).forEach((command, i) => {
    if (command.ContentEncoding !== undefined && !CONTENT_ENCODINGS.includes(command.ContentEncoding)) {
      throw Errors.invalidParameter(`UserCommands.${i + 1}.ContentEncoding`);
    }
    if (command.ContentType !== undefined && !CONTENT_TYPES.includes(command.ContentType)) {
      throw Errors.invalidParameter(`UserCommands.${i + 1}.ContentType`);
    }
  });
  (request.DesktopTimers ?? []).forEach((timer, i) => {
    if (timer.OperationType !== undefined && !["Hibernate", "Shutdown"].includes(timer.OperationType)) {
      throw Errors.invalidParameter(`DesktopTimers.${i + 1}.OperationType`);
    }
    if (
      timer.ResetType !== undefined &&
      !["RESET_TYPE_SYSTEM", "RESET_TYPE_BOTH"].includes(timer.ResetType)
    ) {
      throw Errors.invalidParameter(`DesktopTimers.${i + 1}.ResetType`);
    }
  });
}

export function createDesktops(
  ctx: ModelContext,
  region: RegionState,
  request: CreateDesktopsRequest,
): { DesktopId: string[]; OrderId?: string } {
  const chargeType = request.ChargeType ?? "PostPaid";
  if (chargeType !== "PostPaid" && chargeType !== "PrePaid") throw Errors.invalidChargeType(chargeType);
  let period: { period: number; unit: PeriodUnit } | undefined;
  if (chargeType === "PrePaid")
    period = checkPeriod(request.Period, request.PeriodUnit, { allowWeek: false });

  const site = resolveOfficeSite(region, request);
  const policyGroupId = request.PolicyGroupId ?? DEFAULT_POLICY_GROUP_ID;
  resolvePolicyGroup(region, policyGroupId);

  const mode = request.UserAssignMode ?? "ALL";
  if (mode !== "ALL" && mode !== "PER_USER")
    throw Errors.invalidParameter("UserAssignMode", "It must be ALL or PER_USER.");
  checkEndUsers(region, request.EndUserId ?? []);
  const tags =
    request.Tag && request.Tag.length > 0
      ? checkTags(request.Tag, { min: 1, max: 20 })
      : new Map<string, string>();
  checkCommandsAndTimers(request);

  const groups = buildGroups(region, request);
  checkSiteProtocol(region, site, groups);
  const users = groups.map((g) => planUsers(g, mode));
  const hostnames = planHostnames(region, site, groups);
  const total = groups.reduce((sum, g) => sum + g.amount, 0);
  let ips: string[];
  if (request.DesktopMemberIp) {
    checkMemberIp(region, site, request.DesktopMemberIp, total);
    ips = [request.DesktopMemberIp];
  } else {
    ips = allocateIps(parseCidr(site.cidrBlock), usedIps(region, site.id), total);
  }

  const orderId = chargeType === "PrePaid" ? ctx.ids.orderId() : undefined;
  const suffix = request.DesktopNameSuffix ?? true;
  const created: DesktopRecord[] = [];
  groups.forEach((group, g) => {
    for (let i = 0; i < group.amount; i++) {
      const id = ctx.ids.desktopId();
      // Assumption: with DesktopNameSuffix (default true) a batch is named <name>-1, <name>-2, ...; an unnamed
      // desktop is named after its id.
      const name =
        group.name === undefined ? id : suffix && group.amount > 1 ? `${group.name}-${i + 1}` : group.name;
      const desktop: DesktopRecord = {
        id,
        creationSeq: ctx.ids.desktopSeq(),
        regionId: region.regionId,
        name,
        officeSiteId: site.id,
        policyGroupIds: [policyGroupId],
        bundleId: group.machine.bundleId,
        imageId: group.machine.imageId,
        desktopType: group.machine.desktopType,
        systemDisk: { ...group.machine.systemDisk, id: ctx.ids.diskId() },
        dataDisk: group.machine.dataDisk ? { ...group.machine.dataDisk, id: ctx.ids.diskId() } : undefined,
        chargeType,
        period: period?.period,
        periodUnit: period?.unit,
        autoPay: request.AutoPay ?? true,
        autoRenew: chargeType === "PrePaid" && (request.AutoRenew ?? false),
        expiredTime: period ? addPeriod(ctx.now, period.period, period.unit) : undefined,
        orderId,
        endUserIds: users[g][i],
        userAssignMode: mode,
        hostname: hostnames[g][i],
        networkInterfaceId: ctx.ids.networkInterfaceId(),
        ip: ips[created.length],
        createdAt: ctx.now,
        tags: new Map(tags),
        volumeEncryptionEnabled: group.encryptionKey !== undefined,
        volumeEncryptionKey: group.encryptionKey,
        snapshotPolicyId: request.SnapshotPolicyId,
        resourceGroupId: request.ResourceGroupId,
        timerGroupId: request.TimerGroupId,
        subnetId: request.SubnetId,
        groupId: request.GroupId,
        promotionId: request.PromotionId,
        defaultLanguage: group.machine.defaultLanguage,
        userCommands: (request.UserCommands ?? []).map((c) => ({ ...c })),
        desktopTimers: (request.DesktopTimers ?? []).map((t) => ({ ...t })),
        monthDesktopSetting: request.MonthDesktopSetting ? { ...request.MonthDesktopSetting } : undefined,
        desktopAttachment: request.DesktopAttachment ? { ...request.DesktopAttachment } : undefined,
        purchaseOptions: request.PurchaseOptions ? { ...request.PurchaseOptions } : undefined,
        ouPath: request.OuPath,
        subPayType: request.SubPayType,
        bundleModelIndex: group.modelIndex,
        status: "Pending",
      };
      startTransition(
        desktop,
        "Pending",
        ctx.durations.createMs,
        ctx.shouldFailDesktop() ? "Failed" : "Running",
        ctx.now,
      );
      created.push(desktop);
    }
  });
  // Assumption (documented: "if AutoPay is false, an order is generated and no payment is made; complete the
  // payment based on the order ID"): nothing is built before payment, so the answer carries the order only.
  if (orderId && request.AutoPay === false) {
    region.unpaidOrders.set(orderId, created);
    return { DesktopId: [], OrderId: orderId };
  }
  for (const desktop of created) region.desktops.set(desktop.id, desktop);
  return orderId
    ? { DesktopId: created.map((d) => d.id), OrderId: orderId }
    : { DesktopId: created.map((d) => d.id) };
}
