import type {
  DescribeBundlesRequest,
  DescribeImagesRequest,
  DescribeDesktopTypesRequest,
  DescribeOfficeSitesRequest,
  DescribePolicyGroupsRequest,
  DescribeRegionsRequest,
} from "../api/requests";
import { checkCount } from "./rules";
import { paginate, type Listing } from "./paging";
import { DESKTOP_TYPES } from "./seed";
import type { RegionState } from "./types";
import {
  desktopTypeOf,
  renderBundle,
  renderDesktopType,
  renderOfficeSite,
  renderPolicyGroup,
  type WireBundle,
  type WireDesktopType,
  type WireOfficeSite,
  type WirePolicyGroup,
} from "./wire";

/** Read-only operations over the seeded catalog (bundles, office sites, policies, regions, desktop types). */

/** Catalog entries never move, so their seed position is a stable page key. */
function seedOrder<T extends { id: string }>(scope: string, all: ReadonlyMap<string, T>): Listing<T> {
  const position = new Map([...all.keys()].map((id, i) => [id, i]));
  return { scope, keyOf: (item) => [position.get(item.id) ?? -1], defaultSize: 10, maxSize: 100 };
}

const withToken = <T extends object>(body: T, token: string | undefined): T & { NextToken?: string } =>
  token ? { ...body, NextToken: token } : body;

export function describeBundles(
  region: RegionState,
  request: DescribeBundlesRequest,
): { Bundles: WireBundle[]; NextToken?: string } {
  const ids = request.BundleId ?? [];
  checkCount("BundleId", ids, 0, 100);
  const images = request.ImageId ?? [];
  const bundles = [...region.bundles.values()].filter((b) => {
    const type = desktopTypeOf(b.desktopType);
    return (
      (ids.length === 0 || ids.includes(b.id)) &&
      (!request.BundleType || request.BundleType === "SYSTEM") &&
      (images.length === 0 || images.includes(b.imageId)) &&
      (!request.OsType || region.images.get(b.imageId)?.osType === request.OsType) &&
      (!request.DesktopTypeFamily || type.family === request.DesktopTypeFamily) &&
      (request.CpuCount === undefined || type.cpu === request.CpuCount) &&
      (request.MemorySize === undefined || type.memoryMiB === request.MemorySize * 1024) &&
      (request.GpuCount === undefined || type.gpuCount === request.GpuCount)
    );
  });
  const page = paginate(bundles, request, seedOrder("bundles", region.bundles));
  return withToken({ Bundles: page.items.map((b) => renderBundle(b, region)) }, page.nextToken);
}

/**
 * DescribeImages ([SDK:DescribeImagesRequest]: ImageId.N, ImageType, ImageStatus, OsType, MaxResults/NextToken;
 * response Images[] with ImageId, Name, OsType, Platform, ProtocolType, GpuCategory, Status). **Assumption**: every seeded
 * image is a SYSTEM image.
 */
export function describeImages(
  region: RegionState,
  request: DescribeImagesRequest,
): { Images: Record<string, unknown>[]; NextToken?: string } {
  const ids = request.ImageId ?? [];
  checkCount("ImageId", ids, 0, 100);
  const images = [...region.images.values()].filter(
    (image) =>
      (ids.length === 0 || ids.includes(image.id)) &&
      (!request.ImageType || request.ImageType === "SYSTEM") &&
      (!request.ImageStatus || image.status === request.ImageStatus) &&
      (!request.OsType || image.osType === request.OsType),
  );
  const page = paginate(images, request, seedOrder("images", region.images));
  return withToken(
    {
      Images: page.items.map((image) => ({
        ImageId: image.id,
        Name: image.name,
        OsType: image.osType,
        Platform: image.platform,
        ProtocolType: image.protocolType,
        GpuCategory: image.gpu ?? false,
        Status: image.status,
        ImageType: "SYSTEM",
      })),
    },
    page.nextToken,
  );
}

