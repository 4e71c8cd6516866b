import { Errors } from "../errors";

/**
 * A tiny schema language for RPC request parameters. Each operation declares the wire keys it reads and their
 * types once; `coerce` turns the un-flattened string tree into typed values and `InferObject` gives the
 * TypeScript type of the result, so the HTTP layer and the model share one definition.
 */
export type ScalarSpec = "string" | "int" | "bool";
export type FieldSpec = ScalarSpec | readonly [FieldSpec] | ObjectSpec | JsonSpec;
export interface ObjectSpec {
  readonly [key: string]: FieldSpec;
}
/** A "shrink" parameter: one query value holding a JSON document (e.g. CreateDesktops `DesktopAttachment`). */
export interface JsonSpec {
  readonly $json: ObjectSpec;
}

export type Infer<F> = F extends "string"
  ? string
  : F extends "int"
    ? number
    : F extends "bool"
      ? boolean
      : F extends readonly [infer E]
        ? Infer<E>[]
        : F extends { readonly $json: infer O }
          ? InferObject<O>
          : F extends ObjectSpec
            ? InferObject<F>
            : never;

export type InferObject<O> = { -readonly [K in keyof O]?: Infer<O[K]> };

function isJsonSpec(spec: FieldSpec): spec is JsonSpec {
  return typeof spec === "object" && !Array.isArray(spec) && "$json" in spec;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw Errors.invalidParameter(path, "It must be a JSON document.");
  }
}

function coerceField(spec: FieldSpec, value: unknown, path: string): unknown {
  if (value === undefined || value === null) return undefined;
  if (spec === "string") {
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    throw Errors.invalidParameter(path);
  }
  if (spec === "int") {
    if (typeof value === "number" && Number.isInteger(value)) return value;
    if (typeof value === "string") {
      if (value.trim() === "") return undefined;
      if (/^-?\d+$/.test(value.trim())) return Number(value.trim());
    }
    throw Errors.invalidParameter(path, "It must be an integer.");
  }
  if (spec === "bool") {
    if (typeof value === "boolean") return value;
    if (typeof value === "string") {
      const lower = value.trim().toLowerCase();
      if (lower === "true") return true;
      if (lower === "false") return false;
      if (lower === "") return undefined;
    }
    throw Errors.invalidParameter(path, "It must be true or false.");
  }
  if (Array.isArray(spec)) {
    const itemSpec = (spec as readonly [FieldSpec])[0];
    let items: unknown = value;
    // Lenient: a bare scalar stands for a one-element list; a JSON array string is accepted too.
    if (typeof items === "string") {
      if (items.trim() === "") return [];
      items = items.trim().startsWith("[") ? parseJson(items, path) : [items];
    }
    if (!Array.isArray(items)) throw Errors.invalidParameter(path, "It must be a list.");
    return items
      .map((item, i) => coerceField(itemSpec, item, `${path}.${i + 1}`))
      .filter((item) => item !== undefined);
  }
  if (isJsonSpec(spec)) {
    const parsed =
      typeof value === "string" ? (value.trim() === "" ? undefined : parseJson(value, path)) : value;
    if (parsed === undefined) return undefined;
    if (!isRecord(parsed)) throw Errors.invalidParameter(path, "It must be a JSON object.");
    return coerceObject(spec.$json, parsed, path);
  }
  let object: unknown = value;
  if (typeof object === "string" && object.trim().startsWith("{")) object = parseJson(object, path);
  if (!isRecord(object)) throw Errors.invalidParameter(path, "It must be an object.");
  return coerceObject(spec as ObjectSpec, object, path);
}

function coerceObject(
  spec: ObjectSpec,
  input: Record<string, unknown>,
  path: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(spec)) {
    const value = coerceField(spec[key], input[key], path ? `${path}.${key}` : key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Types `input` (an un-flattened parameter tree or parsed JSON) per `spec`. Unknown keys are ignored. */
export function coerce<S extends ObjectSpec>(spec: S, input: Record<string, unknown>): InferObject<S> {
  return coerceObject(spec, input, "") as InferObject<S>;
}
