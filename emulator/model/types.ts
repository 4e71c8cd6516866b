import type {
  DesktopAttachment,
  DesktopTimer,
  MonthDesktopSetting,
  PurchaseOptions,
  UserCommand,
} from "../api/requests";

export interface LifecycleDurations {
  createMs: number;
  startMs: number;
  stopMs: number;
  deleteMs: number;
  entitlementMs: number;
  chargeTypeMs: number;
  /** How long a ModifyDesktopSpec takes before DescribeDesktops shows the new type and disk sizes. */
  specMs: number;
  /** The least time between two ModifyDesktopSpec calls on one desktop (the API docs say 5 minutes). */
  specIntervalMs: number;
  /** How long a desktop stays Rebuilding. */
  rebuildMs: number;
}

/**
 * Where official texts disagree or say nothing, the service may behave either way; a client must cope with both.
 * The defaults follow the current official SDK; tests switch a variant to check the client's fallback.
 */
export interface ServiceVariants {
  /** Desktops per StartDesktops/StopDesktops call: 100 in the current SDK models, 20 in older texts. */
  powerBatchMax: number;
  /**
   * ModifyUserEntitlement refuses a call without all of EndUserId, AuthorizeDesktopId and RevokeDesktopId (the
   * help pages mark all three required); false: any one desktop list will do (the SDK models require none).
   */
  userEntitlementNeedsBothLists: boolean;
  /**
   * The code of ModifyDesktopSpec's refusal within five minutes of the last change: the interval is official, the
   * code is invented, so a client must not depend on it.
   */
  specIntervalCode: string;
  /** The code DeleteDesktops refuses a desktop already deleted with (assumed; no source says). */
  deletedAgainCode: string;
}

export const DEFAULT_VARIANTS: ServiceVariants = {
  powerBatchMax: 100,
  userEntitlementNeedsBothLists: false,
  specIntervalCode: "OperationDenied.TooFrequent",
  deletedAgainCode: "IncorrectDesktopStatus",
};

export const DEFAULT_DURATIONS: LifecycleDurations = {
  createMs: 3000,
  startMs: 2000,
  stopMs: 2000,
  deleteMs: 2000,
  entitlementMs: 1500,
  chargeTypeMs: 1000,
  specMs: 1000,
  specIntervalMs: 5 * 60 * 1000,
  rebuildMs: 3000,
};

/**
 * The statuses of the official lists (the SDK's DescribeDesktops `DesktopStatus` values, DescribeDesktopInfo's
 * `Failed`, Hibernate/WakeupDesktops' `Hibernated`); there is no intermediate deleting status.
 */
export type DesktopStatus =
  | "Pending"
  | "Starting"
  | "Running"
  | "Stopping"
  | "Stopped"
  | "Expired"
  | "Failed"
  | "Deleted"
  | "Hibernated"
  | "Rebuilding";

export const DESKTOP_STATUSES: readonly DesktopStatus[] = [
  "Pending",
  "Starting",
  "Running",
  "Stopping",
  "Stopped",
  "Expired",
  "Failed",
  "Deleted",
  "Hibernated",
  "Rebuilding",
];

export type ChargeType = "PostPaid" | "PrePaid";
export type PeriodUnit = "Week" | "Month" | "Year";
export type OsType = "Windows" | "Linux";
export type DiskCategory = "cloud_auto" | "cloud_essd";

export interface DiskSpec {
  size: number;
  category: DiskCategory;
  performanceLevel: string;
}

export interface OfficeSiteRecord {
  id: string;
  name: string;
  /** RAM only occurs on legacy directories, which CreateDesktops refuses. */
  type: "SIMPLE" | "AD_CONNECTOR" | "RAM";
  /** The protocol of the desktops it hosts. */
  protocolType: "ASP" | "HDX";
  status: string;
  vpcId: string;
  vSwitchIds: string[];
  cidrBlock: string;
  domainName?: string;
  dnsAddress: string[];
  createdAt: number;
}

export interface ImageRecord {
  id: string;
  name: string;
  /** Decides what RebuildDesktops does to the data disk (kept when the OS stays, cleared when it changes). */
  osType: OsType;
  platform: string;
  protocolType: "ASP" | "HDX";
  language: string;
  /** DescribeImages GpuCategory: a GPU image, for graphics desktop types only (false when left out). */
  gpu?: boolean;
  /** `Available`, or e.g. `CreateFailed`: only available images can be used. */
  status: string;
  /** False once the image version is retired. */
  versionSupported: boolean;
}

