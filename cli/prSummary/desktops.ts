/**
 * What a batch's plan does to desktops, computed the way the provider acts: the old outputs say which desktops
 * exist (and which are Failed), the new inputs how many there should be. Scale-down releases Failed desktops
 * first, then others; Failed desktops kept in the count are released and created again.
 */
import { InputChange } from "./inputChanges";
import { PropertyBag, UNKNOWN } from "./previewJson";
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
  /** Kept desktops stopped, changed by ModifyDesktopSpec and started again. */
  readonly stopStart: number;
}

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

export function desktopCounts(
  plan: ResourcePlan,
  changes: readonly InputChange[],
  drift: Drift,
): DesktopCounts {
  const before = plan.old === undefined ? 0 : ids(plan.old.outputs).length;
  const after = plan.kind === "delete" ? 0 : plan.new === undefined ? before : amountOf(plan.new.inputs);
  const none = { before, after, create: 0, release: 0, replaced: false, rebuild: 0, stopStart: 0 };
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
      return {
        ...none,
        create: created - rebuild,
        release: released - rebuild,
        rebuild,
        stopStart: respec ? keep : 0,
      };
    }
  }
}
