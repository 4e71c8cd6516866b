import type { EcdServiceError } from "../errors";

/** JSON bodies exactly as ECD's gateway shapes them. */

export interface RenderedResponse {
  status: number;
  body: string;
}

export function renderSuccess(requestId: string, body: object): RenderedResponse {
  return { status: 200, body: JSON.stringify({ RequestId: requestId, ...body }) };
}

export function hostIdFor(regionId: string | undefined): string {
  return regionId ? `ecd.${regionId}.aliyuncs.com` : "ecd.aliyuncs.com";
}

export function renderError(
  requestId: string,
  regionId: string | undefined,
  error: EcdServiceError,
): RenderedResponse {
  return {
    status: error.httpStatus,
    body: JSON.stringify({
      RequestId: requestId,
      HostId: hostIdFor(regionId),
      Code: error.code,
      Message: error.message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=ecd`,
    }),
  };
}
