/**
 * What to do about a failure that comes from the set-up rather than the request: the credentials, the region,
 * the endpoint. Each hint names the setting to check, in the words of the README's Configuration table.
 */
import { describeCause } from "./errors";
import { Endpoint, endpointSetting } from "./endpoint";

const API_HINTS: [RegExp, (operation: string) => string][] = [
  [
    /^SignatureDoesNotMatch$/,
    () =>
      "the access key secret does not match the access key ID; check alicloud:secretKey or ALIBABA_CLOUD_ACCESS_KEY_SECRET",
  ],
  [
    /^InvalidAccessKeyId/,
    () => "the access key ID is not known there; check alicloud:accessKey or ALIBABA_CLOUD_ACCESS_KEY_ID",
  ],
  [
    /^InvalidSecurityToken/,
    () =>
      "the STS security token is invalid, expired or not for this access key; check alicloud:securityToken or ALIBABA_CLOUD_SECURITY_TOKEN",
  ],
  [
    /^InvalidRegionId/,
    () => "the region is not served there; check regionId, alicloud:region or ALIBABA_CLOUD_REGION_ID",
  ],
  [
    /^(Forbidden|NoPermission)/,
    (operation) => `the access key may not call ${operation}; grant it ecd:${operation} in RAM`,
  ],
  [
    /^InvalidTimeStamp/,
    () => "the request's timestamp is too far from the server's clock; check this machine's clock",
  ],
];

/** The hint for an API error code that points at the set-up, or undefined for ordinary request errors. */
export function apiErrorHint(code: string, operation: string): string | undefined {
  const found = API_HINTS.find(([pattern]) => pattern.test(code));
  return found?.[1](operation);
}

/** The hint for a transport failure: what happened, and which endpoint setting to check. */
export function transportHint(
  kind: "not-sent" | "no-response" | "untrusted",
  cause: unknown,
  endpoint: Endpoint,
): string {
  const setting = endpointSetting(endpoint);
  if (kind === "untrusted") {
    return `the server's TLS certificate could not be verified: ${describeCause(cause)}; check ${setting}, whose server must present a certificate this machine trusts`;
  }
  if (kind === "no-response")
    return `${describeCause(cause)}; check that the endpoint is reachable and check ${setting}`;
  return `${describeCause(cause)}; check ${setting}`;
}
