/**
 * The fault scenario shared by the jest suite (test/faults/lifecycle.faults.test.ts) and the long run
 * (scripts/faults-long.ts): one DesktopBatch lifecycle — create, scale up, rename, scale down, delete — driven
 * through DesktopBatchProvider against the emulator with its fault layer on, every step rerun the way a user
 * reruns `pulumi up` until it succeeds, and the emulator checked (faults off) after every step.
 *
 * Repeatable: every random choice comes from the seed (the plan; per attempt, the emulator's fault and
 * desktop-failure streams, the latency spikes, the client's backoff jitter), and time is a ManualClock that only
 * the provider's own sleeps move, so lifecycles, holds and backoffs never wait for real time. What remains of
 * real time: the order in which the provider's concurrent calls (8 renames or user assignments at a time) reach
 * the emulator, which can give one such call another's roll within that attempt.
 */
import {
  FaultInjector,
  ManualClock,
  startEmulator,
  type FaultKind,
  type RunningEmulator,
} from "../../emulator";
import { SeededRandom } from "../../emulator/rng";
import { KNOWN_BUG_SEEDS } from "./knownBugs";
import {
  DesktopBatchProvider,
  PartialBatchError,
  type DesktopBatchInputs,
  type DesktopBatchOutputs,
} from "../../provider";

export const REGION = "cn-hangzhou";
const SITE = `${REGION}+dir-0000000001`;
const BUNDLE = "b-win-office-4c8g";
const POLICY = "system-all-enabled-policy";
const USERS = ["alice", "bob", "carol", "dave", "erin"];
const OWNER_TAG = "pulumi-ecd:batch";
const CREATING_TAG = "pulumi-ecd:creating";
const LINEAGE_TAG = "pulumi-ecd:lineage";

export type Mode = "ALL" | "PER_USER";
export type StepName = "create" | "scale up" | "rename" | "scale down" | "delete";

/** The rates of "Reliability and security in figures". */
export const FAULTS = {
  throttleRate: 0.3,
  serverErrorRate: 0.1,
  dropConnectionRate: 0.05,
  createResponseLostRate: 0.2,
};
/** Share of runs whose new desktops end in Failed at `FAILED_DESKTOP_RATE`. */
const FAILED_DESKTOP_RUNS = 1 / 3;
export const FAILED_DESKTOP_RATE = 0.1;
/** Share of calls delayed by a latency spike, and how long one lasts (real ms). */
const SPIKE_RATE = 0.05;
const SPIKE_MS = [5, 40] as const;

/** Emulator lifecycle durations, in ManualClock ms (moved only by the provider's sleeps). */
const DURATIONS = {
  createMs: 40,
  startMs: 20,
  stopMs: 20,
  deleteMs: 20,
  entitlementMs: 20,
  chargeTypeMs: 20,
  specMs: 20,
  rebuildMs: 20,
};

export const MAX_TRIES = 10;

export interface Plan {
  seed: number;
  mode: Mode;
  users: string[];
  lineage: string;
  failedDesktopRate: number;
  steps: { name: StepName; inputs?: DesktopBatchInputs }[];
}

const pick = (rng: SeededRandom, from: number, to: number): number => from + rng.int(to - from + 1);

/** The lifecycle a seed stands for: odd seeds use ALL, even seeds PER_USER. */
export function planFor(seed: number, mode: Mode = seed % 2 ? "ALL" : "PER_USER"): Plan {
  const rng = new SeededRandom(seed * 7919 + 17);
  const userCount = mode === "PER_USER" ? pick(rng, 2, 3) : pick(rng, 1, 3);
  const users = [...USERS].sort(() => rng.next() - 0.5).slice(0, userCount);
  let amounts: [number, number, number];
  if (mode === "PER_USER") {
    const most = Math.floor(12 / userCount);
    const first = pick(rng, Math.ceil(3 / userCount), Math.min(2, most - 1));
    const up = pick(rng, first + 1, most);
    amounts = [first, up, pick(rng, 1, up - 1)].map((share) => share * userCount) as typeof amounts;
  } else {
    const first = pick(rng, 3, 8);
    const up = pick(rng, first + 1, 12);
    amounts = [first, up, pick(rng, 1, up - 1)];
  }
  const lineage = rng.chars("0123456789abcdef", 32);
  const failedDesktopRate = rng.chance(FAILED_DESKTOP_RUNS) ? FAILED_DESKTOP_RATE : 0;
  const base: DesktopBatchInputs = {
    officeSiteId: SITE,
    bundleId: BUNDLE,
    policyGroupId: POLICY,
    desktopName: "dev",
    endUserIds: users,
    userAssignMode: mode,
    lineage,
  };
  const renamed = `team${rng.int(100)}`;
  return {
    seed,
    mode,
    users,
    lineage,
    failedDesktopRate,
    steps: [
      { name: "create", inputs: { ...base, amount: amounts[0] } },
      { name: "scale up", inputs: { ...base, amount: amounts[1] } },
      { name: "rename", inputs: { ...base, amount: amounts[1], desktopName: renamed } },
      { name: "scale down", inputs: { ...base, amount: amounts[2], desktopName: renamed } },
      { name: "delete" },
    ],
  };
}

