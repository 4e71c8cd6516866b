/**
 * The measured runs: every lifecycle step of one DesktopBatch of N desktops (DesktopBatchProvider driven directly,
 * as the Pulumi engine would call it), the same steps for N one-desktop resources driven at once, and batches
 * created side by side. Each run has its own in-process emulator on a virtual clock with provisioning times in
 * minutes (see virtualTime.ts); the memory run puts it in a process of its own (emulatorProcess.ts).
 */
import { performance } from "perf_hooks";
import {
  ManualClock,
  startEmulator,
  type EmulatorCredential,
  type LifecycleDurations,
  type RunningEmulator,
} from "../../emulator";
import {
  DesktopBatchProvider,
  type DesktopBatchInputs,
  type DesktopBatchOutputs,
} from "../../provider/desktopBatch";
import { EcdClient, Pacer } from "../../provider/ecd";
import type { CallPacer } from "../../provider/ecd/pacing";
import { scaleBy, scalesDownFirst, STEPS, stepsFor, type Step } from "./lowerBound";
import { PerDesktopProvider, type OneDesktop } from "./perDesktopProvider";
import { VirtualTime } from "./virtualTime";

/**
 * Assumption: provisioning times in minutes, as the ECD console reports them for a new cloud computer; no source
 * gives figures. Only their order of magnitude matters here (detection delay is relative to createMs). A user
 * assignment: the official ModifyEntitlement description's "typically 1 to 5 seconds", at its slow end.
 */
export const REALISTIC_DURATIONS: LifecycleDurations = {
  createMs: 4 * 60_000,
  startMs: 60_000,
  stopMs: 60_000,
  deleteMs: 60_000,
  entitlementMs: 5_000,
  chargeTypeMs: 60_000,
  specMs: 60_000,
  specIntervalMs: 5 * 60_000,
  rebuildMs: 3 * 60_000,
};

const REGION = "cn-hangzhou";
const SITE = `${REGION}+dir-0000000001`;
const BUNDLE = "b-win-office-4c8g";

export interface StepResult {
  step: Step;
  calls: Record<string, number>;
  total: number;
  /** Real time the step took in this process. */
  wallMs: number;
  /** Time that passed on the emulator's clock (waiting for provisioning, polling intervals, pacing). */
  emulatedMs: number;
  /** For steps that wait for new desktops: from the last one becoming Running to the step returning. */
  detectionMs?: number;
  /** Calls the emulator's rate limit refused, in total and by action. */
  throttled: number;
  throttledBy: Record<string, number>;
  error?: string;
  /** Not run: check refused the inputs the step needs (the reason), so no Pulumi operation would run it. */
  skipped?: string;
}

export interface ModelRun {
  n: number;
  rateLimit: boolean;
  steps: StepResult[];
}

/** An emulator on virtual time, and how to reach it. */
export interface World {
  url: string;
  credentials: EmulatorCredential;
  clock: ManualClock;
  vt: VirtualTime;
  /** The emulator when it runs in this process: each step's calls are counted from its log. */
  emu?: RunningEmulator;
  close(): Promise<void>;
}

type LocalWorld = World & { emu: RunningEmulator };

async function world(rateLimit: boolean): Promise<LocalWorld> {
  const clock = new ManualClock();
  const emu = await startEmulator({
    clock,
    durations: REALISTIC_DURATIONS,
    faults: rateLimit ? { rateLimit: true } : {},
  });
  return {
    url: emu.url,
    credentials: emu.credentials[0],
    emu,
    clock,
    vt: new VirtualTime(clock),
    close: emu.close,
  };
}

