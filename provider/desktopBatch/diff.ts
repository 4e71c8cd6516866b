/**
 * diff: for every input exactly one of no-op / in place / replace, taken from the schema's change table (inputs
 * compared as what they mean: see canonical.ts), plus drift in the live desktops — membership (missing, Failed,
 * more than amount) and every managed attribute, read from the same attribute modules the update applies.
 */
import type { DiffResult } from "./lifecycle";
import { attributeDrift, DesktopView } from "./attributes";
import type { PlanTemplates } from "./attributes/template";
import { sameValue } from "./canonical";
import { scaleDownVictims } from "./desired";
import type { DesktopBatchInputs } from "./inputs";
import type { DesktopBatchOutputs } from "./outputs";
import { INPUTS, PropertyModel } from "./schemaModel";
import { containsUnknown } from "./validate";
import { specChangeRefusal } from "./desktopTypes";

export interface DiffPlan extends DiffResult {
  /** Inputs changed in place (for messages and tests). */
  updates: string[];
  /** Why the live desktops need an update although no input changed. */
  drift: string[];
  /** Why an input that can change in place cannot this time (it is among `replaces`). */
  reasons: string[];
}

/**
 * Whether these inputs hold a value the old and the new batch cannot share (the schema's `collides`: hostname,
 * member IP, a bundle model's hostname), so that a replacement must delete the old batch first.
 */
export function collides(inputs: DesktopBatchInputs): boolean {
  const record = inputs as Record<string, unknown>;
  return INPUTS.some((property) => {
    const value = record[property.name];
    if (value === undefined) return false;
    if (property.collides) return true;
    const items = property.shape.type === "array" ? property.shape.items : undefined;
    if (items?.type !== "object" || !Array.isArray(value)) return false;
    const fields = items.properties.filter((field) => field.collides).map((field) => field.name);
    return value.some((item) =>
      fields.some((field) => (item as Record<string, unknown>)?.[field] !== undefined),
    );
  });
}

export function planDiff(
  olds: DesktopBatchOutputs,
  news: DesktopBatchInputs,
  templates: PlanTemplates = {},
  adopting: readonly DesktopView[] = [],
  /** An image change the desktops cannot be rebuilt to (attributes/image.ts checkRebuild). */
  rebuildReplace?: { property: string; reason: string },
): DiffPlan {
  const replaces: string[] = [];
  const updates: string[] = [];
  const reasons: string[] = [];
  const oldRecord = olds as unknown as Record<string, unknown>;
  const newRecord = news as unknown as Record<string, unknown>;
  for (const property of INPUTS) {
    classify(property, property.name, oldRecord[property.name], newRecord[property.name], replaces, updates);
  }
  const refusal = refusedTypeChange(olds, news);
  if (refusal && !replaces.includes("desktopAttachment.desktopType")) {
    replaces.push("desktopAttachment.desktopType");
    reasons.push(`desktopAttachment.desktopType: ${refusal}`);
    const inPlace = updates.indexOf("desktopAttachment.desktopType");
    if (inPlace >= 0) updates.splice(inPlace, 1);
  }
  if (updates.includes("bundleId") && templates.refusal !== undefined) {
    updates.splice(updates.indexOf("bundleId"), 1);
    replaces.push("bundleId");
    reasons.push(`bundleId: ${templates.refusal}`);
  }
  if (rebuildReplace && !replaces.includes(rebuildReplace.property)) {
    const inPlace = updates.indexOf(rebuildReplace.property);
    if (inPlace >= 0) updates.splice(inPlace, 1);
    replaces.push(rebuildReplace.property);
    reasons.push(`${rebuildReplace.property}: ${rebuildReplace.reason}`);
  }
  const drift = replaces.length || containsUnknown(news) ? [] : liveDrift(olds, news, templates, adopting);
  const changes = replaces.length > 0 || updates.length > 0 || drift.length > 0;
  return {
    changes,
    replaces,
    updates,
    drift,
    reasons,
    deleteBeforeReplace: replaces.length > 0 && (collides(news) || collides(olds)),
  };
}

