/**
 * What a batch's plan does to desktops, computed the way the provider acts: the old outputs say which desktops
 * exist (and which are Failed), the new inputs how many there should be. Scale-down releases Failed desktops
 * first, then others; Failed desktops kept in the count are released and created again.
 */
import type { DesktopView } from "../../provider/desktopBatch/attributes";
import { power, wake } from "../../provider/desktopBatch/attributes/power";
import { scaleDownVictims } from "../../provider/desktopBatch/desired";
import type { DesktopBatchInputs } from "../../provider/desktopBatch/inputs";
import { containsUnknown } from "../../provider/desktopBatch/validate";
import { InputChange } from "./inputChanges";
import { PropertyBag, SECRET, UNKNOWN } from "./previewJson";
import { ResourcePlan } from "./recognise";

export interface DesktopCounts {
  /** Live desktops before the plan (old outputs' desktopIds). */
  readonly before: number;
  /** Desktops after the plan; undefined when the amount is not known until apply. */
  readonly after: number | undefined;
  readonly create: number;
  readonly release: number;
  /** The whole batch replaced: every old desktop released, every new one created. */
  readonly replaced: boolean;
  /** Failed desktops released and created again. */
  readonly rebuild: number;
  /** Kept desktops stopped or started: by a spec change, by powerState, or woken for a policy/user change. */
  readonly stopStart: number;
  /** What powerState does to the kept desktops. */
  readonly power: PowerMoves;
}

export interface PowerMoves {
  /** Started for powerState Running. */
  readonly started: readonly string[];
  /** Stopped for powerState Stopped. */
  readonly stopped: readonly string[];
  /** Stopped desktops started for a policy or user change, and stopped again. */
  readonly woken: readonly string[];
}

const NO_MOVES: PowerMoves = { started: [], stopped: [], woken: [] };

export interface Drift {
  /** The batch's amount before the plan, as recorded. */
  readonly recordedAmount: number | undefined;
  /** Desktops the batch should have but no longer has (deleted outside Pulumi, seen by a refresh). */
  readonly missing: number;
  readonly failed: readonly string[];
}

interface DesktopRecord {
  readonly desktopId?: unknown;
  readonly desktopStatus?: unknown;
}

const ids = (bag: PropertyBag): string[] =>
  Array.isArray(bag.desktopIds) ? bag.desktopIds.filter((id): id is string => typeof id === "string") : [];

function amountOf(bag: PropertyBag | undefined): number | undefined {
  const amount = bag?.amount;
  if (amount === UNKNOWN) return undefined;
  // The schema's default when the program leaves it out.
  return typeof amount === "number" ? amount : 1;
}

export function driftOf(plan: ResourcePlan): Drift {
  const outputs = plan.old?.outputs ?? {};
  const live = ids(outputs);
  const desktops = Array.isArray(outputs.desktops) ? (outputs.desktops as DesktopRecord[]) : [];
  const failed = desktops
    .filter((d) => d.desktopStatus === "Failed" && typeof d.desktopId === "string")
    .map((d) => d.desktopId as string)
    .filter((id) => live.includes(id));
  const recordedAmount =
    plan.old === undefined
      ? undefined
      : amountOf("amount" in plan.old.outputs ? plan.old.outputs : plan.old.inputs);
  return { recordedAmount, missing: Math.max(0, (recordedAmount ?? 0) - live.length), failed };
}

const SPEC_API = "ModifyDesktopSpec";

/**
 * The desktops the update starts or stops, from the provider's own power attributes run on the recorded
 * desktops that stay (not Failed, not released by a scale-down) and the planned inputs.
 */
function powerMoves(plan: ResourcePlan, target: number): PowerMoves {
  const recorded = plan.old?.outputs.desktops;
  const inputs = plan.new?.inputs;
  if (!Array.isArray(recorded) || inputs === undefined || containsUnknown(inputs) || hasSecret(inputs)) {
    return NO_MOVES;
  }
  try {
    const news = inputs as unknown as DesktopBatchInputs;
    const healthy = (recorded as DesktopView[]).filter((d) => d.desktopStatus !== "Failed");
    const surplus = healthy.length - target;
    const order = ids(plan.old!.outputs);
    const victims = new Set(surplus > 0 ? scaleDownVictims(healthy, news, order, surplus) : []);
    const desktops = healthy.filter((d) => !victims.has(d.desktopId));
    const view = { inputs: news, desktops };
    const woken = wake.plan(view).map((fix) => fix.desktopId);
    const fixes = power.plan(view).filter((fix) => !woken.includes(fix.desktopId));
    return {
      started: fixes.filter((fix) => fix.to === "Running").map((fix) => fix.desktopId),
      stopped: fixes.filter((fix) => fix.to === "Stopped").map((fix) => fix.desktopId),
      woken,
    };
  } catch {
    return NO_MOVES;
  }
}

const hasSecret = (value: unknown): boolean =>
  value === SECRET ||
  (typeof value === "object" && value !== null && Object.values(value).some((v) => hasSecret(v)));

export function desktopCounts(
  plan: ResourcePlan,
  changes: readonly InputChange[],
  drift: Drift,
): DesktopCounts {
  const before = plan.old === undefined ? 0 : ids(plan.old.outputs).length;
  const after = plan.kind === "delete" ? 0 : plan.new === undefined ? before : amountOf(plan.new.inputs);
  const none = {
    before,
    after,
    create: 0,
    release: 0,
    replaced: false,
    rebuild: 0,
    stopStart: 0,
    power: NO_MOVES,
  };
  switch (plan.kind) {
    case "create":
      return { ...none, create: after ?? 0 };
    case "delete":
      return { ...none, release: before };
    case "replace":
      return { ...none, create: after ?? 0, release: before, replaced: true };
    case "same":
      return none;
    case "update": {
      const failed = drift.failed.length;
      const healthy = before - failed;
      const target = after ?? before;
      const keep = Math.min(healthy, target);
      const created = target - keep;
      const released = before - keep;
      const rebuild = Math.min(failed, created);
      const respec = changes.some((c) => c.how.kind === "update" && c.how.api === SPEC_API);
      const moves = powerMoves(plan, target);
      const moved = new Set([...moves.started, ...moves.stopped, ...moves.woken]);
      return {
        ...none,
        create: created - rebuild,
        release: released - rebuild,
        rebuild,
        // A spec change stops and starts every kept desktop, those power moves among them.
        stopStart: respec ? keep : moved.size,
        power: moves,
      };
    }
  }
}
