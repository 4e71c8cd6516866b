import type { IncomingHttpHeaders } from "node:http";

/** A parsed API request: decoded query and form pairs plus what signature checks need. */
export interface IncomingApiRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  query: [string, string][];
  form: [string, string][];
  body: Buffer;
}

/** Parameters that belong to the RPC envelope, not to the operation. */
const ENVELOPE_KEYS = new Set([
  "Action",
  "Version",
  "Format",
  "Timestamp",
  "SignatureNonce",
  "SignatureMethod",
  "SignatureVersion",
  "SignatureType",
  "AccessKeyId",
  "Signature",
  "SecurityToken",
  "BearerToken",
]);

export function parseIncoming(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): IncomingApiRequest {
  const queryStart = url.indexOf("?");
  const path = queryStart >= 0 ? url.slice(0, queryStart) : url;
  const query = queryStart >= 0 ? [...new URLSearchParams(url.slice(queryStart + 1))] : [];
  const contentType = headerValue(headers, "content-type") ?? "";
  const form =
    body.length > 0 && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")
      ? [...new URLSearchParams(body.toString("utf8"))]
      : [];
  return { method, path, headers, query, form, body };
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Query merged with the form body (the body wins on a clash). */
export function mergedParams(request: IncomingApiRequest): Map<string, string> {
  return new Map([...request.query, ...request.form]);
}

/** The operation's own parameters, still flat. */
export function businessParams(params: Map<string, string>): [string, string][] {
  return [...params].filter(([key]) => !ENVELOPE_KEYS.has(key));
}
