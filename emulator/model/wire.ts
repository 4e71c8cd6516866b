import { effectiveStatus } from "./lifecycle";
import { formatTime } from "./rules";
import { DESKTOP_TYPES } from "./seed";
import type {
  BundleRecord,
  DesktopRecord,
  DesktopTypeRecord,
  OfficeSiteRecord,
  PolicyGroupRecord,
  RegionState,
} from "./types";

/** Wire shapes (PascalCase, exactly as the API renders them) of the emulator's resources. */

export interface WireDisk {
  DiskId: string;
  DiskType: "SYSTEM" | "DATA";
  DiskSize: number;
  DiskCategory: string;
  PerformanceLevel: string;
}

export interface WireTag {
  Key: string;
  Value: string;
}

export interface WireDesktop {
  DesktopId: string;
  DesktopName: string;
  DesktopStatus: string;
  OfficeSiteId: string;
  OfficeSiteName: string;
  OfficeSiteType: string;
  OfficeSiteVpcType: string;
  DirectoryId: string;
  DirectoryType: string;
  ZoneType: string;
  SubnetId?: string;
  PolicyGroupId: string;
  PolicyGroupIdList: string[];
  PolicyGroupName: string;
  PolicyGroupNameList: string[];
  BundleId?: string;
  BundleName?: string;
  ImageId: string;
  ImageName: string;
  OsType: string;
  Platform: string;
  ProtocolType: string;
  SessionType: string;
  DesktopType: string;
  Cpu: number;
  Memory: number;
  GpuCount: number;
  GpuSpec: string;
  GpuCategory: number;
  Disks: WireDisk[];
  SystemDiskCategory: string;
  DataDiskCategory: string;
  ChargeType: string;
  ExpiredTime?: string;
  EndUserIds: string[];
  ConnectionStatus: string;
  Sessions: { EndUserId: string; EstablishmentTime: string }[];
  /** Concurrent sessions per desktop of a multi-session pool; absent for the emulator's single-session desktops. */
  BindAmount?: number;
  NetworkInterfaceId: string;
  NetworkInterfaceIp: string;
  HostName?: string;
  CreationTime: string;
  StartTime?: string;
  Tags: WireTag[];
  ResourceGroups: { Id: string; Name: string }[];
  ManagementFlag: string;
  ManagementFlags: string[];
  Progress: string;
  VolumeEncryptionEnabled: boolean;
  VolumeEncryptionKey?: string;
  SnapshotPolicyId?: string;
  SupportHibernation: boolean;
  HibernationBeta: boolean;
  DowngradeQuota: number;
  DowngradedTimes: number;
}

