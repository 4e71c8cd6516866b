/** Turns the measured runs into the Markdown of docs/benchmarks.md. Pure: no I/O. */
import type { SizeResult } from "./child";
import type { CliRow } from "./cliBench";
import type { MemoryResult } from "./memory";
import { renderFleet, type FleetResults } from "./fleetReport";
import { lowerBound, POLL_FLOOR_MS, STEPS, total, waitPolls, type Step } from "./lowerBound";
import { SHORTEST_MS } from "../../provider/desktopBatch/waiter";
import { REALISTIC_DURATIONS, type ModelRun, type ParallelRun, type StepResult } from "./scenarios";

export interface BenchResults {
  quick: boolean;
  sizes: SizeResult[];
  memory: MemoryResult[];
  parallel: ParallelRun[];
  cli?: CliRow[];
  cliSkipped?: string;
  parallelism: string;
  machine: string;
  date: string;
  perDesktopMax: number;
  perDesktopLimitedMax: number;
  /** PULUMI_ECD_QPS of the last side-by-side run. */
  knownQps?: string;
  /** Many stacks on one account (fleet.ts). */
  fleet?: FleetResults;
}

/** How long operations take here: the lower bound's polls depend on it. */
const T = REALISTIC_DURATIONS;
const TARGET_RATIO = 1.5;
const TARGET_FEWER = 50;
const TARGET_DETECTION = 0.1;
const TARGET_N = 300;

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const secs = (ms: number): string => (ms >= 100_000 ? fmt(ms / 1000) : fmt(ms / 1000, 1));
const calls = (c: Record<string, number>): string =>
  Object.entries(c)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([action, k]) => `${action} ${k}`)
    .join(", ") || "none";

