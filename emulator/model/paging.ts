import { Errors } from "../errors";

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  nextToken?: string;
  totalCount: number;
}

const encodeToken = (offset: number): string => Buffer.from(`emu:${offset}`).toString("base64url");

function decodeToken(token: string): number {
  const match = /^emu:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (!match) throw Errors.nextToken();
  return Number(match[1]);
}

/** MaxResults/NextToken pagination with an opaque token. */
export function paginate<T>(
  items: readonly T[],
  request: { MaxResults?: number; NextToken?: string },
  limits: { defaultSize: number; maxSize: number },
): Page<T> {
  const size = request.MaxResults ?? limits.defaultSize;
  if (size < 1 || size > limits.maxSize) {
    throw Errors.invalidParameter("MaxResults", `It must be 1 to ${limits.maxSize}.`);
  }
  const offset = request.NextToken ? decodeToken(request.NextToken) : 0;
  const end = offset + size;
  return {
    items: items.slice(offset, end),
    nextToken: end < items.length ? encodeToken(end) : undefined,
    totalCount: items.length,
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
