/**
 * Inputs that mean the same compare the same. From the schema: an empty list or map means none, a property's
 * `none` value (a data disk of 0 GiB) means none, and a list of unique items is a set (its order carries no
 * meaning). check() stores inputs in this form and diff() reads old outputs through it, so equivalent programs
 * plan no change.
 */
import { INPUTS, PropertyModel, PropertyType } from "./schemaModel";
import { isUnknown } from "./validate";
import type { DesktopBatchInputs } from "./inputs";

export function canonicalInputs<T extends DesktopBatchInputs>(inputs: T): T {
  const out: Record<string, unknown> = { ...(inputs as Record<string, unknown>) };
  for (const property of INPUTS) {
    const value = canonical(property, out[property.name]);
    if (value === undefined) delete out[property.name];
    else out[property.name] = value;
  }
  return out as T;
}

function canonical(property: PropertyModel, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (isUnknown(value)) return value;
  if (property.none !== undefined && value === property.none) return undefined;
  return canonicalShape(property.shape, value);
}

function canonicalShape(shape: PropertyType, value: unknown): unknown {
  if (shape.type === "array" && Array.isArray(value)) {
    if (value.length === 0) return undefined;
    return value.map((item) => canonicalShape(shape.items, item));
  }
  if (shape.type === "map" && isPlainObject(value)) {
    return Object.keys(value).length === 0 ? undefined : value;
  }
  if (shape.type === "object" && isPlainObject(value)) {
    const out: Record<string, unknown> = { ...value };
    for (const field of shape.properties) {
      const inner = canonical(field, out[field.name]);
      if (inner === undefined) delete out[field.name];
      else out[field.name] = inner;
    }
    // An object that says nothing (`timeouts: {}`) says the same as none.
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

/** Whether two values of this property mean the same (sets compare without order). */
export function sameValue(property: PropertyModel, a: unknown, b: unknown): boolean {
  const left = canonical(property, a);
  const right = canonical(property, b);
  // Left out, the service applies the default: stating the default changes nothing.
  if (property.default !== undefined && (left ?? property.default) === (right ?? property.default))
    return true;
  if (property.validate.uniqueItems && Array.isArray(left) && Array.isArray(right)) {
    const sorted = (items: unknown[]) => items.map((item) => JSON.stringify(sortedKeys(item))).sort();
    return left.length === right.length && equal(sorted(left), sorted(right));
  }
  if (property.shape.type === "object" && isPlainObject(left) && isPlainObject(right)) {
    const fields = property.shape.properties;
    const known = new Set(fields.map((f) => f.name));
    return (
      fields.every((field) => sameValue(field, left[field.name], right[field.name])) &&
      equal(withoutKeys(left, known), withoutKeys(right, known))
    );
  }
  if (property.shape.type === "array" && property.shape.items.type === "object") {
    const itemShape = property.shape.items;
    const item: PropertyModel = { ...property, shape: itemShape, validate: {}, none: undefined };
    return (
      (Array.isArray(left) &&
        Array.isArray(right) &&
        left.length === right.length &&
        left.every((entry, i) => sameValue(item, entry, right[i]))) ||
      equal(left, right)
    );
  }
  return equal(left, right);
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys(value[key])]),
  );
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function withoutKeys(value: Record<string, unknown>, keys: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.has(key)));
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
