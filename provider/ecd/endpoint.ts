export const ENDPOINT_ENV = "ALIBABA_CLOUD_ECD_ENDPOINT";

export interface Endpoint {
  protocol: "http" | "https";
  /** host[:port], as openapi-client wants it (no scheme). */
  host: string;
}

/**
 * Accepts a URL (`http://127.0.0.1:8912`) or a bare `host[:port]` (HTTPS assumed). Without an override the
 * regional public endpoint `ecd.<region>.aliyuncs.com` over HTTPS is used, as the product SDK does.
 */
export function resolveEndpoint(regionId: string, override?: string): Endpoint {
  const raw = (override ?? process.env[ENDPOINT_ENV] ?? "").trim();
  if (raw === "") return { protocol: "https", host: `ecd.${regionId}.aliyuncs.com` };
  if (/^[a-z]+:\/\//i.test(raw)) {
    const url = new URL(raw);
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new Error(`ECD endpoint ${raw}: only http and https URLs are supported`);
    }
    if (url.pathname !== "/" && url.pathname !== "") {
      throw new Error(`ECD endpoint ${raw}: must not have a path`);
    }
    return { protocol: url.protocol === "http:" ? "http" : "https", host: url.host };
  }
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(raw))
    throw new Error(`ECD endpoint ${raw}: expected a URL or host[:port]`);
  return { protocol: "https", host: raw };
}
