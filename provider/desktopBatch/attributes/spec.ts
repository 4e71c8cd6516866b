/**
 * desktopAttachment.desktopType / systemDiskSize / dataDiskSize, or those of the batch's template: ModifyDesktopSpec,
 * one call per desktop carrying every change for it. ECD changes the spec of Stopped desktops only: running ones
 * are stopped first and started again on every path, also when the change fails, so a batch is never left
 * stopped by us — unless its declared powerState is Stopped. Against a kill in between, what is stopped carries
 * the stopped-for mark until it runs again: a rerun starts the marked desktops too.
 */
import { EcdApiError } from "../../ecd/errors";
import type { Desktop, StoppedMode } from "../../ecd/operations";
import { STOPPED_FOR_TAG, stoppedForSpecTag, tagValue } from "../identity";
import { desktopOutput, type DesktopOutput } from "../outputs";
import { isBusy } from "../statuses";
import { Attribute, eachLimited, isStaleCode, PER_DESKTOP_CONCURRENCY } from "./attribute";
import { PlanView, templateSpec } from "./template";

export interface SpecRequest {
  desktopType: string;
  /** Required for subscription desktops (official ModifyDesktopSpec model). */
  resourceType?: string;
  rootDiskSizeGib?: number;
  userDiskSizeGib?: number;
  userDiskPerformanceLevel?: string;
}

export const spec: Attribute<SpecRequest> = {
  inputs: "desktopAttachment",
  plan({ inputs, desktops, template }: PlanView) {
    const wanted = inputs.desktopAttachment ?? templateSpec(template);
    if (!wanted) return [];
    return desktops.flatMap((d) => {
      const typeChange =
        wanted.desktopType !== undefined &&
        d.desktopType !== undefined &&
        wanted.desktopType !== d.desktopType;
      const grow = (want: number | undefined, have: number | undefined) =>
        want !== undefined && have !== undefined && want > have ? want : undefined;
      const root = grow(wanted.systemDiskSize, d.systemDiskSize);
      const user = grow(wanted.dataDiskSize, d.dataDiskSize);
      if (!typeChange && root === undefined && user === undefined) return [];
      const from = `${d.desktopType ?? "?"}, ${d.systemDiskSize ?? "?"}/${d.dataDiskSize ?? 0} GiB`;
      return [
        {
          desktopId: d.desktopId,
          from,
          to: {
            desktopType: wanted.desktopType ?? d.desktopType ?? "",
            resourceType: resourceTypeFor(d.chargeType, inputs.subPayType),
            rootDiskSizeGib: root,
            userDiskSizeGib: user,
            userDiskPerformanceLevel: user !== undefined ? wanted.dataDiskPerLevel : undefined,
          },
        },
      ];
    });
  },
  describe: (fix) =>
    `${fix.desktopId} is ${fix.from} (will be changed to ${fix.to.desktopType}` +
    `${fix.to.rootDiskSizeGib ? `, system disk ${fix.to.rootDiskSizeGib} GiB` : ""}` +
    `${fix.to.userDiskSizeGib ? `, data disk ${fix.to.userDiskSizeGib} GiB` : ""}; it is stopped and started again)`,
  async apply(planned, ctx) {
    if (!planned.length) return;
    // Fresh: the desktops stopped here are started again afterwards, so which ones run is read, never assumed
    // from the stored state (a desktop stopped outside Pulumi must stay stopped); one whose spec was changed
    // outside Pulumi to the wanted one is left alone (ModifyDesktopSpec refuses a change to what it has).
    const settled = await ctx.waitFor(
      planned.map((fix) => fix.desktopId),
      (d) => !isBusy(d),
      "waiting before changing the spec",
      "fresh",
    );
    const now = new Map(settled.map((d) => [d.desktopId, desktopOutput(d)]));
    const fixes = planned.filter((fix) => !hasSpec(now.get(fix.desktopId), fix.to));
    const ids = fixes.map((fix) => fix.desktopId);
    const keepStopped = ctx.inputs.powerState === "Stopped";
    // Stopped by a run of this change that was killed before it started them again.
    const resumed = keepStopped
      ? []
      : settled
          .filter((d) => d.desktopStatus === "Stopped" && tagValue(d.tags, STOPPED_FOR_TAG) !== undefined)
          .map((d) => d.desktopId);
    const stopped: string[] = settled
      .filter((d) => d.desktopStatus === "Running" && ids.includes(d.desktopId))
      .map((d) => d.desktopId);
    const toRestart = keepStopped ? [] : [...stopped, ...resumed];
    try {
      if (!ids.length) return;
      if (stopped.length) {
        if (!keepStopped) await ctx.client.tagResources(stopped, [stoppedForSpecTag], ctx.opts);
        const stoppedMode = ctx.inputs.stoppedMode as StoppedMode | undefined;
        await ctx.client.stopDesktops({ desktopIds: stopped, stoppedMode }, ctx.opts);
        await ctx.waitFor(
          stopped,
          (d) => d.desktopStatus === "Stopped",
          "stopping to change the spec",
          "power",
        );
      }
      // The billing method as it is once settled: a conversion that was running when planned has ended.
      const charge = new Map(settled.map((d) => [d.desktopId, d.chargeType]));
      await eachLimited(fixes, PER_DESKTOP_CONCURRENCY, ({ desktopId, to }) =>
        ctx.client
          .modifyDesktopSpec(
            { desktopId, ...to, resourceType: resourceTypeFor(charge.get(desktopId), ctx.inputs.subPayType) },
            ctx.opts,
          )
          .catch((error: unknown) => {
            throw tooSoon(error, desktopId) ?? error;
          }),
      );
      const wanted = new Map(fixes.map((fix) => [fix.desktopId, fix.to]));
      await ctx.waitFor(
        ids,
        (d) => specShown(d, wanted.get(d.desktopId)!),
        "waiting for the new spec",
        "change",
      );
    } finally {
      if (toRestart.length) await restart(toRestart, ctx);
    }
  },
};

