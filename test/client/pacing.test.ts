/** Client pacing: one budget per process, open until throttled, then AIMD. All time is injected. */
import { ManualClock, startEmulator, type RunningEmulator } from "../../emulator";
import { EcdClient } from "../../provider/ecd/client";
import { MIN_QPS, Pacer, parseQps, processPacer, START_QPS } from "../../provider/ecd/pacing";
import { SteppedClock } from "../support/steppedClock";

const S = "ecd.example 127.0.0.1 key";

/** Sends `n` calls one after the other, each answered with `outcome`; returns when each was sent. */
async function send(
  pacer: Pacer,
  clock: SteppedClock,
  n: number,
  outcome: "ok" | "throttled" | "failed" = "ok",
  action = "DescribeDesktops",
  scope = S,
): Promise<number[]> {
  const sentAt: number[] = [];
  for (let i = 0; i < n; i++) {
    await pacer.before(scope, action);
    sentAt.push(clock.now());
    pacer.after(scope, action, outcome);
  }
  return sentAt;
}

const gaps = (times: number[]): number[] => times.slice(1).map((t, i) => Math.round(t - times[i]));

describe("Pacer", () => {
  let clock: SteppedClock;
  let pacer: Pacer;
  beforeEach(() => {
    clock = new SteppedClock();
    pacer = new Pacer({ clock });
  });

  test("is open until the service throttles: calls go at once", async () => {
    expect(await send(pacer, clock, 50)).toEqual(Array(50).fill(0));
    expect(clock.slept).toEqual([]);
  });

  test("a throttling answer drops the rate to half of what was sent in the last second", async () => {
    await send(pacer, clock, 9);
    await send(pacer, clock, 1, "throttled");
    expect(pacer.stats().byAction.DescribeDesktops.qps).toBe(5);
    expect(gaps(await send(pacer, clock, 4, "failed"))).toEqual([200, 200, 200]);
  });

  test("calls already in flight when the first throttle came count once: one cut a second", async () => {
    for (let i = 0; i < 20; i++) await pacer.before(S, "DescribeDesktops");
    for (let i = 0; i < 10; i++) pacer.after(S, "DescribeDesktops", "throttled");
    expect(pacer.stats().byAction.DescribeDesktops).toMatchObject({ calls: 20, throttled: 10, qps: 10 });
  });

  test("throttled again a second later, the rate halves again; never below minQps", async () => {
    await send(pacer, clock, 7);
    await send(pacer, clock, 1, "throttled");
    expect(pacer.stats().byAction.DescribeDesktops.qps).toBe(4);
    clock.sleep(1000);
    await send(pacer, clock, 1, "throttled");
    expect(pacer.stats().byAction.DescribeDesktops.qps).toBe(2);
    for (let i = 0; i < 10; i++) {
      clock.sleep(1000);
      await send(pacer, clock, 1, "throttled");
    }
    expect(pacer.stats().byAction.DescribeDesktops.qps).toBe(MIN_QPS);
  });

  test("successes raise a paced rate additively, about 1 QPS per second at full pace", async () => {
    await send(pacer, clock, 19);
    await send(pacer, clock, 1, "throttled");
    expect(pacer.stats().byAction.DescribeDesktops.qps).toBe(10);
    const start = clock.now();
    await send(pacer, clock, 10);
    const rate = pacer.stats().byAction.DescribeDesktops.qps!;
    expect(rate).toBeGreaterThan(10.9);
    expect(rate).toBeLessThan(11);
    expect(clock.now() - start).toBeLessThan(1000);
  });

  test("other failures neither slow nor speed it", async () => {
    await send(pacer, clock, 1, "failed");
    await send(pacer, clock, 3);
    expect(clock.slept).toEqual([]);
    await send(pacer, clock, 3, "throttled");
    const rate = pacer.stats().byAction.DescribeDesktops.qps;
    await send(pacer, clock, 2, "failed");
    expect(pacer.stats().byAction.DescribeDesktops.qps).toBe(rate);
  });

  test("a known QPS starts the action paced; other actions and scopes stay open", async () => {
    pacer = new Pacer({ clock, qps: { CreateDesktops: 4 } });
    expect(gaps(await send(pacer, clock, 3, "failed", "CreateDesktops"))).toEqual([250, 250]);
    const before = clock.now();
    await send(pacer, clock, 5, "ok", "DescribeDesktops");
    await send(pacer, clock, 1, "throttled", "DescribeDesktops", "other endpoint");
    await send(pacer, clock, 5, "ok", "DescribeDesktops");
    expect(clock.now()).toBe(before);
  });

  test("CreateDesktops is paced from its first call (START_QPS): batches creating at once never burst", async () => {
    expect(START_QPS.CreateDesktops).toBe(5);
    expect(gaps(await send(pacer, clock, 4, "failed", "CreateDesktops"))).toEqual([200, 200, 200]);
    expect(await send(pacer, clock, 3, "ok", "DescribeDesktops")).toEqual(Array(3).fill(clock.now()));
  });

  test("says when throttling lowers a rate, with the throttled share so far", async () => {
    const lines: string[] = [];
    pacer = new Pacer({ clock, log: (line) => lines.push(line) });
    await send(pacer, clock, 7);
    await send(pacer, clock, 1, "throttled");
    await send(pacer, clock, 1, "throttled");
    expect(lines).toEqual(["ECD throttled DescribeDesktops (1 of 8 calls so far); pacing it at 4.0 calls/s"]);
  });

  test("known quotas come as Action=QPS pairs (PULUMI_ECD_QPS)", () => {
    expect(parseQps("CreateDesktops=5, DescribeDesktops=20")).toEqual({
      CreateDesktops: 5,
      DescribeDesktops: 20,
    });
    expect(parseQps(undefined)).toEqual({});
    expect(() => parseQps("CreateDesktops=0")).toThrow(/PULUMI_ECD_QPS: expected Action=QPS/);
  });

  test("counts calls, throttling answers and time spent waiting", async () => {
    await send(pacer, clock, 4);
    await send(pacer, clock, 1, "throttled");
    await send(pacer, clock, 2);
    expect(pacer.stats()).toMatchObject({
      calls: 7,
      throttled: 1,
      byAction: { DescribeDesktops: { calls: 7, throttled: 1 } },
    });
    expect(pacer.stats().waitedMs).toBe(clock.slept.reduce((a, b) => a + b, 0));
    pacer.reset();
    expect(pacer.stats()).toEqual({ calls: 0, throttled: 0, waitedMs: 0, byAction: {} });
  });
});