/**
 * Not one of the figures' faults, off unless asked for: a change other than CreateDesktops that is applied and
 * whose answer is lost, so the client's retry of an idempotent call meets its own effect.
 */
const CHANGES = new Set([
  "DeleteDesktops",
  "TagResources",
  "UntagResources",
  "ModifyDesktopName",
  "ModifyEntitlement",
  "ModifyUserEntitlement",
]);

export type InjectedKind = FaultKind | "latencySpike" | "failedDesktop" | "answerLost";
export const INJECTED_KINDS: readonly InjectedKind[] = [
  "throttle",
  "serverError",
  "drop",
  "responseLost",
  "latencySpike",
  "failedDesktop",
  "answerLost",
];

export interface AttemptRecord {
  step: StepName;
  attempt: number;
  /** What the attempt was, as Pulumi would run it. */
  as: "create" | "update" | "delete";
  outcome: "ok" | "partial" | "error" | "crash";
  error?: string;
  /** The API calls of this attempt, as `Action` or `Action!fault`, in arrival order. */
  trace: string[];
}

export interface RunResult {
  seed: number;
  mode: Mode;
  plan: Plan;
  ok: boolean;
  attempts: AttemptRecord[];
  /** Attempts beyond the first, over all steps. */
  reruns: number;
  faults: Record<InjectedKind, number>;
  calls: number;
  /** Every API call the emulator answered, as `Action` or `Action!fault`, in arrival order (for repeatability). */
  trace: string[];
  /** Desktops alive in the emulator that the recorded state does not list (the most seen at one check). */
  leaked: number;
  /** Desktops recorded twice, or more recorded than declared (the most seen at one check). */
  duplicates: number;
  /** Attempts that ended in a JavaScript error (TypeError, ...) or a non-Error. */
  crashes: number;
  /** Every broken promise, with the step it was seen after. */
  violations: string[];
  /** Provider log lines, prefixed with step and attempt. */
  log: string[];
}

export interface State {
  id: string;
  outs: DesktopBatchOutputs;
}

const isCrash = (error: unknown): boolean =>
  !(error instanceof Error) ||
  error instanceof TypeError ||
  error instanceof ReferenceError ||
  error instanceof RangeError ||
  error instanceof SyntaxError;

const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** A seed for one attempt of one step of a run: each attempt draws its own streams. */
const attemptSeed = (seed: number, step: number, attempt: number, stream: number): number =>
  (Math.imul(seed, 1_000_003) + step * 10_007 + attempt * 101 + stream) >>> 0;

/**
 * One emulator with its faults under the scenario's control. While the provider runs, calls go through a fault
 * injector (the emulator's own FaultInjector) seeded for that attempt alone: the provider renames and assigns
 * users 8 calls at a time, and which of those concurrent calls meets which roll depends on arrival order; with
 * one stream per attempt such a race cannot change the faults of any later attempt or step.
 */
export class FaultyEcd {
  readonly counts: Record<InjectedKind, number> = Object.fromEntries(
    INJECTED_KINDS.map((kind) => [kind, 0]),
  ) as Record<InjectedKind, number>;
  private attempt?: { injector: FaultInjector; spikes: SeededRandom; lostAnswers: SeededRandom };

