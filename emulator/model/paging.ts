import { Errors } from "../errors";

/** A position in a listing, compared element by element (numbers numerically, strings by code unit). */
export type SortKey = readonly (number | string)[];

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  nextToken?: string;
  totalCount: number;
}

/** How one listing is ordered and sized. */
export interface Listing<T> {
  /** Tells the tokens of different listings apart, so a token is only accepted by the listing that issued it. */
  scope: string;
  /** A key that never changes while the item exists and is unique within the listing. */
  keyOf: (item: T) => SortKey;
  defaultSize: number;
  maxSize: number;
}

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]];
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

const encodeToken = (scope: string, key: SortKey): string =>
  Buffer.from(`emu:${scope}:${JSON.stringify(key)}`).toString("base64url");

function decodeToken(token: string, scope: string): SortKey {
  const text = Buffer.from(token, "base64url").toString("utf8");
  const prefix = `emu:${scope}:`;
  if (!text.startsWith(prefix)) throw Errors.nextToken();
  let key: unknown;
  try {
    key = JSON.parse(text.slice(prefix.length));
  } catch {
    throw Errors.nextToken();
  }
  const valid =
    Array.isArray(key) &&
    key.length > 0 &&
    key.every((part) => typeof part === "string" || (typeof part === "number" && Number.isFinite(part)));
  if (!valid) throw Errors.nextToken();
  return key as SortKey;
}

/**
 * MaxResults/NextToken pagination. The token holds the key of the last item returned and the next page starts
 * after it, so items that appear or disappear between pages never make the walk skip or repeat the others.
 */
export function paginate<T>(
  items: readonly T[],
  request: { MaxResults?: number; NextToken?: string },
  listing: Listing<T>,
): Page<T> {
  const size = request.MaxResults ?? listing.defaultSize;
  if (size < 1 || size > listing.maxSize) {
    throw Errors.invalidParameter("MaxResults", `It must be 1 to ${listing.maxSize}.`);
  }
  const sorted = items
    .map((item) => ({ item, key: listing.keyOf(item) }))
    .sort((a, b) => compareKeys(a.key, b.key));
  let start = 0;
  if (request.NextToken) {
    const after = decodeToken(request.NextToken, listing.scope);
    const index = sorted.findIndex((entry) => compareKeys(entry.key, after) > 0);
    start = index < 0 ? sorted.length : index;
  }
  const page = sorted.slice(start, start + size);
  const more = start + size < sorted.length;
  return {
    items: page.map((entry) => entry.item),
    nextToken: more ? encodeToken(listing.scope, page[page.length - 1].key) : undefined,
    totalCount: sorted.length,
  };
}

/** PageNumber/PageSize pagination, used when a caller sends those instead of NextToken. */
export function paginateByPage<T>(
  items: readonly T[],
  request: { PageNumber?: number; PageSize?: number },
  limits: { defaultSize: number; maxSize: number },
): { items: T[]; pageNumber: number; pageSize: number; totalCount: number } {
  const pageNumber = request.PageNumber ?? 1;
  const pageSize = request.PageSize ?? limits.defaultSize;
  if (pageNumber < 1) throw Errors.invalidParameter("PageNumber");
  if (pageSize < 1 || pageSize > limits.maxSize) {
    throw Errors.invalidParameter("PageSize", `It must be 1 to ${limits.maxSize}.`);
  }
  const start = (pageNumber - 1) * pageSize;
  return { items: items.slice(start, start + pageSize), pageNumber, pageSize, totalCount: items.length };
}
