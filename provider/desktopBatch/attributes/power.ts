/**
 * powerState (and stoppedMode): StartDesktops / StopDesktops, 100 desktops a call (20 where a region refuses more). Unset, power is the end users'
 * business and nothing is started or stopped for it. Two attributes:
 * - `wake`, before the policy and user changes, which ECD makes only on Running desktops: it starts the Stopped
 *   desktops those changes concern (with powerState Stopped also those a spec change or a rebuild leaves
 *   stopped) instead of refusing;
 * - `power`, applied last, so every other change is already made: it brings each desktop to the declared state,
 *   and stops again what `wake` started (without powerState, back to the Stopped it was found in). A desktop a
 *   killed spec change left stopped (the stopped-for mark) is started again unless powerState is Stopped.
 */
import type { StoppedMode } from "../../ecd/operations";
import { STOPPED_FOR_TAG } from "../identity";
import { TRANSITIONAL } from "../statuses";
import { Attribute, BatchView, Fix } from "./attribute";
import { policy } from "./policy";
import { users } from "./users";

export type PowerState = "Running" | "Stopped";
/** Where `power` takes a desktop: a power state, or Running again after a spec change that did not finish. */
export type PowerTarget = PowerState | "Resumed";

/** Statuses on the way to (or at) each power state. */
const TOWARDS: Record<PowerState, ReadonlySet<string>> = {
  Running: new Set(["Running", "Starting", "Pending"]),
  Stopped: new Set(["Stopped", "Stopping"]),
};
/** Statuses StartDesktops / StopDesktops can move a desktop out of (now or once its transition ends). */
const MOVABLE = new Set(["Running", "Starting", "Pending", "Stopped", "Stopping", "Rebuilding"]);

const declared = (view: BatchView): PowerState | undefined =>
  view.inputs.powerState === "Running" || view.inputs.powerState === "Stopped"
    ? view.inputs.powerState
    : undefined;

/** Desktops whose policy or users change: those ECD changes only while they run. */
function needRunning(view: BatchView): Set<string> {
  return new Set([...policy.plan(view), ...users.plan(view)].map((fix) => fix.desktopId));
}

export const wake: Attribute<PowerState> = {
  inputs: "powerState",
  plan(view) {
    const state = declared(view);
    const needed = needRunning(view);
    return view.desktops
      .filter(
        (d) =>
          needed.has(d.desktopId) &&
          (TOWARDS.Stopped.has(d.desktopStatus) || (state === "Stopped" && MOVABLE.has(d.desktopStatus))),
      )
      .map((d) => ({
        desktopId: d.desktopId,
        from: d.desktopStatus,
        to: state ?? "Stopped",
      }));
  },
  describe: (fix) =>
    `${fix.desktopId} is ${fix.from} (runs while its policy or users change` +
    `${fix.to === "Stopped" ? ", then is stopped again" : ""})`,
  async apply(fixes, ctx) {
    const ids = fixes.map((fix) => fix.desktopId);
    await switchPower(ids, "Running", ctx, "for the policy or user change");
  },
};

export const power: Attribute<PowerTarget> = {
  inputs: "powerState",
  plan(view) {
    const state = declared(view);
    const woken = new Set(wake.plan(view).map((fix) => fix.desktopId));
    return view.desktops.flatMap((d): Fix<PowerTarget>[] => {
      if (
        state !== "Stopped" &&
        view.stoppedForSpec?.has(d.desktopId) &&
        TOWARDS.Stopped.has(d.desktopStatus)
      )
        return [{ desktopId: d.desktopId, from: d.desktopStatus, to: "Resumed" }];
      const target = state ?? (woken.has(d.desktopId) ? "Stopped" : undefined);
      if (!target || !MOVABLE.has(d.desktopStatus)) return [];
      if (TOWARDS[target].has(d.desktopStatus) && !woken.has(d.desktopId)) return [];
      return [{ desktopId: d.desktopId, from: d.desktopStatus, to: target }];
    });
  },
  describe: (fix) =>
    fix.to === "Resumed"
      ? `${fix.desktopId} is ${fix.from} (will be started: Pulumi stopped it for a spec change that did not finish)`
      : TOWARDS[fix.to].has(fix.from)
        ? `${fix.desktopId} is ${fix.from} (is ${fix.to} again after its policy or users change)`
        : `${fix.desktopId} is ${fix.from} (will be ${fix.to === "Stopped" ? "stopped" : "started"}: powerState ${fix.to})`,
  async apply(fixes, ctx) {
    const resumed = fixes.filter((fix) => fix.to === "Resumed").map((fix) => fix.desktopId);
    if (resumed.length) {
      await switchPower(resumed, "Running", ctx, "stopped for a spec change that did not finish");
      await ctx.client.untagResources(resumed, [STOPPED_FOR_TAG], ctx.opts);
    }
    for (const target of ["Running", "Stopped"] as const) {
      const ids = fixes.filter((fix) => fix.to === target).map((fix) => fix.desktopId);
      if (ids.length) await switchPower(ids, target, ctx, `powerState ${target}`);
    }
  },
};

/** Starts or stops those of the desktops that are not in `target` once settled, and waits for them. */
async function switchPower(
  ids: string[],
  target: PowerState,
  ctx: Parameters<Attribute<unknown>["apply"]>[1],
  why: string,
): Promise<void> {
  const settled = await ctx.waitFor(ids, (d) => !TRANSITIONAL.has(d.desktopStatus), `settling (${why})`);
  const from = target === "Running" ? "Stopped" : "Running";
  const moving = settled.filter((d) => d.desktopStatus === from).map((d) => d.desktopId);
  const stuck = settled.filter((d) => d.desktopStatus !== from && d.desktopStatus !== target);
  if (stuck.length) {
    ctx.log(
      `${stuck.map((d) => `${d.desktopId} is ${d.desktopStatus}`).join(", ")}: not ${target === "Running" ? "started" : "stopped"} (${why})`,
    );
  }
  if (!moving.length) return;
  if (target === "Running") {
    ctx.log(`starting ${moving.length} desktop(s) (${why})`);
    await ctx.client.startDesktops(moving, ctx.opts);
  } else {
    const stoppedMode = ctx.inputs.stoppedMode as StoppedMode | undefined;
    ctx.log(`stopping ${moving.length} desktop(s) (${why}, ${stoppedMode ?? "StopCharging"})`);
    await ctx.client.stopDesktops({ desktopIds: moving, stoppedMode }, ctx.opts);
  }
  await ctx.waitFor(
    moving,
    (d) => d.desktopStatus === target,
    `${target === "Running" ? "starting" : "stopping"} ${moving.length} desktop(s) (${why})`,
    "power",
  );
}