describe("EcdClient pacing against the rate-limited emulator", () => {
  const REGION = "cn-hangzhou";
  let emu: RunningEmulator;
  let clock: ManualClock;
  let stepped: SteppedClock;
  const client = (pacer: Pacer | false, maxAttempts = 3) =>
    new EcdClient({
      regionId: REGION,
      endpoint: emu.url,
      credentials: emu.credentials[0],
      pacer,
      retry: { maxAttempts, baseDelayMs: 1, maxDelayMs: 1 },
      sleep: (ms) => stepped.sleep(ms),
    });
  const throttled = () => emu.calls.entries().filter((c) => c.fault === "rateLimit").length;

  beforeAll(async () => {
    clock = new ManualClock();
    emu = await startEmulator({ clock, faults: { rateLimit: true, rateLimitQps: { DescribeRegions: 2 } } });
  });
  afterAll(() => emu.close());
  beforeEach(() => {
    emu.reset();
    stepped = new SteppedClock(clock);
  });

  test("the client paces itself instead of burning retries", async () => {
    const outcomes = async (c: EcdClient): Promise<string[]> => {
      const seen: string[] = [];
      for (let i = 0; i < 12; i++) {
        seen.push(
          await c.describeRegions().then(
            () => "ok",
            (error: { code: string }) => error.code,
          ),
        );
      }
      return seen;
    };
    expect(await outcomes(client(new Pacer({ clock: stepped })))).toEqual(Array(12).fill("ok"));
    const paced = throttled();
    expect(paced).toBeLessThanOrEqual(2);
    emu.reset();
    const unpaced = new EcdClient({
      regionId: REGION,
      endpoint: emu.url,
      credentials: emu.credentials[0],
      pacer: false,
      retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 400 },
      sleep: (ms) => stepped.sleep(ms),
    });
    expect(await outcomes(unpaced)).toEqual(Array(12).fill("ok"));
    expect(throttled()).toBeGreaterThan(paced);
  });

  test("every attempt the client sends is reported back to the budget, successes included", async () => {
    const seen: string[] = [];
    const recording = {
      before: async (_scope: string, action: string) => void seen.push(`before ${action}`),
      after: (_scope: string, action: string, outcome: string) =>
        void seen.push(`after ${action} ${outcome}`),
    };
    const c = new EcdClient({
      regionId: REGION,
      endpoint: emu.url,
      credentials: emu.credentials[0],
      pacer: recording,
      retry: { maxAttempts: 1 },
    });
    await c.describeRegions();
    await c.describeRegions();
    // Its deadline has come: a throttled call is not sent again.
    await expect(c.describeRegions(undefined, { deadline: Date.now() })).rejects.toMatchObject({
      code: "Throttling.User",
    });
    expect(seen).toEqual([
      "before DescribeRegions",
      "after DescribeRegions ok",
      "before DescribeRegions",
      "after DescribeRegions ok",
      "before DescribeRegions",
      "after DescribeRegions throttled",
    ]);
  });

  test("clients sharing one budget are throttled less than clients with a budget each", async () => {
    const run = async (pacers: Pacer[]) => {
      emu.reset();
      const clients = pacers.map((p) => client(p, 20));
      for (let round = 0; round < 8; round++) for (const c of clients) await c.describeRegions();
      return throttled();
    };
    const shared = new Pacer({ clock: stepped });
    const sharedThrottles = await run([shared, shared, shared, shared]);
    const ownThrottles = await run([1, 2, 3, 4].map(() => new Pacer({ clock: stepped })));
    expect(sharedThrottles).toBeLessThan(ownThrottles);
    expect(shared.stats().throttled).toBe(sharedThrottles);
  });

  test("by default every client of the process draws on the one process budget", async () => {
    processPacer.reset();
    const options = { regionId: REGION, endpoint: emu.url, credentials: emu.credentials[0] };
    await new EcdClient(options).describeRegions();
    await new EcdClient(options).describeBundles();
    expect(processPacer.stats().byAction).toMatchObject({
      DescribeRegions: { calls: 1 },
      DescribeBundles: { calls: 1 },
    });
    processPacer.reset();
  });
});
