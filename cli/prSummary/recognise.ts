/**
 * Which resources of a preview or a stack export are DesktopBatches: those of the types a batch is registered
 * with, and dynamic resources of another type (older SDKs register every one as `pulumi-nodejs:dynamic:Resource`)
 * by what they carry: the serialized provider that loads pulumi-ecd, or the batch's own fields.
 */
import { PreviewStep, ResourceState } from "./previewJson";

/** The SDK's type (`pulumi-nodejs:dynamic/<module>:<name>`), and the token of the resource plugin. */
export const BATCH_TYPES: ReadonlySet<string> = new Set([
  "pulumi-nodejs:dynamic/ecd:DesktopBatch",
  "ecd:index:DesktopBatch",
]);
const DYNAMIC_TYPE = /^pulumi-nodejs:dynamic(\/[^:]+)?:/;
/** What the SDK's provider proxy requires at run time; it is in every batch's `__provider`. */
const PROVIDER_MODULE = "pulumi-ecd/provider";

export function isDesktopBatch(
  state: Pick<ResourceState, "type" | "inputs" | "outputs"> | undefined,
): boolean {
  if (state === undefined) return false;
  if (BATCH_TYPES.has(state.type)) return true;
  if (!DYNAMIC_TYPE.test(state.type)) return false;
  const provider = state.inputs.__provider ?? state.outputs.__provider;
  if (typeof provider === "string" && provider.includes(PROVIDER_MODULE)) return true;
  // Without the provider text (a bundled or renamed package), the batch's shape: its token and its count.
  const bag = { ...state.inputs, ...state.outputs };
  return (
    ("lineage" in bag || "batchToken" in bag) &&
    "officeSiteId" in bag &&
    ("amount" in bag || Array.isArray(bag.desktopIds))
  );
}

export type PlanKind = "create" | "update" | "replace" | "delete" | "same";

/** Everything the preview says about one resource, its replacement steps folded into one. */
export interface ResourcePlan {
  readonly urn: string;
  readonly kind: PlanKind;
  /** Replaced with the old batch deleted first (Pulumi's delete-before-replace). */
  readonly deleteFirst: boolean;
  readonly old?: ResourceState;
  readonly new?: ResourceState;
  readonly diffReasons: readonly string[];
  readonly replaceReasons: readonly string[];
}

const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced"]);

function kindOf(ops: readonly string[]): PlanKind {
  if (ops.some((op) => REPLACE_OPS.has(op))) return "replace";
  if (ops.includes("create")) return "create";
  if (ops.includes("delete")) return "delete";
  if (ops.includes("update")) return "update";
  return "same";
}

/** The DesktopBatches of a preview, in the order the preview first mentions them. */
export function desktopBatchPlans(steps: readonly PreviewStep[]): ResourcePlan[] {
  const byUrn = new Map<string, PreviewStep[]>();
  for (const step of steps) {
    if (!isDesktopBatch(step.newState) && !isDesktopBatch(step.oldState)) continue;
    byUrn.set(step.urn, [...(byUrn.get(step.urn) ?? []), step]);
  }
  return [...byUrn.entries()].map(([urn, group]) => {
    const ops = group.map((s) => s.op);
    const firstDelete = ops.indexOf("delete-replaced");
    const firstCreate = ops.indexOf("create-replacement");
    // A --refresh preview adds a refresh step whose old state is from before the refresh; the plan's own step
    // starts from the refreshed state, which is what the update acts on.
    const planned = group.filter((s) => s.op !== "refresh");
    const steps = planned.length > 0 ? planned : group;
    return {
      urn,
      kind: kindOf(ops),
      deleteFirst: firstDelete >= 0 && firstCreate >= 0 && firstDelete < firstCreate,
      old: steps.find((s) => s.oldState)?.oldState,
      new: [...steps].reverse().find((s) => s.newState)?.newState,
      diffReasons: [...new Set(group.flatMap((s) => s.diffReasons))],
      replaceReasons: [...new Set(group.flatMap((s) => s.replaceReasons))],
    };
  });
}
