/**
 * A create killed after CreateDesktops (its provider process stops for good, nothing recorded), then rerun the
 * way users rerun `pulumi up` — with the adoption dropped, renamed with an alias, or moved to another region —
 * while the seeded faults (throttling, server errors, dropped connections, lost CreateDesktops answers, latency
 * spikes) are on. Each rerun is repeated until it succeeds; then the emulator holds exactly the declared desktops,
 * nothing leaked or doubled, and what the killed run had adopted is the user's again, untouched.
 */
import { SeededRandom } from "../../emulator/rng";
import {
  DesktopBatchProvider,
  PartialBatchError,
  type DesktopBatchInputs,
  type DesktopBatchOutputs,
} from "../../provider";
import { FaultyEcd, MAX_TRIES, planFor, providerProcess, REGION, verify } from "./scenario";

const SEEDS = [1, 2, 3, 4, 5, 6];
const SITE = `${REGION}+dir-0000000001`;

/**
 * A provider process that dies after its CreateDesktops: every wait it starts never ends, and once `engine.alive`
 * is false it no longer renews its hold (a killed process sends nothing more).
 */
function doomedProcess(ecd: FaultyEcd, engine: { alive: boolean }) {
  return new DesktopBatchProvider({
    settings: { credentials: ecd.emu.credentials[0], region: REGION, endpoint: ecd.emu.url },
    poll: {
      intervalMs: 5,
      maxIntervalMs: 20,
      progressEveryMs: 0,
      log: () => undefined,
      sleep: () => new Promise(() => undefined),
    },
    client: { retry: { baseDelayMs: 2, maxDelayMs: 20 }, pacer: false },
    lease: {
      ttlMs: 1000,
      lostAnswerWindowMs: 40,
      now: () => ecd.clock.now(),
      engineAlive: async () => engine.alive,
    },
    env: {},
  });
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error("condition never held");
}

/**
 * The rerun, repeated under faults until it succeeds, as a user reruns `pulumi up`: a create, and once a failed
 * attempt recorded the batch (PartialBatchError, which Pulumi records), updates of that recorded batch.
 */
async function rerunUntilDone(ecd: FaultyEcd, seed: number, inputs: DesktopBatchInputs, log: string[]) {
  const jitter = new SeededRandom(seed);
  let recorded: { id: string; outs: DesktopBatchOutputs } | undefined;
  let last: unknown;
  for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
    ecd.faultsOn(2, attempt);
    const provider = providerProcess(ecd, jitter, (line) => log.push(line));
    try {
      const checked = (await provider.check(recorded?.outs ?? {}, inputs)).inputs as DesktopBatchInputs;
      if (recorded) {
        const { outs } = await provider.update(recorded.id, recorded.outs, checked);
        return { id: recorded.id, outs: outs as DesktopBatchOutputs };
      }
      const created = await provider.create(checked);
      return { id: created.id, outs: created.outs as DesktopBatchOutputs };
    } catch (error) {
      last = error;
      if (error instanceof PartialBatchError) recorded = { id: error.id, outs: error.properties };
    } finally {
      ecd.faultsOff();
    }
  }
  throw new Error(`no rerun succeeded in ${MAX_TRIES} tries: ${String(last)}`);
}

async function killedCreate(ecd: FaultyEcd, inputs: DesktopBatchInputs, live: number): Promise<void> {
  const engine = { alive: true };
  const doomed = doomedProcess(ecd, engine);
  const checked = (await doomed.check({}, inputs)).inputs as DesktopBatchInputs;
  void doomed.create(checked).catch(() => undefined);
  await until(() => ecd.alive().length >= live);
  engine.alive = false;
  // Past the killed run's hold: the rerun takes over at once.
  ecd.clock.advance(5_000);
}

const providerTagsOf = (ecd: FaultyEcd, desktopId: string) =>
  (ecd.alive().find((d) => d.DesktopId === desktopId)?.Tags ?? []).filter((t) =>
    t.Key.startsWith("pulumi-ecd:"),
  );

describe("a create killed after CreateDesktops, rerun under faults until it succeeds", () => {
  it.each(SEEDS)(
    "seed %i: adoption dropped — the adopted desktop goes back as it was, the batch is exact",
    async (seed) => {
      const plan = planFor(seed, "ALL");
      const ecd = await FaultyEcd.start(plan, {}, 0.2);
      try {
        const [console] = ecd.emu.backend.createDesktops(REGION, {
          OfficeSiteId: SITE,
          BundleId: "b-win-office-4c8g",
          DesktopName: "reception",
        }).DesktopId;
        ecd.clock.advance(3_600_000);
        const base = {
          officeSiteId: SITE,
          bundleId: "b-win-office-4c8g",
          desktopName: "dev",
          amount: 3,
          lineage: plan.lineage,
        };
        await killedCreate(ecd, { ...base, adoptDesktopIds: [console] }, 3);
        const log: string[] = [];
        const state = await rerunUntilDone(ecd, seed, base, log);
        const reception = ecd.alive().find((d) => d.DesktopId === console)!;
        expect(reception.DesktopName).toBe("reception");
        expect(providerTagsOf(ecd, console)).toEqual([]);
        expect(state.outs.desktopIds).not.toContain(console);
        // The console desktop is the user's; everything else is exactly the batch.
        ecd.emu.backend.removeDesktops([console]);
        expect(verify(ecd, "rerun", base, state).violations).toEqual([]);
      } finally {
        await ecd.emu.close();
      }
    },
  );

  it.each(SEEDS)(
    "seed %i: renamed with an alias — the rerun takes the killed create's desktops, nothing doubled",
    async (seed) => {
      const plan = planFor(seed, "ALL");
      const ecd = await FaultyEcd.start(plan, {}, 0.2);
      try {
        const base = {
          officeSiteId: SITE,
          bundleId: "b-win-office-4c8g",
          desktopName: "dev",
          amount: 3,
          lineage: plan.lineage,
        };
        await killedCreate(ecd, base, 3);
        const left = ecd
          .alive()
          .map((d) => d.DesktopId)
          .sort();
        const renamed = { ...base, lineage: "f".repeat(32), aliasLineages: [plan.lineage] };
        const state = await rerunUntilDone(ecd, seed, renamed, []);
        expect(verify(ecd, "rerun", renamed, state).violations).toEqual([]);
        expect([...state.outs.desktopIds].sort()).toEqual(left);
      } finally {
        await ecd.emu.close();
      }
    },
  );

  it.each(SEEDS)(
    "seed %i: moved to another region — the old region's desktops are released",
    async (seed) => {
      const plan = planFor(seed, "ALL");
      const ecd = await FaultyEcd.start(plan, {}, 0.2);
      try {
        const base = {
          officeSiteId: SITE,
          bundleId: "b-win-office-4c8g",
          desktopName: "dev",
          amount: 2,
          lineage: plan.lineage,
        };
        await killedCreate(ecd, base, 2);
        const moved = { ...base, regionId: "cn-shanghai", officeSiteId: "cn-shanghai+dir-0000000001" };
        const state = await rerunUntilDone(ecd, seed, moved, []);
        ecd.clock.advance(3_600_000);
        expect(ecd.alive()).toEqual([]);
        const there = ecd.emu.backend
          .describeDesktops("cn-shanghai")
          .filter((d) => d.DesktopStatus !== "Deleted");
        expect(there.map((d) => d.DesktopId).sort()).toEqual([...state.outs.desktopIds].sort());
        expect(there).toHaveLength(2);
      } finally {
        await ecd.emu.close();
      }
    },
  );
});
