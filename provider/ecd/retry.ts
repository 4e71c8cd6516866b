import { EcdApiError } from "./errors";

export interface RetryPolicy {
  /** Total attempts including the first, for retryable errors other than throttling. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * How long a throttled call is retried when it has no deadline of its own (a step's calls carry the step's
   * timeout as their deadline and are retried until then).
   */
  throttleWindowMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  throttleWindowMs: 30 * 60_000,
};

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
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export interface RetryState {
  /** Attempts sent so far for this call (the failed one included). */
  attempts: number;
  /** How many of them were throttled. */
  throttled: number;
  /** When the call was first sent. */
  startedAt: number;
  /** The call's own deadline (the step's timeout), if any. */
  deadline?: number;
}

export type RetryDecision =
  { retry: true; delayMs: number } | { retry: false; reason: "attempts" | "deadline" };

/**
 * Whether a call whose last attempt failed with a retryable error is sent again, and after how long.
 *
 * A throttled attempt did nothing on the service, so it is always safe to send again: throttling is retried until
 * the call's deadline (else `throttleWindowMs` after its first attempt), however many attempts that takes. The
 * wait is full-jitter backoff on the count of throttled attempts (ECD's throttling answers carry no Retry-After,
 * and Alibaba Cloud's guidance for Throttling is exponential backoff), cut to end at the deadline so that the
 * last try comes at the deadline and not before it. Other retryable errors keep `maxAttempts`.
 */
export function nextRetry(
  policy: RetryPolicy,
  state: RetryState,
  throttled: boolean,
  now: number,
  random: () => number = Math.random,
): RetryDecision {
  const deadline = state.deadline ?? (throttled ? state.startedAt + policy.throttleWindowMs : undefined);
  if (throttled) {
    if (now >= deadline!) return { retry: false, reason: "deadline" };
    const delayMs = backoffDelay(policy, state.throttled - 1, random);
    return { retry: true, delayMs: Math.min(delayMs, deadline! - now) };
  }
  if (state.attempts >= policy.maxAttempts) return { retry: false, reason: "attempts" };
  const delayMs = backoffDelay(policy, state.attempts - 1, random);
  if (deadline !== undefined && now + delayMs > deadline) return { retry: false, reason: "deadline" };
  return { retry: true, delayMs };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
