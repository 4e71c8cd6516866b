/**
 * Processes that share one account and know nothing of each other: each its own Pacer and the client's retry
 * rule, all against one token bucket (the emulator's RateLimiter), on virtual time. The figures asserted are
 * counts and virtual-clock times of a seeded run, the same on every machine.
 */
import { ManualClock } from "../../emulator";
import { RateLimiter } from "../../emulator/rateLimit";
import { SeededRandom } from "../../emulator/rng";
import { Pacer } from "../../provider/ecd/pacing";
import { DEFAULT_RETRY_POLICY, nextRetry } from "../../provider/ecd/retry";
import { VirtualTime } from "../../scripts/bench/virtualTime";

const ACTION = "DescribeDesktops";
const QUOTA = 20;

interface Fleet {
  finishedAt: number[];
  calls: number;
  throttled: number;
  pacers: Pacer[];
}

/** `processes` each sending `each` calls one after the other, every throttled call retried as the client does. */
async function fleet(processes: number, each: number, known?: number): Promise<Fleet> {
  const clock = new ManualClock(0);
  const vt = new VirtualTime(clock);
  const limiter = new RateLimiter();
  const rng = new SeededRandom(7);
  const result: Fleet = { finishedAt: [], calls: 0, throttled: 0, pacers: [] };
  await Promise.all(
    Array.from({ length: processes }, async (_, p) => {
      const pacer = new Pacer({ clock: vt, qps: known ? { [ACTION]: known } : {} });
      result.pacers.push(pacer);
      const scope = `ecd.example key (process ${p})`;
      for (let i = 0; i < each; i++) {
        const tries = { attempts: 0, throttled: 0, startedAt: clock.now(), deadline: 3_600_000 };
        for (;;) {
          await pacer.before(scope, ACTION);
          result.calls += 1;
          const passed = limiter.take("one account", ACTION, clock.now(), QUOTA);
          pacer.after(scope, ACTION, passed ? "ok" : "throttled");
          // Each call is a turn of its own, as an HTTP round trip would be.
          await vt.sleep(0);
          if (passed) break;
          result.throttled += 1;
          tries.attempts += 1;
          tries.throttled += 1;
          const decision = nextRetry(DEFAULT_RETRY_POLICY, tries, true, clock.now(), () => rng.next());
          if (!decision.retry) throw new Error(`process ${p} gave up`);
          await vt.sleep(decision.delayMs);
        }
      }
      result.finishedAt[p] = clock.now();
    }),
  );
  return result;
}

describe("independent processes on one quota", () => {
  test("converge to fair shares: the slowest finishes within 1.5x of the fastest, none gives up", async () => {
    const run = await fleet(10, 200);
    const fastest = Math.min(...run.finishedAt);
    const slowest = Math.max(...run.finishedAt);
    expect(slowest / fastest).toBeLessThan(1.5);
    // The quota's lower bound: every call that passed, at QUOTA a second.
    const bound = ((10 * 200) / QUOTA) * 1000;
    expect(slowest).toBeLessThan(bound * 1.5);
    expect(run.throttled / run.calls).toBeLessThan(0.25);
  }, 60_000);

  test("a known QPS (PULUMI_ECD_QPS) is a ceiling the rate never grows past", async () => {
    const run = await fleet(1, 100, 4);
    expect(run.throttled).toBe(0);
    expect(run.pacers[0].stats().byAction[ACTION].qps).toBe(4);
    // 100 calls at 4 a second: the first at 0, the last at 24.75 s.
    expect(run.finishedAt[0]).toBe(24_750);
  });
});