export function describeOfficeSites(
  region: RegionState,
  request: DescribeOfficeSitesRequest,
): { OfficeSites: WireOfficeSite[]; TotalCount: number; NextToken?: string } {
  const ids = request.OfficeSiteId ?? [];
  checkCount("OfficeSiteId", ids, 0, 100);
  const sites = [...region.officeSites.values()].filter(
    (s) =>
      (ids.length === 0 || ids.includes(s.id)) &&
      (!request.OfficeSiteType || s.type === request.OfficeSiteType) &&
      (!request.Status || s.status === request.Status) &&
      (!request.VpcId || s.vpcId === request.VpcId),
  );
  const page = paginate(sites, request, seedOrder("officeSites", region.officeSites));
  return withToken(
    { OfficeSites: page.items.map((s) => renderOfficeSite(s, region)), TotalCount: page.totalCount },
    page.nextToken,
  );
}

export function describePolicyGroups(
  region: RegionState,
  request: DescribePolicyGroupsRequest,
): { DescribePolicyGroups: WirePolicyGroup[]; Count: number; NextToken?: string } {
  const ids = request.PolicyGroupId ?? [];
  const excluded = request.ExternalPolicyGroupIds ?? [];
  const policies = [...region.policyGroups.values()].filter(
    (p) =>
      (ids.length === 0 || ids.includes(p.id)) &&
      !excluded.includes(p.id) &&
      (!request.Scope || request.Scope === "ALL" || p.scope === request.Scope),
  );
  const page = paginate(policies, request, seedOrder("policyGroups", region.policyGroups));
  return withToken(
    { DescribePolicyGroups: page.items.map((p) => renderPolicyGroup(p, region)), Count: page.totalCount },
    page.nextToken,
  );
}

const REGION_NAMES: Record<string, { en: string; zh: string }> = {
  "cn-hangzhou": { en: "China (Hangzhou)", zh: "华东1（杭州）" },
  "cn-shanghai": { en: "China (Shanghai)", zh: "华东2（上海）" },
  "cn-beijing": { en: "China (Beijing)", zh: "华北2（北京）" },
  "cn-shenzhen": { en: "China (Shenzhen)", zh: "华南1（深圳）" },
  "cn-hongkong": { en: "China (Hong Kong)", zh: "中国香港" },
  "ap-southeast-1": { en: "Singapore", zh: "新加坡" },
  "ap-northeast-1": { en: "Japan (Tokyo)", zh: "日本（东京）" },
  "eu-central-1": { en: "Germany (Frankfurt)", zh: "德国（法兰克福）" },
  "us-west-1": { en: "US (Silicon Valley)", zh: "美国（硅谷）" },
  "us-east-1": { en: "US (Virginia)", zh: "美国（弗吉尼亚）" },
};

/** Assumption: LocalName is English unless AcceptLanguage starts with "zh". */
export function describeRegions(
  regionIds: readonly string[],
  request: DescribeRegionsRequest,
): { Regions: { RegionId: string; RegionEndpoint: string; LocalName: string }[] } {
  const zh = (request.AcceptLanguage ?? "").toLowerCase().startsWith("zh");
  return {
    Regions: regionIds.map((id) => ({
      RegionId: id,
      RegionEndpoint: `ecd.${id}.aliyuncs.com`,
      LocalName: REGION_NAMES[id] ? REGION_NAMES[id][zh ? "zh" : "en"] : id,
    })),
  };
}

export function describeDesktopTypes(request: DescribeDesktopTypesRequest): {
  DesktopTypes: WireDesktopType[];
} {
  const ids = [
    ...(request.DesktopTypeIdList ?? []),
    ...(request.DesktopTypeId ? [request.DesktopTypeId] : []),
  ];
  const types = [...DESKTOP_TYPES.values()].filter(
    (t) =>
      (ids.length === 0 || ids.includes(t.id)) &&
      (!request.InstanceTypeFamily || t.family === request.InstanceTypeFamily) &&
      (request.CpuCount === undefined || t.cpu === request.CpuCount) &&
      (request.MemorySize === undefined || t.memoryMiB === request.MemorySize * 1024) &&
      (request.GpuCount === undefined || t.gpuCount === request.GpuCount),
  );
  if (request.OrderBy === "Cpu" || request.OrderBy === "Memory") {
    const key = request.OrderBy === "Cpu" ? "cpu" : "memoryMiB";
    const sign = request.SortType === "DESC" ? -1 : 1;
    types.sort((a, b) => sign * (a[key] - b[key]));
  }
  return { DesktopTypes: types.map(renderDesktopType) };
}