export interface BundleRecord {
  id: string;
  name: string;
  description: string;
  imageId: string;
  desktopType: string;
  systemDisk: DiskSpec;
  dataDisk?: DiskSpec;
  createdAt: number;
}

export interface PolicyGroupRecord {
  id: string;
  name: string;
  type: "SYSTEM" | "CUSTOM";
  status: "AVAILABLE" | "CREATING";
  scope: "GLOBAL" | "IP";
  clipboard: string;
  localDrive: string;
  usbRedirect: string;
  watermark: string;
  html5Access: string;
  visualQuality: string;
}

export interface DesktopTypeRecord {
  id: string;
  family: string;
  cpu: number;
  memoryMiB: number;
  gpuCount: number;
  gpuSpec: string;
  gpuMemoryMiB: number;
}

export interface Transition {
  at: number;
  /** Status reached at `at`; `null` means the desktop disappears (deletion finished). */
  next: DesktopStatus | null;
}

export interface PendingEntitlement {
  at: number;
  endUserIds: string[];
}

/** A ModifyDesktopSpec accepted but not yet visible. */
export interface PendingSpecChange {
  at: number;
  desktopType: string;
  systemDiskSize?: number;
  dataDiskSize?: number;
  dataDiskPerformanceLevel?: string;
  /** The id a data disk gets when the change adds one. */
  newDataDiskId: string;
}

export interface PendingChargeChange {
  at: number;
  chargeType: ChargeType;
  period?: number;
  periodUnit?: PeriodUnit;
}

/** Everything the emulator stores about one desktop. */
export interface DesktopRecord {
  id: string;
  /** Increases with every desktop created (restarting at reset()); the stable key of paginated listings. */
  creationSeq: number;
  regionId: string;
  name: string;
  officeSiteId: string;
  policyGroupIds: string[];
  bundleId?: string;
  imageId: string;
  desktopType: string;
  systemDisk: DiskSpec & { id: string };
  dataDisk?: DiskSpec & { id: string };
  chargeType: ChargeType;
  period?: number;
  periodUnit?: PeriodUnit;
  autoPay: boolean;
  autoRenew: boolean;
  expiredTime?: number;
  orderId?: string;
  endUserIds: string[];
  userAssignMode: "ALL" | "PER_USER";
  hostname?: string;
  networkInterfaceId: string;
  ip: string;
  createdAt: number;
  startedAt?: number;
  stoppedMode?: string;
  tags: Map<string, string>;
  volumeEncryptionEnabled: boolean;
  volumeEncryptionKey?: string;
  snapshotPolicyId?: string;
  resourceGroupId?: string;
  timerGroupId?: string;
  subnetId?: string;
  groupId?: string;
  promotionId?: string;
  defaultLanguage?: string;
  userCommands: UserCommand[];
  desktopTimers: DesktopTimer[];
  monthDesktopSetting?: MonthDesktopSetting;
  desktopAttachment?: DesktopAttachment;
  purchaseOptions?: PurchaseOptions;
  ouPath?: string;
  subPayType?: string;
  /** Index (0-based) into CreateDesktops `BundleModels` when the desktop came from one. */
  bundleModelIndex?: number;
  status: DesktopStatus;
  transition?: Transition;
  pendingEntitlement?: PendingEntitlement;
  pendingCharge?: PendingChargeChange;
  pendingSpec?: PendingSpecChange;
  /** When the last ModifyDesktopSpec was accepted, for the minimum interval between two. */
  lastSpecChangeAt?: number;
}

export interface RegionState {
  regionId: string;
  officeSites: Map<string, OfficeSiteRecord>;
  images: Map<string, ImageRecord>;
  bundles: Map<string, BundleRecord>;
  policyGroups: Map<string, PolicyGroupRecord>;
  /** Directories from the older directory APIs: usable as CreateDesktops ids, not listed as office sites. */
  legacyDirectories: Map<string, OfficeSiteRecord>;
  endUsers: Set<string>;
  kmsKeys: Set<string>;
  /** Keys that exist but that the ECD service may not use. */
  unauthorizedKmsKeys: Set<string>;
  /** Insertion order is creation order. */
  desktops: Map<string, DesktopRecord>;
  /** Subscription desktops ordered with AutoPay=false: they exist once their order is paid. */
  unpaidOrders: Map<string, DesktopRecord[]>;
}
