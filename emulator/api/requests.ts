import type { InferObject, ObjectSpec } from "./schema";

/**
 * The wire parameters each operation reads (RegionId is handled by the HTTP layer for every operation).
 * Keys are the PascalCase wire names; unknown parameters are ignored, as the facts file recommends.
 */

const TagSpec = { Key: "string", Value: "string" } as const;

export const CreateDesktopsSpec = {
  GroupId: "string",
  BundleId: "string",
  DesktopName: "string",
  UserName: "string",
  VpcId: "string",
  Amount: "int",
  DirectoryId: "string",
  OfficeSiteId: "string",
  PolicyGroupId: "string",
  ChargeType: "string",
  Period: "int",
  PeriodUnit: "string",
  AutoPay: "bool",
  AutoRenew: "bool",
  PromotionId: "string",
  UserAssignMode: "string",
  Hostname: "string",
  EndUserId: ["string"],
  Tag: [TagSpec],
  DesktopNameSuffix: "bool",
  VolumeEncryptionEnabled: "bool",
  VolumeEncryptionKey: "string",
  DesktopMemberIp: "string",
  UserCommands: [{ ContentEncoding: "string", Content: "string", ContentType: "string" }],
  BundleModels: [
    {
      BundleId: "string",
      Amount: "int",
      EndUserIds: ["string"],
      DesktopName: "string",
      Hostname: "string",
      VolumeEncryptionEnabled: "bool",
      VolumeEncryptionKey: "string",
    },
  ],
  DesktopTimers: [
    {
      TimerType: "string",
      CronExpression: "string",
      Interval: "int",
      Enforce: "bool",
      ResetType: "string",
      OperationType: "string",
      AllowClientSetting: "bool",
    },
  ],
  SubnetId: "string",
  MonthDesktopSetting: { UseDuration: "int", BuyerId: "int", DesktopId: "string" },
  SnapshotPolicyId: "string",
  ResourceGroupId: "string",
  DesktopAttachment: {
    $json: {
      DesktopType: "string",
      ImageId: "string",
      SystemDiskCategory: "string",
      SystemDiskSize: "int",
      SystemDiskPerLevel: "string",
      DataDiskCategory: "string",
      DataDiskSize: "int",
      DataDiskPerLevel: "string",
      DefaultLanguage: "string",
    },
  },
  PurchaseOptions: {
    $json: {
      MonthlyCredits: "int",
      CreditPackageAmountSpec: "int",
      CreditPackagePeriod: "int",
      CreditPackagePeriodUnit: "string",
    },
  },
  TimerGroupId: "string",
  SavingPlanId: "string",
  ResellerOwnerUid: "int",
  ExtendInfo: "string",
  AppRuleId: "string",
  QosRuleId: "string",
  ChannelCookie: "string",
  OuPath: "string",
  SubPayType: "string",
} as const satisfies ObjectSpec;
export type CreateDesktopsRequest = InferObject<typeof CreateDesktopsSpec>;
export type DesktopAttachment = NonNullable<CreateDesktopsRequest["DesktopAttachment"]>;
export type BundleModel = NonNullable<CreateDesktopsRequest["BundleModels"]>[number];
export type UserCommand = NonNullable<CreateDesktopsRequest["UserCommands"]>[number];
export type DesktopTimer = NonNullable<CreateDesktopsRequest["DesktopTimers"]>[number];
export type MonthDesktopSetting = NonNullable<CreateDesktopsRequest["MonthDesktopSetting"]>;
export type PurchaseOptions = NonNullable<CreateDesktopsRequest["PurchaseOptions"]>;

export const DescribeDesktopsSpec = {
  DesktopId: ["string"],
  DesktopName: "string",
  DesktopStatus: "string",
  DesktopStatusList: ["string"],
  OfficeSiteId: "string",
  OfficeSiteName: "string",
  DirectoryId: "string",
  PolicyGroupId: "string",
  ChargeType: "string",
  EndUserId: ["string"],
  ExcludedEndUserId: ["string"],
  DesktopType: "string",
  ImageId: ["string"],
  OsTypes: ["string"],
  ProtocolType: "string",
  ManagementFlag: "string",
  SnapshotPolicyId: "string",
  ResourceGroupId: "string",
  Tag: [TagSpec],
  MaxResults: "int",
  NextToken: "string",
  PageNumber: "int",
  PageSize: "int",
} as const satisfies ObjectSpec;
export type DescribeDesktopsRequest = InferObject<typeof DescribeDesktopsSpec>;

export const DesktopIdsSpec = { DesktopId: ["string"] } as const satisfies ObjectSpec;
export type DesktopIdsRequest = InferObject<typeof DesktopIdsSpec>;

export const StopDesktopsSpec = {
  DesktopId: ["string"],
  StoppedMode: "string",
  OsUpdate: "bool",
  PatchId: "string",
  CreateSnapshot: "string",
} as const satisfies ObjectSpec;
export type StopDesktopsRequest = InferObject<typeof StopDesktopsSpec>;

export const RebuildDesktopsSpec = {
  DesktopId: ["string"],
  ImageId: "string",
  Language: "string",
  OperateType: "string",
  AfterStatus: "string",
} as const satisfies ObjectSpec;
export type RebuildDesktopsRequest = InferObject<typeof RebuildDesktopsSpec>;

export const ModifyDesktopNameSpec = {
  DesktopId: "string",
  DesktopIds: ["string"],
  NewDesktopName: "string",
} as const satisfies ObjectSpec;
export type ModifyDesktopNameRequest = InferObject<typeof ModifyDesktopNameSpec>;

