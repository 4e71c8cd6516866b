/**
 * Client-side pacing. ECD throttles per access key and action (400 Throttling.User), so every EcdClient of a
 * process draws on one budget: the batches one provider process serves together slow down together instead of
 * each discovering the limit by being throttled and retrying.
 *
 * Per (scope, action), where the scope is the endpoint and access key the service counts against:
 * - open (unpaced) until the service throttles, unless a known QPS is given (or START_QPS names the action);
 * - on a throttling answer, the rate drops to half of what was sent in the last second (or half the current
 *   rate), at most once a second since the calls already in flight were sent at the old rate;
 * - while paced, calls are spaced 1/rate apart (no burst) and successes raise the rate by `increasePerSecond`
 *   for each second in which calls passed (a success adds that share of the time since the last raise, at most
 *   1/rate and at most one second's worth): additive increase, multiplicative decrease, as TCP congestion
 *   control does;
 * - a known QPS (PULUMI_ECD_QPS) is where the action starts and a ceiling it never exceeds.
 *
 * Processes that share one account know nothing of each other, yet AIMD brings them to a fair share: each
 * throttle halves a rate (a large rate loses more than a small one), each second of success adds the same to
 * every rate, so the differences between them shrink with every cycle (Chiu and Jain, 1989). The floor is low
 * (`minQps`) so that a hundred processes at the floor still fit under a quota of a few calls a second.
 */

/**
 * Actions paced from their first call, before the service throttles: CreateDesktops makes up to 300 desktops a
 * call, so no program needs it faster than this, and the batches of one `pulumi up` then meet no modest quota
 * with their first calls at once. The rate still grows while the service accepts (PULUMI_ECD_QPS overrides).
 */
export const START_QPS: Readonly<Record<string, number>> = { CreateDesktops: 5 };

export interface PacingClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemPacingClock: PacingClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface PacingOptions {
  clock?: PacingClock;
  /** Known QPS per action: these actions start paced at this rate instead of open, and never exceed it. */
  qps?: Record<string, number>;
  /** The rate never drops below this (QPS). */
  minQps?: number;
  /** Factor applied to the rate on throttling. */
  decrease?: number;
  /** QPS gained per second of successful calls at full pace. */
  increasePerSecond?: number;
  /** Above this the rate stops growing (QPS). */
  maxQps?: number;
  /** Told each time throttling lowers an action's rate. */
  log?: (line: string) => void;
}

export type AttemptOutcome = "ok" | "throttled" | "failed";

/** What every client calls around each attempt it sends. */
export interface CallPacer {
  /** Resolves when `action` may be sent in `scope`. */
  before(scope: string, action: string): Promise<void>;
  after(scope: string, action: string, outcome: AttemptOutcome): void;
}

export interface ActionStats {
  calls: number;
  throttled: number;
  /** Current paced rate; absent while the action is open. */
  qps?: number;
}

export interface PacingStats {
  calls: number;
  throttled: number;
  /** Sum over calls of the time each waited for its slot. */
  waitedMs: number;
  byAction: Record<string, ActionStats>;
}

interface Lane {
  rate?: number;
  /** The known QPS of the action: the rate never exceeds it. */
  ceiling: number;
  /** When successes last raised the rate (or throttling cut it). */
  lastRaise: number;
  /** When the next paced call may go (theoretical arrival time). */
  nextAt: number;
  lastCut: number;
  /** Send times within the last second, for the first cut. */
  recent: number[];
}

const WINDOW_MS = 1000;
/** The lowest paced rate: 100 processes at it send 10 calls a second. */
export const MIN_QPS = 0.1;

export class Pacer implements CallPacer {
  private readonly clock: PacingClock;
  private readonly settings: Required<Omit<PacingOptions, "clock" | "qps" | "log">> & {
    start: Record<string, number>;
    known: Record<string, number>;
  };
  private readonly log?: (line: string) => void;
  private lanes = new Map<string, Lane>();
  private totals: PacingStats = { calls: 0, throttled: 0, waitedMs: 0, byAction: {} };

  constructor(options: PacingOptions = {}) {
    this.clock = options.clock ?? systemPacingClock;
    this.log = options.log;
    this.settings = {
      start: { ...START_QPS, ...options.qps },
      known: { ...options.qps },
      minQps: options.minQps ?? MIN_QPS,
      decrease: options.decrease ?? 0.5,
      increasePerSecond: options.increasePerSecond ?? 1,
      maxQps: options.maxQps ?? 1000,
    };
  }

