import type { EcdClient } from "../ecd/client";
import type { Desktop } from "../ecd/operations";
import { GONE } from "./statuses";

/** What a wait waits for: an operation this run just started on the desktops. */
export type Operation = "create" | "release" | "entitlement" | "power" | "change";

/**
 * The shortest time each operation takes on ECD, from the call to the desktops showing its result. A wait's first
 * look comes at 1.1 × this (at least one interval, 2 s). A user assignment "typically" takes "1 to 5 seconds";
 * check it "every 2 to 5 seconds ... within 50 seconds" (the ModifyEntitlement description of the official SDK):
 * from 1 s the first look comes at 2 s and the interval (10 % of the time waited, at least 2 s) stays within
 * 2-5 s for 50 s. Assumption for the others (no source gives figures; ECD reports provisioning in minutes).
 */
export const SHORTEST_MS: Readonly<Record<Operation, number>> = {
  create: 60_000,
  release: 20_000,
  entitlement: 1_000,
  power: 20_000,
  change: 20_000,
};

/** The detection target: a wait ends at most this share of the operation's duration after the service is done. */
export const DETECTION_SHARE = 0.1;

export interface PollSettings {
  /** Shortest interval between polls (the floor of the detection delay). */
  intervalMs: number;
  /** Longest interval between polls. */
  maxIntervalMs: number;
  /** Shortest duration of each operation (first look at 1.1 × it); an operation not listed is looked at after intervalMs. */
  shortestMs: Partial<Record<Operation, number>>;
  /** Progress lines are printed at most this often (and on the last poll). */
  progressEveryMs: number;
  log: (line: string) => void;
  sleep: (ms: number) => Promise<void>;
}

/**
 * The polling schedule of every wait. Each poll comes DETECTION_SHARE of the elapsed time after the one before
 * (within [intervalMs, maxIntervalMs]), so a wait ends at most 10 % of the operation's duration (or one interval)
 * after the service is done; waiting for an operation just started, the first look comes at 1.1 × its shortest
 * duration. Any schedule with that guarantee polls at least as often (scripts/bench/lowerBound.ts).
 */
export function firstLookMs(poll: PollSettings, after: Operation | undefined): number {
  if (!after) return 0;
  return Math.max(poll.intervalMs, (poll.shortestMs[after] ?? 0) * (1 + DETECTION_SHARE));
}

export function nextIntervalMs(poll: PollSettings, elapsedMs: number): number {
  return Math.min(poll.maxIntervalMs, Math.max(poll.intervalMs, Math.ceil(elapsedMs * DETECTION_SHARE)));
}

export class WaitTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly pending: Desktop[],
  ) {
    super(
      `timed out waiting for ${what}: ${pending.length} desktop(s) not there yet (${pending
        .slice(0, 10)
        .map((d) => `${d.desktopId}=${d.desktopStatus}`)
        .join(", ")}${pending.length > 10 ? ", ..." : ""})`,
    );
    this.name = "WaitTimeoutError";
  }
}

export interface WaitRequest {
  ids: string[];
  /** True when a desktop is where we want it (or in a terminal state we accept, e.g. Failed). */
  settled: (desktop: Desktop) => boolean;
  /** A desktop that no longer exists is settled when this is true (waiting for deletion). */
  goneIsSettled: boolean;
  deadline: number;
  label: string;
  /** The operation this run just started on the desktops: the first look waits for its shortest duration. */
  after?: Operation;
}

/** A desktop the wait needs vanished (deleted outside Pulumi, or released by the service). */
export class DesktopGoneError extends Error {
  constructor(
    readonly what: string,
    readonly gone: string[],
  ) {
    super(
      `${gone.length} desktop(s) disappeared while ${what}: ${gone.join(", ")} (deleted outside Pulumi?). ` +
        `The batch no longer counts them; the next pulumi up creates replacements.`,
    );
    this.name = "DesktopGoneError";
  }
}

/** Polls in which a desktop may not show yet right after CreateDesktops returned its ID. */
const NOT_YET_LISTED_POLLS = 3;