export const ModifyDesktopsPolicyGroupSpec = {
  DesktopId: ["string"],
  PolicyGroupId: "string",
  PolicyGroupIds: ["string"],
} as const satisfies ObjectSpec;
export type ModifyDesktopsPolicyGroupRequest = InferObject<typeof ModifyDesktopsPolicyGroupSpec>;

export const ModifyDesktopSpecSpec = {
  DesktopId: "string",
  DesktopType: "string",
  RootDiskSizeGib: "int",
  UserDiskSizeGib: "int",
  UserDiskPerformanceLevel: "string",
  AutoPay: "bool",
  PromotionId: "string",
  ResourceType: "string",
} as const satisfies ObjectSpec;
export type ModifyDesktopSpecRequest = InferObject<typeof ModifyDesktopSpecSpec>;

export const ModifyDesktopChargeTypeSpec = {
  DesktopId: ["string"],
  ChargeType: "string",
  Period: "int",
  PeriodUnit: "string",
  AutoPay: "bool",
  PromotionId: "string",
  UseDuration: "int",
} as const satisfies ObjectSpec;
export type ModifyDesktopChargeTypeRequest = InferObject<typeof ModifyDesktopChargeTypeSpec>;

export const ModifyEntitlementSpec = {
  DesktopId: "string",
  EndUserId: ["string"],
} as const satisfies ObjectSpec;
export type ModifyEntitlementRequest = InferObject<typeof ModifyEntitlementSpec>;

export const ModifyUserEntitlementSpec = {
  EndUserId: ["string"],
  AuthorizeDesktopId: ["string"],
  RevokeDesktopId: ["string"],
} as const satisfies ObjectSpec;
export type ModifyUserEntitlementRequest = InferObject<typeof ModifyUserEntitlementSpec>;

export const RenewDesktopsSpec = {
  DesktopId: ["string"],
  Period: "int",
  PeriodUnit: "string",
  AutoPay: "bool",
  AutoRenew: "bool",
  PromotionId: "string",
} as const satisfies ObjectSpec;
export type RenewDesktopsRequest = InferObject<typeof RenewDesktopsSpec>;

export const TagResourcesSpec = {
  ResourceId: ["string"],
  ResourceType: "string",
  Tag: [TagSpec],
} as const satisfies ObjectSpec;
export type TagResourcesRequest = InferObject<typeof TagResourcesSpec>;

export const UntagResourcesSpec = {
  ResourceId: ["string"],
  ResourceType: "string",
  TagKey: ["string"],
  All: "bool",
} as const satisfies ObjectSpec;
export type UntagResourcesRequest = InferObject<typeof UntagResourcesSpec>;

export const ListTagResourcesSpec = {
  ResourceId: ["string"],
  ResourceType: "string",
  Tag: [TagSpec],
  MaxResults: "int",
  NextToken: "string",
} as const satisfies ObjectSpec;
export type ListTagResourcesRequest = InferObject<typeof ListTagResourcesSpec>;

export const DescribePriceSpec = {
  ResourceType: "string",
  InstanceType: "string",
  RootDiskSizeGib: "int",
  UserDiskSizeGib: "int",
  RootDiskCategory: "string",
  UserDiskCategory: "string",
  RootDiskPerformanceLevel: "string",
  UserDiskPerformanceLevel: "string",
  OsType: "string",
  Period: "int",
  PeriodUnit: "string",
  Amount: "int",
  PromotionId: "string",
} as const satisfies ObjectSpec;
export type DescribePriceRequest = InferObject<typeof DescribePriceSpec>;

export const DescribeBundlesSpec = {
  BundleId: ["string"],
  BundleType: "string",
  ImageId: ["string"],
  OsType: "string",
  DesktopTypeFamily: "string",
  CpuCount: "int",
  MemorySize: "int",
  GpuCount: "int",
  MaxResults: "int",
  NextToken: "string",
} as const satisfies ObjectSpec;
export type DescribeBundlesRequest = InferObject<typeof DescribeBundlesSpec>;

export const DescribeImagesSpec = {
  ImageId: ["string"],
  ImageType: "string",
  ImageStatus: "string",
  OsType: "string",
  MaxResults: "int",
  NextToken: "string",
} as const satisfies ObjectSpec;
export type DescribeImagesRequest = InferObject<typeof DescribeImagesSpec>;

export const DescribeOfficeSitesSpec = {
  OfficeSiteId: ["string"],
  OfficeSiteType: "string",
  Status: "string",
  VpcId: "string",
  MaxResults: "int",
  NextToken: "string",
} as const satisfies ObjectSpec;
export type DescribeOfficeSitesRequest = InferObject<typeof DescribeOfficeSitesSpec>;

export const DescribePolicyGroupsSpec = {
  PolicyGroupId: ["string"],
  ExternalPolicyGroupIds: ["string"],
  Scope: "string",
  MaxResults: "int",
  NextToken: "string",
} as const satisfies ObjectSpec;
export type DescribePolicyGroupsRequest = InferObject<typeof DescribePolicyGroupsSpec>;

export const DescribeRegionsSpec = { AcceptLanguage: "string" } as const satisfies ObjectSpec;
export type DescribeRegionsRequest = InferObject<typeof DescribeRegionsSpec>;

export const DescribeDesktopTypesSpec = {
  DesktopTypeId: "string",
  DesktopTypeIdList: ["string"],
  InstanceTypeFamily: "string",
  CpuCount: "int",
  MemorySize: "int",
  GpuCount: "int",
  OrderBy: "string",
  SortType: "string",
} as const satisfies ObjectSpec;
export type DescribeDesktopTypesRequest = InferObject<typeof DescribeDesktopTypesSpec>;
