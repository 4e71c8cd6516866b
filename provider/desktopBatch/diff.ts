/**
 * diff: for every input exactly one of no-op / in place / replace, taken from the schema's change table, plus
 * drift in the live desktops (missing, Failed, renamed, re-assigned...) which the next update heals.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { nameFits, sameSet, wantedUsers } from "./desired";
import type { DesktopBatchInputs } from "./inputs";
import type { DesktopBatchOutputs } from "./outputs";
import { INPUTS, PropertyModel } from "./schemaModel";
import { containsUnknown } from "./validate";

export interface DiffPlan extends dynamic.DiffResult {
  /** Inputs changed in place (for messages and tests). */
  updates: string[];
  /** Why the live desktops need an update although no input changed. */
  drift: string[];
}

/** Replacing these with create-before-delete would collide with the old batch's hostnames or IP. */
const COLLIDING = ["hostname", "desktopMemberIp"];

export function planDiff(olds: DesktopBatchOutputs, news: DesktopBatchInputs): DiffPlan {
  const replaces: string[] = [];
  const updates: string[] = [];
  const oldRecord = olds as unknown as Record<string, unknown>;
  const newRecord = news as unknown as Record<string, unknown>;
  for (const property of INPUTS) {
    classify(property, property.name, oldRecord[property.name], newRecord[property.name], replaces, updates);
  }
  const drift = containsUnknown(news) ? [] : liveDrift(olds, news);
  const changes = replaces.length > 0 || updates.length > 0 || drift.length > 0;
  return {
    changes,
    replaces,
    updates,
    drift,
    deleteBeforeReplace:
      replaces.length > 0 &&
      COLLIDING.some((name) => newRecord[name] !== undefined || oldRecord[name] !== undefined),
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
  if (equal(before, after) && !containsUnknown(after)) return;
  const change = property.change;
  if (change.kind === "nested" && property.shape.type === "object") {
    const b = (before ?? {}) as Record<string, unknown>;
    const a = (after ?? {}) as Record<string, unknown>;
    if ((before === undefined) !== (after === undefined)) {
      replaces.push(path);
      return;
    }
    for (const field of property.shape.properties) {
      classify(field, `${path}.${field.name}`, b[field.name], a[field.name], replaces, updates);
    }
    return;
  }
  if (change.kind === "replace") {
    replaces.push(path);
  } else if (change.kind === "update" && change.note?.startsWith("grow only")) {
    const shrinks = typeof before === "number" && typeof after === "number" && after < before;
    (shrinks || after === undefined ? replaces : updates).push(path);
  } else {
    // In place by API, creation-only (recorded for future desktops) and provider-only settings are all updates.
    updates.push(path);
  }
}

function liveDrift(olds: DesktopBatchOutputs, news: DesktopBatchInputs): string[] {
  const desktops = olds.desktops ?? [];
  const drift: string[] = [];
  const amount = news.amount ?? 1;
  if (desktops.length < amount) drift.push(`${amount - desktops.length} desktop(s) missing`);
  if (desktops.length > amount) drift.push(`${desktops.length - amount} desktop(s) more than amount`);
  const failed = desktops.filter((d) => d.desktopStatus === "Failed").length;
  if (failed) drift.push(`${failed} desktop(s) Failed`);
  const users = wantedUsers(desktops, news);
  desktops.forEach((desktop) => {
    if (!nameFits(news, desktop.desktopName))
      drift.push(`${desktop.desktopId} is named ${desktop.desktopName}`);
    if (news.policyGroupId && desktop.policyGroupId && desktop.policyGroupId !== news.policyGroupId) {
      drift.push(`${desktop.desktopId} uses policy ${desktop.policyGroupId}`);
    }
    if (!sameSet(desktop.endUserIds, users.get(desktop.desktopId)))
      drift.push(`${desktop.desktopId} has users ${desktop.endUserIds.join(",")}`);
    if (desktop.tags && !equal(desktop.tags, news.tags ?? {}))
      drift.push(`${desktop.desktopId} has other tags`);
    const type = news.desktopAttachment?.desktopType;
    if (type && desktop.desktopType && desktop.desktopType !== type)
      drift.push(`${desktop.desktopId} is ${desktop.desktopType}`);
    if (desktop.chargeType && desktop.chargeType !== (news.chargeType ?? "PostPaid"))
      drift.push(`${desktop.desktopId} is ${desktop.chargeType}`);
  });
  return drift;
}

export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => equal(item, b[i]))
    );
  }
  if (typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    return [...keys].every((key) =>
      equal((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    );
  }
  return false;
}
