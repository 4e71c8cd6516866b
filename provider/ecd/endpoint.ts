export const ENDPOINT_ENV = "ALIBABA_CLOUD_ECD_ENDPOINT";
/** Set to 1 to allow plain http to an endpoint that is not on this machine (credentials are still signed, but
 * requests and answers travel unencrypted). */
export const ALLOW_INSECURE_HTTP_ENV = "PULUMI_ECD_ALLOW_INSECURE_HTTP";

export interface Endpoint {
  protocol: "http" | "https";
  /** host[:port], as openapi-client wants it (no scheme). */
  host: string;
  /** Where it came from, for messages: the provider setting (ecd:endpoint), the environment, or the default. */
  source: "setting" | "environment" | "default";
}

/** Which setting a message should point at for this endpoint. */
export function endpointSetting(endpoint: Endpoint): string {
  switch (endpoint.source) {
    case "setting":
      return "the ecd:endpoint setting";
    case "environment":
      return ENDPOINT_ENV;
    case "default":
      return `the region, or ecd:endpoint / ${ENDPOINT_ENV} (neither is set, so the regional default is used)`;
  }
}

/** 127.0.0.0/8, localhost and ::1: traffic that never leaves this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost" || bare.endsWith(".localhost") || bare === "::1") return true;
  return /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(bare);
}

export class EndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EndpointError";
  }
}

/**
 * Accepts a URL (`http://127.0.0.1:8912`) or a bare `host[:port]` (HTTPS assumed). Without an override the
 * regional public endpoint `ecd.<region>.aliyuncs.com` over HTTPS is used, as the product SDK does. Plain http
 * is for loopback endpoints (the local emulator); to anything else it is refused unless
 * PULUMI_ECD_ALLOW_INSECURE_HTTP=1 says otherwise.
 */
export function resolveEndpoint(
  regionId: string,
  override?: string,
  env: NodeJS.ProcessEnv = process.env,
): Endpoint {
  const fromSetting = (override ?? "").trim();
  const raw = fromSetting || (env[ENDPOINT_ENV] ?? "").trim();
  const source = fromSetting ? "setting" : "environment";
  const named = source === "setting" ? "ecd:endpoint" : ENDPOINT_ENV;
  if (raw === "") return { protocol: "https", host: `ecd.${regionId}.aliyuncs.com`, source: "default" };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new EndpointError(`ECD endpoint ${raw} (from ${named}) is not a valid URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new EndpointError(`ECD endpoint ${raw} (from ${named}): only http and https URLs are supported`);
    }
    if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
      throw new EndpointError(`ECD endpoint ${raw} (from ${named}) must not have a path`);
    }
    if (url.username || url.password) {
      throw new EndpointError(`ECD endpoint (from ${named}) must not carry a user name or password`);
    }
    if (url.protocol === "http:" && !isLoopbackHost(url.hostname) && env[ALLOW_INSECURE_HTTP_ENV] !== "1") {
      throw new EndpointError(
        `ECD endpoint ${url.origin} (from ${named}) uses plain http to a host that is not this machine, so requests ` +
          `and answers would travel unencrypted: use https://, or set ${ALLOW_INSECURE_HTTP_ENV}=1 to allow it`,
      );
    }
    return { protocol: url.protocol === "http:" ? "http" : "https", host: url.host, source };
  }
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(raw))
    throw new EndpointError(`ECD endpoint ${raw} (from ${named}): expected a URL or host[:port]`);
  return { protocol: "https", host: raw, source };
}
