import type { Clock } from "./clock";
import type { LifecycleDurations, ServiceVariants } from "./model/types";

/** Public option types of the emulator (re-exported from index.ts). */

export interface EmulatorCredential {
  accessKeyId: string;
  accessKeySecret: string;
  /** When set, requests signed with this key must carry this STS token. */
  securityToken?: string;
}

export interface FaultConfig {
  /** Share (0..1) of calls answered 400 Throttling.User. */
  throttleRate?: number;
  /** Share (0..1) of calls answered 503 ServiceUnavailable or 500 InternalError. */
  serverErrorRate?: number;
  /** Share (0..1) of calls whose socket is destroyed before anything is applied. */
  dropConnectionRate?: number;
  /** Share (0..1) of CreateDesktops calls that are applied, then lose their response. */
  createResponseLostRate?: number;
  /** Delay before every answer, in ms. */
  latencyMs?: number;
  /** Share (0..1) of newly created desktops that end in Failed instead of Running. */
  failedDesktopRate?: number;
  /**
   * The gateway's per-user flow control: a token bucket per access key and action, refilled on the lifecycle
   * clock; an empty bucket answers 400 Throttling.User without running the call. Off by default.
   */
  rateLimit?: boolean;
  /** QPS per action overriding the built-in table (emulator/rateLimit.ts) while rateLimit is on. */
  rateLimitQps?: Record<string, number>;
  /** When set, the rates and latency apply only to these actions (the rate limit covers every action). */
  actions?: string[];
}

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  credentials?: EmulatorCredential[];
  regions?: string[];
  /** Clock for the desktop lifecycle; a ManualClock makes tests deterministic. */
  clock?: Clock;
  /** Clock the signature timestamp check compares against; the real wall clock by default. */
  signatureClock?: Clock;
  durations?: Partial<LifecycleDurations>;
  /** Service behaviours official texts leave open (model/types.ts ServiceVariants). */
  variants?: Partial<ServiceVariants>;
  faults?: FaultConfig;
  seed?: number;
  verifySignatures?: boolean;
}

export type { LifecycleDurations, ServiceVariants };
