import type {
  BundleRecord,
  DesktopTypeRecord,
  ImageRecord,
  OfficeSiteRecord,
  PolicyGroupRecord,
  RegionState,
} from "./types";

/** Seed data every region starts with. Other code depends on these exact ids. */

const SEEDED_AT = Date.UTC(2025, 0, 1);

const desktopType = (
  id: string,
  cpu: number,
  memoryGiB: number,
  gpuCount = 0,
  gpuSpec = "",
): DesktopTypeRecord => ({
  id,
  family: id.slice(0, id.lastIndexOf(".")),
  cpu,
  memoryMiB: memoryGiB * 1024,
  gpuCount,
  gpuSpec,
  gpuMemoryMiB: gpuCount > 0 ? 24576 : 0,
});

export const DESKTOP_TYPES: ReadonlyMap<string, DesktopTypeRecord> = new Map(
  [
    desktopType("eds.enterprise_office.2c4g", 2, 4),
    desktopType("eds.enterprise_office.4c8g", 4, 8),
    desktopType("eds.enterprise_office.8c16g", 8, 16),
    desktopType("eds.general.4c16g", 4, 16),
    desktopType("eds.graphics.16c64g", 16, 64, 1, "NVIDIA A10"),
  ].map((t) => [t.id, t]),
);

export const END_USERS: readonly string[] = [
  "alice",
  "bob",
  "carol",
  "dave",
  "erin",
  "frank",
  "grace",
  "heidi",
  "ivan",
  "judy",
];

export const KMS_KEYS: readonly string[] = ["key-emu-0001", "key-emu-0002"];
// Assumption: a key exists in KMS but the ECD service role was never granted it (InvalidEncryptionKey.NotAuthorized).
const UNAUTHORIZED_KMS_KEYS: readonly string[] = ["key-emu-noauth"];

export const DEFAULT_POLICY_GROUP_ID = "system-all-enabled-policy";

const officeSites = (regionId: string): OfficeSiteRecord[] => [
  {
    id: `${regionId}+dir-0000000001`,
    name: "simple-office",
    type: "SIMPLE",
    protocolType: "ASP",
    status: "REGISTERED",
    vpcId: "vpc-emu0000001",
    vSwitchIds: ["vsw-emu0000001"],
    cidrBlock: "172.16.0.0/12",
    dnsAddress: [],
    createdAt: SEEDED_AT,
  },
  {
    id: `${regionId}+dir-0000000002`,
    name: "ad-office",
    type: "AD_CONNECTOR",
    protocolType: "ASP",
    status: "REGISTERED",
    vpcId: "vpc-emu0000002",
    vSwitchIds: ["vsw-emu0000002"],
    cidrBlock: "10.0.0.0/16",
    domainName: "corp.example.com",
    dnsAddress: ["10.0.0.2", "10.0.0.3"],
    createdAt: SEEDED_AT,
  },
];

/**
 * Assumption: directories left over from the older directory APIs. DescribeOfficeSites does not list them (the
 * emulator has no DescribeDirectories), but CreateDesktops resolves their ids like office-site ids and refuses
 * them: a RAM directory with InvalidDirectoryType.NotSupported, an HDX directory (every desktop the emulator can
 * create is ASP) with IncorrectDirectoryType.
 */
const legacyDirectories = (regionId: string): OfficeSiteRecord[] => [
  {
    id: `${regionId}+dir-0000000003`,
    name: "ram-directory",
    type: "RAM",
    protocolType: "ASP",
    status: "REGISTERED",
    vpcId: "vpc-emu0000003",
    vSwitchIds: ["vsw-emu0000003"],
    cidrBlock: "192.168.0.0/16",
    dnsAddress: [],
    createdAt: SEEDED_AT,
  },
  {
    id: `${regionId}+dir-0000000004`,
    name: "hdx-directory",
    type: "SIMPLE",
    protocolType: "HDX",
    status: "REGISTERED",
    vpcId: "vpc-emu0000004",
    vSwitchIds: ["vsw-emu0000004"],
    cidrBlock: "192.168.0.0/16",
    dnsAddress: [],
    createdAt: SEEDED_AT,
  },
];