/** Desktops described per probe: one DescribeDesktops call. */
const PROBE_SIZE = 100;

/**
 * Polls DescribeDesktops until every desktop is settled; returns the last view of them. Each poll describes the
 * first 100 desktops still pending — one call — and moves on to the next 100 without sleeping as soon as those
 * are settled, so a wait costs about one call per poll plus one per 100 desktops, whatever the batch size. Polls
 * follow firstLookMs and nextIntervalMs.
 */
export async function waitForDesktops(
  client: EcdClient,
  request: WaitRequest,
  poll: PollSettings,
): Promise<Desktop[]> {
  if (!request.ids.length) return [];
  let elapsed = firstLookMs(poll, request.after);
  let lastPrinted = 0;
  const latest = new Map<string, Desktop>();
  const seen = new Set<string>();
  const unlisted = new Map<string, number>();
  let pending = [...new Set(request.ids)];
  if (elapsed && pending.length) await poll.sleep(elapsed);
  for (;;) {
    let progressed = false;
    while (pending.length) {
      const probe = pending.slice(0, PROBE_SIZE);
      const listed = await client.describeDesktops(
        { desktopIds: probe, maxResults: PROBE_SIZE },
        { deadline: request.deadline },
      );
      // Waiting for a state, a desktop being deleted is as good as gone; waiting for deletion, it is not yet.
      const present = (listed.desktops ?? []).filter(
        (desktop) => request.goneIsSettled || !GONE.has(desktop.desktopStatus),
      );
      const byId = new Map(present.map((desktop) => [desktop.desktopId, desktop]));
      const gone: string[] = [];
      for (const id of probe) {
        const desktop = byId.get(id);
        if (desktop) {
          latest.set(id, desktop);
          seen.add(id);
          continue;
        }
        latest.delete(id);
        const misses = (unlisted.get(id) ?? 0) + 1;
        unlisted.set(id, misses);
        if (!request.goneIsSettled && (seen.has(id) || misses > NOT_YET_LISTED_POLLS)) gone.push(id);
      }
      if (gone.length) throw new DesktopGoneError(request.label, gone);
      const busy = probe.filter((id) => {
        const desktop = latest.get(id);
        return desktop ? !request.settled(desktop) : !request.goneIsSettled;
      });
      if (busy.length < probe.length) progressed = true;
      pending = [...busy, ...pending.slice(probe.length)];
      if (busy.length) break;
    }
    const settled = request.ids.length - pending.length;
    const now = Date.now();
    const done = pending.length === 0;
    if (
      done ||
      now - lastPrinted >= poll.progressEveryMs ||
      (progressed && now - lastPrinted >= poll.progressEveryMs / 4)
    ) {
      // Waiting for deletion, a desktop shown Deleted is not gone yet: say so rather than "0/3 (3 Deleted)".
      const counted = request.goneIsSettled
        ? `${settled}/${request.ids.length} gone`
        : `${settled}/${request.ids.length}`;
      poll.log(`${request.label}: ${counted}${summarize([...latest.values()], request.goneIsSettled)}`);
      lastPrinted = now;
    }
    if (done) return request.ids.flatMap((id) => (latest.has(id) ? [latest.get(id) as Desktop] : []));
    const interval = nextIntervalMs(poll, elapsed);
    if (now + interval > request.deadline) {
      throw new WaitTimeoutError(
        request.label,
        pending.map((id) => latest.get(id) ?? { desktopId: id, desktopStatus: "missing" }),
      );
    }
    await poll.sleep(interval);
    elapsed += interval;
  }
}

function summarize(desktops: Desktop[], deleting: boolean): string {
  const counts = new Map<string, number>();
  for (const desktop of desktops) {
    const status = deleting && GONE.has(desktop.desktopStatus) ? "being deleted" : desktop.desktopStatus;
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  if (counts.size === 0) return "";
  return ` (${[...counts.entries()].map(([status, n]) => `${n} ${status}`).join(", ")})`;
}
