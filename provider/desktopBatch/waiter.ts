import type { EcdClient } from "../ecd/client";
import type { Desktop } from "../ecd/operations";
import { GONE } from "./statuses";

export interface PollSettings {
  /** First interval; it grows ×1.5 while nothing changes, up to maxIntervalMs, and resets on progress. */
  intervalMs: number;
  maxIntervalMs: number;
  /** Progress lines are printed at most this often (and on the last poll). */
  progressEveryMs: number;
  log: (line: string) => void;
  sleep: (ms: number) => Promise<void>;
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
  /** Called after every poll (keeps a create's hold on its desktops alive). */
  onPoll?: () => Promise<void>;
  /** Desktops just asked for are not there yet: the first look waits one interval. */
  startLater?: boolean;
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
 * are settled, so a wait costs about one call per poll plus one per 100 desktops, whatever the batch size. The
 * interval starts at `intervalMs`, grows ×1.5 while nothing settles (up to `maxIntervalMs`) and starts over on
 * progress.
 */
export async function waitForDesktops(
  client: EcdClient,
  request: WaitRequest,
  poll: PollSettings,
): Promise<Desktop[]> {
  let interval = poll.intervalMs;
  let lastPrinted = 0;
  const latest = new Map<string, Desktop>();
  const seen = new Set<string>();
  const unlisted = new Map<string, number>();
  let pending = [...new Set(request.ids)];
  if (request.startLater && pending.length) await poll.sleep(interval);
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
      poll.log(`${request.label}: ${settled}/${request.ids.length}${summarize([...latest.values()])}`);
      lastPrinted = now;
    }
    if (done) return request.ids.flatMap((id) => (latest.has(id) ? [latest.get(id) as Desktop] : []));
    if (now + interval > request.deadline) {
      throw new WaitTimeoutError(
        request.label,
        pending.map((id) => latest.get(id) ?? { desktopId: id, desktopStatus: "missing" }),
      );
    }
    interval = progressed ? poll.intervalMs : Math.min(poll.maxIntervalMs, Math.ceil(interval * 1.5));
    await request.onPoll?.();
    await poll.sleep(interval);
  }
}

function summarize(desktops: Desktop[]): string {
  const counts = new Map<string, number>();
  for (const desktop of desktops)
    counts.set(desktop.desktopStatus, (counts.get(desktop.desktopStatus) ?? 0) + 1);
  if (counts.size === 0) return "";
  return ` (${[...counts.entries()].map(([status, n]) => `${n} ${status}`).join(", ")})`;
}