/** Runs one step, measuring calls and times; a failure is recorded, not thrown. */
async function measure(w: World, step: Step, run: () => Promise<string[] | void>): Promise<StepResult> {
  w.emu?.calls.reset();
  const wall0 = performance.now();
  const virtual0 = w.clock.now();
  let error: string | undefined;
  let waitedFor: string[] | void = undefined;
  try {
    waitedFor = await run();
  } catch (thrown) {
    error = thrown instanceof Error ? thrown.message.split("\n")[0].slice(0, 200) : String(thrown);
  }
  const wallMs = performance.now() - wall0;
  const emulatedMs = w.clock.now() - virtual0;
  const emu = w.emu;
  // Calls are counted only by an emulator in this process.
  if (!emu) return { step, calls: {}, total: 0, wallMs, emulatedMs, throttled: 0, throttledBy: {}, error };
  const calls = emu.calls.counts();
  if (process.env.BENCH_DEBUG) {
    // The step's calls in order, each with the emulated seconds since the step began.
    const seq = emu.calls.entries().map((c) => `${c.action}@${((c.at - virtual0) / 1000).toFixed(1)}`);
    console.error(`${step}: ${seq.join(" ")}`);
  }
  const refused = emu.calls.entries().filter((c) => c.fault === "rateLimit");
  const throttledBy: Record<string, number> = {};
  for (const c of refused) throttledBy[c.action] = (throttledBy[c.action] ?? 0) + 1;
  const result: StepResult = {
    step,
    calls,
    total: Object.values(calls).reduce((a, b) => a + b, 0),
    wallMs,
    emulatedMs,
    throttled: refused.length,
    throttledBy,
    error,
  };
  if (waitedFor && waitedFor.length && !error) {
    const runningAt = waitedFor.map((id) => emu.backend.getDesktop(id)?.startedAt ?? Infinity);
    result.detectionMs = w.clock.now() - Math.max(...runningAt);
  }
  return result;
}

const batchInputs = (n: number, token: string): DesktopBatchInputs => ({
  regionId: REGION,
  officeSiteId: SITE,
  bundleId: BUNDLE,
  policyGroupId: "system-all-enabled-policy",
  desktopName: "bench",
  amount: n,
  endUserIds: ["alice", "bob"],
  tags: { bench: "yes" },
  lineage: token,
});

/** The inputs check returns; a refusal is an error (Pulumi would not go on). */
function checkedInputs(result: { inputs?: unknown; failures?: { reason: string }[] }): DesktopBatchInputs {
  if (result.failures?.length) throw new Error(result.failures.map((f) => f.reason).join("; "));
  return result.inputs as DesktopBatchInputs;
}

/** What each update step changes, from the inputs before it. */
function changed(step: Step, before: DesktopBatchInputs, n: number): DesktopBatchInputs {
  switch (step) {
    case "rename":
      return { ...before, desktopName: "bench2" };
    case "policy":
      return { ...before, policyGroupId: "pg-emu-custom-0001" };
    case "users":
      return { ...before, endUserIds: ["alice", "carol"] };
    case "tags":
      return { ...before, tags: { ...before.tags, team: "bench" } };
    case "scale +10%":
      return { ...before, amount: scalesDownFirst(n) ? n : n + scaleBy(n) };
    case "scale -10%":
      return { ...before, amount: scalesDownFirst(n) ? n - scaleBy(n) : n };
    default:
      throw new Error(`${step} is not an update`);
  }
}

export function batchProvider(
  w: World,
  pacer: Pacer,
  wrap: (pacer: CallPacer) => CallPacer = (p) => p,
): DesktopBatchProvider {
  return new DesktopBatchProvider({
    settings: { credentials: w.credentials, region: REGION, endpoint: w.url },
    // The production poll settings (no PULUMI_ECD_POLL_INTERVAL_MS), on virtual time.
    env: {},
    // BENCH_DEBUG=1 prints the provider's progress lines, stamped with the emulator's clock.
    poll: {
      sleep: w.vt.sleep,
      log: process.env.BENCH_DEBUG ? (line) => console.error(`[${w.clock.now()}] ${line}`) : () => undefined,
    },
    // The create hold is renewed on the emulator's clock, as it would be on the service's.
    lease: { now: () => w.clock.now() },
    client: { pacer: w.vt.hook(wrap(pacer)), sleep: w.vt.sleep },
  });
}

