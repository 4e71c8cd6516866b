import { createHash, createHmac, randomBytes } from "node:crypto";
import { request } from "node:http";
import type { RunningEmulator } from "../../../emulator";

/**
 * Hand-crafted requests, signed by small independent implementations of the two algorithms in the facts file
 * (section 1.6), for cases the SDK client cannot produce.
 */

export interface RawResponse {
  status: number;
  body: Record<string, unknown>;
}

const enc = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());

export const nonce = (): string => randomBytes(16).toString("hex");
export const timestamp = (ms = Date.now()): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export function rawPost(
  emu: RunningEmulator,
  path: string,
  options: { headers?: Record<string, string>; body?: string; method?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: emu.port, path, method: options.method ?? "POST", headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
          });
        });
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const toQuery = (params: Record<string, string>): string =>
  Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");

/** A classic RPC (HMAC-SHA1) request; `body` params travel as a form and are signed too. */
export function v1Request(
  emu: RunningEmulator,
  action: string,
  params: Record<string, string>,
  options: {
    secret?: string;
    accessKeyId?: string;
    timestamp?: string;
    nonce?: string;
    body?: Record<string, string>;
    /** Sent as is; V1 signs no header. */
    headers?: Record<string, string>;
  } = {},
): Promise<RawResponse> {
  const query: Record<string, string> = {
    Action: action,
    Format: "json",
    Version: "2020-09-30",
    Timestamp: options.timestamp ?? timestamp(),
    SignatureNonce: options.nonce ?? nonce(),
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    AccessKeyId: options.accessKeyId ?? emu.credentials[0].accessKeyId,
    ...params,
  };
  const signed = { ...query, ...options.body };
  const canonical = Object.keys(signed)
    .sort()
    .map((k) => `${enc(k)}=${enc(signed[k])}`)
    .join("&");
  const stringToSign = `POST&${enc("/")}&${enc(canonical)}`;
  const secret = options.secret ?? emu.credentials[0].accessKeySecret;
  query.Signature = createHmac("sha1", secret + "&")
    .update(stringToSign)
    .digest("base64");
  const body = options.body ? toQuery(options.body) : undefined;
  return rawPost(emu, `/?${toQuery(query)}`, {
    headers: { ...options.headers, ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
    body,
  });
}

/**
 * An ACS3-HMAC-SHA256 request with an optional form body; `claimedBodyHash` lets a test lie about the body,
 * `headers` adds headers and `unsigned` leaves the named ones (still sent) out of SignedHeaders.
 */
export function v3Request(
  emu: RunningEmulator,
  action: string,
  params: Record<string, string>,
  options: {
    body?: Record<string, string>;
    claimedBodyHash?: string;
    date?: string;
    nonce?: string;
    headers?: Record<string, string>;
    unsigned?: string[];
  } = {},
): Promise<RawResponse> {
  const body = options.body ? toQuery(options.body) : "";
  const headers: Record<string, string> = {
    host: emu.endpoint,
    "x-acs-action": action,
    "x-acs-version": "2020-09-30",
    "x-acs-date": options.date ?? timestamp(),
    "x-acs-signature-nonce": options.nonce ?? nonce(),
    "x-acs-content-sha256": options.claimedBodyHash ?? createHash("sha256").update(body).digest("hex"),
    ...options.headers,
  };
  if (body) headers["content-type"] = "application/x-www-form-urlencoded";
  const names = Object.keys(headers)
    .filter((name) => !options.unsigned?.includes(name))
    .sort();
  const canonicalQuery = Object.keys(params)
    .sort()
    .map((k) => `${k}=${enc(params[k])}`)
    .join("&");
  const canonicalRequest = [
    "POST",
    "/",
    canonicalQuery,
    names.map((n) => `${n}:${headers[n]}\n`).join(""),
    names.join(";"),
    headers["x-acs-content-sha256"],
  ].join("\n");
  const stringToSign = "ACS3-HMAC-SHA256\n" + createHash("sha256").update(canonicalRequest).digest("hex");
  const [credential] = emu.credentials;
  const signature = createHmac("sha256", credential.accessKeySecret).update(stringToSign).digest("hex");
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${credential.accessKeyId},SignedHeaders=${names.join(";")},Signature=${signature}`;
  return rawPost(emu, `/?${toQuery(params)}`, { headers, body: body || undefined });
}
