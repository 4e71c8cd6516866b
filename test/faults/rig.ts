/**
 * A fault rig for targeted tests: the seeded runs' emulator and provider set-up (test/faults/scenario.ts) with
 * random faults off, desktops failing on demand, and the emulator's clock under the test's control.
 */
import { SeededRandom } from "../../emulator/rng";
import { PartialBatchError, type DesktopBatchInputs } from "../../provider";
import { FaultyEcd, planFor, providerProcess, verify, type State } from "./scenario";

const OWNER_TAG = "pulumi-ecd:batch";
const CREATING_TAG = "pulumi-ecd:creating";

export interface Rig {
  ecd: FaultyEcd;
  logs: string[];
  /** A new provider process (a new `pulumi up`). */
  process(options?: { realSleep?: boolean }): ReturnType<typeof providerProcess>;
  /** The scenario's inputs with `extra`, through check() as the engine sends them. */
  inputs(extra?: DesktopBatchInputs): Promise<DesktopBatchInputs>;
  /** The next call of `action` is applied, then its connection drops: the answer is lost. */
  loseAnswerOnce(action: string): void;
  /** Fails the next created desktops as listed (true = Failed), then none. */
  failNext(...outcomes: boolean[]): void;
  calls(action: string): number;
  statuses(): Record<string, string>;
  /** Moves the emulator's clock far enough for every transition to end. */
  settle(): void;
}

export async function withRig(
  body: (rig: Rig) => Promise<void>,
  durations: Parameters<typeof FaultyEcd.start>[1] = {},
): Promise<void> {
  const plan = planFor(1, "ALL");
  const ecd = await FaultyEcd.start(plan, durations);
  const jitter = new SeededRandom(99);
  const logs: string[] = [];
  let failures: boolean[] = [];
  ecd.emu.backend.setDesktopFailurePolicy(() => failures.shift() ?? false);
  const loseAnswer = new Set<string>();
  const faults = ecd.emu.faults;
  const apply = faults.apply.bind(faults);
  faults.apply = (action, run, stillCurrent) => {
    if (!loseAnswer.delete(action)) return apply(action, run, stillCurrent);
    run();
    return Promise.resolve({ kind: "drop", fault: "responseLost" });
  };
  try {
    await body({
      ecd,
      logs,
      process: (options = {}) => providerProcess(ecd, jitter, (line) => logs.push(line), options),
      inputs: async (extra = {}) => {
        const checked = await providerProcess(ecd, jitter, () => undefined).check(
          {},
          { ...plan.steps[0].inputs, ...extra },
        );
        expect(checked.failures ?? []).toEqual([]);
        return checked.inputs as DesktopBatchInputs;
      },
      loseAnswerOnce: (action) => loseAnswer.add(action),
      failNext: (...outcomes) => {
        failures = outcomes;
      },
      calls: (action) => ecd.emu.calls.counts()[action] ?? 0,
      statuses: () => Object.fromEntries(ecd.alive().map((d) => [d.DesktopId, d.DesktopStatus])),
      settle: () => ecd.clock.advance(3_600_000),
    });
  } finally {
    await ecd.emu.close();
  }
}

export const expectExactly = (rig: Rig, step: string, inputs: DesktopBatchInputs, state: State) =>
  expect(verify(rig.ecd, step, inputs, state).violations).toEqual([]);

export const ownerOf = (rig: Rig, desktopId: string) =>
  rig.ecd
    .alive()
    .find((d) => d.DesktopId === desktopId)
    ?.Tags.find((t) => t.Key === OWNER_TAG)?.Value;

export const hasCreatingTag = (rig: Rig) =>
  rig.ecd.alive().some((d) => d.Tags.some((t) => t.Key === CREATING_TAG));

export async function partial(promise: Promise<unknown>): Promise<PartialBatchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PartialBatchError);
  return error as PartialBatchError;
}
