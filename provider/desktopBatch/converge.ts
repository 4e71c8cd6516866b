/**
 * Bringing a batch to its inputs, the body of an update: adopt what the inputs newly adopt, wait for what an
 * earlier attempt made, replace Failed desktops, scale down or up, converge each desktop's attributes, commit. An
 * update plans from the stored state when it can, and lists the batch and plans again when a call shows that the
 * state no longer matches the cloud.
 */
import { EcdApiError } from "../ecd/errors";
import { DesktopsRefusedError, isStaleCode } from "./attributes/attribute";
import type { DesktopBatchInputs } from "./inputs";
import type { DesktopBatchOutputs } from "./outputs";
import { releaseDesktops } from "./release";
import { type BatchSession, UnpaidOrderError } from "./session";
import { describeError } from "./text";
import { DesktopGoneError } from "./waiter";

export interface ConvergeRequest {
  /** The batch's ID, for the refusals. */
  readonly id: string;
  /** The outputs the state recorded. */
  readonly olds: DesktopBatchOutputs;
  readonly inputs: DesktopBatchInputs;
  readonly log: (line: string) => void;
}

/** Brings the batch to `inputs` and commits it; the session then holds the batch as it is. */
export async function convergeToInputs(batch: BatchSession, request: ConvergeRequest): Promise<void> {
  const { olds, inputs } = request;
  const known = new Set(olds.adoptDesktopIds ?? []);
  const newlyAdopted = new Set((inputs.adoptDesktopIds ?? []).filter((desktopId) => !known.has(desktopId)));
  if (!plansFromState(olds, inputs)) return bringToInputs(batch, request, newlyAdopted, true);
  // The state is trusted; a desktop changed outside Pulumi meanwhile makes a call fail, and then the batch is
  // listed and planned again (what was already applied is then simply not planned).
  batch.assume(olds.desktops ?? []);
  try {
    return await bringToInputs(batch, request, newlyAdopted, false);
  } catch (error) {
    if (!isStaleView(error)) throw error;
    request.log(`${describeError(error)}: the batch changed outside Pulumi; listing it and planning again`);
    return bringToInputs(batch, request, newlyAdopted, true);
  }
}

/** Desktops a run made that ended in Failed fail the step; the state records them and the next run replaces them. */
export function failOnFailed(desktops: { desktopId: string; desktopStatus: string }[]): void {
  const failed = desktops.filter((d) => d.desktopStatus === "Failed");
  if (failed.length) {
    throw new Error(
      `${failed.length} desktop(s) ended in Failed: ${failed.map((d) => d.desktopId).join(", ")}. They are recorded in the stack; the next pulumi up releases and replaces them.`,
    );
  }
}

/** The update's steps, from the batch as listed (`list`) or as the state recorded it. */
async function bringToInputs(
  batch: BatchSession,
  { id, olds, inputs, log }: ConvergeRequest,
  newlyAdopted: ReadonlySet<string>,
  list: boolean,
): Promise<void> {
  if (list) await batch.live();
  await batch.adopt(inputs.adoptDesktopIds ?? [], newlyAdopted);
  // A rerun after a failed create or scale-up: what that attempt made may still be on its way.
  const arriving = batch
    .current()
    .filter((d) => d.desktopStatus === "Pending")
    .map((d) => d.desktopId);
  if (arriving.length)
    await batch.waitMadeRunning(arriving, `${arriving.length} desktop(s) of an earlier attempt Running`);
  const desktops = batch.current();
  const failed = desktops.filter((d) => d.desktopStatus === "Failed").map((d) => d.desktopId);
  if (failed.length) {
    log(`replacing ${failed.length} Failed desktop(s)`);
    await releaseDesktops(
      batch,
      inputs,
      desktops,
      failed,
      {
        refused: "Failed desktops were not replaced",
        keep: "keep them",
        label: "releasing Failed desktops",
        wantsPostPaid: (inputs.chargeType ?? "PostPaid") === "PostPaid",
      },
      log,
    );
  }
  const amount = inputs.amount ?? 1;
  if (batch.tracked.length > amount) {
    // How many to release rests on how many exist: a desktop deleted outside Pulumi is not counted.
    if (!list) await batch.confirmTracked(`scaling down to ${amount}`);
    const victims = batch.victims(batch.current(), batch.tracked.length - amount);
    await releaseDesktops(
      batch,
      inputs,
      batch.current(),
      victims,
      {
        refused: `DesktopBatch ${id} was not scaled down to ${amount}`,
        keep: `keep amount at ${batch.tracked.length}`,
        label: `scaling down by ${victims.length}`,
        wantsPostPaid: (inputs.chargeType ?? "PostPaid") === "PostPaid",
      },
      log,
    );
  }
  if (batch.tracked.length < amount) {
    if (olds.unpaidOrderId) throw new UnpaidOrderError(olds.unpaidOrderId, amount - batch.tracked.length);
    const created = await batch.createMissing(false);
    const all = await batch.waitMadeRunning(created, `${created.length} new desktop(s) Running`, true);
    failOnFailed(all.filter((d) => created.includes(d.desktopId)));
  }
  // Releases, creates, waits and fixes keep the session's view current: no listing after them.
  await batch.converge(batch.current(), olds.bundleId);
  await batch.commit();
}

/** Statuses in which a stored desktop stays until somebody acts on it. */
const STEADY = new Set(["Running", "Stopped", "Hibernated", "Expired"]);

/**
 * Whether an update can plan from the stored desktops instead of listing the batch: the state records every
 * desktop, its last operation finished, none was on its way anywhere, and the batch is not growing (a scale-up
 * lists first, to adopt what an interrupted scale-up made).
 */
function plansFromState(olds: DesktopBatchOutputs, inputs: DesktopBatchInputs): boolean {
  const ids = olds.desktopIds ?? [];
  const stored = olds.desktops ?? [];
  const recorded = new Set(stored.map((desktop) => desktop.desktopId));
  return (
    !olds.unfinished &&
    !olds.unpaidOrderId &&
    stored.length === ids.length &&
    ids.every((desktopId) => recorded.has(desktopId)) &&
    stored.every((desktop) => STEADY.has(desktop.desktopStatus)) &&
    (inputs.amount ?? 1) <= ids.length
  );
}

/** An answer that means a desktop is not as the state recorded it (deleted, or busy, outside Pulumi). */
function isStaleView(error: unknown): boolean {
  if (error instanceof DesktopGoneError) return true;
  if (error instanceof DesktopsRefusedError) return error.refused.every((r) => isStaleCode(r.code ?? ""));
  return error instanceof EcdApiError && isStaleCode(error.code);
}
