/**
 * desktopAttachment.imageId, or the image of the batch's template: RebuildDesktops, 20 desktops a call, one call
 * per image. The desktops keep their IDs, names, hostnames, users and tags. The data disk follows the service's
 * rule (RebuildDesktops OperateType in the official SDKs): without OperateType it is kept when the operating
 * system stays and cleared when it changes; with `replace` (dataDiskOnRebuild) it is replaced. A declared
 * powerState is the rebuild's AfterStatus; without one each desktop returns to the status it had.
 */
import type { EcdClient } from "../../ecd/client";
import type { Image } from "../../ecd/operations";
import type { DesktopBatchInputs } from "../inputs";
import type { DesktopBatchOutputs } from "../outputs";
import { TRANSITIONAL } from "../statuses";
import { containsUnknown } from "../validate";
import { Attribute, groupBy, requireAccepted } from "./attribute";
import type { PlanTemplates, PlanView, Template } from "./template";

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
    `${fix.desktopId} runs image ${fix.from} (will be rebuilt to ${fix.to.imageId}; ${dataDiskEffect(fix.to)})`,
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

/**
 * RebuildDesktops' limits (the official SDK's RebuildDesktops description): "in the China (Hong Kong) region and
 * regions outside the Chinese mainland, you cannot switch to an image with a different operating system", and
 * "you cannot switch between GPU images and non-GPU images". A rebuild keeps the desktops' protocol too (the
 * image's ProtocolType; another one is Protocol.NotAllowed).
 */
export const crossOsRebuilds = (regionId: string): boolean =>
  regionId.startsWith("cn-") && regionId !== "cn-hongkong";

/** What a preview learns about a rebuild from DescribeImages: nothing, a replacement and why, or a refusal. */
export interface RebuildCheck {
  /** The rebuild cannot be made, but new desktops can have the image: the batch is replaced, for this reason. */
  replace?: { property: string; reason: string };
  /** Neither a rebuild nor new desktops of this batch can have the image: why, and what to do instead. */
  refuse?: string;
}

/**
 * For diff, when the batch is not replaced anyway: whether the desktops can be rebuilt to the image the inputs
 * ask for (the attachment's, or a new template's), from what DescribeImages says about it and the images they run.
 * Read-only. When DescribeImages fails or does not know an image, nothing is decided here (check() reports an
 * unknown image; the rebuild itself would answer for the rest).
 */
export async function checkRebuild(
  client: EcdClient,
  olds: DesktopBatchOutputs,
  news: DesktopBatchInputs,
  templates: PlanTemplates,
): Promise<RebuildCheck> {
  const attached = news.desktopAttachment?.imageId;
  const property = attached !== undefined ? "desktopAttachment.imageId" : "bundleId";
  const target = attached ?? templates.template?.imageId;
  if (typeof target !== "string" || containsUnknown(target)) return {};
  const current = [
    ...new Set((olds.desktops ?? []).flatMap((d) => (d.imageId && d.imageId !== target ? [d.imageId] : []))),
  ];
  if (!current.length) return {};
  let images: Map<string, Image>;
  try {
    const found = (await client.describeImages({ imageIds: [target, ...current] })).images ?? [];
    images = new Map(found.map((image) => [image.imageId, image]));
  } catch {
    return {};
  }
  const to = images.get(target);
  if (!to) return {};
  for (const imageId of current) {
    const from = images.get(imageId);
    if (!from) continue;
    if (from.protocolType && to.protocolType && from.protocolType !== to.protocolType)
      return {
        refuse:
          `${property}: image ${target} uses the ${to.protocolType} protocol and the desktops ${from.protocolType} ` +
          `(image ${imageId}); RebuildDesktops does not change a desktop's protocol (Protocol.NotAllowed): ` +
          `choose an image whose ProtocolType is ${from.protocolType}`,
      };
    if (from.gpuCategory !== undefined && to.gpuCategory !== undefined && from.gpuCategory !== to.gpuCategory)
      return {
        refuse: to.gpuCategory
          ? `${property}: image ${target} is a GPU image and the desktops run non-GPU images (image ${imageId}); ` +
            "RebuildDesktops does not switch between GPU and non-GPU images: choose a non-GPU image, or set a " +
            "graphics desktopType as well, which replaces the batch"
          : `${property}: image ${target} is not a GPU image and the desktops run GPU images (image ${imageId}); ` +
            "RebuildDesktops does not switch between GPU and non-GPU images: choose a GPU image, or set a " +
            "non-graphics desktopType as well, which replaces the batch",
      };
    const region = client.regionId;
    if (from.osType && to.osType && from.osType !== to.osType && !crossOsRebuilds(region))
      return {
        replace: {
          property,
          reason:
            `the operating system changes from ${from.osType} to ${to.osType} (image ${target}); in ${region} ` +
            "RebuildDesktops cannot change the operating system (only in the Chinese mainland, Hong Kong " +
            `excluded), so this is a replacement: the desktops are released and new ones created from ${target}`,
        },
      };
  }
  return {};
}
