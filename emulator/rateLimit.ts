/**
 * The gateway's per-user flow control, as the fault layer applies it: one token bucket per access key and action,
 * refilled on the emulator's clock, so a ManualClock makes throttling deterministic.
 */

/**
 * Assumption: ECD publishes no per-action QPS figures (the console shows them per account). These are modest on
 * purpose: one caller per resource (one call per desktop) runs into them at a few hundred desktops, while a
 * batching caller (100 IDs a call) stays far below. Each bucket holds one second's worth of calls.
 */
export const DEFAULT_RATE_LIMIT_QPS: Readonly<Record<string, number>> = {
  CreateDesktops: 5,
  DeleteDesktops: 10,
  DescribeDesktops: 20,
  ListTagResources: 20,
};
/** Reads not in the table above. */
export const DEFAULT_READ_QPS = 20;
/** Writes not in the table above. */
export const DEFAULT_WRITE_QPS = 10;

function isRead(action: string): boolean {
  return action.startsWith("Describe") || action.startsWith("List");
}

/** The QPS limit of one action: an override, else the table, else the read/write default. */
export function qpsFor(action: string, overrides: Readonly<Record<string, number>> = {}): number {
  return (
    overrides[action] ??
    DEFAULT_RATE_LIMIT_QPS[action] ??
    (isRead(action) ? DEFAULT_READ_QPS : DEFAULT_WRITE_QPS)
  );
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private buckets = new Map<string, Bucket>();

  /** Takes one token for (accessKeyId, action) at `now`; false when the bucket is empty (the call is throttled). */
  take(accessKeyId: string, action: string, now: number, qps: number): boolean {
    const key = `${accessKeyId}\n${action}`;
    const capacity = Math.max(1, qps);
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (Math.max(0, now - bucket.at) * qps) / 1000);
    bucket.at = Math.max(bucket.at, now);
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  reset(): void {
    this.buckets.clear();
  }
}
