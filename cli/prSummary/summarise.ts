/** One summary per DesktopBatch of a preview: desktop counts, input changes, drift, warnings and cost. */
import { BatchCost, Pricer } from "./cost";
import { DesktopCounts, Drift, desktopCounts, driftOf } from "./desktops";
import { InputChange, inputChanges } from "./inputChanges";
import { PreviewDigest, PropertyBag, urnName } from "./previewJson";
import { PlanKind, ResourcePlan, desktopBatchPlans } from "./recognise";
import { canonicalInputs } from "../../provider/desktopBatch/canonical";
import { planDiff } from "../../provider/desktopBatch/diff";
import type { DesktopBatchInputs } from "../../provider/desktopBatch/inputs";
import type { DesktopBatchOutputs } from "../../provider/desktopBatch/outputs";

export interface BatchSummary {
  readonly plan: ResourcePlan;
  readonly name: string;
  readonly urn: string;
  readonly kind: PlanKind;
  readonly deleteFirst: boolean;
  readonly counts: DesktopCounts;
  readonly changes: readonly InputChange[];
  readonly replaceReasons: readonly string[];
  readonly drift: Drift;
  /** What the provider's own diff says the update will do to the live desktops (the lines a preview logs). */
  readonly providerSays: readonly string[];
  /** Subscription desktops among those the plan releases. */
  readonly subscriptionReleased: number;
  readonly releaseSubscriptionOnDelete: boolean;
  /** The monthly cost, or why it was not estimated; undefined with --no-cost. */
  readonly cost?: BatchCost | string;
  /** Whether the cost leaves out stopped pay-as-you-go desktops (StopCharging bills no compute). */
  readonly stoppedUnpriced?: boolean;
}

interface DesktopRecord {
  readonly desktopId?: unknown;
  readonly chargeType?: unknown;
}

function subscriptionDesktops(plan: ResourcePlan): number {
  const desktops = plan.old?.outputs.desktops;
  return Array.isArray(desktops)
    ? (desktops as DesktopRecord[]).filter((d) => d.chargeType === "PrePaid").length
    : 0;
}

/** A scale-down picks pay-as-you-go desktops first; only a release beyond them reaches subscriptions. */
function subscriptionsReleased(plan: ResourcePlan, counts: DesktopCounts): number {
  const subscriptions = subscriptionDesktops(plan);
  const released = counts.release + counts.rebuild;
  if (counts.replaced || plan.kind === "delete") return Math.min(subscriptions, released);
  return Math.min(subscriptions, Math.max(0, released - (counts.before - subscriptions)));
}

function summariseOne(plan: ResourcePlan): BatchSummary {
  const changes =
    plan.kind === "update" || plan.kind === "replace"
      ? inputChanges(plan.old?.inputs ?? {}, plan.new?.inputs ?? {}, plan.diffReasons)
      : [];
  const drift = driftOf(plan);
  const counts = desktopCounts(plan, changes, drift);
  const bag = plan.new?.inputs ?? plan.old?.inputs ?? {};
  return {
    plan,
    name: urnName(plan.urn),
    urn: plan.urn,
    kind: plan.kind,
    deleteFirst: plan.deleteFirst,
    counts,
    changes,
    replaceReasons: plan.replaceReasons,
    drift,
    providerSays: plan.kind === "update" ? providerExplanation(plan) : [],
    subscriptionReleased: subscriptionsReleased(plan, counts),
    releaseSubscriptionOnDelete: bag.releaseSubscriptionOnDelete === true,
  };
}

/**
 * The provider's diff run on the recorded outputs and the planned inputs: the same lines `pulumi preview` logs
 * ("1 desktop(s) missing; they will be created", "ecd-… is named …"), from the same attribute modules the update
 * applies. Inputs not known until apply leave it silent.
 */
function providerExplanation(plan: ResourcePlan): string[] {
  if (!plan.old || !plan.new) return [];
  try {
    return planDiff(
      canonicalInputs(plan.old.outputs as unknown as DesktopBatchOutputs),
      plan.new.inputs as unknown as DesktopBatchInputs,
    ).drift;
  } catch {
    return [];
  }
}

export function summarise(preview: PreviewDigest): BatchSummary[] {
  return desktopBatchPlans(preview.steps).map(summariseOne);
}

const STOPPED = new Set(["Stopped", "Stopping"]);

/** Of `count` desktops, those billed for compute: a pay-as-you-go desktop stopped with StopCharging is not. */
function billed(inputs: PropertyBag, count: number, stopped: number): number {
  if (inputs.chargeType === "PrePaid" || inputs.stoppedMode === "KeepCharging") return count;
  return Math.max(0, count - stopped);
}

/** How many desktops are billed for compute before and after the plan. */
function billedCounts(batch: BatchSummary): { before: number; after: number | undefined } {
  const { plan, counts } = batch;
  const recorded = plan.old?.outputs.desktops;
  const stoppedBefore = Array.isArray(recorded)
    ? (recorded as { desktopStatus?: unknown }[]).filter((d) => STOPPED.has(String(d.desktopStatus))).length
    : 0;
  const before = plan.old ? billed(plan.old.inputs, counts.before, stoppedBefore) : 0;
  if (counts.after === undefined || plan.new === undefined) return { before, after: counts.after };
  const inputs = plan.new.inputs;
  const stoppedAfter =
    inputs.powerState === "Stopped"
      ? counts.after
      : inputs.powerState === "Running" || counts.replaced
        ? 0
        : Math.min(counts.after, Math.max(0, stoppedBefore - counts.release));
  return { before, after: billed(inputs, counts.after, stoppedAfter) };
}

/** Adds each batch's monthly cost; a failure to price one batch is reported on that batch, not thrown. */
export function withCost(batches: readonly BatchSummary[], pricer: Pricer): Promise<BatchSummary[]> {
  return Promise.all(
    batches.map(async (batch): Promise<BatchSummary> => {
      const plan = batch.plan;
      try {
        const count = billedCounts(batch);
        const before = plan.old && { inputs: plan.old.inputs, count: count.before };
        const after =
          batch.kind === "delete" || plan.new === undefined
            ? undefined
            : { inputs: plan.new.inputs, count: count.after };
        const stoppedUnpriced =
          count.before < batch.counts.before ||
          (count.after !== undefined && batch.counts.after !== undefined && count.after < batch.counts.after);
        return { ...batch, cost: await pricer.batchCost(before, after), stoppedUnpriced };
      } catch (error) {
        return { ...batch, cost: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}

/** Whether a workflow gating on --fail-on-* should stop. */
export const replacesDesktops = (batches: readonly BatchSummary[]): boolean =>
  batches.some((b) => b.counts.replaced && b.counts.before > 0);
export const releasesDesktops = (batches: readonly BatchSummary[]): boolean =>
  batches.some((b) => b.counts.release > 0);
