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

/** Polls DescribeDesktops (100 IDs a call) until every desktop is settled; returns the last view of them. */
export async function waitForDesktops(
  client: EcdClient,
  request: WaitRequest,
  poll: PollSettings,
): Promise<Desktop[]> {
  let interval = poll.intervalMs;
  let lastSettled = -1;
  let lastPrinted = 0;
  const seen = new Set<string>();
  let polls = 0;
  for (;;) {
    polls++;
    const listed = request.ids.length
      ? await client.describeAllDesktops({ desktopIds: request.ids }, { deadline: request.deadline })
      : [];
    // Waiting for a state, a desktop being deleted is as good as gone; waiting for deletion, it is not yet.
    const desktops = request.goneIsSettled
      ? listed
      : listed.filter((desktop) => !GONE.has(desktop.desktopStatus));
    const byId = new Map(desktops.map((desktop) => [desktop.desktopId, desktop]));
    const missing = request.ids.filter((id) => !byId.has(id));
    if (!request.goneIsSettled) {
      const gone = missing.filter((id) => seen.has(id) || polls > NOT_YET_LISTED_POLLS);
      if (gone.length) throw new DesktopGoneError(request.label, gone);
    }
    for (const id of byId.keys()) seen.add(id);
    const pending = desktops.filter((desktop) => !request.settled(desktop));
    const settled = request.ids.length - pending.length - (request.goneIsSettled ? 0 : missing.length);
    const done = pending.length === 0 && (request.goneIsSettled || missing.length === 0);
    const now = Date.now();
    if (
      done ||
      now - lastPrinted >= poll.progressEveryMs ||
      (settled !== lastSettled && now - lastPrinted >= poll.progressEveryMs / 4)
    ) {
      poll.log(`${request.label}: ${settled}/${request.ids.length}${summarize(desktops)}`);
      lastPrinted = now;
    }
    if (done) return desktops;
    if (now + interval > request.deadline) {
      throw new WaitTimeoutError(
        request.label,
        pending.length ? pending : missing.map((id) => ({ desktopId: id, desktopStatus: "missing" })),
      );
    }
    interval =
      settled !== lastSettled ? poll.intervalMs : Math.min(poll.maxIntervalMs, Math.ceil(interval * 1.5));
    lastSettled = settled;
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
