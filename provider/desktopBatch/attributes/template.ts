/**
 * A change of bundleId is in place when ModifyDesktopSpec and RebuildDesktops can take the desktops from the old
 * template to the new one; `templateChangeRefusal` names what else differs, which forces a replacement. Both
 * templates are read with DescribeBundles — read-only, so a preview may call it — once per process and region.
 * Only a change of bundleId makes the desktops follow a template's image and spec: a template changed upstream
 * (ModifyBundle, a service-side image update) never rebuilds a batch by itself, and a batch whose template stays
 * needs no call at all.
 */
import type { EcdClient } from "../../ecd/client";
import type { Bundle } from "../../ecd/operations";
import { specChangeRefusal } from "../desktopTypes";
import type { DesktopBatchInputs } from "../inputs";
import { isUnknown } from "../validate";
import type { BatchView } from "./attribute";

/** What a template fixes about its desktops, as the attributes compare it. */
export interface Template {
  bundleId: string;
  imageId?: string;
  osType?: string;
  desktopType?: string;
  systemDiskSize?: number;
  dataDiskSize: number;
  systemDiskCategory?: string;
  dataDiskCategory?: string;
  systemDiskPerformanceLevel?: string;
  dataDiskPerformanceLevel?: string;
  volumeEncryptionEnabled?: boolean;
}

/**
 * The view the attributes plan from, with the batch's template when it has one, and in a preview of a template
 * change the template the desktops come from.
 */
export type PlanView = BatchView & { template?: Template; previousTemplate?: Template };

export function templateOf(bundle: Bundle): Template {
  const disk = (type: string) => bundle.disks?.find((d) => d.diskType === type);
  return {
    bundleId: bundle.bundleId,
    imageId: bundle.imageId,
    osType: bundle.osType,
    desktopType: bundle.desktopType,
    systemDiskSize: disk("SYSTEM")?.diskSize,
    dataDiskSize: disk("DATA")?.diskSize ?? 0,
    systemDiskCategory: bundle.systemDiskCategory || undefined,
    dataDiskCategory: bundle.dataDiskCategory || undefined,
    systemDiskPerformanceLevel: disk("SYSTEM")?.diskPerformanceLevel || undefined,
    dataDiskPerformanceLevel: disk("DATA")?.diskPerformanceLevel || undefined,
    volumeEncryptionEnabled: bundle.volumeEncryptionEnabled,
  };
}

/** Per client, so per provider process and region (the provider keeps one client per region). */
const caches = new WeakMap<EcdClient, Map<string, Promise<Template | undefined>>>();

/** Templates by ID (undefined for one DescribeBundles does not list), each looked up once per client. */
export async function lookUpTemplates(
  client: EcdClient,
  bundleIds: readonly string[],
  opts: { deadline?: number } = {},
): Promise<Map<string, Template | undefined>> {
  const cache = caches.get(client) ?? new Map<string, Promise<Template | undefined>>();
  caches.set(client, cache);
  const missing = [...new Set(bundleIds)].filter((id) => !cache.has(id));
  if (missing.length) {
    const answer = client
      .describeBundles({ bundleIds: missing, maxResults: 100 }, opts)
      .then(
        (response) =>
          new Map((response.bundles ?? []).map((bundle) => [bundle.bundleId, templateOf(bundle)])),
      );
    for (const id of missing) {
      const one = answer.then((found) => found.get(id));
      cache.set(id, one);
      // A failed lookup is not remembered: the next diff or update asks again.
      one.catch(() => cache.delete(id));
    }
  }
  const ids = [...new Set(bundleIds)];
  const found = await Promise.all(ids.map((id) => cache.get(id)!));
  return new Map(ids.map((id, i) => [id, found[i]]));
}

/** The template's spec in the attachment's terms, for the spec attribute. */
export function templateSpec(template: Template | undefined) {
  if (!template) return undefined;
  return {
    desktopType: template.desktopType,
    systemDiskSize: template.systemDiskSize,
    dataDiskSize: template.dataDiskSize || undefined,
    dataDiskPerLevel: template.dataDiskPerformanceLevel,
  };
}

