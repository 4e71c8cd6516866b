/**
 * Everything a caller needs to act on a failed ECD call, as values. Messages are one sentence: what failed,
 * where (scheme and host only: never a URL query, which with V1 signatures holds the key ID, signature and STS
 * token), and for set-up mistakes which setting to check; the ECD code and request ID stay, in the message and
 * as fields. The secret and the STS token never appear here.
 */
export interface EcdErrorFields {
  operation: string;
  code: string;
  /** What the service (or the transport) said; replaced in the sentence by `hint` when there is one. */
  message: string;
  requestId?: string;
  httpStatus?: number;
  recommend?: string;
  hostId?: string;
  /** `scheme://host[:port]` the call went to. */
  endpoint?: string;
  /** What to do about it, for mistakes in the set-up (credentials, endpoint, region). */
  hint?: string;
}

function sentence(fields: EcdErrorFields, verb = "failed"): string {
  const where = fields.endpoint ? ` at ${fields.endpoint}` : "";
  const what = (fields.hint ?? fields.message).replace(/[.\s]+$/, "");
  const facts = [
    fields.code,
    fields.httpStatus !== undefined ? `HTTP ${fields.httpStatus}` : undefined,
    fields.requestId ? `request id ${fields.requestId}` : undefined,
  ].filter((part) => part !== undefined);
  return `${fields.operation} ${verb}${where}: ${what} (${facts.join(", ")})`;
}

export class EcdApiError extends Error implements EcdErrorFields {
  readonly operation: string;
  readonly code: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  readonly recommend?: string;
  readonly hostId?: string;
  readonly endpoint?: string;
  readonly hint?: string;
  /** The service's (or transport's) own words, URL-free. */
  readonly detail: string;

  constructor(fields: EcdErrorFields, verb?: string) {
    super(sentence({ ...fields, message: stripUrls(fields.message) }, verb));
    this.name = "EcdApiError";
    this.operation = fields.operation;
    this.code = fields.code;
    this.requestId = fields.requestId;
    this.httpStatus = fields.httpStatus;
    this.recommend = fields.recommend;
    this.hostId = fields.hostId;
    this.endpoint = fields.endpoint;
    this.hint = fields.hint;
    this.detail = stripUrls(fields.message);
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      operation: this.operation,
      code: this.code,
      requestId: this.requestId,
      httpStatus: this.httpStatus,
      endpoint: this.endpoint,
      recommend: this.recommend,
      hostId: this.hostId,
    };
  }
}

/**
 * A non-idempotent call (CreateDesktops has no ClientToken) was sent but no usable answer came back (none at
 * all, or one that is not a complete, well-formed success): it may or may not have been applied. Re-sending
 * could duplicate desktops, so the caller must reconcile.
 */
export class EcdOutcomeUnknownError extends EcdApiError {
  /** What went wrong, without the raw transport error (its message carries the request URL and query). */
  override readonly cause: Error;
  constructor(
    operation: string,
    cause: unknown,
    details: { endpoint?: string; requestId?: string; what?: string } = {},
  ) {
    const what = details.what ?? `the request was sent but no response arrived (${describeCause(cause)})`;
    super(
      {
        operation,
        code: "OutcomeUnknown",
        message: `${what}; it may have been applied, so it is not sent again`,
        endpoint: details.endpoint,
        requestId: details.requestId,
      },
      "outcome is unknown",
    );
    this.name = "EcdOutcomeUnknownError";
    this.cause = safeCause(cause);
  }
}

export class EcdCredentialsError extends Error {
  constructor(readonly lookedAt: string[]) {
    super(
      "No Alibaba Cloud credentials found. Looked at: " +
        lookedAt.join("; ") +
        ". Set alicloud:accessKey / alicloud:secretKey (as secrets) in the stack config, or ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET in the environment.",
    );
    this.name = "EcdCredentialsError";
  }
}