  private constructor(
    readonly emu: RunningEmulator,
    readonly clock: ManualClock,
    private readonly plan: Plan,
    private readonly lostAnswerRate: number,
  ) {
    const faults = emu.faults;
    const apply = faults.apply.bind(faults);
    faults.apply = (action, run, stillCurrent) => {
      // Faults off: the emulator's own layer (scripted faults of targeted tests).
      if (!this.attempt) return apply(action, run, stillCurrent);
      const { injector, spikes, lostAnswers } = this.attempt;
      if (CHANGES.has(action) && lostAnswers.chance(this.lostAnswerRate)) {
        this.counts.answerLost++;
        run();
        return Promise.resolve({ kind: "drop", fault: "responseLost" });
      }
      // Latency spikes: a seeded share of calls is delayed.
      const spike = spikes.chance(SPIKE_RATE);
      if (spike) this.counts.latencySpike++;
      injector.set({ latencyMs: spike ? pick(spikes, SPIKE_MS[0], SPIKE_MS[1]) : 0 });
      return injector.apply(action, run, stillCurrent);
    };
    emu.backend.setDesktopFailurePolicy(() => {
      const failed = this.attempt?.injector.rollDesktopFailure() ?? false;
      if (failed) this.counts.failedDesktop++;
      return failed;
    });
  }

  static async start(
    plan: Plan,
    durations: Partial<typeof DURATIONS> = {},
    lostAnswerRate = 0,
  ): Promise<FaultyEcd> {
    const clock = new ManualClock();
    const emu = await startEmulator({ seed: plan.seed, clock, durations: { ...DURATIONS, ...durations } });
    return new FaultyEcd(emu, clock, plan, lostAnswerRate);
  }

  /** Faults on for one attempt of one step (steps and attempts count from 1). */
  faultsOn(step: number, attempt: number): void {
    const seed = (stream: number) => attemptSeed(this.plan.seed, step, attempt, stream);
    this.attempt = {
      injector: new FaultInjector({ ...FAULTS, failedDesktopRate: this.plan.failedDesktopRate }, seed(0)),
      spikes: new SeededRandom(seed(2)),
      lostAnswers: new SeededRandom(seed(3)),
    };
  }

  faultsOff(): void {
    this.attempt = undefined;
  }

  /** Fault counts from the emulator's call log, plus the spikes and failed desktops counted here. */
  injected(): Record<InjectedKind, number> {
    const counts = { ...this.counts };
    for (const call of this.emu.calls.entries()) {
      // Lost answers of other changes are counted as answerLost where they are made.
      if (call.fault === "responseLost" && call.action !== "CreateDesktops") continue;
      if (call.fault && call.fault in counts) counts[call.fault as InjectedKind]++;
    }
    return counts;
  }

  /** Desktops in the emulator that are not Deleted. */
  alive() {
    return this.emu.backend.describeDesktops(REGION).filter((d) => d.DesktopStatus !== "Deleted");
  }
}

/**
 * A fresh provider process, as each `pulumi up` starts one; its sleeps move the ManualClock. With `realSleep`
 * its polls sleep for real instead (operation timeouts are measured in real time) and the clock stays put.
 */
export function providerProcess(
  ecd: FaultyEcd,
  jitter: SeededRandom,
  log: (line: string) => void,
  options: { realSleep?: boolean } = {},
) {
  const sleep = async (ms: number): Promise<void> => {
    if (options.realSleep) return new Promise((resolve) => setTimeout(resolve, ms));
    ecd.clock.advance(Math.max(0, ms));
    await new Promise((resolve) => setImmediate(resolve));
  };
  return new DesktopBatchProvider({
    settings: { credentials: ecd.emu.credentials[0], region: REGION, endpoint: ecd.emu.url },
    poll: { intervalMs: 5, maxIntervalMs: 20, progressEveryMs: 0, log, sleep },
    // No pacing: its waits are real time, and the faults here are the point, not a budget to keep.
    client: { retry: { baseDelayMs: 2, maxDelayMs: 20 }, sleep, random: () => jitter.next(), pacer: false },
    lease: { ttlMs: 1000, lostAnswerWindowMs: 40, now: () => ecd.clock.now() },
    env: {},
  });
}

