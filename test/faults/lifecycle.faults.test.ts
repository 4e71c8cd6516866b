/**
 * Reliability under faults: seeded DesktopBatch lifecycles (create, scale up, rename, scale down, delete; ALL and
 * PER_USER) against the emulator with throttling, server errors, dropped connections, latency spikes, lost
 * CreateDesktops answers and, in some runs, desktops that end in Failed. Each step is rerun like `pulumi up`
 * until it succeeds; after every step the emulator holds exactly the declared desktops, as the state records
 * them. The long run (npm run test:faults:long) is the same scenario with seeds 1..500.
 */
import { INJECTED_KINDS, MAX_TRIES, runScenario, summarize, type RunResult } from "./scenario";

const SEEDS = Array.from({ length: 50 }, (_, i) => i + 1);
const results: RunResult[] = [];

const explain = (result: RunResult): string =>
  [
    `seed ${result.seed} (${result.mode}) broke its promises:`,
    ...result.violations,
    "attempts:",
    ...result.attempts.map((a) => `  ${a.step} #${a.attempt} (${a.as}): ${a.outcome} ${a.error ?? ""}`),
    "provider log (last 40 lines):",
    ...result.log.slice(-40),
  ].join("\n");

afterAll(() => {
  if (results.length) console.log(`${results.length} seeded fault runs\n${summarize(results)}`);
});

describe("a DesktopBatch lifecycle under faults, rerun until each step succeeds", () => {
  it.each(SEEDS)(
    `seed %i ends every step with exactly the declared desktops, nothing leaked or duplicated, within ${MAX_TRIES} tries a step`,
    async (seed) => {
      const result = await runScenario(seed);
      results.push(result);
      if (!result.ok) throw new Error(explain(result));
      expect(result.leaked).toBe(0);
      expect(result.duplicates).toBe(0);
      expect(result.crashes).toBe(0);
    },
  );

  it("the runs did meet every kind of fault, and failed steps were rerun", () => {
    expect(results).toHaveLength(SEEDS.length);
    const injected = Object.fromEntries(
      INJECTED_KINDS.map((kind) => [kind, results.some((r) => r.faults[kind] > 0)]),
    );
    expect(injected).toEqual(Object.fromEntries(INJECTED_KINDS.map((kind) => [kind, true])));
    const outcomes = new Set(results.flatMap((r) => r.attempts.map((a) => `${a.as}:${a.outcome}`)));
    // A create that recorded desktops is rerun as an update (one that recorded nothing: targeted.faults.test.ts).
    expect([...outcomes]).toEqual(expect.arrayContaining(["create:partial", "update:partial"]));
    expect(results.some((r) => r.attempts.some((a) => a.step === "create" && a.as === "update"))).toBe(true);
  });

  it("is repeatable: the same seed makes the same calls meet the same faults", async () => {
    const runs = [await runScenario(7), await runScenario(7)];
    const [first, second] = runs.map((run) => ({
      trace: run.trace,
      attempts: run.attempts.map(({ step, attempt, as, outcome }) => ({ step, attempt, as, outcome })),
    }));
    expect(second).toEqual(first);
  });
});