  async before(scope: string, action: string): Promise<void> {
    const lane = this.lane(scope, action);
    const now = this.clock.now();
    let sendAt = now;
    if (lane.rate !== undefined) {
      sendAt = Math.max(now, lane.nextAt);
      lane.nextAt = sendAt + 1000 / lane.rate;
    }
    this.count(action).calls += 1;
    this.totals.calls += 1;
    lane.recent.push(sendAt);
    if (sendAt > now) {
      this.totals.waitedMs += sendAt - now;
      await this.clock.sleep(sendAt - now);
    }
  }

  after(scope: string, action: string, outcome: AttemptOutcome): void {
    const lane = this.lane(scope, action);
    const { minQps, decrease, increasePerSecond, maxQps } = this.settings;
    const now = this.clock.now();
    if (outcome === "ok" && lane.rate !== undefined) {
      // At full pace a success comes every 1/rate s; the cap at one second keeps a slow lane from leaping.
      const seconds = Math.min(WINDOW_MS, 1000 / lane.rate, Math.max(0, now - lane.lastRaise)) / 1000;
      lane.rate = Math.min(maxQps, lane.ceiling, lane.rate + increasePerSecond * seconds);
      lane.lastRaise = now;
    }
    if (outcome !== "throttled") return;
    this.count(action).throttled += 1;
    this.totals.throttled += 1;
    if (lane.rate === undefined) {
      lane.recent = lane.recent.filter((at) => at > now - WINDOW_MS);
      lane.rate = Math.max(minQps, lane.recent.length * decrease);
    } else if (now - lane.lastCut >= WINDOW_MS) {
      lane.rate = Math.max(minQps, lane.rate * decrease);
    } else {
      return;
    }
    lane.lastCut = now;
    lane.lastRaise = now;
    lane.nextAt = Math.max(lane.nextAt, now + 1000 / lane.rate);
    const { calls, throttled } = this.count(action);
    this.log?.(
      `ECD throttled ${action} (${throttled} of ${calls} calls so far); pacing it at ${lane.rate.toFixed(1)} calls/s`,
    );
  }

  /** Calls, throttling answers and waiting so far, in total and per action (all scopes together). */
  stats(): PacingStats {
    const byAction: Record<string, ActionStats> = {};
    for (const [action, stats] of Object.entries(this.totals.byAction)) byAction[action] = { ...stats };
    for (const [key, lane] of this.lanes) {
      const action = key.slice(key.indexOf("\n") + 1);
      if (lane.rate !== undefined) byAction[action].qps = lane.rate;
    }
    return { ...this.totals, byAction };
  }

  /** Forgets every rate and count. */
  reset(): void {
    this.lanes = new Map();
    this.totals = { calls: 0, throttled: 0, waitedMs: 0, byAction: {} };
  }

  private lane(scope: string, action: string): Lane {
    const key = `${scope}\n${action}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = {
        rate: this.settings.start[action],
        ceiling: this.settings.known[action] ?? Infinity,
        lastRaise: this.clock.now(),
        nextAt: 0,
        lastCut: -Infinity,
        recent: [],
      };
      this.lanes.set(key, lane);
    }
    // Only the last second matters for the first cut.
    if (lane.recent.length > 64) lane.recent = lane.recent.filter((at) => at > this.clock.now() - WINDOW_MS);
    return lane;
  }

  private count(action: string): ActionStats {
    return (this.totals.byAction[action] ??= { calls: 0, throttled: 0 });
  }
}

/** Environment variable with the account's known per-action quotas, e.g. `CreateDesktops=5,DescribeDesktops=20`. */
export const QPS_ENV = "PULUMI_ECD_QPS";

/** Parses `Action=QPS[,Action=QPS]`; entries that are not a positive number are an error. */
export function parseQps(text: string | undefined): Record<string, number> {
  const qps: Record<string, number> = {};
  for (const pair of (text ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [action, value] = pair.split("=").map((part) => part.trim());
    const n = Number(value);
    if (!action || !(n > 0) || !Number.isFinite(n)) {
      throw new Error(`${QPS_ENV}: expected Action=QPS with QPS > 0, got "${pair}"`);
    }
    qps[action] = n;
  }
  return qps;
}

/**
 * The budget every EcdClient of this process shares unless given its own. Actions named in PULUMI_ECD_QPS start
 * paced at those rates, so batches served together stay under known quotas from their first call.
 */
export const processPacer = new Pacer({
  qps: parseQps(process.env[QPS_ENV]),
  log: (line) => console.log(`[pulumi-ecd] ${line}`),
});