/** What the emulator must show after a step: exactly the declared desktops, as the state records them. */
export function verify(
  ecd: FaultyEcd,
  step: string,
  inputs: DesktopBatchInputs,
  state: State,
): {
  violations: string[];
  leaked: number;
  duplicates: number;
} {
  const violations: string[] = [];
  const say = (what: string) => violations.push(`after ${step}: ${what}`);
  const amount = inputs.amount ?? 1;
  const ids = state.outs.desktopIds ?? [];
  const unique = new Set(ids);
  const instance = state.id.replace(/^ecd-batch-/, "");
  const live = ecd.alive();
  const liveIds = new Set(live.map((d) => d.DesktopId));
  const leaked = live.filter((d) => !unique.has(d.DesktopId));
  const missing = [...unique].filter((id) => !liveIds.has(id));
  const duplicates = ids.length - unique.size + Math.max(0, unique.size - amount);
  if (ids.length !== unique.size) say(`state lists a desktop twice: ${ids.join(", ")}`);
  if (live.length !== amount) say(`${live.length} desktop(s) in the emulator, ${amount} declared`);
  if (unique.size !== amount) say(`state records ${unique.size} desktop(s), ${amount} declared`);
  if (leaked.length)
    say(`not in state: ${leaked.map((d) => `${d.DesktopId} (${d.DesktopStatus}, ${tagsOf(d)})`).join("; ")}`);
  if (missing.length) say(`in state but not in the emulator: ${missing.join(", ")}`);
  for (const d of live) {
    const owner = d.Tags?.find((t) => t.Key === OWNER_TAG)?.Value;
    if (owner !== instance) say(`${d.DesktopId} is owned by ${owner ?? "nobody"}, not ${instance}`);
    if (d.Tags?.some((t) => t.Key === CREATING_TAG)) say(`${d.DesktopId} still carries ${CREATING_TAG}`);
    if (d.DesktopStatus !== "Running") say(`${d.DesktopId} is ${d.DesktopStatus}`);
  }
  const recorded = state.outs.desktops ?? [];
  const recordedIds = recorded.map((d) => d.desktopId);
  if (recordedIds.join() !== ids.join())
    say(`outputs desktops ${recordedIds.join()} != desktopIds ${ids.join()}`);
  const byId = new Map(live.map((d) => [d.DesktopId, d]));
  for (const d of recorded) {
    if (d.desktopStatus !== "Running") say(`state shows ${d.desktopId} ${d.desktopStatus}`);
    const seen = byId.get(d.desktopId);
    if (seen && seen.DesktopName !== d.desktopName)
      say(`state names ${d.desktopId} ${d.desktopName}, the emulator ${seen.DesktopName}`);
    if (seen && [...seen.EndUserIds].sort().join() !== [...(d.endUserIds ?? [])].sort().join())
      say(
        `state gives ${d.desktopId} users [${d.endUserIds?.join(", ")}], the emulator [${seen.EndUserIds.join(", ")}]`,
      );
  }

  // Numbered names stay unique; numbers are not renumbered when the batch shrinks (attributes/names.ts).
  const stem = inputs.desktopName ?? "";
  const names = live.map((d) => d.DesktopName);
  // A later CreateDesktops call names its desktops as a group of their own: stem-<g>-<n>.
  const numbers = names.map((name) => new RegExp(`^${stem}-(\\d+(?:-\\d+)?)$`).exec(name)?.[1]);
  const namesOk =
    amount > 1
      ? numbers.every((n) => n !== undefined) && new Set(numbers).size === numbers.length
      : names.every((name) => name === stem);
  if (!namesOk)
    say(
      `names ${names.sort().join(", ")} do not follow ${stem}${amount > 1 ? "-<n> or -<g>-<n>, unique" : ""}`,
    );

  const users = [...(inputs.endUserIds ?? [])].sort();
  if (inputs.userAssignMode === "PER_USER") {
    const share = amount / users.length;
    const held = new Map(users.map((u) => [u, 0]));
    for (const d of live) {
      if (d.EndUserIds.length !== 1)
        say(`${d.DesktopId} has users [${d.EndUserIds.join(", ")}] under PER_USER`);
      else held.set(d.EndUserIds[0], (held.get(d.EndUserIds[0]) ?? 0) + 1);
    }
    for (const [user, n] of held) if (n !== share) say(`${user} has ${n} desktop(s), share ${share}`);
  } else {
    for (const d of live) {
      if ([...d.EndUserIds].sort().join() !== users.join())
        say(`${d.DesktopId} has users [${d.EndUserIds.join(", ")}], wanted [${users.join(", ")}]`);
    }
  }
  return { violations, leaked: leaked.length, duplicates };
}

