/**
 * Which inputs of a batch change, and how each change reaches the cloud, read from the schema's change table
 * (the same declaration the provider's diff and docs/reference.md use).
 */
import { ChangeEntry, changeTable, loadDesktopBatchSchema } from "../../schema";
import { PropertyBag, SECRET, UNKNOWN } from "./previewJson";

export type ChangeHow =
  | { readonly kind: "update"; readonly api: string; readonly note?: string }
  | { readonly kind: "replace"; readonly note?: string }
  | { readonly kind: "creation-only" }
  | { readonly kind: "provider" };

export interface InputChange {
  /** `amount`, or `desktopAttachment.desktopType` for a field of a nested input. */
  readonly name: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly how: ChangeHow;
  /** Either side is a secret the preview does not show. */
  readonly secret: boolean;
}

function valueAt(bag: PropertyBag, path: readonly string[]): unknown {
  let value: unknown = bag;
  for (const key of path) {
    if (value === SECRET) return SECRET;
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Disk sizes change in place only when they grow (the schema's note says so); a shrink replaces. */
function howFor(entry: ChangeEntry, before: unknown, after: unknown): ChangeHow {
  const change = entry.change;
  if (change.kind !== "update") return change;
  const growOnly = change.note?.startsWith("grow only") ?? false;
  if (growOnly && typeof before === "number" && typeof after === "number" && after < before) {
    return { kind: "replace", note: "shrinking a disk" };
  }
  return change;
}

/**
 * The inputs that differ between the old and new inputs. A secret on either side counts as changed only when
 * the engine listed its key in the step's diff reasons, since the values themselves are hidden.
 */
export function inputChanges(
  before: PropertyBag,
  after: PropertyBag,
  diffReasons: readonly string[],
): InputChange[] {
  const changes: InputChange[] = [];
  for (const entry of changeTable(loadDesktopBatchSchema())) {
    const old = valueAt(before, entry.path);
    const next = valueAt(after, entry.path);
    const secret = old === SECRET || next === SECRET;
    const changed = secret ? diffReasons.includes(entry.path[0]) : !same(old, next);
    if (!changed) continue;
    // The provider's diff plans nothing for it (diff.ts): the desktops keep what they have.
    if (entry.change.kind === "update" && entry.change.unsetKeeps && next === undefined) continue;
    changes.push({
      name: entry.path.join("."),
      before: old,
      after: next,
      how: howFor(entry, old, next),
      secret,
    });
  }
  return changes;
}

export const isUnknown = (value: unknown): boolean => value === UNKNOWN;