const image = (
  id: string,
  name: string,
  platform: string,
  extra: Partial<ImageRecord> = {},
): ImageRecord => ({
  id,
  name,
  osType: platform.startsWith("Windows") ? "Windows" : "Linux",
  platform,
  protocolType: "ASP",
  gpu: false,
  language: "en-US",
  status: "Available",
  versionSupported: true,
  ...extra,
});

const images = (): ImageRecord[] => [
  image("m-win2019-emu", "Windows Server 2019 (emulator)", "Windows Server 2019"),
  image("m-ubuntu2204-emu", "Ubuntu 22.04 (emulator)", "Ubuntu"),
  image("m-win2019-gpu-emu", "Windows Server 2019 with GPU drivers (emulator)", "Windows Server 2019", {
    gpu: true,
  }),
  // Assumption: an image whose build failed (InvalidImageStatus.NotValid).
  image("m-unavailable-emu", "Windows Server 2019, failed build (emulator)", "Windows Server 2019", {
    status: "CreateFailed",
  }),
  // Assumption: an image of a retired version (InvalidImageVersion.NotSupported).
  image("m-retired-emu", "Windows Server 2016, retired (emulator)", "Windows Server 2016", {
    versionSupported: false,
  }),
  // Assumption: HDX is not enabled for the emulator's account, so HDX images are refused (Protocol.NotAllowed).
  image("m-hdx-emu", "Windows Server 2019 HDX (emulator)", "Windows Server 2019", { protocolType: "HDX" }),
];

const disk = (size: number) => ({ size, category: "cloud_auto" as const, performanceLevel: "PL0" });

const bundles = (): BundleRecord[] => [
  {
    id: "b-win-office-4c8g",
    name: "Windows Office 4C8G",
    description: "Windows Server 2019, 4 vCPU, 8 GiB",
    imageId: "m-win2019-emu",
    desktopType: "eds.enterprise_office.4c8g",
    systemDisk: disk(80),
    dataDisk: disk(40),
    createdAt: SEEDED_AT,
  },
  {
    id: "b-win-office-8c16g",
    name: "Windows Office 8C16G",
    description: "Windows Server 2019, 8 vCPU, 16 GiB",
    imageId: "m-win2019-emu",
    desktopType: "eds.enterprise_office.8c16g",
    systemDisk: disk(100),
    dataDisk: disk(100),
    createdAt: SEEDED_AT,
  },
  {
    id: "b-ubuntu-office-4c8g",
    name: "Ubuntu Office 4C8G",
    description: "Ubuntu, 4 vCPU, 8 GiB",
    imageId: "m-ubuntu2204-emu",
    desktopType: "eds.enterprise_office.4c8g",
    systemDisk: disk(80),
    dataDisk: disk(40),
    createdAt: SEEDED_AT,
  },
];

const policy = (
  id: string,
  name: string,
  type: PolicyGroupRecord["type"],
  status: PolicyGroupRecord["status"],
  enabled: boolean,
): PolicyGroupRecord => ({
  id,
  name,
  type,
  status,
  scope: "GLOBAL",
  clipboard: enabled ? "readwrite" : "off",
  localDrive: enabled ? "readwrite" : "off",
  usbRedirect: enabled ? "on" : "off",
  watermark: "off",
  html5Access: enabled ? "on" : "off",
  visualQuality: "medium",
});

const policyGroups = (): PolicyGroupRecord[] => [
  policy("system-all-enabled-policy", "All Enabled Policy", "SYSTEM", "AVAILABLE", true),
  policy("system-all-disabled-policy", "All Disabled Policy", "SYSTEM", "AVAILABLE", false),
  policy("pg-emu-custom-0001", "dev-team", "CUSTOM", "AVAILABLE", true),
  policy("pg-emu-creating-0001", "being-created", "CUSTOM", "CREATING", true),
];

const byId = <T extends { id: string }>(items: T[]): Map<string, T> => new Map(items.map((i) => [i.id, i]));

export function seedRegion(regionId: string): RegionState {
  return {
    regionId,
    officeSites: byId(officeSites(regionId)),
    legacyDirectories: byId(legacyDirectories(regionId)),
    images: byId(images()),
    bundles: byId(bundles()),
    policyGroups: byId(policyGroups()),
    endUsers: new Set(END_USERS),
    kmsKeys: new Set(KMS_KEYS),
    unauthorizedKmsKeys: new Set(UNAUTHORIZED_KMS_KEYS),
    desktops: new Map(),
    unpaidOrders: new Map(),
  };
}
