/**
 * The ECD 2020-09-30 operations this provider uses: typed camelCase requests and responses, and each
 * operation's wire shape and safety. One table; the client reads it, nothing else knows wire names.
 */
import type { CreateDesktopsParameters } from "../desktopBatch/generated/types";
import { desktopBatchResource, loadDesktopBatchSchema } from "../../schema";
import type { WireShape } from "./wire";
import type { ResponseFields } from "./response";

export interface TagPair {
  key: string;
  value: string;
}

export type {
  UserCommand,
  BundleModel,
  DesktopTimer,
  MonthDesktopSetting,
  DesktopAttachment,
  PurchaseOptions,
} from "../desktopBatch/generated/types";

interface Regional {
  regionId: string;
}

/** Every CreateDesktops parameter, as the schema declares them; tags go out as Tag.N.Key/Value pairs. */
export interface CreateDesktopsRequest extends Regional, Omit<CreateDesktopsParameters, "regionId" | "tags"> {
  tags?: TagPair[];
}
export interface CreateDesktopsResponse {
  requestId: string;
  desktopId: string[];
  orderId?: string;
}

export interface DescribeDesktopsRequest extends Regional {
  desktopIds?: string[];
  desktopName?: string;
  desktopStatus?: string;
  desktopStatusList?: string[];
  officeSiteId?: string;
  policyGroupId?: string;
  chargeType?: string;
  endUserIds?: string[];
  /** A filter without a value lists desktops carrying the key with any value. */
  tags?: (Omit<TagPair, "value"> & { value?: string })[];
  desktopType?: string;
  maxResults?: number;
  nextToken?: string;
}
export interface DesktopDisk {
  diskId?: string;
  diskType?: string;
  diskSize?: number;
  diskCategory?: string;
  performanceLevel?: string;
}
export interface Desktop {
  desktopId: string;
  desktopName?: string;
  desktopStatus: string;
  officeSiteId?: string;
  officeSiteType?: string;
  policyGroupId?: string;
  policyGroupIdList?: string[];
  bundleId?: string;
  imageId?: string;
  osType?: string;
  desktopType?: string;
  cpu?: number;
  memory?: number;
  disks?: DesktopDisk[];
  systemDiskSize?: number;
  dataDiskSize?: string;
  chargeType?: string;
  expiredTime?: string;
  endUserIds?: string[];
  networkInterfaceIp?: string;
  hostName?: string;
  creationTime?: string;
  tags?: TagPair[];
  managementFlag?: string;
  managementFlags?: string[];
  progress?: string;
  volumeEncryptionEnabled?: boolean;
  volumeEncryptionKey?: string;
}
export interface DescribeDesktopsResponse {
  requestId: string;
  desktops?: Desktop[];
  nextToken?: string;
  totalCount?: number;
}

