/**
 * Discrete-event time for the benchmark: the emulator runs on a ManualClock, and every wait of the code under
 * test (poll intervals, retry backoff, pacing) is a virtual sleep. When nothing is in flight and every actor
 * sleeps, the clock jumps to the earliest wake-up. Minutes of provisioning thus pass in milliseconds, and an ECD
 * call takes no emulated time (the emulated time of a step is its waiting, not its HTTP round trips).
 *
 * Calls in flight are counted through the pacer hook every EcdClient calls around each attempt; code that runs
 * several branches at once (workers) can then sleep in one branch while another waits for an answer.
 *
 * An emulator in another process runs on a clock of its own: `follow` sets it to each new time before anyone
 * woken can call it.
 */
import type { ManualClock } from "../../emulator";
import type { AttemptOutcome, CallPacer, PacingClock } from "../../provider/ecd/pacing";

interface Sleeper {
  at: number;
  seq: number;
  wake: () => void;
}

/** Event-loop turns with nothing in flight before the clock may jump (lets answered calls' code run on). */
const QUIET_TURNS = 4;

export class VirtualTime implements PacingClock {
  private sleepers: Sleeper[] = [];
  private inFlight = 0;
  private seq = 0;
  private checking = false;

  constructor(
    readonly clock: ManualClock,
    private readonly follow?: (now: number) => Promise<void>,
  ) {}

  now(): number {
    return this.clock.now();
  }

  sleep = (ms: number): Promise<void> =>
    new Promise((wake) => {
      this.sleepers.push({ at: this.clock.now() + Math.max(0, ms), seq: this.seq++, wake });
      this.check();
    });

  /** A pacer hook that counts calls in flight around `inner` (or around nothing: unpaced, only counted). */
  hook(inner?: CallPacer): CallPacer {
    return {
      before: async (scope: string, action: string) => {
        if (inner) await inner.before(scope, action);
        this.inFlight += 1;
      },
      after: (scope: string, action: string, outcome: AttemptOutcome) => {
        this.inFlight -= 1;
        inner?.after(scope, action, outcome);
        this.check();
      },
    };
  }

  private check(): void {
    if (this.checking) return;
    this.checking = true;
    const turn = (left: number): void => {
      setImmediate(() => {
        if (this.inFlight > 0 || this.sleepers.length === 0) {
          this.checking = false;
          return;
        }
        if (left > 0) return turn(left - 1);
        void this.advance();
      });
    };
    turn(QUIET_TURNS);
  }

  /** Runs with `checking` set, so that no other advance starts while `follow` is under way. */
  private async advance(): Promise<void> {
    const next = Math.min(...this.sleepers.map((s) => s.at));
    if (next > this.clock.now()) {
      this.clock.set(next);
      await this.follow?.(next);
    }
    this.checking = false;
    const due = this.sleepers
      .filter((s) => s.at <= this.clock.now())
      .sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.sleepers = this.sleepers.filter((s) => s.at > this.clock.now());
    for (const sleeper of due) sleeper.wake();
    // Those woken may finish without sleeping or calling again: look again once they have run.
    this.check();
  }
}
