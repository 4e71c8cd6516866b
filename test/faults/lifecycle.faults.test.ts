/**
 * Reliability under faults: seeded DesktopBatch lifecycles (create, scale up, rename, scale down, delete; ALL and
 * PER_USER) against the emulator with throttling, server errors, dropped connections, latency spikes, lost
 * CreateDesktops answers and, in some runs, desktops that end in Failed. Each step is rerun like `pulumi up`
 * until it succeeds; after every step the emulator holds exactly the declared desktops, as the state records
 * them. The long run (npm run test:faults:long) is the same scenario with seeds 1..500.
 */
import { KNOWN_BUG_SEEDS } from "./knownBugs";
import { INJECTED_KINDS, MAX_TRIES, runScenario, summarize, type RunResult } from "./scenario";

/** The first 50 seeds without a known bug (those are reproduced in bugs.faults.test.ts). */
const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1)
  .filter((seed) => !(seed in KNOWN_BUG_SEEDS))
  .slice(0, 50);
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
    // Lost answers of other changes are not one of the figures' faults: the suite runs without them.
    const kinds = INJECTED_KINDS.filter((kind) => kind !== "answerLost");
    const injected = Object.fromEntries(kinds.map((kind) => [kind, results.some((r) => r.faults[kind] > 0)]));
    expect(injected).toEqual(Object.fromEntries(kinds.map((kind) => [kind, true])));
    const outcomes = new Set(results.flatMap((r) => r.attempts.map((a) => `${a.as}:${a.outcome}`)));
    // A create that recorded desktops is rerun as an update (one that recorded nothing: targeted.faults.test.ts).
    expect([...outcomes]).toEqual(expect.arrayContaining(["create:partial", "update:partial"]));
    expect(results.some((r) => r.attempts.some((a) => a.step === "create" && a.as === "update"))).toBe(true);
  });

  it("is repeatable: the same seed makes the same calls meet the same faults", async () => {
    // Converging (renames, user assignments) sends 8 calls at a time, and their arrival order is real time's:
    // each attempt is compared up to its first such call (each attempt draws its own fault stream).
    const concurrent = /^(ModifyDesktopName|ModifyEntitlement|ModifyUserEntitlement)\b/;
    const prefixes = (result: RunResult) =>
      new Map(
        result.attempts.map((a) => {
          const end = a.trace.findIndex((call) => concurrent.test(call));
          return [`${a.step} #${a.attempt}`, a.trace.slice(0, end < 0 ? undefined : end)];
        }),
      );
    const [first, second] = [prefixes(await runScenario(7)), prefixes(await runScenario(7))];
    const shared = [...first.keys()].filter((key) => second.has(key));
    expect(shared.length).toBeGreaterThanOrEqual(5);
    for (const key of shared) expect({ key, calls: second.get(key) }).toEqual({ key, calls: first.get(key) });
    expect([...first.values()].flat().some((call) => call.includes("!"))).toBe(true);
  });
});
