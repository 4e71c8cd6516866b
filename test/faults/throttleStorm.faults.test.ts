/**
 * A fleet's worst morning: the account's quota refuses 90 % of all calls for minutes. A throttled call did
 * nothing, so the provider sends it again until the step's timeout: every step finishes on its first attempt,
 * or fails only at its timeout, and nothing is leaked either way.
 */
import { FaultInjector } from "../../emulator";
import { SeededRandom } from "../../emulator/rng";
import { DesktopBatchProvider, type DesktopBatchInputs, type DesktopBatchOutputs } from "../../provider";
import { DEFAULT_RETRY_POLICY } from "../../provider/ecd/retry";
import { MIN_QPS, Pacer } from "../../provider/ecd/pacing";
import { FaultyEcd, planFor, REGION, verify, type State } from "./scenario";

const STORM_MS = 5 * 60_000;

/** Every call meets the injector while `on()` says so, then none. Returns how many calls met it. */
function storm(ecd: FaultyEcd, throttleRate: number, on: () => boolean): { calls: number } {
  const injector = new FaultInjector({ throttleRate }, 2026);
  const faults = ecd.emu.faults;
  const apply = faults.apply.bind(faults);
  const met = { calls: 0 };
  faults.apply = (action, run, stillCurrent) => {
    if (!on()) return apply(action, run, stillCurrent);
    met.calls++;
    return injector.apply(action, run, stillCurrent);
  };
  return met;
}

/**
 * A provider process with the production retry policy and pacing; every sleep of it moves the emulator's clock
 * (or, with `realSleep`, passes in real time while the clock stays put, since timeouts are real time).
 */
function providerProcess(ecd: FaultyEcd, log: (line: string) => void, realSleep = false) {
  const jitter = new SeededRandom(7);
  const sleep = async (ms: number): Promise<void> => {
    if (realSleep) return new Promise((resolve) => setTimeout(resolve, ms));
    ecd.clock.advance(Math.max(0, ms));
    await new Promise((resolve) => setImmediate(resolve));
  };
  return new DesktopBatchProvider({
    settings: { credentials: ecd.emu.credentials[0], region: REGION, endpoint: ecd.emu.url },
    poll: { intervalMs: 5, maxIntervalMs: 20, progressEveryMs: 0, log, sleep },
    client: {
      sleep,
      random: () => jitter.next(),
      // In real time: no pacing (the emulator's clock stands still) and short backoffs, as the rig has them.
      ...(realSleep
        ? { pacer: false as const, retry: { baseDelayMs: 2, maxDelayMs: 20 } }
        : { pacer: new Pacer({ clock: { now: () => ecd.clock.now(), sleep } }) }),
    },
    lease: { ttlMs: 60_000, lostAnswerWindowMs: 40, now: () => ecd.clock.now() },
    env: {},
  });
}

/** The longest run of throttled answers one action got in a row. */
function longestThrottledRun(ecd: FaultyEcd): number {
  const runs = new Map<string, number>();
  let longest = 0;
  for (const call of ecd.emu.calls.entries()) {
    const run = call.fault === "throttle" ? (runs.get(call.action) ?? 0) + 1 : 0;
    runs.set(call.action, run);
    longest = Math.max(longest, run);
  }
  return longest;
}

describe("90 % of calls throttled for minutes", () => {
  it("every step of the lifecycle finishes on its first attempt, and the emulator holds exactly the state", async () => {
    const plan = planFor(1, "ALL");
    const ecd = await FaultyEcd.start(plan);
    const start = ecd.clock.now();
    const raged = storm(ecd, 0.9, () => ecd.clock.now() - start < STORM_MS);
    const log: string[] = [];
    let state: State | undefined;
    try {
      for (const step of plan.steps) {
        const provider = providerProcess(ecd, (line) => log.push(line));
        if (step.name === "delete") {
          await provider.delete(state!.id, state!.outs);
          expect(ecd.alive()).toEqual([]);
          continue;
        }
        const checked = await provider.check(state?.outs ?? {}, step.inputs!);
        expect(checked.failures ?? []).toEqual([]);
        const inputs = checked.inputs as DesktopBatchInputs;
        if (!state) {
          const { id, outs } = await provider.create(inputs);
          state = { id, outs: outs as DesktopBatchOutputs };
        } else {
          const { outs } = await provider.update(state.id, state.outs, inputs);
          state = { id: state.id, outs: outs as DesktopBatchOutputs };
        }
        expect(verify(ecd, step.name, inputs, state).violations).toEqual([]);
      }
      // The storm raged for its whole length while the lifecycle ran, and refused about 90 % of what met it.
      const throttled = ecd.emu.calls.entries().filter((c) => c.fault === "throttle").length;
      // Never slower than the pacer's floor: at least MIN_QPS calls a second all through the storm.
      expect(raged.calls).toBeGreaterThanOrEqual((STORM_MS / 1000) * MIN_QPS);
      expect(throttled / raged.calls).toBeGreaterThan(0.85);
      expect(ecd.clock.now() - start).toBeGreaterThan(STORM_MS);
      // Calls went on through more throttled answers in a row than the attempts other errors get.
      expect(longestThrottledRun(ecd)).toBeGreaterThan(DEFAULT_RETRY_POLICY.maxAttempts);
      expect(log.some((line) => line.includes("waiting for the account's ECD quota"))).toBe(true);
    } finally {
      await ecd.emu.close();
    }
  }, 120_000);

  it("throttling that outlasts the step's timeout fails the step at its timeout, leaving nothing; the rerun after it creates the batch", async () => {
    const plan = planFor(3, "ALL");
    const ecd = await FaultyEcd.start(plan);
    let raging = false;
    storm(ecd, 1, () => raging);
    try {
      const checked = await providerProcess(ecd, () => undefined).check({}, plan.steps[0].inputs!);
      const inputs = { ...(checked.inputs as DesktopBatchInputs), timeouts: { create: "2s" } };
      raging = true;
      const started = Date.now();
      const error = (await providerProcess(ecd, () => undefined, true)
        .create(inputs)
        .catch((e: unknown) => e)) as Error;
      const failedAfterMs = Date.now() - started;
      expect(error.message).toMatch(/Throttling/);
      expect(failedAfterMs).toBeGreaterThanOrEqual(2_000);
      expect(longestThrottledRun(ecd)).toBeGreaterThan(DEFAULT_RETRY_POLICY.maxAttempts);
      expect(ecd.alive()).toEqual([]);

      raging = false;
      const { id, outs } = await providerProcess(ecd, () => undefined).create(inputs);
      const state = { id, outs: outs as DesktopBatchOutputs };
      expect(verify(ecd, "the rerun", inputs, state).violations).toEqual([]);
    } finally {
      await ecd.emu.close();
    }
  }, 60_000);
});
