/**
 * Wire encoding of ECD RPC parameters: camelCase request objects become the PascalCase, flattened query keys
 * that the ECD gateway expects (`Tag.1.Key`, `BundleModels.1.EndUserIds.2`), with JSON ("shrink") parameters
 * sent as one JSON string.
 */
export type WireScalar = string | number | boolean;
export type WireValue = WireScalar | WireValue[] | { [key: string]: WireValue } | undefined | null;
export type WireObject = { [key: string]: WireValue };

export interface WireShape {
  /** Top-level camelCase keys whose wire name is not simply the PascalCase form (e.g. endUserIds → EndUserId). */
  rename?: Record<string, string>;
  /** Wire keys sent as a single JSON-encoded value. */
  json?: string[];
}

export function pascalCase(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

function toWireValue(value: unknown): WireValue {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(toWireValue);
  if (typeof value === "object") {
    const out: WireObject = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      out[pascalCase(key)] = toWireValue(inner);
    }
    return out;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  throw new TypeError(`cannot encode a ${typeof value} as an ECD parameter`);
}

/** camelCase request → PascalCase wire object (not yet flattened). */
export function toWire(request: object, shape: WireShape = {}): WireObject {
  const out: WireObject = {};
  for (const [key, value] of Object.entries(request)) {
    if (value === undefined || value === null) continue;
    const wireKey = shape.rename?.[key] ?? pascalCase(key);
    out[wireKey] = toWireValue(value);
  }
  for (const jsonKey of shape.json ?? []) {
    const value = out[jsonKey];
    if (value !== undefined && typeof value !== "string") out[jsonKey] = JSON.stringify(value);
  }
  return out;
}

/** Flattens a wire object into query parameters: arrays 1-based (`K.1`), objects dotted (`K.F`). */
export function flattenWire(wire: WireObject): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (prefix: string, value: WireValue): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(`${prefix}.${index + 1}`, item));
    } else if (typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) visit(`${prefix}.${key}`, inner);
    } else {
      out[prefix] = String(value);
    }
  };
  for (const [key, value] of Object.entries(wire)) visit(key, value);
  return out;
}

/**
 * camelCase wire response → camelCase object; ECD answers in PascalCase. Built with Object.fromEntries: an object
 * filled key by key turns into a hash table past a dozen or so keys (V8), and a Desktop's 50 cost 5 KiB each so.
 */
export function fromWire<T>(value: unknown): T {
  const convert = (inner: unknown): unknown => {
    if (Array.isArray(inner)) return inner.map(convert);
    if (inner && typeof inner === "object") {
      return Object.fromEntries(
        Object.entries(inner as Record<string, unknown>).map(([key, v]) => [camelCase(key), convert(v)]),
      );
    }
    return inner;
  };
  return convert(value) as T;
}

export function camelCase(key: string): string {
  if (/^[A-Z0-9]+$/.test(key)) return key.toLowerCase();
  return key.charAt(0).toLowerCase() + key.slice(1);
}
