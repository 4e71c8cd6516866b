/**
 * desktopAttachment.imageId, or the image of the batch's template: RebuildDesktops, 20 desktops a call, one call
 * per image. The desktops keep their IDs, names, hostnames, users and tags. The data disk follows the service's
 * rule (RebuildDesktops OperateType in the official SDKs): without OperateType it is kept when the operating
 * system stays and cleared when it changes; with `replace` (dataDiskOnRebuild) it is replaced. A declared
 * powerState is the rebuild's AfterStatus; without one each desktop returns to the status it had.
 */
import { TRANSITIONAL } from "../statuses";
import { Attribute, groupBy, requireAccepted } from "./attribute";
import type { PlanView, Template } from "./template";

type RebuildResult = { desktopId?: string; code?: string; message?: string };

export interface Rebuild {
  imageId: string;
  /** Whether the desktop has a data disk (the rebuild's effect on it is part of the preview). */
  dataDisk: boolean;
  /** The operating systems before and after, when both are known (a template change). */
  osFrom?: string;
  osTo?: string;
  replaceDataDisk: boolean;
}

/** The image a desktop should run: the attachment's, else the template's. */
function wantedImage(view: PlanView): { imageId?: string; template?: Template } {
  const imageId = view.inputs.desktopAttachment?.imageId;
  if (imageId !== undefined) return { imageId };
  return { imageId: view.template?.imageId, template: view.template };
}

/** What the rebuild does to the data disk, in the preview's words. */
export function dataDiskEffect(rebuild: Rebuild): string {
  if (!rebuild.dataDisk) return "it has no data disk";
  if (rebuild.replaceDataDisk) return "its data disk is replaced (dataDiskOnRebuild: replace)";
  if (rebuild.osFrom && rebuild.osTo) {
    return rebuild.osFrom === rebuild.osTo
      ? "its data disk is kept"
      : `its data disk is CLEARED: the operating system changes from ${rebuild.osFrom} to ${rebuild.osTo}, and a rebuild across operating systems clears the data disk`;
  }
  return "its data disk is kept if the new image has the same operating system, and CLEARED if not";
}

export const image: Attribute<Rebuild> = {
  inputs: "desktopAttachment.imageId / bundleId",
  plan(view: PlanView) {
    const { imageId, template } = wantedImage(view);
    if (imageId === undefined) return [];
    const replaceDataDisk = view.inputs.dataDiskOnRebuild === "replace";
    return view.desktops
      .filter((d) => d.imageId !== undefined && d.imageId !== imageId)
      .map((d) => ({
        desktopId: d.desktopId,
        from: d.imageId as string,
        to: {
          imageId,
          dataDisk: (d.dataDiskSize ?? 0) > 0,
          osFrom: template ? view.previousTemplate?.osType : undefined,
          osTo: template?.osType,
          replaceDataDisk,
        },
      }));
  },
  describe: (fix) =>
    `${fix.desktopId} runs image ${fix.from} (will be rebuilt from ${fix.to.imageId}; ${dataDiskEffect(fix.to)})`,
  async apply(fixes, ctx) {
    if (!fixes.length) return;
    const ids = fixes.map((fix) => fix.desktopId);
    await ctx.waitFor(ids, (d) => !TRANSITIONAL.has(d.desktopStatus), "waiting before rebuilding");
    const afterStatus = ctx.inputs.powerState;
    const wanted = new Map(fixes.map((fix) => [fix.desktopId, fix.to.imageId]));
    const refused: RebuildResult[] = [];
    for (const [key, desktopIds] of groupBy(
      fixes,
      (fix) => JSON.stringify([fix.to.imageId, fix.to.replaceDataDisk]),
      (fix) => fix.desktopId,
    )) {
      const [imageId, replaceDataDisk] = JSON.parse(key) as [string, boolean];
      ctx.log(`rebuilding ${desktopIds.length} desktop(s) from image ${imageId}`);
      const results = await ctx.client.rebuildDesktops(
        { desktopIds, imageId, operateType: replaceDataDisk ? "replace" : undefined, afterStatus },
        ctx.opts,
      );
      refused.push(...results.filter((result) => result.code && result.code.toLowerCase() !== "success"));
    }
    // What was accepted is rebuilt before a refusal is reported: nobody else waits for it.
    const started = ids.filter((id) => !refused.some((result) => result.desktopId === id));
    if (started.length)
      await ctx.waitFor(
        started,
        (d) => d.imageId === wanted.get(d.desktopId) && !TRANSITIONAL.has(d.desktopStatus),
        "rebuilding from the new image",
        "change",
      );
    requireAccepted("RebuildDesktops", refused);
  },
};