/** Removes request lines and URL queries that transport errors append ("…POST http://h/?RegionId=… failed."). */
export function stripUrls(text: string): string {
  return text
    .replace(/\s*(GET|POST|PUT|DELETE|PATCH|HEAD) https?:\/\/\S*( failed\.?)?/g, "")
    .replace(/(https?:\/\/[^\s?#]*)[?#]\S*/g, "$1")
    .trim();
}

const TRANSPORT_WORDS: Record<string, (cause: { hostname?: unknown }) => string> = {
  ECONNREFUSED: () => "nothing is listening there",
  ENOTFOUND: (c) => `the host name ${typeof c.hostname === "string" ? `${c.hostname} ` : ""}does not resolve`,
  EAI_AGAIN: (c) =>
    `the host name ${typeof c.hostname === "string" ? `${c.hostname} ` : ""}could not be resolved right now`,
  EHOSTUNREACH: () => "the host cannot be reached",
  ENETUNREACH: () => "the network cannot be reached",
  ECONNRESET: () => "the connection was closed before an answer came",
  EPIPE: () => "the connection was closed while sending",
  ETIMEDOUT: () => "the connection timed out",
};

/** One URL-free phrase for a thrown transport or parse error, with its code in parentheses. */
/** Errors from Node's own modules fail `instanceof Error` inside jest's sandbox: recognise them by shape. */
function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (typeof value === "object" && value !== null && typeof (value as Error).message === "string")
  );
}

export function describeCause(cause: unknown): string {
  if (!isErrorLike(cause)) return stripUrls(String(cause));
  const code = (cause as { code?: unknown }).code;
  const timeout = /^(\w*Timeout)\((\d+)\)/.exec(cause.message);
  if (cause.name === "RequestTimeoutError" && timeout)
    return `no answer within ${timeout[2]} ms (${timeout[1]})`;
  if (cause.name === "SyntaxError") return describeBadBody(cause.message);
  if (typeof code === "string" && TRANSPORT_WORDS[code])
    return `${TRANSPORT_WORDS[code](cause as { hostname?: unknown })} (${code})`;
  const text = stripUrls(cause.message);
  return typeof code === "string" && code !== "undefined" && !text.includes(code)
    ? `${text} (${code})`
    : text;
}

/** What a body that failed to parse as JSON looked like. */
function describeBadBody(parseError: string): string {
  if (/"\s*</.test(parseError))
    return "the answer was an HTML page, not JSON (a proxy or gateway error page)";
  if (/end of JSON input|Unterminated|\bExpected\b/.test(parseError))
    return "the answer's JSON was cut off before its end";
  return "the answer was not JSON";
}

/** An Error that keeps the code and the URL-free description of a thrown value, and nothing else. */
function safeCause(cause: unknown): Error {
  const safe = new Error(describeCause(cause));
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === "string") (safe as Error & { code?: string }).code = code;
  safe.name = isErrorLike(cause) && typeof cause.name === "string" ? cause.name : "Error";
  return safe;
}

/** The transport-level failure kinds our retry policy distinguishes. */
export type TransportFailure = "not-sent" | "no-response" | "bad-response" | "untrusted";

const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
const NO_RESPONSE_CODES = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "ESOCKETTIMEDOUT", "ECONNABORTED"]);
/** Node's certificate verification failures: the server is not who the endpoint says; retrying cannot help. */
const TLS_CODES =
  /^(CERT_|ERR_TLS_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)_|ERR_SSL_)/;

/** Sorts an error thrown by @alicloud/openapi-client into an API error or a transport failure. */
export function classifyThrown(
  operation: string,
  thrown: unknown,
): { kind: "api"; error: EcdApiError } | { kind: TransportFailure; cause: unknown } {
  const raw = thrown as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    statusCode?: unknown;
    data?: Record<string, unknown>;
  };
  if (raw && typeof raw === "object" && raw.data && typeof raw.statusCode === "number") {
    const data = raw.data;
    const str = (...keys: string[]): string | undefined => {
      for (const key of keys) {
        const value = data[key];
        if (typeof value === "string" && value !== "") return value;
      }
      return undefined;
    };
    return {
      kind: "api",
      error: new EcdApiError({
        operation,
        code: str("Code", "code") ?? (typeof raw.code === "string" ? raw.code : "Unknown"),
        message: str("Message", "message") ?? "no message",
        requestId: str("RequestId", "requestId"),
        httpStatus: raw.statusCode,
        recommend: str("Recommend", "recommend"),
        hostId: str("HostId", "hostId"),
      }),
    };
  }
  const code = typeof raw?.code === "string" ? raw.code : undefined;
  if (raw?.name === "RequestTimeoutError") {
    // httpx uses the connect timeout as the socket idle timeout too, so even "ConnectTimeout" can fire after the
    // request went out: a timeout never proves that nothing was applied.
    return { kind: "no-response", cause: thrown };
  }
  if (code && TLS_CODES.test(code)) return { kind: "untrusted", cause: thrown };
  if (code && NOT_SENT_CODES.has(code)) return { kind: "not-sent", cause: thrown };
  if (code && NO_RESPONSE_CODES.has(code)) return { kind: "no-response", cause: thrown };
  if (raw?.name === "SyntaxError") return { kind: "bad-response", cause: thrown };
  const message = typeof raw?.message === "string" ? raw.message : "";
  if (/socket hang up|ECONNRESET|aborted/i.test(message)) return { kind: "no-response", cause: thrown };
  return { kind: "bad-response", cause: thrown };
}
