import { EcdApiError } from "./errors";

export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 10_000 };

const RETRYABLE_CODES = new Set(["ServiceUnavailable", "InternalError", "UnknownError", "OperationConflict"]);

/** The service's flow control refused the call (Throttling, Throttling.User, Throttling.Api, Rejected.Throttling). */
export function isThrottling(error: Pick<EcdApiError, "code">): boolean {
  return error.code.startsWith("Throttling") || error.code.includes(".Throttling");
}

/** Throttling of any flavour, the service's own transient failures, and any 5xx answer. */
export function isRetryableApiError(error: EcdApiError): boolean {
  if (isThrottling(error)) return true;
  if (RETRYABLE_CODES.has(error.code)) return true;
  return error.httpStatus !== undefined && error.httpStatus >= 500;
}

/** "Full jitter" exponential backoff: uniform in [0, min(cap, base·2^attempt)]. */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
