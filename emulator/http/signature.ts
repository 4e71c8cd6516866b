import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Clock } from "../clock";
import { Errors } from "../errors";
import type { EmulatorCredential } from "../types";
import { headerValue, type IncomingApiRequest } from "./incoming";

export type SignatureStyle = "V3" | "V1" | "none";

const FIFTEEN_MINUTES = 15 * 60 * 1000;

/** Percent-encoding used by Alibaba Cloud signatures: encodeURIComponent plus `!'()*`. */
export function strictEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

export function detectSignatureStyle(request: IncomingApiRequest): SignatureStyle {
  if (headerValue(request.headers, "authorization")) return "V3";
  if (request.query.some(([key]) => key === "Signature")) return "V1";
  return "none";
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Replay protection: nonces seen in the last 15 minutes, per access key. */
class NonceCache {
  private seen = new Map<string, number>();

  /** Returns false when the nonce was already used. */
  use(key: string, now: number): boolean {
    if (this.seen.size > 10000) {
      for (const [k, expires] of this.seen) if (expires <= now) this.seen.delete(k);
    }
    const expires = this.seen.get(key);
    if (expires !== undefined && expires > now) return false;
    this.seen.set(key, now + FIFTEEN_MINUTES);
    return true;
  }

  clear(): void {
    this.seen.clear();
  }
}

export interface VerifiedCaller {
  style: SignatureStyle;
  accessKeyId?: string;
}

/**
 * Verifies ACS3-HMAC-SHA256 (header) and HMAC-SHA1 v1.0 (query) signatures exactly as `@alicloud/openapi-util`
 * computes them, plus timestamp skew, nonce replay and the STS token.
 */
export class SignatureVerifier {
  private readonly nonces = new NonceCache();

  constructor(
    private readonly credentials: () => readonly EmulatorCredential[],
    private readonly clock: Clock,
  ) {}

  reset(): void {
    this.nonces.clear();
  }

  verify(request: IncomingApiRequest): VerifiedCaller {
    const style = detectSignatureStyle(request);
    if (style === "V3") return this.verifyV3(request);
    if (style === "V1") return this.verifyV1(request);
    throw Errors.incompleteSignature("Neither an Authorization header nor a Signature parameter was sent.");
  }

  private credential(accessKeyId: string): EmulatorCredential {
    const credential = this.credentials().find((c) => c.accessKeyId === accessKeyId);
    if (!credential) throw Errors.invalidAccessKeyId();
    return credential;
  }

  private checkTimestamp(timestamp: string | undefined, name: string): void {
    if (!timestamp) throw Errors.incompleteSignature(`${name} is missing.`);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(timestamp)) throw Errors.timestampFormat(timestamp);
    const at = Date.parse(timestamp);
    if (Number.isNaN(at)) throw Errors.timestampFormat(timestamp);
    if (Math.abs(this.clock.now() - at) > FIFTEEN_MINUTES) throw Errors.timestampExpired(timestamp);
  }

  private checkNonce(accessKeyId: string, nonce: string): void {
    if (!this.nonces.use(`${accessKeyId}\n${nonce}`, this.clock.now())) throw Errors.nonceUsed();
  }

  private checkToken(credential: EmulatorCredential, token: string | undefined): void {
    if (credential.securityToken !== undefined && credential.securityToken !== token) {
      throw Errors.securityTokenMismatch();
    }
  }

  private verifyV3(request: IncomingApiRequest): VerifiedCaller {
    const authorization = headerValue(request.headers, "authorization") ?? "";
    const space = authorization.indexOf(" ");
    const algorithm = space > 0 ? authorization.slice(0, space) : authorization;
    if (algorithm !== "ACS3-HMAC-SHA256") {
      throw Errors.incompleteSignature(`Unsupported signature algorithm ${algorithm}; use ACS3-HMAC-SHA256.`);
    }
    const fields = new Map<string, string>();
    for (const part of authorization.slice(space + 1).split(",")) {
      const eq = part.indexOf("=");
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const accessKeyId = fields.get("Credential");
    const signedHeaders = fields.get("SignedHeaders");
    const signature = fields.get("Signature");
    if (!accessKeyId || !signedHeaders || !signature) {
      throw Errors.incompleteSignature("Authorization needs Credential, SignedHeaders and Signature.");
    }
    const credential = this.credential(accessKeyId);
    const headerNames = signedHeaders.split(";");
    for (const required of ["host", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"]) {
      if (!headerNames.includes(required)) throw Errors.incompleteSignature(`${required} must be signed.`);
    }
    // x-acs-action and x-acs-version pick the operation, so none of these headers may travel unsigned.
    const unsigned = Object.keys(request.headers).filter(
      (name) => name.startsWith("x-acs-") && !headerNames.includes(name),
    );
    if (unsigned.length > 0) throw Errors.incompleteSignature(`${unsigned.join(", ")} must be signed.`);
    this.checkTimestamp(headerValue(request.headers, "x-acs-date"), "x-acs-date");
    const nonce = headerValue(request.headers, "x-acs-signature-nonce");
    if (!nonce) throw Errors.incompleteSignature("x-acs-signature-nonce is missing.");
    const payloadHash = headerValue(request.headers, "x-acs-content-sha256") ?? "";
    if (payloadHash !== createHash("sha256").update(request.body).digest("hex")) {
      throw Errors.signatureDoesNotMatch("x-acs-content-sha256 does not match the request body.");
    }

    const query = new Map(request.query);
    const canonicalQuery = [...query.keys()]
      .sort()
      .map((key) => `${key}=${strictEncode(query.get(key) ?? "")}`)
      .join("&");
    const canonicalHeaders = headerNames
      .map((name) => `${name}:${(headerValue(request.headers, name) ?? "").trim()}\n`)
      .join("");
    const canonicalRequest = [
      request.method,
      request.path || "/",
      canonicalQuery,
      canonicalHeaders,
      signedHeaders,
      payloadHash,
    ].join("\n");
    const stringToSign = "ACS3-HMAC-SHA256\n" + createHash("sha256").update(canonicalRequest).digest("hex");
    const expected = createHmac("sha256", credential.accessKeySecret).update(stringToSign).digest("hex");
    if (!sameText(expected, signature.toLowerCase())) throw Errors.signatureDoesNotMatch();
    this.checkNonce(accessKeyId, nonce);
    this.checkToken(credential, headerValue(request.headers, "x-acs-security-token"));
    return { style: "V3", accessKeyId };
  }

  private verifyV1(request: IncomingApiRequest): VerifiedCaller {
    const signed = new Map([...request.query.filter(([key]) => key !== "Signature"), ...request.form]);
    const accessKeyId = signed.get("AccessKeyId");
    const signature = request.query.find(([key]) => key === "Signature")?.[1] ?? "";
    if (!accessKeyId) throw Errors.incompleteSignature("AccessKeyId is missing.");
    if (signed.get("SignatureMethod") !== "HMAC-SHA1" || signed.get("SignatureVersion") !== "1.0") {
      throw Errors.incompleteSignature("SignatureMethod must be HMAC-SHA1 and SignatureVersion 1.0.");
    }
    const credential = this.credential(accessKeyId);
    this.checkTimestamp(signed.get("Timestamp"), "Timestamp");
    const nonce = signed.get("SignatureNonce");
    if (!nonce) throw Errors.incompleteSignature("SignatureNonce is missing.");

    const canonical = [...signed.keys()]
      .sort()
      .map((key) => `${strictEncode(key)}=${strictEncode(signed.get(key) ?? "")}`)
      .join("&");
    const stringToSign = `${request.method}&${strictEncode("/")}&${strictEncode(canonical)}`;
    const expected = createHmac("sha1", credential.accessKeySecret + "&")
      .update(stringToSign)
      .digest("base64");
    if (!sameText(expected, signature)) throw Errors.signatureDoesNotMatch();
    // V1 requests are routed on the signed parameters; an unsigned header naming another operation or version
    // is refused rather than ignored, since a client sending one believes it is calling that operation.
    for (const [header, param] of [
      ["x-acs-action", "Action"],
      ["x-acs-version", "Version"],
    ] as const) {
      const value = headerValue(request.headers, header);
      if (value !== undefined && value !== signed.get(param)) {
        throw Errors.signatureDoesNotMatch(
          `The unsigned ${header} header disagrees with the signed ${param}.`,
        );
      }
    }
    this.checkNonce(accessKeyId, nonce);
    this.checkToken(credential, signed.get("SecurityToken"));
    return { style: "V1", accessKeyId };
  }
}
