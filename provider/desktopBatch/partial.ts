/**
 * A create or update that fails part way: Pulumi records what exists instead of leaking it. Recorded desktops are
 * committed first, so no later create can take them over.
 */
import { LINEAGE_TAG } from "./identity";
import type { DesktopBatchInputs } from "./inputs";
import { batchOutputs, buildOutputs, type DesktopBatchOutputs } from "./outputs";
import { type BatchSession, EngineGoneError, UnpaidOrderError } from "./session";
import { describeError } from "./text";

/** Thrown from create/update so that Pulumi records what exists instead of leaking it. */
export class PartialBatchError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: DesktopBatchOutputs,
    readonly reasons: string[],
  ) {
    super(message);
    this.name = "PartialBatchError";
  }
}

/** Runs a create/update step; a failure after desktops are tracked becomes a PartialBatchError that records them. */
export async function recordingPartial<T>(
  id: string,
  inputs: DesktopBatchInputs,
  batch: BatchSession,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    // Nobody is listening any more: leave the desktops marked, so the next run takes them over.
    if (error instanceof EngineGoneError) throw error;
    const reason = describeError(error);
    const unpaidOrderId = error instanceof UnpaidOrderError ? error.orderId : undefined;
    if (!batch.tracked.length && !unpaidOrderId) {
      await batch.letGo().catch(() => undefined);
      if (inputs.lineage && batch.maybeCreated) {
        throw new Error(
          `${reason}. No desktop of this batch was recorded, but a CreateDesktops had an unknown outcome: desktops may exist. ` +
            `They carry the tag ${LINEAGE_TAG}=${inputs.lineage}; the next pulumi up of this resource takes them ` +
            `over or releases them (npx pulumi-ecd sweep lists them).`,
        );
      }
      throw error;
    }
    const commitProblem = await batch.commit().then(
      () => undefined,
      (failure: unknown) => describeError(failure),
    );
    const reasons = commitProblem
      ? [reason, `the creating tag could not be removed (${commitProblem}); the next pulumi up removes it`]
      : [reason];
    const unfinished = reasons.join("; ");
    let properties: DesktopBatchOutputs;
    try {
      await batch.live();
      properties = batchOutputs(inputs, batch, { unpaidOrderId }, unfinished);
    } catch {
      properties = buildOutputs(
        inputs,
        batch.tracked,
        batch.tracked.map((desktopId) => ({ desktopId, desktopStatus: "Unknown" })),
        { orderId: batch.orderId, unpaidOrderId, unfinished },
      );
    }
    throw new PartialBatchError(
      `${reasons.join("; ")} (the batch's ${batch.tracked.length} desktop(s) are recorded in the stack)`,
      id,
      properties,
      reasons,
    );
  }
}
