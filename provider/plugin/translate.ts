/**
 * What the plugin face adds to or takes from the core's values: the lineage from the URN, the operation
 * timeout from the engine's request, and the dynamic-face-only properties left out of what goes back.
 */
import { createHash } from "crypto";
import type { DesktopBatchInputs } from "../desktopBatch/inputs";
import type { DesktopBatchOutputs } from "../desktopBatch/outputs";

/**
 * The lineage of the resource a URN names: one per stack, project, parent chain and name, the same for every
 * instance (a `--replace` keeps it), as the SDK's lineage is for the dynamic face. It never decides ownership.
 */
export const lineageFromUrn = (urn: string): string =>
  createHash("sha256").update(urn).digest("hex").slice(0, 32);

export type Phase = "create" | "update" | "delete";

/** The engine's per-operation timeout (customTimeouts, seconds; 0 when unset) as the core's timeouts input. */
export function withTimeout(inputs: DesktopBatchInputs, phase: Phase, seconds: number): DesktopBatchInputs {
  const { timeouts: _ignored, ...rest } = inputs;
  return seconds > 0 ? { ...rest, timeouts: { [phase]: `${Math.ceil(seconds)}s` } } : rest;
}

/** Properties the plugin's schema does not have (`timeouts` is the dynamic face's stand-in for customTimeouts). */
export function pluginOutputs<T extends DesktopBatchOutputs | DesktopBatchInputs>(value: T): T {
  const { timeouts: _timeouts, __provider: _provider, ...rest } = value as DesktopBatchOutputs;
  return rest as T;
}

/** The inputs a Read reports (what `pulumi import` writes into the program): no lineage, no timeouts. */
export function pluginInputs(inputs: DesktopBatchInputs): DesktopBatchInputs {
  const { lineage: _lineage, ...rest } = pluginOutputs(inputs);
  return rest;
}

/** An import ID naming desktops instead of a batch: refused with the way to take them over. */
export function desktopListImportRefusal(id: string): string | undefined {
  const ids = id.split(",").map((part) => part.trim());
  if (!ids.every((part) => /^ecd-[a-z0-9]+$/.test(part)) || ids.some((part) => part.startsWith("ecd-batch-")))
    return undefined;
  return (
    `${id} names desktops, not a DesktopBatch: desktops are not imported one by one. Desktops of a batch come ` +
    `with the batch (import its ID, ecd-batch-<instance>, shown as the ID in its stack). To take over desktops ` +
    `no batch owns, declare a DesktopBatch with adoptDesktopIds: [${ids.map((d) => JSON.stringify(d)).join(", ")}] ` +
    `and amount of at least ${ids.length}, then run pulumi up: the batch tags them as its own and manages them ` +
    `from then on.`
  );
}