/**
 * ResourceType, required for subscription desktops (official ModifyDesktopSpec model), names the plan as
 * DescribePrice does: `DesktopMonthPackage` for an hour-limited plan (subPayType `monthPackage`), `Desktop` for an
 * unlimited one. DescribeDesktops does not report the plan, so it is the batch's subPayType; a desktop converted
 * to subscription later (ModifyDesktopChargeType) has an unlimited plan.
 */
const resourceTypeFor = (
  chargeType: string | undefined,
  subPayType: string | undefined,
): string | undefined =>
  chargeType !== "PrePaid" ? undefined : subPayType === "monthPackage" ? "DesktopMonthPackage" : "Desktop";

/**
 * ECD allows one configuration change per desktop every five minutes (the ModifyDesktopSpec description); waiting
 * inside the update would hold the whole stack, so the change fails with when to run it again (the desktops are
 * started again as usual). No source names the refusal's code, so any refusal of the service (not a transport
 * failure) carries the explanation, and the service's own code and message.
 */
function tooSoon(error: unknown, desktopId: string): Error | undefined {
  if (!(error instanceof EcdApiError) || (error.httpStatus ?? 400) >= 500 || isStaleCode(error.code))
    return undefined;
  // Still the service's error (code, request id), with the rule in its words.
  return new EcdApiError({
    operation: error.operation,
    code: error.code,
    message: error.detail,
    requestId: error.requestId,
    httpStatus: error.httpStatus,
    recommend: error.recommend,
    hostId: error.hostId,
    endpoint: error.endpoint,
    hint:
      `${error.hint ?? error.detail.replace(/[.\s]+$/, "")}. Nothing else was changed on ${desktopId}. ECD allows ` +
      "one configuration change of a desktop every five minutes: if it had one less than five minutes ago, run " +
      "pulumi up again in a few minutes",
  });
}

/** Whether a desktop already has the requested type and at least the requested disk sizes. */
function hasSpec(desktop: DesktopOutput | undefined, request: SpecRequest): boolean {
  const atLeast = (have: number | undefined, want: number | undefined) =>
    want === undefined || (have ?? 0) >= want;
  return (
    desktop !== undefined &&
    desktop.desktopType === request.desktopType &&
    atLeast(desktop.systemDiskSize, request.rootDiskSizeGib) &&
    atLeast(desktop.dataDiskSize, request.userDiskSizeGib)
  );
}

/** ModifyDesktopSpec is asynchronous: done when DescribeDesktops shows the new type. */
function specShown(desktop: Desktop, request: SpecRequest): boolean {
  return desktop.desktopType === request.desktopType && desktop.managementFlag !== "Updating";
}

async function restart(ids: string[], ctx: Parameters<typeof spec.apply>[1]): Promise<void> {
  // Fresh: after a failed spec change the desktops may be busy whatever was seen last.
  const now = await ctx.waitFor(ids, (d) => !isBusy(d), "settling before restart", "fresh");
  const toStart = now.filter((d) => d.desktopStatus === "Stopped").map((d) => d.desktopId);
  if (toStart.length) {
    await ctx.client.startDesktops(toStart, ctx.opts);
    await ctx.waitFor(
      toStart,
      (d) => d.desktopStatus === "Running",
      "starting after the spec change",
      "power",
    );
  }
  await ctx.client.untagResources(ids, [STOPPED_FOR_TAG], ctx.opts);
}
