/**
 * Every wait polls on the sparsest schedule the detection target allows: the benchmark's lower bound counts the
 * same polls (scripts/bench/lowerBound.ts pendingPolls), so a wait costs exactly that many calls.
 */
import type { EcdClient } from "../../provider/ecd/client";
import {
  waitForDesktops,
  SHORTEST_MS,
  type Operation,
  type PollSettings,
} from "../../provider/desktopBatch/waiter";
import { pendingPolls, POLL_FLOOR_MS } from "../../scripts/bench/lowerBound";

/** One desktop that is done `doneAtMs` after the wait starts, on a clock only the wait's sleeps move. */
function run(doneAtMs: number, after: Operation) {
  let now = 0;
  let calls = 0;
  const looks: number[] = [];
  const client = {
    describeDesktops: async () => {
      calls += 1;
      looks.push(now);
      return {
        requestId: "r",
        desktops: [{ desktopId: "ecd-1", desktopStatus: now >= doneAtMs ? "Running" : "Pending" }],
      };
    },
  } as unknown as EcdClient;
  const poll: PollSettings = {
    intervalMs: POLL_FLOOR_MS,
    maxIntervalMs: 60_000,
    shortestMs: SHORTEST_MS,
    progressEveryMs: Infinity,
    log: () => undefined,
    sleep: async (ms) => {
      now += ms;
    },
  };
  return waitForDesktops(
    client,
    {
      ids: ["ecd-1"],
      settled: (d) => d.desktopStatus === "Running",
      goneIsSettled: false,
      deadline: Infinity,
      label: "t",
      after,
    },
    poll,
  ).then(() => ({ calls, delayMs: now - doneAtMs, looks }));
}

describe("the polling schedule", () => {
  it.each([
    ["create", 4 * 60_000],
    ["create", 10 * 60_000],
    ["release", 60_000],
    ["entitlement", 30_000],
    ["power", 45_000],
  ] as const)(
    "waiting for a %s that takes %d ms costs the bound's polls plus the one that sees it done",
    async (after, durationMs) => {
      const { calls, delayMs } = await run(durationMs, after);
      expect(calls).toBe(pendingPolls(durationMs, SHORTEST_MS[after]) + 1);
      // ... and sees it done within 10 % of its duration (or one floor interval).
      expect(delayMs).toBeLessThanOrEqual(Math.max(0.1 * durationMs, POLL_FLOOR_MS));
    },
  );

  it("beyond ten minutes the interval stops growing at a minute: a few more polls, never a longer delay", async () => {
    const durationMs = 30 * 60_000;
    const { calls, delayMs } = await run(durationMs, "create");
    expect(calls).toBeGreaterThan(pendingPolls(durationMs, SHORTEST_MS.create) + 1);
    expect(delayMs).toBeLessThanOrEqual(60_000);
  });

  it("a user assignment is first checked 2 s after the call, then every 2 to 5 s up to 50 s (the official ModifyEntitlement advice)", async () => {
    const { looks } = await run(50_000, "entitlement");
    expect(looks[0]).toBe(2_000);
    const gaps = looks.slice(1).map((at, i) => at - looks[i]);
    expect(Math.min(...gaps)).toBe(2_000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(5_000);
    // Typically done in 1 to 5 s: seen by the third look.
    expect((await run(5_000, "entitlement")).calls).toBe(3);
  });

  it("an operation done before its shortest duration is seen at the first look", async () => {
    const { calls, delayMs } = await run(1_000, "release");
    expect(calls).toBe(1);
    expect(delayMs).toBe(SHORTEST_MS.release * 1.1 - 1_000);
  });
});