/** Drops keys whose value is undefined so in-process results equal what JSON clients receive. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function desktopTypeOf(id: string): DesktopTypeRecord {
  const type = DESKTOP_TYPES.get(id);
  if (!type) throw new Error(`unknown desktop type ${id}`);
  return type;
}

export function renderDesktop(d: DesktopRecord, region: RegionState, now: number): WireDesktop {
  const site = region.officeSites.get(d.officeSiteId) as OfficeSiteRecord;
  const image = region.images.get(d.imageId);
  const bundle = d.bundleId ? region.bundles.get(d.bundleId) : undefined;
  const type = desktopTypeOf(d.desktopType);
  const policyNames = d.policyGroupIds.map((id) => region.policyGroups.get(id)?.name ?? id);
  const status = effectiveStatus(d, now);
  const disks: WireDisk[] = [
    {
      DiskId: d.systemDisk.id,
      DiskType: "SYSTEM",
      DiskSize: d.systemDisk.size,
      DiskCategory: d.systemDisk.category,
      PerformanceLevel: d.systemDisk.performanceLevel,
    },
  ];
  if (d.dataDisk) {
    disks.push({
      DiskId: d.dataDisk.id,
      DiskType: "DATA",
      DiskSize: d.dataDisk.size,
      DiskCategory: d.dataDisk.category,
      PerformanceLevel: d.dataDisk.performanceLevel,
    });
  }
  // Assumption: Progress counts up while Pending and reads "100%" otherwise.
  const progress =
    status === "Pending" && d.transition
      ? `${Math.min(99, Math.floor(((now - d.createdAt) / Math.max(1, d.transition.at - d.createdAt)) * 100))}%`
      : "100%";
  return withoutUndefined({
    DesktopId: d.id,
    DesktopName: d.name,
    DesktopStatus: status,
    OfficeSiteId: site.id,
    OfficeSiteName: site.name,
    OfficeSiteType: site.type,
    OfficeSiteVpcType: "standard",
    DirectoryId: site.id,
    DirectoryType: site.type,
    ZoneType: "AvailabilityZone",
    SubnetId: d.subnetId,
    PolicyGroupId: d.policyGroupIds[0],
    PolicyGroupIdList: [...d.policyGroupIds],
    PolicyGroupName: policyNames[0],
    PolicyGroupNameList: policyNames,
    BundleId: d.bundleId,
    BundleName: bundle?.name,
    ImageId: d.imageId,
    ImageName: image?.name ?? d.imageId,
    OsType: image?.osType ?? "Windows",
    Platform: image?.platform ?? "",
    ProtocolType: "ASP",
    SessionType: "SINGLE_SESSION",
    DesktopType: d.desktopType,
    Cpu: type.cpu,
    Memory: type.memoryMiB,
    GpuCount: type.gpuCount,
    GpuSpec: type.gpuSpec,
    GpuCategory: type.gpuCount > 0 ? 1 : 0,
    // SystemDiskSize and DataDiskSize are "in invitational preview and not publicly available" (the SDK's
    // DescribeDesktopsResponseBodyDesktops): the sizes are in Disks only.
    Disks: disks,
    SystemDiskCategory: d.systemDisk.category,
    DataDiskCategory: d.dataDisk?.category ?? "",
    ChargeType: d.chargeType,
    ExpiredTime: d.expiredTime !== undefined ? formatTime(d.expiredTime) : undefined,
    EndUserIds: [...d.endUserIds],
    ConnectionStatus: status === "Running" ? "Disconnected" : "Unknown",
    Sessions: [],
    NetworkInterfaceId: d.networkInterfaceId,
    NetworkInterfaceIp: d.ip,
    HostName: d.hostname,
    CreationTime: formatTime(d.createdAt),
    StartTime: d.startedAt !== undefined ? formatTime(d.startedAt) : undefined,
    Tags: [...d.tags].map(([Key, Value]) => ({ Key, Value })),
    ResourceGroups: d.resourceGroupId ? [{ Id: d.resourceGroupId, Name: d.resourceGroupId }] : [],
    ManagementFlag: d.pendingCharge ? "Updating" : "NoFlag",
    // Assumption: ManagementFlags lists only active flags (empty when none), ASSIGNING during entitlement changes.
    ManagementFlags: d.pendingEntitlement ? ["ASSIGNING"] : [],
    Progress: progress,
    VolumeEncryptionEnabled: d.volumeEncryptionEnabled,
    VolumeEncryptionKey: d.volumeEncryptionKey,
    SnapshotPolicyId: d.snapshotPolicyId,
    SupportHibernation: false,
    HibernationBeta: false,
    DowngradeQuota: 3,
    DowngradedTimes: 0,
  });
}

export interface WireBundle {
  BundleId: string;
  BundleName: string;
  BundleType: string;
  Description: string;
  CreationTime: string;
  DesktopType: string;
  DesktopTypeFamily: string;
  DesktopTypeAttribute: { CpuCount: number; MemorySize: number; GpuCount: number; GpuSpec: string };
  Disks: { DiskType: string; DiskSize: number; DiskPerformanceLevel: string }[];
  SystemDiskCategory: string;
  DataDiskCategory: string;
  ImageId: string;
  ImageName: string;
  ImageStatus: string;
  OsType: string;
  Platform: string;
  Language: string;
  ProtocolType: string;
  SessionType: string;
  StockState: string;
  VolumeEncryptionEnabled: boolean;
}

export function renderBundle(b: BundleRecord, region: RegionState): WireBundle {
  const type = desktopTypeOf(b.desktopType);
  const image = region.images.get(b.imageId);
  const disks = [
    { DiskType: "SYSTEM", DiskSize: b.systemDisk.size, DiskPerformanceLevel: b.systemDisk.performanceLevel },
  ];
  if (b.dataDisk) {
    disks.push({
      DiskType: "DATA",
      DiskSize: b.dataDisk.size,
      DiskPerformanceLevel: b.dataDisk.performanceLevel,
    });
  }
  return {
    BundleId: b.id,
    BundleName: b.name,
    BundleType: "SYSTEM",
    Description: b.description,
    CreationTime: formatTime(b.createdAt),
    DesktopType: b.desktopType,
    DesktopTypeFamily: type.family,
    DesktopTypeAttribute: {
      CpuCount: type.cpu,
      MemorySize: type.memoryMiB,
      GpuCount: type.gpuCount,
      GpuSpec: type.gpuSpec,
    },
    Disks: disks,
    SystemDiskCategory: b.systemDisk.category,
    DataDiskCategory: b.dataDisk?.category ?? "",
    ImageId: b.imageId,
    ImageName: image?.name ?? b.imageId,
    ImageStatus: "Available",
    OsType: image?.osType ?? "Windows",
    Platform: image?.platform ?? "",
    Language: image?.language ?? "en-US",
    ProtocolType: "ASP",
    SessionType: "SINGLE_SESSION",
    StockState: "Sufficient",
    VolumeEncryptionEnabled: false,
  };
}

export interface WireOfficeSite {
  OfficeSiteId: string;
  Name: string;
  Status: string;
  OfficeSiteType: string;
  CreationTime: string;
  VpcId: string;
  VpcType: string;
  VSwitchIds: string[];
  CidrBlock: string;
  DesktopAccessType: string;
  DesktopCount: number;
  TotalEdsCount: number;
  EnableInternetAccess: boolean;
  Bandwidth: number;
  EnableAdminAccess: boolean;
  EnableCrossDesktopAccess: boolean;
  DnsAddress: string[];
  DomainName: string;
  SsoEnabled: boolean;
  MfaEnabled: boolean;
  NeedVerifyZeroDevice: boolean;
  ADConnectors: { ADConnectorAddress: string; ConnectorStatus: string }[];
  Logs: unknown[];
  ResourceAmounts: { resourceType: string; amount: number }[];
}

export function renderOfficeSite(site: OfficeSiteRecord, region: RegionState): WireOfficeSite {
  const desktopCount = [...region.desktops.values()].filter((d) => d.officeSiteId === site.id).length;
  return {
    OfficeSiteId: site.id,
    Name: site.name,
    Status: site.status,
    OfficeSiteType: site.type,
    CreationTime: formatTime(site.createdAt),
    VpcId: site.vpcId,
    VpcType: "standard",
    VSwitchIds: [...site.vSwitchIds],
    CidrBlock: site.cidrBlock,
    DesktopAccessType: "INTERNET",
    DesktopCount: desktopCount,
    TotalEdsCount: desktopCount,
    EnableInternetAccess: false,
    Bandwidth: 0,
    EnableAdminAccess: true,
    EnableCrossDesktopAccess: false,
    DnsAddress: [...site.dnsAddress],
    DomainName: site.domainName ?? "",
    SsoEnabled: false,
    MfaEnabled: false,
    NeedVerifyZeroDevice: false,
    ADConnectors:
      site.type === "AD_CONNECTOR"
        ? [{ ADConnectorAddress: site.dnsAddress[0] ?? "", ConnectorStatus: "RUNNING" }]
        : [],
    Logs: [],
    ResourceAmounts: [{ resourceType: "desktop", amount: desktopCount }],
  };
}

export interface WirePolicyGroup {
  PolicyGroupId: string;
  Name: string;
  PolicyStatus: string;
  PolicyGroupType: string;
  Scope: string;
  EdsCount: number;
  ResourceGroupCount: number;
  Clipboard: string;
  LocalDrive: string;
  UsbRedirect: string;
  Watermark: string;
  VisualQuality: string;
  Html5Access: string;
  AuthorizeAccessPolicyRules: unknown[];
  AuthorizeSecurityPolicyRules: unknown[];
  ClientTypes: { ClientType: string; Status: string }[];
}

export function renderPolicyGroup(p: PolicyGroupRecord, region: RegionState): WirePolicyGroup {
  return {
    PolicyGroupId: p.id,
    Name: p.name,
    PolicyStatus: p.status,
    PolicyGroupType: p.type,
    Scope: p.scope,
    EdsCount: [...region.desktops.values()].filter((d) => d.policyGroupIds.includes(p.id)).length,
    ResourceGroupCount: 0,
    Clipboard: p.clipboard,
    LocalDrive: p.localDrive,
    UsbRedirect: p.usbRedirect,
    Watermark: p.watermark,
    VisualQuality: p.visualQuality,
    Html5Access: p.html5Access,
    AuthorizeAccessPolicyRules: [],
    AuthorizeSecurityPolicyRules: [],
    ClientTypes: ["windows", "macos", "ios", "android", "html5"].map((ClientType) => ({
      ClientType,
      Status: "ON",
    })),
  };
}

export interface WireDesktopType {
  DesktopTypeId: string;
  InstanceTypeFamily: string;
  DesktopTypeStatus: string;
  StockState: string;
  CpuCount: string;
  MemorySize: string;
  GpuCount: number;
  GpuMemory: number;
  GpuSpec: string;
  SystemDiskSize: string;
  DataDiskSize: string;
}

export function renderDesktopType(t: DesktopTypeRecord): WireDesktopType {
  return {
    DesktopTypeId: t.id,
    InstanceTypeFamily: t.family,
    DesktopTypeStatus: "SUFFICIENT",
    StockState: "Sufficient",
    CpuCount: String(t.cpu),
    MemorySize: String(t.memoryMiB),
    GpuCount: t.gpuCount,
    GpuMemory: t.gpuMemoryMiB,
    GpuSpec: t.gpuSpec,
    SystemDiskSize: "80",
    DataDiskSize: "40",
  };
}
