export * from "./client";
export * from "./errors";
export * from "./operations";
export { resolveCredentials } from "./credentials";
export type { StaticCredentials, ResolvedCredentials } from "./credentials";
export { resolveEndpoint, ENDPOINT_ENV } from "./endpoint";
export { DEFAULT_RETRY_POLICY, isRetryableApiError, isThrottling, backoffDelay, nextRetry } from "./retry";
export { Pacer, parseQps, processPacer, QPS_ENV, systemPacingClock } from "./pacing";
export type {
  ActionStats,
  AttemptOutcome,
  CallPacer,
  PacingClock,
  PacingOptions,
  PacingStats,
} from "./pacing";
export type { RetryPolicy } from "./retry";
export { toWire, flattenWire, fromWire } from "./wire";