const traceOf = (calls: { action: string; fault?: string }[]): string[] =>
  calls.map((c) => (c.fault ? `${c.action}!${c.fault}` : c.action));

/**
 * After a failed attempt, desktops nothing will find again: not in the recorded state, not tagged with its
 * owner (the next update looks those up), and, with nothing recorded, not held for a rerun of the create.
 */
function untracked(ecd: FaultyEcd, lineage: string, state: State | undefined): string[] {
  const recorded = new Set(state?.outs.desktopIds ?? []);
  const instance = state?.id.replace(/^ecd-batch-/, "");
  const tag = (d: { Tags?: { Key: string; Value: string }[] }, key: string) =>
    d.Tags?.find((t) => t.Key === key)?.Value;
  return ecd
    .alive()
    .filter((d) => !recorded.has(d.DesktopId))
    .filter((d) => instance === undefined || tag(d, OWNER_TAG) !== instance)
    .filter(
      (d) => state !== undefined || tag(d, CREATING_TAG) === undefined || tag(d, LINEAGE_TAG) !== lineage,
    )
    .map((d) => `${d.DesktopId} (${d.DesktopStatus}, ${tagsOf(d)})`);
}

const tagsOf = (d: { Tags?: { Key: string; Value: string }[] }) =>
  (d.Tags ?? [])
    .filter((t) => t.Key.startsWith("pulumi-ecd:"))
    .map((t) => `${t.Key.slice("pulumi-ecd:".length)}=${t.Value}`)
    .join(" ");

/** Runs one seeded lifecycle; never throws for what the provider does (that is in the result). */
export async function runScenario(
  seed: number,
  options: { mode?: Mode; lostAnswerRate?: number; failedDesktopRate?: number } = {},
): Promise<RunResult> {
  const planned = planFor(seed, options.mode);
  const plan = { ...planned, failedDesktopRate: options.failedDesktopRate ?? planned.failedDesktopRate };
  const ecd = await FaultyEcd.start(plan, {}, options.lostAnswerRate ?? 0);
  const log: string[] = [];
  const attempts: AttemptRecord[] = [];
  const violations: string[] = [];
  let leaked = 0;
  let duplicates = 0;
  let crashes = 0;
  let state: State | undefined;
  try {
    for (const [index, step] of plan.steps.entries()) {
      const stepIndex = index + 1;
      let done = false;
      // After a failed attempt Pulumi has recorded init errors (partial state): the rerun is always an update.
      let failedBefore = false;
      for (let attempt = 1; attempt <= MAX_TRIES && !done; attempt++) {
        const jitter = new SeededRandom(attemptSeed(seed, stepIndex, attempt, 4));
        const provider = providerProcess(ecd, jitter, (line) =>
          log.push(`[${step.name} #${attempt}] ${line}`),
        );
        const as = step.name === "delete" ? "delete" : state ? "update" : "create";
        const record: AttemptRecord = { step: step.name, attempt, as, outcome: "ok", trace: [] };
        const callsBefore = ecd.emu.calls.entries().length;
        attempts.push(record);
        ecd.faultsOn(stepIndex, attempt);
        try {
          if (as === "delete") {
            await provider.delete(state!.id, state!.outs);
            state = undefined;
          } else {
            const checked = await provider.check(state?.outs ?? {}, step.inputs!);
            if (checked.failures?.length)
              throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
            const news = checked.inputs as DesktopBatchInputs;
            if (as === "create") {
              const { id, outs } = await provider.create(news);
              state = { id, outs: outs as DesktopBatchOutputs };
            } else {
              const current = state!;
              const diff = await provider.diff(current.id, current.outs, news);
              if (diff.replaces?.length)
                violations.push(
                  `${step.name} #${attempt}: diff wants a replacement (${diff.replaces.join(", ")})`,
                );
              if (!diff.changes && !failedBefore)
                violations.push(`${step.name} #${attempt}: diff saw no change`);
              const { outs } = await provider.update(current.id, current.outs, news);
              state = { id: current.id, outs: outs as DesktopBatchOutputs };
            }
          }
          done = true;
        } catch (error) {
          failedBefore = true;
          record.error = describeError(error);
          log.push(`[${step.name} #${attempt}] FAILED ${record.error}`);
          if (error instanceof PartialBatchError && as !== "delete") {
            record.outcome = "partial";
            if (state && error.id !== state.id)
              violations.push(
                `${step.name} #${attempt}: PartialBatchError for ${error.id}, state is ${state.id}`,
              );
            state = { id: error.id, outs: error.properties };
          } else if (isCrash(error)) {
            record.outcome = "crash";
            crashes++;
          } else {
            record.outcome = "error";
          }
          ecd.faultsOff();
          const lost = untracked(ecd, plan.lineage, state);
          if (lost.length)
            violations.push(`${step.name} #${attempt} failed and lost track of ${lost.join(", ")}`);
        } finally {
          ecd.faultsOff();
          record.trace = traceOf(ecd.emu.calls.entries().slice(callsBefore));
        }
      }
      if (!done) {
        violations.push(`${step.name} did not succeed in ${MAX_TRIES} tries`);
        break;
      }
      if (state) {
        const checked = verify(ecd, step.name, step.inputs!, state);
        violations.push(...checked.violations);
        leaked = Math.max(leaked, checked.leaked);
        duplicates = Math.max(duplicates, checked.duplicates);
      } else {
        const left = ecd.alive();
        leaked = Math.max(leaked, left.length);
        if (left.length)
          violations.push(
            `after delete: ${left.length} desktop(s) left: ${left.map((d) => `${d.DesktopId} (${d.DesktopStatus}, ${tagsOf(d)})`).join("; ")}`,
          );
        ecd.clock.advance(DURATIONS.deleteMs + 1);
        const all = ecd.emu.backend.describeDesktops(REGION);
        if (all.length) violations.push(`after delete: ${all.length} desktop(s) still listed`);
      }
    }
  } finally {
    await ecd.emu.close();
  }
  return {
    seed,
    mode: plan.mode,
    plan,
    ok: violations.length === 0 && crashes === 0,
    attempts,
    reruns: attempts.length - plan.steps.length,
    faults: ecd.injected(),
    calls: ecd.emu.calls.entries().length,
    trace: traceOf(ecd.emu.calls.entries()),
    leaked,
    duplicates,
    crashes,
    violations,
    log,
  };
}