export interface DesktopIdsRequest extends Regional {
  desktopIds: string[];
}
export interface RequestIdResponse {
  requestId: string;
}
/** StopDesktops `StoppedMode`: `StopCharging` (the default) reclaims compute and stops its billing. */
export type StoppedMode = "StopCharging" | "KeepCharging";
export interface StopDesktopsRequest extends DesktopIdsRequest {
  stoppedMode?: StoppedMode;
}
/** RebuildDesktops (SDK RebuildDesktopsRequest): 1 to 20 desktops per call. */
export interface RebuildDesktopsRequest extends DesktopIdsRequest {
  imageId?: string;
  language?: string;
  /** `replace` replaces the data disk; left out, it is kept when the OS stays and cleared when it changes. */
  operateType?: "replace";
  afterStatus?: string;
}
/** One desktop's outcome in a batched call: `success`, or the error code and message. */
export interface DesktopResult {
  desktopId: string;
  code: string;
  message?: string;
}
export interface RebuildDesktopsResponse extends RequestIdResponse {
  rebuildResults?: DesktopResult[];
}
export interface ModifyDesktopNameRequest extends Regional {
  desktopId: string;
  newDesktopName: string;
}
export interface ModifyDesktopsPolicyGroupRequest extends Regional {
  desktopIds: string[];
  policyGroupId: string;
}
export interface ModifyDesktopsPolicyGroupResponse extends RequestIdResponse {
  modifyResults?: DesktopResult[];
}
export interface ModifyDesktopSpecRequest extends Regional {
  desktopId: string;
  desktopType: string;
  rootDiskSizeGib?: number;
  userDiskSizeGib?: number;
  userDiskPerformanceLevel?: string;
  autoPay?: boolean;
  promotionId?: string;
  /** Required for subscription desktops (SDK ModifyDesktopSpecRequest), e.g. `DesktopMonthPackage`. */
  resourceType?: string;
}
export interface ModifyDesktopSpecResponse extends RequestIdResponse {
  orderId?: string;
}
export interface ModifyDesktopChargeTypeRequest extends Regional {
  desktopIds: string[];
  chargeType: string;
  period?: number;
  periodUnit?: string;
  autoPay?: boolean;
  promotionId?: string;
}
export interface ModifyDesktopChargeTypeResponse extends RequestIdResponse {
  orderId?: string;
  desktopId?: string[];
}
export interface ModifyEntitlementRequest extends Regional {
  desktopId: string;
  endUserIds: string[];
}
export interface ModifyUserEntitlementRequest extends Regional {
  endUserIds: string[];
  authorizeDesktopIds?: string[];
  revokeDesktopIds?: string[];
}
export const DESKTOP_RESOURCE_TYPE = "ALIYUN::GWS::INSTANCE";
export interface TagResourcesRequest extends Regional {
  resourceIds: string[];
  tags: TagPair[];
}
export interface UntagResourcesRequest extends Regional {
  resourceIds: string[];
  tagKeys: string[];
}
export interface ListTagResourcesRequest extends Regional {
  resourceIds?: string[];
  tags?: TagPair[];
  maxResults?: number;
  nextToken?: string;
}
export interface ListTagResourcesResponse extends RequestIdResponse {
  tagResources?: { resourceId: string; resourceType: string; tagKey: string; tagValue: string }[];
  nextToken?: string;
}
export interface DescribePriceRequest extends Regional {
  resourceType?: string;
  instanceType?: string;
  /** Required with ResourceType=Desktop, as are instanceType and rootDiskSizeGib. */
  rootDiskSizeGib?: number;
  userDiskSizeGib?: number;
  rootDiskCategory?: string;
  userDiskCategory?: string;
  rootDiskPerformanceLevel?: string;
  userDiskPerformanceLevel?: string;
  osType?: string;
  period?: number;
  periodUnit?: string;
  amount?: number;
}
export interface DescribePriceResponse extends RequestIdResponse {
  priceInfo?: {
    price?: { currency?: string; originalPrice?: number; discountPrice?: number; tradePrice?: number };
    rules?: { ruleId?: number; description?: string }[];
  };
}
export interface PagedRequest extends Regional {
  maxResults?: number;
  nextToken?: string;
}
export interface DescribeBundlesRequest extends PagedRequest {
  bundleIds?: string[];
  osType?: string;
}
export interface DescribeImagesRequest extends PagedRequest {
  imageIds?: string[];
}
export interface Image {
  imageId: string;
  name?: string;
  osType?: string;
  status?: string;
  /** ASP or HDX. */
  protocolType?: string;
  /** Whether it is a GPU image. */
  gpuCategory?: boolean;
}
export interface DescribeImagesResponse extends RequestIdResponse {
  images?: Image[];
  nextToken?: string;
}
export interface Bundle {
  bundleId: string;
  bundleName?: string;
  bundleType?: string;
  desktopType?: string;
  osType?: string;
  imageId?: string;
  disks?: { diskType?: string; diskSize?: number; diskPerformanceLevel?: string }[];
  systemDiskCategory?: string;
  dataDiskCategory?: string;
  volumeEncryptionEnabled?: boolean;
}
export interface DescribeBundlesResponse extends RequestIdResponse {
  bundles?: Bundle[];
  nextToken?: string;
}
export interface DescribeOfficeSitesRequest extends PagedRequest {
  officeSiteIds?: string[];
  officeSiteType?: string;
}
export interface OfficeSite {
  officeSiteId: string;
  name?: string;
  status?: string;
  officeSiteType?: string;
  vpcId?: string;
  cidrBlock?: string;
}
export interface DescribeOfficeSitesResponse extends RequestIdResponse {
  officeSites?: OfficeSite[];
  nextToken?: string;
  totalCount?: number;
}
export interface DescribePolicyGroupsRequest extends PagedRequest {
  policyGroupIds?: string[];
}
export interface PolicyGroup {
  policyGroupId: string;
  name?: string;
  policyStatus?: string;
  policyGroupType?: string;
}
export interface DescribePolicyGroupsResponse extends RequestIdResponse {
  describePolicyGroups?: PolicyGroup[];
  nextToken?: string;
}
export interface DescribeRegionsResponse extends RequestIdResponse {
  regions?: { regionId: string; regionEndpoint?: string; localName?: string }[];
}

/** Request and response type of every operation, keyed by its wire name. */
export interface EcdOperations {
  CreateDesktops: [CreateDesktopsRequest, CreateDesktopsResponse];
  DescribeDesktops: [DescribeDesktopsRequest, DescribeDesktopsResponse];
  DeleteDesktops: [DesktopIdsRequest, RequestIdResponse];
  StartDesktops: [DesktopIdsRequest, RequestIdResponse];
  StopDesktops: [StopDesktopsRequest, RequestIdResponse];
  RebuildDesktops: [RebuildDesktopsRequest, RebuildDesktopsResponse];
  ModifyDesktopName: [ModifyDesktopNameRequest, RequestIdResponse];
  ModifyDesktopsPolicyGroup: [ModifyDesktopsPolicyGroupRequest, ModifyDesktopsPolicyGroupResponse];
  ModifyDesktopSpec: [ModifyDesktopSpecRequest, ModifyDesktopSpecResponse];
  ModifyDesktopChargeType: [ModifyDesktopChargeTypeRequest, ModifyDesktopChargeTypeResponse];
  ModifyEntitlement: [ModifyEntitlementRequest, RequestIdResponse];
  ModifyUserEntitlement: [ModifyUserEntitlementRequest, RequestIdResponse];
  TagResources: [TagResourcesRequest, RequestIdResponse];
  UntagResources: [UntagResourcesRequest, RequestIdResponse];
  ListTagResources: [ListTagResourcesRequest, ListTagResourcesResponse];
  DescribePrice: [DescribePriceRequest, DescribePriceResponse];
  DescribeBundles: [DescribeBundlesRequest, DescribeBundlesResponse];
  DescribeImages: [DescribeImagesRequest, DescribeImagesResponse];
  DescribeOfficeSites: [DescribeOfficeSitesRequest, DescribeOfficeSitesResponse];
  DescribePolicyGroups: [DescribePolicyGroupsRequest, DescribePolicyGroupsResponse];
  DescribeRegions: [Regional & { acceptLanguage?: string }, DescribeRegionsResponse];
}
export type OperationName = keyof EcdOperations;
export type RequestOf<Op extends OperationName> = EcdOperations[Op][0];
export type ResponseOf<Op extends OperationName> = EcdOperations[Op][1];

