/** The fleet section of docs/benchmarks.md (fleet.ts' runs). Pure: no I/O. */
import type { FleetRun } from "./fleet";
import type { AutomationRun } from "./fleetAutomation";

export interface FleetResults {
  runs: FleetRun[];
  /** Emulated ms one stack takes alone (its provisioning and polling): no fleet can finish sooner. */
  aloneMs: number;
  /** Fleet sizes asked for but not run, with the reason. */
  notRun?: string;
  /** The same lifecycle through the Automation API and the real CLI (examples/fleet), in real time. */
  automation?: AutomationRun[];
  automationSkipped?: string;
}

export const FLEET_HEADING = "## A fleet on one account";

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const byAction = (c: Record<string, number>): string =>
  Object.entries(c)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([action, k]) => `${action} ${k}`)
    .join(", ") || "none";

export function renderFleet(fleet: FleetResults): string {
  const rows = fleet.runs.map((r) => {
    const bound = Math.max(r.quotaBoundMs, fleet.aloneMs);
    return `| ${[
      r.mode === "one process" ? "one provider process" : r.mode,
      `${r.stacks} × ${r.perBatch}`,
      String(r.failedSteps),
      fmt((100 * r.throttled) / r.calls, 1),
      byAction(r.throttledBy),
      fmt(r.calls),
      fmt(r.totalMs / 1000),
      `${fmt(r.quotaBoundMs / 1000)} (${r.boundBy})`,
      fmt(r.totalMs / bound, 2),
      fmt(r.slowestMs / r.fastestMs, 3),
      fmt(r.wallMs / 1000),
    ].join(" | ")} |`;
  });
  const failures = fleet.runs.flatMap((r) => r.errors.map((e) => `- ${r.mode}, ${r.stacks} stacks: ${e}`));
  return [
    FLEET_HEADING,
    "",
    "N stacks on one access key, started together, each a `DesktopBatch` of 50 taken through create → update " +
      "(policy) → update (users) → delete, each step a provider of its own (as each `pulumi up` starts one), " +
      "against the emulator's rate limit. **Independent processes**: each stack in a real child process with its " +
      "own provider and pacing budget, knowing nothing of the others (N CI jobs); the processes share the " +
      "emulator's virtual clock, which jumps only when every process sleeps, so the emulated times below do not " +
      "depend on the machine. **One provider process**: the same batches served by one provider process with one " +
      "pacing budget, as the batches of one stack are (N stacks through the Automation API are N engines, each " +
      "starting its own provider process: they pace like independent processes). " +
      "Throttled calls are retried until the step's timeout (30 min), so a failed step would mean a timeout.",
    "",
    "The lower bound is the larger of what the quota allows (for each action, the calls that passed ÷ its " +
      `per-action limit; the largest shown) and one stack's own time alone, ${fmt(fleet.aloneMs / 1000)} s ` +
      "(provisioning, polled as the detection target requires).",
    "",
    "| run | stacks × desktops | failed steps | throttled per 100 calls | throttled by action | calls | emulated s | quota bound s | total ÷ lower bound | slowest ÷ fastest stack | wall s |",
    "| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    ...(failures.length ? ["Failed steps:", "", ...failures, ""] : []),
    ...(fleet.notRun ? [`Not run: ${fleet.notRun}`, ""] : []),
    ...renderAutomation(fleet),
  ].join("\n");
}

/** Replaces the fleet section of a rendered docs/benchmarks.md (or puts it before "## Memory"). */
export function spliceFleet(markdown: string, section: string): string {
  const start = markdown.indexOf(`${FLEET_HEADING}\n`);
  if (start >= 0) {
    const end = markdown.indexOf("\n## ", start + FLEET_HEADING.length);
    return markdown.slice(0, start) + section.trimEnd() + "\n" + (end >= 0 ? markdown.slice(end) : "");
  }
  const memory = markdown.indexOf("## Memory\n");
  if (memory < 0) return `${markdown.trimEnd()}\n\n${section}`;
  return markdown.slice(0, memory) + section.trimEnd() + "\n\n" + markdown.slice(memory);
}

function renderAutomation(fleet: FleetResults): string[] {
  if (!fleet.automation?.length)
    return fleet.automationSkipped
      ? [`Through the Automation API: not measured (${fleet.automationSkipped}).`, ""]
      : [];
  const errors = fleet.automation.flatMap((r) => r.errors.map((e) => `- ${r.stacks} stacks: ${e}`));
  return [
    "Side by side, through the Automation API: `examples/fleet/fleet.ts` with the real Pulumi CLI drives the " +
      "stacks from one program (each stack's `up` an engine and a provider process of its own), `up` → `up` " +
      "(policy) → `up` (users) → `destroy`, against the same rate limit in real time, with lifecycles of seconds " +
      "(the CLI cannot run on virtual time): its times are mostly the CLI's own work on this 2-CPU machine, so " +
      "only the failures, the throttling and the spread between stacks compare with the table above.",
    "",
    "| run | stacks × desktops | failed steps | throttled per 100 calls | throttled by action | calls | wall s | quota bound s | slowest ÷ fastest stack |",
    "| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ...fleet.automation.map(
      (r) =>
        `| ${[
          "Automation API, one program",
          `${r.stacks} × ${r.perBatch}`,
          String(r.failedSteps),
          fmt((100 * r.throttled) / r.calls, 1),
          byAction(r.throttledBy),
          fmt(r.calls),
          fmt(r.totalMs / 1000),
          `${fmt(r.quotaBoundMs / 1000)} (${r.boundBy})`,
          fmt(r.slowestMs / r.fastestMs, 3),
        ].join(" | ")} |`,
    ),
    "",
    ...(errors.length ? ["Failed steps:", "", ...errors, ""] : []),
  ];
}