function table(head: string[], align: string[], rows: string[][]): string {
  return [
    `| ${head.join(" | ")} |`,
    `| ${align.join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

const stepOf = (run: ModelRun | undefined, step: Step): StepResult | undefined =>
  run?.steps.find((s) => s.step === step);

/** Per-desktop calls for a size, measured or (above the measured sizes) scaled linearly from the largest one. */
export function perDesktopCalls(
  results: BenchResults,
  n: number,
  step: Step,
): { calls: number; estimated: boolean } | undefined {
  const own = stepOf(results.sizes.find((s) => s.n === n)?.perDesktop, step);
  if (own && !own.error) return { calls: own.total, estimated: false };
  const measured = results.sizes.filter((s) => s.perDesktop && !stepOf(s.perDesktop, step)?.error);
  const largest = measured[measured.length - 1];
  const base = stepOf(largest?.perDesktop, step);
  if (!largest || !base) return undefined;
  return { calls: Math.round((base.total * n) / largest.n), estimated: true };
}

function perEmulated(size: SizeResult, step: Step): string {
  const s = stepOf(size.perDesktop, step);
  return s && !s.error ? secs(s.emulatedMs) : "—";
}

const sumSteps = (run: ModelRun): number => run.steps.reduce((a, s) => a + s.total, 0);

/** The steps DesktopBatch ran at this size (check may refuse one, e.g. a scale-up beyond the largest batch). */
export const ranSteps = (size: SizeResult): Step[] =>
  STEPS.filter((step) => {
    const s = stepOf(size.batch, step);
    return s !== undefined && !s.skipped;
  });

export interface Miss {
  target: string;
  detail: string;
}

/** Which targets the measured provider misses, and where the excess calls are. */
const excessCalls = (s: StepResult, bound: Record<string, number>): string =>
  Object.entries(s.calls)
    .map(([action, k]) => [action, k - (bound[action] ?? 0)] as const)
    .filter(([, k]) => k > 0)
    .sort(([, a], [, b]) => b - a)
    .map(([action, k]) => `+${k} ${action}`)
    .join(", ");

export function misses(results: BenchResults): Miss[] {
  const out: Miss[] = [];
  for (const step of STEPS) {
    const over = results.sizes
      .map((size) => ({ size, s: stepOf(size.batch, step), bound: lowerBound(step, size.n, T).calls }))
      .filter(({ s, bound }) => s && !s.error && !s.skipped && s.total > TARGET_RATIO * total(bound));
    if (!over.length) continue;
    const ratios = over.map(({ s, bound }) => s!.total / total(bound));
    const last = over[over.length - 1];
    out.push({
      target: `${TARGET_RATIO}x lower bound, ${step}`,
      detail:
        `missed at N = ${over.map((o) => o.size.n).join(", ")} (${fmt(Math.min(...ratios), 1)}x to ` +
        `${fmt(Math.max(...ratios), 1)}x); excess at N = ${last.size.n}: ${excessCalls(last.s!, last.bound)}`,
    });
  }
  for (const size of results.sizes) {
    for (const s of size.batch.steps) {
      if (s.error) out.push({ target: "runs", detail: `N=${size.n} ${s.step} failed: ${s.error}` });
      if (s.skipped)
        out.push({
          target: `${s.step} at N = ${size.n}`,
          detail: `not measured: check refuses it (${s.skipped})`,
        });
      const detection = s.detectionMs;
      if (detection !== undefined && detection > TARGET_DETECTION * REALISTIC_DURATIONS.createMs) {
        out.push({
          target: "detection delay",
          detail: `N=${size.n} ${s.step}: ${secs(detection)} s after the last desktop was Running`,
        });
      }
    }
    for (const s of size.batchLimited.steps) {
      if (s.error)
        out.push({ target: "zero failed runs (rate limit on)", detail: `N=${size.n} ${s.step}: ${s.error}` });
    }
  }
  for (const m of results.memory ?? []) {
    if (m.failed)
      out.push({ target: "runs", detail: `memory run N=${m.n}: ${m.failed} (figures up to that step)` });
  }
  const at = results.sizes.find((s) => s.n === TARGET_N);
  if (at?.perDesktop) {
    const boundAt = ranSteps(at).reduce((a, step) => a + total(lowerBound(step, at.n, T).calls), 0);
    const ratio = sumSteps(at.perDesktop) / sumSteps(at.batch);
    const perStep = STEPS.map((step) => {
      const b = stepOf(at.batch, step)?.total ?? 0;
      const p = stepOf(at.perDesktop, step)?.total ?? 0;
      return `${step} ${fmt(p / Math.max(1, b), 1)}x`;
    }).join(", ");
    if (ratio < TARGET_FEWER) {
      out.push({
        target: `${TARGET_FEWER}x fewer calls than per-desktop at N = ${TARGET_N}`,
        detail:
          `${fmt(ratio, 1)}x over the whole lifecycle (${sumSteps(at.batch)} vs ${sumSteps(at.perDesktop)}); ` +
          `per step: ${perStep}. At the lower bound it would be ${fmt(sumSteps(at.perDesktop) / boundAt, 1)}x: ` +
          "a rename costs N ModifyDesktopName in both models (ModifyDesktopName takes one desktop); without the " +
          `rename step: ${fmt(
            (sumSteps(at.perDesktop) - (stepOf(at.perDesktop, "rename")?.total ?? 0)) /
              (sumSteps(at.batch) - (stepOf(at.batch, "rename")?.total ?? 0)),
            1,
          )}x`,
      });
    }
  }
  const shared = results.parallel.find((p) => p.label.includes("one provider") && !p.label.includes("known"));
  const known = results.parallel.find((p) => p.label.includes("known"));
  const independent = results.parallel.find((p) => p.label.includes("independent"));
  if (shared && independent) {
    if (!(shared.throttled < independent.throttled && shared.failed === 0)) {
      out.push({
        target: "shared budget throttled less than independent clients",
        detail: `${shared.throttled} vs ${independent.throttled} throttled calls`,
      });
    } else if (shared.throttled > 0) {
      out.push({
        target: "side by side under the limit",
        detail:
          `${shared.throttled} throttled calls from one process (vs ${independent.throttled} from independent ` +
          "clients): the budget is open until the service first throttles" +
          (known ? `; ${known.throttled} with the quotas given in PULUMI_ECD_QPS` : ""),
      });
    }
  }
  return out;
}

export function renderMarkdown(results: BenchResults): string {
  const sizes = results.sizes;
  const lines: string[] = [];
  const push = (...more: string[]) => lines.push(...more.flatMap((block) => [block, ""]));
  push(
    "<!-- Generated by `npm run bench` (scripts/bench/); do not edit by hand: rerun it. -->",
    "# Benchmarks",
    `How many ECD calls and how much time a \`DesktopBatch\` takes for each lifecycle step, against the fewest calls ` +
      `the API allows and against one resource per desktop. Measured ${results.date}` +
      `${results.quick ? " with `--quick` (small sizes only)" : ""}; chart: [benchmarks.svg](benchmarks.svg).`,
    "![ECD calls and wall time against N](benchmarks.svg)",
  );

  push(
    "## Setup",
    [
      `- Machine: ${results.machine}.`,
      "- `DesktopBatchProvider` (provider/desktopBatch/provider.ts) is driven directly, as the Pulumi engine calls " +
        "it (check, diff, then create/read/update/delete; each step with a new provider, as Pulumi starts one " +
        "per operation, so check's office site, template and policy lookups count in every create and update; " +
        "a preview would add them once more), against the in-process emulator over HTTP with " +
        "signatures verified. Production poll settings (2 s first interval, growing to 15 s) and client pacing " +
        "(provider/ecd/pacing.ts).",
      `- Provisioning takes minutes, as on the real service: create ${REALISTIC_DURATIONS.createMs / 60_000} min, ` +
        `delete ${REALISTIC_DURATIONS.deleteMs / 60_000} min, entitlement ${REALISTIC_DURATIONS.entitlementMs / 1000} s. ` +
        "The emulator runs on a virtual clock: every wait (poll interval, retry backoff, pacing) is a virtual " +
        "sleep and the clock jumps when nothing is in flight (scripts/bench/virtualTime.ts). _Emulated_ time is " +
        "that clock; _wall_ time is real time in this process (CPU, HTTP and JSON; an ECD call takes no emulated " +
        "time, so the detection delay below is all polling).",
      "- Per-desktop model: N one-desktop resources with the call pattern of Terraform's `alicloud_ecd_desktop` " +
        "(scripts/bench/perDesktopProvider.ts: CreateDesktops of one, wait 10 s then poll at 3, 6, 10, 10, ... s, " +
        "read; one call per changed attribute then read; DeleteDesktops then poll until gone), one client for " +
        `all, each step run on every resource, ${results.parallelism} Measured up to N = ${results.perDesktopMax} ` +
        `(with the rate limit: ${results.perDesktopLimitedMax}); above that its calls are scaled linearly from the ` +
        "largest measured N (marked ≈): without a rate limit each resource's calls do not depend on the others.",
      "- Steps in order on the same batch: create; refresh; update the name, the policy, the users (alice,bob → " +
        "alice,carol), the tags (add a key); scale +10% (N + ⌈N/10⌉), scale back -10%; delete. At N = 3000, " +
        "the largest amount, the scale steps run the other way round: -10% first, then +10% back to N.",
      "- Rate limit: the emulator's per-user flow control (emulator/README.md, assumption 34): CreateDesktops 5 " +
        "QPS, DescribeDesktops 20, other reads 20, other writes 10, per access key and action.",
      `- The create hold (\`pulumi-ecd:creating\`) is renewed on the emulator's clock; its default of 300 s means a ` +
        `${REALISTIC_DURATIONS.createMs / 60_000} min create renews it once.`,
    ].join("\n"),
  );

  push(
    "## Lower bound of each step",
    table(
      ["step", "fewest calls for N desktops", "why"],
      ["---", "---", "---"],
      STEPS.map((step) => {
        const generic = lowerBound(step, 1000, T);
        return [step, lowerBoundFormula(step), generic.why];
      }),
    ),
  );
  const polls = waitPolls(T);
  push(
    "p, p_r and p_e are the fewest polls that find a create, a release and an entitlement change still " +
      `running: ${polls.create}, ${polls.release} and ${polls.entitlement} here (they take ` +
      `${T.createMs / 1000}, ${T.deleteMs / 1000} and ${T.entitlementMs / 1000} s). One rule for every wait ` +
      "the user sits through: the provider cannot know how long an operation takes, and must see it done at " +
      `most ${TARGET_DETECTION * 100} % of its duration (or ${POLL_FLOOR_MS / 1000} s) after it is, whatever ` +
      "the duration. Assumed (no source gives a figure): no create is done sooner than " +
      `${SHORTEST_MS.create / 1000} s after CreateDesktops (ECD reports provisioning in minutes), no release ` +
      `sooner than ${SHORTEST_MS.release / 1000} s. An entitlement change typically takes 1 to 5 s and is to be ` +
      "checked every 2 to 5 s (the official ModifyEntitlement description), so none is assumed done sooner than " +
      `${SHORTEST_MS.entitlement / 1000} s. Then the first poll must come by 1.1× that shortest duration (or ` +
      `${POLL_FLOOR_MS / 1000} s) and ` +
      "each next one at most 10 % of the time since the call later, one DescribeDesktops each (one unfinished " +
      "desktop shows the step unfinished); the provider polls on exactly that schedule " +
      "(provider/desktopBatch/waiter.ts). The stored state is trusted: an in-place update need not list the " +
      "batch, a scale-up must (see its row).",
  );

  const rows: string[][] = [];
  for (const size of sizes) {
    for (const step of STEPS) {
      const s = stepOf(size.batch, step);
      const bound = total(lowerBound(step, size.n, T).calls);
      const per = perDesktopCalls(results, size.n, step);
      if (!s) continue;
      rows.push([
        String(size.n),
        step,
        String(bound),
        s.skipped ? `refused by check: ${s.skipped}` : s.error ? `failed: ${s.error}` : String(s.total),
        s.skipped ? "—" : fmt(s.total / bound, 1) + (s.total > TARGET_RATIO * bound ? " ✗" : ""),
        per ? `${per.estimated ? "≈" : ""}${per.calls}` : "—",
        per && !s.skipped ? fmt(per.calls / Math.max(1, s.total), 1) : "—",
        fmt(s.wallMs),
        secs(s.emulatedMs),
        perEmulated(size, step),
      ]);
    }
  }
  push(
    "## ECD calls per step",
    `DesktopBatch against the lower bound (✗: above ${TARGET_RATIO}x) and the per-desktop model; emulated time ` +
      "is how long the step takes on the service's clock (the per-desktop model runs the engine's default " +
      "parallelism, so its creates come in waves).",
    table(
      [
        "N",
        "step",
        "lower bound",
        "DesktopBatch",
        "÷ bound",
        "per-desktop",
        "per-desktop ÷ DesktopBatch",
        "wall ms",
        "emulated s",
        "per-desktop emulated s",
      ],
      ["---:", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"],
      rows,
    ),
  );

  const lifecycle = sizes.map((size) => {
    const batch = sumSteps(size.batch);
    const bound = ranSteps(size).reduce((a, step) => a + total(lowerBound(step, size.n, T).calls), 0);
    const per = ranSteps(size).map((step) => perDesktopCalls(results, size.n, step));
    const perTotal = per.every((p) => p) ? per.reduce((a, p) => a + p!.calls, 0) : undefined;
    const estimated = per.some((p) => p?.estimated);
    const renames = stepOf(size.batch, "rename")?.total ?? 0;
    const perRenames = perDesktopCalls(results, size.n, "rename")?.calls ?? 0;
    return [
      String(size.n),
      String(bound),
      String(batch),
      fmt(batch / bound, 1),
      perTotal ? `${estimated ? "≈" : ""}${perTotal}` : "—",
      perTotal ? fmt(perTotal / batch, 1) : "—",
      perTotal ? fmt(perTotal / bound, 1) : "—",
      perTotal ? fmt((perTotal - perRenames) / (batch - renames), 1) : "—",
      fmt(size.batch.steps.reduce((a, s) => a + s.wallMs, 0)),
      size.perDesktop ? fmt(size.perDesktop.steps.reduce((a, s) => a + s.wallMs, 0)) : "—",
    ];
  });
  push(
    "## Whole lifecycle (all steps)",
    table(
      [
        "N",
        "lower bound",
        "DesktopBatch",
        "÷ bound",
        "per-desktop",
        "per-desktop ÷ DesktopBatch",
        "per-desktop ÷ lower bound",
        "per-desktop ÷ DesktopBatch without the rename",
        "DesktopBatch wall ms",
        "per-desktop wall ms",
      ],
      ["---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"],
      lifecycle,
    ),
  );

  push(
    "## Calls by action",
    "DesktopBatch's calls next to the lower bound's, per step.",
    table(
      ["N", "step", "DesktopBatch", "lower bound"],
      ["---:", "---", "---", "---"],
      sizes.flatMap((size) =>
        size.batch.steps.map((s) => [
          String(size.n),
          s.step,
          calls(s.calls),
          calls(lowerBound(s.step, size.n, T).calls),
        ]),
      ),
    ),
  );

  push(
    "## Detection delay",
    `From the last desktop becoming Running on the emulator's clock to the step returning; provisioning takes ` +
      `${REALISTIC_DURATIONS.createMs / 1000} s, the target is at most ${TARGET_DETECTION * 100} % of it ` +
      `(${(TARGET_DETECTION * REALISTIC_DURATIONS.createMs) / 1000} s).`,
    table(
      ["N", "step", "DesktopBatch s", "% of provisioning", "per-desktop s"],
      ["---:", "---", "---:", "---:", "---:"],
      sizes.flatMap((size) =>
        (["create", "scale +10%"] as const).map((step) => {
          const s = stepOf(size.batch, step);
          const p = stepOf(size.perDesktop, step);
          const d = s?.detectionMs;
          return [
            String(size.n),
            step,
            d === undefined ? "—" : secs(d),
            d === undefined ? "—" : fmt((100 * d) / REALISTIC_DURATIONS.createMs, 1),
            p?.detectionMs === undefined ? "—" : secs(p.detectionMs),
          ];
        }),
      ),
    ),
  );

  push(
    "## With the rate limit on",
    "Every step again with the emulator's per-user flow control on. A failed run is a step that threw.",
    table(
      [
        "N",
        "DesktopBatch calls",
        "throttled",
        "failed steps",
        "emulated s",
        "per-desktop calls",
        "per-desktop throttled",
        "per-desktop failed steps",
        "DesktopBatch throttled by action",
      ],
      ["---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---"],
      sizes.map((size) => {
        const b = size.batchLimited;
        const p = size.perDesktopLimited;
        return [
          String(size.n),
          String(sumSteps(b)),
          String(b.steps.reduce((a, s) => a + s.throttled, 0)),
          String(b.steps.filter((s) => s.error).length),
          secs(b.steps.reduce((a, s) => a + s.emulatedMs, 0)),
          p ? String(sumSteps(p)) : "—",
          p ? String(p.steps.reduce((a, s) => a + s.throttled, 0)) : "—",
          p ? String(p.steps.filter((s) => s.error).length) : "—",
          calls(
            b.steps.reduce<Record<string, number>>((by, s) => {
              for (const [action, k] of Object.entries(s.throttledBy ?? {}))
                by[action] = (by[action] ?? 0) + k;
              return by;
            }, {}),
          ),
        ];
      }),
    ),
  );

  push(
    "## Batches created side by side (rate limit on)",
    "One provider process serves every batch of a stack and its EcdClients share one pacing budget; independent " +
      "clients each learn the limit on their own. The budget is open until the service first throttles, unless " +
      `the account's quotas are given in PULUMI_ECD_QPS (last row: \`${results.knownQps ?? ""}\`).`,
    table(
      ["run", "calls", "throttled", "throttled by action", "failed", "emulated s", "wall ms"],
      ["---", "---:", "---:", "---", "---:", "---:", "---:"],
      results.parallel.map((p) => [
        p.label,
        String(p.calls),
        String(p.throttled),
        calls(p.throttledBy ?? {}),
        String(p.failed),
        secs(p.emulatedMs),
        fmt(p.wallMs),
      ]),
    ),
  );

  if (results.fleet) push(renderFleet(results.fleet).trimEnd());

  push(
    "## Memory",
    "The provider's own memory: every DesktopBatch step above for N, on virtual time, in a process of its own " +
      "that holds only the provider, its ECD client and the steps' inputs and outputs; the emulator, with the N " +
      "desktops and its call log, runs in another process whose clock follows the virtual one " +
      "(scripts/bench/memory.ts, emulatorProcess.ts). RSS at start: before the first step (Node.js, tsx, the " +
      "code loaded); peak RSS: `process.resourceUsage().maxRSS`; peak heap: V8's heap in use, sampled every 10 ms " +
      "(garbage not yet collected included); kept heap: the heap in use after a full GC at the end of a step, " +
      "the largest (what stays from one step to the next).",
    "What grows with N is the batch itself: the N desktops as listed (2.4 KiB each while a step runs) and their " +
      "outputs. The SDK's read timers no longer add to it: @alicloud/tea-util reads each answer without httpx's " +
      "reader, which left the timer of every call armed for its readTimeout (60 s) with its request and response; " +
      "provider/ecd/readTimers.ts clears it when the answer has been read.",
    results.memory?.length
      ? table(
          [
            "N",
            "RSS at start MiB",
            "peak RSS MiB",
            "peak heap MiB",
            "kept heap MiB",
            "emulator process peak RSS MiB",
          ],
          ["---:", "---:", "---:", "---:", "---:", "---:"],
          results.memory.map((m) => [
            String(m.n),
            fmt(m.startRssMiB),
            fmt(m.peakRssMiB),
            fmt(m.peakHeapMiB),
            fmt(m.keptHeapMiB, 1),
            fmt(m.emulatorRssMiB),
          ]),
        )
      : "Not measured in this run.",
  );
  if (results.cli?.length) {
    push(
      "## With the real Pulumi CLI",
      "Wall time of `pulumi preview` and `pulumi up` for a new stack of K DesktopBatches of one desktop each, " +
        "against the same stack made of a trivial dynamic resource (its create returns at once). Emulator on the " +
        "real clock with short lifecycles (create 200 ms), PULUMI_ECD_POLL_INTERVAL_MS=100, file backend. One run " +
        "each on a machine shared with other jobs: differences of a few seconds are noise (TypeScript compilation " +
        "of the program and plugin start-up dominate).",
      table(
        ["resources", "kind", "preview s", "up s"],
        ["---:", "---", "---:", "---:"],
        results.cli.map((r) => [String(r.resources), r.kind, secs(r.previewMs), secs(r.upMs)]),
      ),
    );
  } else if (results.cliSkipped) {
    push("## With the real Pulumi CLI", `Not measured in this run: ${results.cliSkipped}.`);
  }

  const missed = misses(results);
  push(
    "## Targets",
    `- Each step within ${TARGET_RATIO}x of its lower bound; at least ${TARGET_FEWER}x fewer calls than the ` +
      `per-desktop model at N = ${TARGET_N}; detection delay at most ${TARGET_DETECTION * 100} % of provisioning; ` +
      "no failed run with the rate limit on; batches side by side from one process throttled less than " +
      "independent clients.",
    missed.length
      ? `Missed in this run:\n\n${missed.map((m) => `- ${m.target}: ${m.detail}`).join("\n")}`
      : "All met in this run.",
  );

  push(
    "## Rerun",
    "```sh\nnpm run bench            # every size, the per-desktop model, the Pulumi CLI stacks (minutes)\n" +
      "npm run bench -- --quick # N = 1, 10, 100 only, no CLI (seconds)\n```",
    "It rewrites this file and docs/benchmarks.svg. `npm run bench:provider` is the same command.",
  );
  return lines.join("\n").trimEnd() + "\n";
}

function lowerBoundFormula(step: Step): string {
  switch (step) {
    case "create":
      return "⌈N/300⌉ CreateDesktops + (1 + p + ⌈N/100⌉) DescribeDesktops + ⌈N/50⌉ UntagResources";
    case "refresh":
      return "⌈N/100⌉ DescribeDesktops";
    case "rename":
      return "N ModifyDesktopName";
    case "policy":
      return "1 DescribePolicyGroups + ⌈N/100⌉ ModifyDesktopsPolicyGroup";
    case "users":
      return "2⌈N/100⌉ ModifyUserEntitlement (N ModifyEntitlement when fewer) + (p_e + ⌈N/100⌉) DescribeDesktops";
    case "tags":
      return "⌈N/50⌉ TagResources";
    case "scale +10%":
      return "⌈a/300⌉ CreateDesktops + (⌈N/100⌉ + p + ⌈a/100⌉) DescribeDesktops, a = ⌈N/10⌉";
    case "scale -10%":
      return "⌈a/100⌉ DeleteDesktops + (⌈M/100⌉ + p_r + ⌈a/100⌉) DescribeDesktops, M the batch's size before";
    case "delete":
      return "⌈N/100⌉ DeleteDesktops + (2⌈N/100⌉ + p_r) DescribeDesktops";
  }
}
