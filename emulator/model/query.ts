import type { DescribeDesktopsRequest } from "../api/requests";
import { Errors } from "../errors";
import { effectiveStatus } from "./lifecycle";
import { paginate, paginateByPage, type Listing } from "./paging";
import type { DesktopRecord, RegionState } from "./types";
import { renderDesktop, type WireDesktop } from "./wire";

export interface DescribeDesktopsResult {
  Desktops: WireDesktop[];
  TotalCount: number;
  NextToken?: string;
  PageNumber?: number;
  PageSize?: number;
}

const LIMITS = { defaultSize: 10, maxSize: 100 };
const LISTING: Listing<DesktopRecord> = { scope: "desktops", keyOf: (d) => [d.creationSeq], ...LIMITS };

function matcher(
  region: RegionState,
  request: DescribeDesktopsRequest,
  now: number,
): (d: DesktopRecord) => boolean {
  const ids = request.DesktopId ?? [];
  if (ids.length > 100) throw Errors.invalidParameter("DesktopId", "At most 100 desktop ids are allowed.");
  const tags = request.Tag ?? [];
  if (tags.some((t) => !t.Key)) throw Errors.invalidParameter("Tag.N.Key", "A tag filter needs a Key.");
  const statuses = [
    ...(request.DesktopStatusList ?? []),
    ...(request.DesktopStatus ? [request.DesktopStatus] : []),
  ];
  const siteId = request.OfficeSiteId ?? request.DirectoryId;
  const users = request.EndUserId ?? [];
  const excluded = request.ExcludedEndUserId ?? [];
  const images = request.ImageId ?? [];
  const osTypes = request.OsTypes ?? [];
  return (d) => {
    const site = region.officeSites.get(d.officeSiteId);
    const osType = region.images.get(d.imageId)?.osType;
    return (
      (ids.length === 0 || ids.includes(d.id)) &&
      // Assumption: DesktopName filters by substring, like the console's search box.
      (!request.DesktopName || d.name.includes(request.DesktopName)) &&
      (statuses.length === 0 || statuses.includes(effectiveStatus(d, now))) &&
      (!siteId || d.officeSiteId === siteId) &&
      (!request.OfficeSiteName || site?.name === request.OfficeSiteName) &&
      (!request.PolicyGroupId || d.policyGroupIds.includes(request.PolicyGroupId)) &&
      (!request.ChargeType || d.chargeType === request.ChargeType) &&
      (users.length === 0 || users.some((u) => d.endUserIds.includes(u))) &&
      (excluded.length === 0 || !excluded.some((u) => d.endUserIds.includes(u))) &&
      (!request.DesktopType || d.desktopType === request.DesktopType) &&
      (images.length === 0 || images.includes(d.imageId)) &&
      (osTypes.length === 0 || (osType !== undefined && osTypes.includes(osType))) &&
      (!request.ProtocolType || request.ProtocolType === "ASP") &&
      (!request.ManagementFlag || request.ManagementFlag === (d.pendingCharge ? "Updating" : "NoFlag")) &&
      (!request.SnapshotPolicyId || d.snapshotPolicyId === request.SnapshotPolicyId) &&
      (!request.ResourceGroupId || d.resourceGroupId === request.ResourceGroupId) &&
      tags.every(
        (t) => d.tags.has(t.Key ?? "") && (t.Value === undefined || d.tags.get(t.Key ?? "") === t.Value),
      )
    );
  };
}

/** DescribeDesktops: filters, then NextToken pagination (or PageNumber/PageSize when those are sent). */
export function describeDesktopsPage(
  region: RegionState,
  request: DescribeDesktopsRequest,
  now: number,
): DescribeDesktopsResult {
  const matching = [...region.desktops.values()].filter(matcher(region, request, now));
  const render = (list: DesktopRecord[]): WireDesktop[] => list.map((d) => renderDesktop(d, region, now));
  if ((request.PageNumber !== undefined || request.PageSize !== undefined) && !request.NextToken) {
    const page = paginateByPage(matching, request, LIMITS);
    return {
      Desktops: render(page.items),
      TotalCount: page.totalCount,
      PageNumber: page.pageNumber,
      PageSize: page.pageSize,
    };
  }
  const page = paginate(matching, request, LISTING);
  const result: DescribeDesktopsResult = { Desktops: render(page.items), TotalCount: page.totalCount };
  if (page.nextToken) result.NextToken = page.nextToken;
  return result;
}