/**
 * Every step on one DesktopBatch of n desktops; a failed step ends the run. Each step is one Pulumi operation
 * (`up --skip-preview`, `refresh`, `destroy`), and Pulumi starts the provider afresh for each: a new provider
 * and pacing budget per step, so what a provider caches per process (check's office site, template and policy
 * answers) is asked again, as it would be. `onStep` is told each step's result as soon as it has run.
 */
export async function runBatch(
  n: number,
  rateLimit: boolean,
  open: () => Promise<World> = () => world(rateLimit),
  onStep?: (result: StepResult) => void,
): Promise<ModelRun> {
  const w = await open();
  const steps: StepResult[] = [];
  let inputs = batchInputs(n, "b".repeat(32));
  let id = "";
  let outs: DesktopBatchOutputs | undefined;
  try {
    // A scale-up check refuses (beyond the largest batch) leaves nothing to scale back either.
    let refused: string | undefined;
    for (const step of stepsFor(n)) {
      if (refused && step === "scale -10%") {
        steps.push({
          step,
          calls: {},
          total: 0,
          wallMs: 0,
          emulatedMs: 0,
          throttled: 0,
          throttledBy: {},
          skipped: refused,
        });
        continue;
      }
      refused = undefined;
      const provider = batchProvider(w, new Pacer({ clock: w.vt }));
      const result = await measure(w, step, async () => {
        if (step === "create") {
          inputs = checkedInputs(await provider.check({}, inputs));
          const created = await provider.create(inputs);
          id = created.id;
          outs = created.outs as DesktopBatchOutputs;
          return outs.desktopIds;
        }
        if (step === "refresh") {
          outs = (await provider.read(id, outs!)).props as DesktopBatchOutputs;
          return;
        }
        if (step === "delete") {
          await provider.delete(id, outs!);
          return;
        }
        const before = new Set(outs!.desktopIds);
        const checked = await provider.check(inputs, changed(step, inputs, n));
        if (checked.failures?.length) {
          refused = checked.failures.map((f) => f.reason).join("; ");
          return;
        }
        const news = checked.inputs as DesktopBatchInputs;
        await provider.diff(id, outs!, news);
        outs = (await provider.update(id, outs!, news)).outs as DesktopBatchOutputs;
        inputs = news;
        return outs.desktopIds.filter((d) => !before.has(d));
      });
      if (refused) result.skipped = refused;
      onStep?.(result);
      steps.push(result);
      if (result.error) break;
    }
  } finally {
    await w.close();
  }
  return { n, rateLimit, steps };
}

const oneDesktop = (i: number): OneDesktop => ({
  desktopName: `bench-${i + 1}`,
  policyGroupId: "system-all-enabled-policy",
  endUserIds: ["alice", "bob"],
  tags: { bench: "yes" },
});

function oneChanged(step: Step, before: OneDesktop, i: number): OneDesktop {
  switch (step) {
    case "rename":
      return { ...before, desktopName: `bench2-${i + 1}` };
    case "policy":
      return { ...before, policyGroupId: "pg-emu-custom-0001" };
    case "users":
      return { ...before, endUserIds: ["alice", "carol"] };
    case "tags":
      return { ...before, tags: { ...before.tags, team: "bench" } };
    default:
      return before;
  }
}

/**
 * How many resource operations the Pulumi engine runs at once by default: `pulumi up --help` of v3.274.1 shows
 * `--parallel` defaulting to 4 × the CPUs (8 on a 2-CPU machine, 4 under `taskset -c 0`; PULUMI_PARALLEL
 * overrides it); older CLIs said "Defaults to unbounded" (2147483647). Fixed here so results do not depend on
 * the machine.
 */
export const ENGINE_PARALLEL = 8;

/** Runs `task` on every item, at most `limit` at a time, like the engine's step executor. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * n one-desktop resources, each step run on all of them as the engine would: ENGINE_PARALLEL at a time. One
 * client for all, as one provider process.
 */
