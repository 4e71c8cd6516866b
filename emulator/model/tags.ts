import type { ListTagResourcesRequest, TagResourcesRequest, UntagResourcesRequest } from "../api/requests";
import { Errors } from "../errors";
import { paginate, type Listing } from "./paging";
import { checkCount, checkTagKey, checkTags } from "./rules";
import type { DesktopRecord, RegionState } from "./types";

export const DESKTOP_RESOURCE_TYPE = "ALIYUN::GWS::INSTANCE";
const MAX_TAGS_PER_DESKTOP = 20;

export interface WireTagResource {
  ResourceId: string;
  ResourceType: string;
  TagKey: string;
  TagValue: string;
}

function checkResourceType(type: string | undefined): void {
  if (!type) throw Errors.missingParameter("ResourceType");
  if (type !== DESKTOP_RESOURCE_TYPE) throw Errors.invalidResourceType(type);
}

function findResources(region: RegionState, ids: string[] | undefined): DesktopRecord[] {
  const list = ids ?? [];
  checkCount("ResourceId", list, 1, 50);
  return [...new Set(list)].map((id) => {
    const desktop = region.desktops.get(id);
    // Assumption: tagging an unknown desktop fails with 400 InvalidResourceId.NotFound.
    if (!desktop) throw Errors.resourceNotFound(id);
    return desktop;
  });
}

export function tagResources(region: RegionState, request: TagResourcesRequest): void {
  checkResourceType(request.ResourceType);
  const desktops = findResources(region, request.ResourceId);
  const tags = checkTags(request.Tag ?? [], { min: 1, max: 20 });
  for (const d of desktops) {
    const merged = new Set([...d.tags.keys(), ...tags.keys()]);
    if (merged.size > MAX_TAGS_PER_DESKTOP) {
      throw Errors.tagCount(
        `desktop ${d.id} would have ${merged.size} tags; at most ${MAX_TAGS_PER_DESKTOP} are allowed`,
      );
    }
  }
  for (const d of desktops) for (const [key, value] of tags) d.tags.set(key, value);
}

/** Assumption: with neither TagKey.N nor All=true nothing is removed (and no error is raised). */
export function untagResources(region: RegionState, request: UntagResourcesRequest): void {
  checkResourceType(request.ResourceType);
  const desktops = findResources(region, request.ResourceId);
  const keys = request.TagKey ?? [];
  checkCount("TagKey", keys, 0, 20);
  keys.forEach(checkTagKey);
  for (const d of desktops) {
    if (keys.length > 0) keys.forEach((key) => d.tags.delete(key));
    else if (request.All) d.tags.clear();
  }
}

interface TagRow {
  desktop: DesktopRecord;
  key: string;
  value: string;
}

/** A tag key never changes on its desktop, so (creation order, key) is a stable page key. */
const TAG_LISTING: Listing<TagRow> = {
  scope: "tags",
  keyOf: (row) => [row.desktop.creationSeq, row.key],
  defaultSize: 50,
  maxSize: 100,
};

/**
 * One row per resource/tag pair, ordered by desktop creation, then by tag key. Assumptions: unknown resource ids
 * are skipped; with Tag.N filters only desktops carrying every filter tag are listed, and only their matching
 * tags are returned.
 */
export function listTagResources(
  region: RegionState,
  request: ListTagResourcesRequest,
): { TagResources: WireTagResource[]; NextToken?: string } {
  checkResourceType(request.ResourceType);
  const ids = request.ResourceId ?? [];
  const filters = request.Tag ?? [];
  checkCount("ResourceId", ids, 0, 50);
  checkCount("Tag", filters, 0, 20);
  if (ids.length === 0 && filters.length === 0) throw Errors.missingParameter("ResourceId");
  filters.forEach((f) => checkTagKey(f.Key ?? ""));
  const candidates =
    ids.length > 0
      ? [...new Set(ids)]
          .map((id) => region.desktops.get(id))
          .filter((d): d is DesktopRecord => d !== undefined)
      : [...region.desktops.values()];
  const matches = (d: DesktopRecord): boolean =>
    filters.every(
      (f) => d.tags.has(f.Key ?? "") && (f.Value === undefined || d.tags.get(f.Key ?? "") === f.Value),
    );
  const filterKeys = new Set(filters.map((f) => f.Key ?? ""));
  const rows: TagRow[] = [];
  for (const desktop of candidates.filter(matches)) {
    for (const [key, value] of desktop.tags) {
      if (filterKeys.size === 0 || filterKeys.has(key)) rows.push({ desktop, key, value });
    }
  }
  const page = paginate(rows, request, TAG_LISTING);
  const items = page.items.map((row): WireTagResource => ({
    ResourceId: row.desktop.id,
    ResourceType: DESKTOP_RESOURCE_TYPE,
    TagKey: row.key,
    TagValue: row.value,
  }));
  return page.nextToken ? { TagResources: items, NextToken: page.nextToken } : { TagResources: items };
}