/**
 * A table of many runs, one row per mode: API calls, faults injected by kind, steps rerun (attempts beyond the
 * first), failed attempts that recorded partial state (PartialBatchError) or nothing (plain error), desktops
 * leaked and duplicated (the most seen at one check, summed over runs), crashes, runs with any violation.
 */
export function summarize(results: RunResult[]): string {
  const rows = [
    ["all", results] as const,
    ...(["ALL", "PER_USER"] as const).map((mode) => [mode, results.filter((r) => r.mode === mode)] as const),
  ];
  const header = [
    "mode",
    "runs",
    "ok",
    "calls",
    ...INJECTED_KINDS,
    "steps rerun",
    "partial",
    "plain",
    "leaked",
    "duplicates",
    "crashes",
    "failed runs",
  ];
  const lines = rows.map(([mode, runs]) => {
    const sum = (f: (r: RunResult) => number) => runs.reduce((n, r) => n + f(r), 0);
    return [
      mode,
      runs.length,
      runs.filter((r) => r.ok).length,
      sum((r) => r.calls),
      ...INJECTED_KINDS.map((kind) => sum((r) => r.faults[kind])),
      sum((r) => r.reruns),
      sum((r) => r.attempts.filter((a) => a.outcome === "partial").length),
      sum((r) => r.attempts.filter((a) => a.outcome === "error").length),
      sum((r) => r.leaked),
      sum((r) => r.duplicates),
      sum((r) => r.crashes),
      runs.filter((r) => !r.ok).length,
    ].map(String);
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i])).join(" | ")} |`;
  const failed = results.filter((r) => !r.ok);
  return [
    render(header),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...lines.map(render),
    ...(failed.length
      ? [
          "",
          "failed seeds:",
          ...failed.map((r) => {
            const known = KNOWN_BUG_SEEDS[r.seed] ? ` [known: ${KNOWN_BUG_SEEDS[r.seed]}]` : "";
            return `  seed ${r.seed} (${r.mode})${known}: ${r.violations[0] ?? "crash"}`;
          }),
        ]
      : []),
  ].join("\n");
}