/** The template a batch follows: only a whole batch of one template has one (bundleModels mix several). */
export function templateId(inputs: DesktopBatchInputs): string | undefined {
  return inputs.bundleModels?.length ? undefined : inputs.bundleId;
}

/**
 * Why desktops of template `from` cannot become desktops of template `to` in place, or undefined when they can:
 * the image may differ (RebuildDesktops), the desktop type may change within its family and disks may grow
 * (ModifyDesktopSpec); nothing else may.
 */
export function templateChangeRefusal(from: Template, to: Template): string | undefined {
  const typeRefusal =
    from.desktopType && to.desktopType ? specChangeRefusal(from.desktopType, to.desktopType) : undefined;
  const shrinks = (what: string, before: number | undefined, after: number | undefined) =>
    before !== undefined && after !== undefined && after < before
      ? `its ${what} is ${after} GiB, smaller than the ${before} GiB of ${from.bundleId} (disks only grow in place)`
      : undefined;
  const differs = (what: string, before: unknown, after: unknown) =>
    before !== undefined && after !== undefined && before !== after
      ? `its ${what} is ${String(after)}, not ${String(before)} as in ${from.bundleId} (no API changes it in place)`
      : undefined;
  const hadData = from.dataDiskSize > 0;
  const reasons = [
    typeRefusal,
    shrinks("system disk", from.systemDiskSize, to.systemDiskSize),
    shrinks("data disk", from.dataDiskSize, to.dataDiskSize),
    hadData && to.dataDiskSize === 0
      ? `it has no data disk and ${from.bundleId} has one (a data disk cannot be removed in place)`
      : undefined,
    differs("system disk category", from.systemDiskCategory, to.systemDiskCategory),
    hadData && to.dataDiskSize > 0
      ? differs("data disk category", from.dataDiskCategory, to.dataDiskCategory)
      : undefined,
    differs("system disk performance level", from.systemDiskPerformanceLevel, to.systemDiskPerformanceLevel),
    differs("disk encryption", from.volumeEncryptionEnabled, to.volumeEncryptionEnabled),
  ].filter((reason): reason is string => reason !== undefined);
  return reasons.length ? `template ${to.bundleId}: ${reasons.join("; ")}` : undefined;
}

/** The templates a plan needs: the batch's, and in a change of template the one its desktops come from. */
export interface PlanTemplates {
  template?: Template;
  previousTemplate?: Template;
  /** Set when the change of template cannot be made in place: why, naming what differs. */
  refusal?: string;
}

/** For diff: looks up the old and new template (read-only) and decides whether a change between them is in place. */
export async function planTemplates(
  client: EcdClient,
  olds: DesktopBatchInputs,
  news: DesktopBatchInputs,
): Promise<PlanTemplates> {
  const newId = templateId(news);
  const oldId = templateId(olds);
  if (newId === oldId) return {};
  if (newId === undefined) return { refusal: "the batch no longer follows a template" };
  if (isUnknown(newId)) return { refusal: "the new template is not known until what it depends on exists" };
  if (oldId === undefined) return { refusal: "the batch was not made from a template" };
  let found: Map<string, Template | undefined>;
  try {
    found = await lookUpTemplates(client, [newId, oldId]);
  } catch (error) {
    return { refusal: `DescribeBundles failed, so the templates cannot be compared (${String(error)})` };
  }
  const template = found.get(newId);
  const previousTemplate = found.get(oldId);
  const refusal = !previousTemplate
    ? `template ${oldId}, which the desktops come from, is not listed by DescribeBundles, so nothing can be compared`
    : !template
      ? `template ${newId} is not listed by DescribeBundles`
      : templateChangeRefusal(previousTemplate, template);
  return { template, previousTemplate, refusal };
}

/** For update: the new template after a change of template, else nothing (see the module comment). */
export async function templateFor(
  client: EcdClient,
  inputs: DesktopBatchInputs,
  fromBundleId: string | undefined,
  opts: { deadline?: number },
): Promise<Template | undefined> {
  const id = templateId(inputs);
  if (!id || !fromBundleId || id === fromBundleId) return undefined;
  return (await lookUpTemplates(client, [id], opts)).get(id);
}