function classify(
  property: PropertyModel,
  path: string,
  before: unknown,
  after: unknown,
  replaces: string[],
  updates: string[],
): void {
  if (!containsUnknown(after) && sameValue(property, before, after)) return;
  const change = property.change;
  if (after === undefined && change.kind === "update" && change.unsetKeeps) return;
  if (change.kind === "nested" && property.shape.type === "object") {
    const b = (before ?? {}) as Record<string, unknown>;
    const a = (after ?? {}) as Record<string, unknown>;
    for (const field of property.shape.properties) {
      classify(field, `${path}.${field.name}`, b[field.name], a[field.name], replaces, updates);
    }
    return;
  }
  if (change.kind === "replace") {
    replaces.push(path);
  } else if (change.kind === "update" && change.note?.startsWith("grow only")) {
    const shrinks = typeof before === "number" && (typeof after !== "number" || after < before);
    (shrinks ? replaces : updates).push(path);
  } else {
    // In place by API, creation-only (recorded for future desktops) and provider-only settings are all updates.
    updates.push(path);
  }
}

/**
 * A desktopType change ModifyDesktopSpec refuses (across families, graphics and not) can only be a replacement:
 * applied in place it would stop the batch and then fail.
 */
export function refusedTypeChange(olds: DesktopBatchOutputs, news: DesktopBatchInputs): string | undefined {
  const to = news.desktopAttachment?.desktopType;
  if (to === undefined || containsUnknown(to)) return undefined;
  const from = [olds.desktopAttachment?.desktopType, ...(olds.desktops ?? []).map((d) => d.desktopType)];
  return from
    .filter((type): type is string => type !== undefined && type !== to)
    .map((type) => specChangeRefusal(type, to))
    .find((reason) => reason !== undefined);
}

/**
 * What the next update will do to the live desktops although no input asks for it, one line each. `adopting`:
 * the desktops newly listed in adoptDesktopIds, as DescribeDesktops shows them now.
 */
export function liveDrift(
  olds: DesktopBatchOutputs,
  news: DesktopBatchInputs,
  templates: PlanTemplates,
  adopting: readonly DesktopView[],
): string[] {
  const known = olds.desktops ?? [];
  const drift: string[] = [];
  const amount = news.amount ?? 1;
  if (olds.unpaidOrderId) drift.push(`order ${olds.unpaidOrderId} awaited payment: looking for its desktops`);
  if (olds.unfinished)
    drift.push(`the last run stopped before it finished (${olds.unfinished}); this update finishes it`);
  const failed = known.filter((d) => d.desktopStatus === "Failed");
  if (failed.length)
    drift.push(
      `${failed.length} desktop(s) Failed (${failed.map((d) => d.desktopId).join(", ")}) will be replaced`,
    );
  const fresh = adopting.filter((d) => !known.some((k) => k.desktopId === d.desktopId));
  if (fresh.length) drift.push(`${fresh.map((d) => d.desktopId).join(", ")} will be adopted into the batch`);
  const batch = [...known.filter((d) => d.desktopStatus !== "Failed"), ...fresh];
  const order = [...(olds.desktopIds ?? []), ...fresh.map((d) => d.desktopId)];
  // Failed desktops are replaced (said above); what is missing beyond them is created.
  const missing = amount - known.length - fresh.length;
  if (missing > 0 && !olds.unpaidOrderId) {
    // Beyond the recorded amount it is a scale-up; below it, desktops the batch lost.
    const added = Math.min(missing, Math.max(0, amount - (olds.amount ?? amount)));
    if (missing > added) drift.push(`${missing - added} desktop(s) missing; they will be created`);
    if (added) drift.push(`${added} desktop(s) will be created (amount ${olds.amount} → ${amount})`);
  }
  const victims = batch.length > amount ? scaleDownVictims(batch, news, order, batch.length - amount) : [];
  if (victims.length)
    drift.push(`${victims.length} desktop(s) more than amount; ${victims.join(", ")} will be released`);
  // What stays is what the attributes apply to: a released desktop is not renamed first.
  const staying = batch.filter((d) => !victims.includes(d.desktopId));
  drift.push(...attributeDrift({ inputs: news, desktops: staying, ...templates }));
  return drift;
}