export async function runPerDesktop(n: number, rateLimit: boolean): Promise<ModelRun> {
  const w = await world(rateLimit);
  const client = new EcdClient({
    regionId: REGION,
    endpoint: w.url,
    credentials: w.credentials,
    // Terraform's own retry loop (in the provider) replaces the client's, throttling included; no pacing, only
    // counted.
    retry: { maxAttempts: 1, throttleWindowMs: 0 },
    pacer: w.vt.hook(),
  });
  const provider = new PerDesktopProvider(client, { officeSiteId: SITE, bundleId: BUNDLE }, w.vt);
  let resources = Array.from({ length: n }, (_, i) => ({ i, inputs: oneDesktop(i), id: "" }));
  const steps: StepResult[] = [];
  const extra = scaleBy(n);
  try {
    for (const step of STEPS) {
      const result = await measure(w, step, async () => {
        switch (step) {
          case "create":
            await pool(resources, ENGINE_PARALLEL, async (r) => {
              r.id = await provider.create(r.inputs);
            });
            return resources.map((r) => r.id);
          case "refresh":
            await pool(resources, ENGINE_PARALLEL, async (r) => {
              await provider.read(r.id);
            });
            return;
          case "scale +10%": {
            const added = Array.from({ length: extra }, (_, k) => ({
              i: n + k,
              inputs: oneDesktop(n + k),
              id: "",
            }));
            await pool(added, ENGINE_PARALLEL, async (r) => {
              r.id = await provider.create(r.inputs);
            });
            resources = [...resources, ...added];
            return added.map((r) => r.id);
          }
          case "scale -10%": {
            const removed = resources.slice(n);
            await pool(removed, ENGINE_PARALLEL, (r) => provider.delete(r.id));
            resources = resources.slice(0, n);
            return;
          }
          case "delete":
            await pool(resources, ENGINE_PARALLEL, (r) => provider.delete(r.id));
            return;
          default:
            await pool(resources, ENGINE_PARALLEL, async (r) => {
              const news = oneChanged(step, r.inputs, r.i);
              await provider.update(r.id, r.inputs, news);
              r.inputs = news;
            });
            return;
        }
      });
      steps.push(result);
      if (result.error) break;
    }
  } finally {
    await w.close();
  }
  return { n, rateLimit, steps };
}

export interface ParallelRun {
  label: string;
  batches: number;
  perBatch: number;
  calls: number;
  throttled: number;
  throttledBy: Record<string, number>;
  failed: number;
  emulatedMs: number;
  wallMs: number;
}

/**
 * `batches` DesktopBatches of `perBatch` desktops created at once against the rate-limited emulator: from one
 * provider process (one pacing budget), or from as many independent processes (a budget each).
 */
export async function runParallel(
  label: string,
  batches: number,
  perBatch: number,
  independent: boolean,
  knownQps: Record<string, number> = {},
): Promise<ParallelRun> {
  const w = await world(true);
  const shared = new Pacer({ clock: w.vt, qps: knownQps });
  const providers = Array.from({ length: independent ? batches : 1 }, () =>
    batchProvider(w, independent ? new Pacer({ clock: w.vt, qps: knownQps }) : shared),
  );
  let failed = 0;
  const wall0 = performance.now();
  const virtual0 = w.clock.now();
  try {
    await Promise.all(
      Array.from({ length: batches }, async (_, b) => {
        const provider = providers[independent ? b : 0];
        const token = b.toString(16).padStart(32, "c");
        const inputs = checkedInputs(await provider.check({}, batchInputs(perBatch, token)));
        await provider.create(inputs).catch(() => (failed += 1));
      }),
    );
    const refused = w.emu.calls.entries().filter((c) => c.fault === "rateLimit");
    const throttledBy: Record<string, number> = {};
    for (const c of refused) throttledBy[c.action] = (throttledBy[c.action] ?? 0) + 1;
    return {
      label,
      batches,
      perBatch,
      calls: w.emu.calls.entries().length,
      throttled: refused.length,
      throttledBy,
      failed,
      emulatedMs: w.clock.now() - virtual0,
      wallMs: performance.now() - wall0,
    };
  } finally {
    await w.close();
  }
}
