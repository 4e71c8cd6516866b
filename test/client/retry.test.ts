/**
 * The retry rules: a throttled call did nothing, so it is sent again until its deadline (the step's timeout);
 * other retryable errors keep their bounded attempts. Time and jitter are injected: no test waits.
 */
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EcdClient, QUOTA_LINE_EVERY_MS } from "../../provider/ecd/client";
import { DEFAULT_RETRY_POLICY, nextRetry, type RetryPolicy } from "../../provider/ecd/retry";
import { SteppedClock } from "../support/steppedClock";

const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, throttleWindowMs: 60_000 };
const half = () => 0.5;

describe("nextRetry", () => {
  test("throttling is retried past maxAttempts while the deadline is ahead", () => {
    const decision = nextRetry(
      policy,
      { attempts: 50, throttled: 50, startedAt: 0, deadline: 10_000 },
      true,
      5_000,
      half,
    );
    expect(decision).toEqual({ retry: true, delayMs: 500 });
  });

  test("throttled waits are full jitter on the count of throttled attempts, up to maxDelayMs", () => {
    const delay = (throttled: number, random: () => number) =>
      nextRetry(policy, { attempts: throttled, throttled, startedAt: 0, deadline: 1e9 }, true, 0, random);
    expect(delay(1, () => 0.999)).toEqual({ retry: true, delayMs: 99 });
    expect(delay(3, half)).toEqual({ retry: true, delayMs: 200 });
    expect(delay(40, () => 0.999)).toEqual({ retry: true, delayMs: 999 });
    expect(delay(40, () => 0)).toEqual({ retry: true, delayMs: 0 });
  });

  test("the last throttled wait ends at the deadline, so the last try comes at it and not before", () => {
    const state = { attempts: 9, throttled: 9, startedAt: 0, deadline: 10_000 };
    expect(nextRetry(policy, state, true, 9_900, () => 0.999)).toEqual({ retry: true, delayMs: 100 });
    expect(nextRetry(policy, state, true, 10_000, half)).toEqual({ retry: false, reason: "deadline" });
  });

  test("a call without a deadline is retried through throttling for throttleWindowMs after its first try", () => {
    const state = { attempts: 30, throttled: 30, startedAt: 1_000 };
    expect(nextRetry(policy, state, true, 60_999, half)).toMatchObject({ retry: true });
    expect(nextRetry(policy, state, true, 61_000, half)).toEqual({ retry: false, reason: "deadline" });
    expect(DEFAULT_RETRY_POLICY.throttleWindowMs).toBe(30 * 60_000);
  });

  test("other retryable errors stop after maxAttempts, however far the deadline", () => {
    const state = (attempts: number) => ({ attempts, throttled: 0, startedAt: 0, deadline: 1e9 });
    expect(nextRetry(policy, state(2), false, 0, half)).toEqual({ retry: true, delayMs: 100 });
    expect(nextRetry(policy, state(3), false, 0, half)).toEqual({ retry: false, reason: "attempts" });
  });

  test("other retryable errors stop when their backoff would pass the deadline", () => {
    const state = { attempts: 1, throttled: 0, startedAt: 0, deadline: 1_000 };
    expect(nextRetry(policy, state, false, 990, half)).toEqual({ retry: false, reason: "deadline" });
  });
});

describe("EcdClient through throttling that does not end", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  const client = (clock: SteppedClock, progress: string[]) =>
    new EcdClient({
      regionId: "cn-hangzhou",
      endpoint: emu.url,
      credentials: emu.credentials[0],
      pacer: false,
      retry: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 8_000 },
      now: () => clock.now(),
      sleep: (ms) => clock.sleep(ms),
      random: half,
      progress: (line) => progress.push(line),
      notice: () => undefined,
    });

  test("fails at the call's deadline, not before, and says the account's quota is why it waited", async () => {
    emu.faults.script({ action: "DescribeRegions", kind: "throttle", times: 10_000 });
    const clock = new SteppedClock();
    const progress: string[] = [];
    const deadline = 95_000;
    await expect(client(clock, progress).describeRegions(undefined, { deadline })).rejects.toMatchObject({
      code: "Throttling.User",
    });
    expect(clock.now()).toBe(deadline);
    const sent = emu.calls.counts().DescribeRegions;
    expect(sent).toBeGreaterThan(3);
    // 500, 1000, 2000, then 4000 each (half of the 8 s cap): 3.5 s + 4 s × 22 = 91.5 s, then 3.5 s to the deadline.
    expect(sent).toBe(27);
    // One line at the first throttle, then at most one every QUOTA_LINE_EVERY_MS: at 0 s, 31.5 s and 63.5 s.
    expect(QUOTA_LINE_EVERY_MS).toBe(30_000);
    expect(progress.map((line) => /throttled (\d+) time/.exec(line)![1])).toEqual(["1", "11", "19"]);
    expect(progress[0]).toBe(
      "waiting for the account's ECD quota: DescribeRegions was throttled 1 time(s) (the per-action quota is " +
        "shared by every stack and program on this access key); retrying in 0.5 s, until " +
        `${new Date(deadline).toISOString()} at the latest`,
    );
    emu.faults.reset();
  });

  test("a call throttled for a while succeeds once the quota lets it through", async () => {
    emu.reset();
    emu.faults.script({ action: "DescribeRegions", kind: "throttle", times: 20 });
    const clock = new SteppedClock();
    await client(clock, []).describeRegions(undefined, { deadline: 10 * 60_000 });
    expect(emu.calls.counts().DescribeRegions).toBe(21);
  });
});
