/** Everything a caller needs to act on a failed ECD call. The secret never appears here. */
export interface EcdErrorFields {
  operation: string;
  code: string;
  message: string;
  requestId?: string;
  httpStatus?: number;
  recommend?: string;
  hostId?: string;
}

export class EcdApiError extends Error implements EcdErrorFields {
  readonly operation: string;
  readonly code: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  readonly recommend?: string;
  readonly hostId?: string;

  constructor(fields: EcdErrorFields) {
    const suffix = [
      fields.httpStatus !== undefined ? `HTTP ${fields.httpStatus}` : undefined,
      fields.requestId ? `request id ${fields.requestId}` : undefined,
    ]
      .filter((part) => part !== undefined)
      .join(", ");
    super(`${fields.operation} failed: ${fields.code}: ${fields.message}${suffix ? ` (${suffix})` : ""}`);
    this.name = "EcdApiError";
    this.operation = fields.operation;
    this.code = fields.code;
    this.requestId = fields.requestId;
    this.httpStatus = fields.httpStatus;
    this.recommend = fields.recommend;
    this.hostId = fields.hostId;
  }
}

/**
 * A non-idempotent call (CreateDesktops has no ClientToken) was sent but no answer came back:
 * it may or may not have been applied. Re-sending could duplicate desktops, so the caller must reconcile.
 */
export class EcdOutcomeUnknownError extends EcdApiError {
  override readonly cause: unknown;
  constructor(operation: string, cause: unknown) {
    super({
      operation,
      code: "OutcomeUnknown",
      message:
        cause instanceof EcdApiError
          ? `the service answered ${cause.code} (${cause.message}), which does not say whether the request was applied`
          : `the request was sent but no response arrived (${describeCause(cause)}); it may have been applied`,
      requestId: cause instanceof EcdApiError ? cause.requestId : undefined,
      httpStatus: cause instanceof EcdApiError ? cause.httpStatus : undefined,
    });
    this.name = "EcdOutcomeUnknownError";
    this.cause = cause;
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

export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" && code !== "undefined" ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}

/** The transport-level failure kinds our retry policy distinguishes. */
export type TransportFailure = "not-sent" | "no-response" | "bad-response";

const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
const NO_RESPONSE_CODES = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "ESOCKETTIMEDOUT", "ECONNABORTED"]);

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
  if (code && NOT_SENT_CODES.has(code)) return { kind: "not-sent", cause: thrown };
  if (code && NO_RESPONSE_CODES.has(code)) return { kind: "no-response", cause: thrown };
  if (raw?.name === "SyntaxError") return { kind: "bad-response", cause: thrown };
  const message = typeof raw?.message === "string" ? raw.message : "";
  if (/socket hang up|ECONNRESET|aborted/i.test(message)) return { kind: "no-response", cause: thrown };
  return { kind: "bad-response", cause: thrown };
}