export interface OperationSpec {
  wire: WireShape;
  /**
   * Whether re-sending after an unknown outcome is harmless. Modify/Tag/Delete calls name an absolute target
   * state, so a repeat converges (or is refused as "nothing to change"); CreateDesktops has no ClientToken and
   * a repeat would buy duplicate desktops, so it is never re-sent blindly.
   */
  idempotent: boolean;
  /** Extra fixed parameters the operation always carries. */
  fixed?: Record<string, string>;
  /** What a success answer always carries (at least one of these keys); without it the answer is malformed. */
  returns?: ResponseFields;
}

const desktopIds = { rename: { desktopIds: "DesktopId" } };
const resources = {
  rename: { resourceIds: "ResourceId", tags: "Tag" },
  fixed: { ResourceType: DESKTOP_RESOURCE_TYPE },
};

export const OPERATIONS: Record<OperationName, OperationSpec> = {
  CreateDesktops: {
    wire: { rename: createDesktopsWireNames(), json: ["DesktopAttachment", "PurchaseOptions"] },
    idempotent: false,
    returns: { DesktopId: "list", OrderId: "string" },
  },
  DescribeDesktops: {
    wire: { rename: { desktopIds: "DesktopId", endUserIds: "EndUserId", tags: "Tag" } },
    idempotent: true,
    returns: { Desktops: "list" },
  },
  DeleteDesktops: { wire: desktopIds, idempotent: true },
  StartDesktops: { wire: desktopIds, idempotent: true },
  StopDesktops: { wire: desktopIds, idempotent: true },
  /** A repeat rebuilds again (the data disk may be wiped twice): never re-sent blindly. */
  RebuildDesktops: { wire: desktopIds, idempotent: false },
  ModifyDesktopName: { wire: {}, idempotent: true },
  ModifyDesktopsPolicyGroup: { wire: desktopIds, idempotent: true },
  ModifyDesktopSpec: { wire: {}, idempotent: true },
  ModifyDesktopChargeType: { wire: desktopIds, idempotent: true },
  ModifyEntitlement: { wire: { rename: { endUserIds: "EndUserId" } }, idempotent: true },
  ModifyUserEntitlement: {
    wire: {
      rename: {
        endUserIds: "EndUserId",
        authorizeDesktopIds: "AuthorizeDesktopId",
        revokeDesktopIds: "RevokeDesktopId",
      },
    },
    idempotent: true,
  },
  TagResources: { wire: resources, idempotent: true, fixed: resources.fixed },
  UntagResources: {
    wire: { rename: { resourceIds: "ResourceId", tagKeys: "TagKey" } },
    idempotent: true,
    fixed: resources.fixed,
  },
  ListTagResources: {
    wire: resources,
    idempotent: true,
    fixed: resources.fixed,
    returns: { TagResources: "list" },
  },
  DescribePrice: { wire: {}, idempotent: true },
  DescribeBundles: {
    wire: { rename: { bundleIds: "BundleId" } },
    idempotent: true,
    returns: { Bundles: "list" },
  },
  DescribeImages: {
    wire: { rename: { imageIds: "ImageId" } },
    idempotent: true,
    returns: { Images: "list" },
  },
  DescribeOfficeSites: {
    wire: { rename: { officeSiteIds: "OfficeSiteId" } },
    idempotent: true,
    returns: { OfficeSites: "list" },
  },
  DescribePolicyGroups: {
    wire: { rename: { policyGroupIds: "PolicyGroupId" } },
    idempotent: true,
    returns: { DescribePolicyGroups: "list" },
  },
  DescribeRegions: { wire: {}, idempotent: true, returns: { Regions: "list" } },
};

/** CreateDesktops wire keys come from the schema's x-ecd.wire, the same declaration the SDK and docs use. */
function createDesktopsWireNames(): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [name, property] of Object.entries(
    desktopBatchResource(loadDesktopBatchSchema()).inputProperties,
  )) {
    const wire = property["x-ecd"]?.wire;
    if (wire !== undefined) names[name] = wire;
  }
  return names;
}
