import schemaJson from "./desktop-batch.schema.json";
import { SchemaError, parsePackageSchema } from "./parse";
import {
  ChangeBehaviour,
  DESKTOP_BATCH_TOKEN,
  EnumTypeSchema,
  ObjectTypeSchema,
  PackageSchema,
  PropertySchema,
  RefTypeSpec,
  ResourceSchema,
  TYPE_REF_PREFIX,
  TypeDefinition,
  TypeSpec,
} from "./types";

export * from "./types";
export { SchemaError, parsePackageSchema } from "./parse";

export function isRef(spec: TypeSpec): spec is RefTypeSpec {
  return "$ref" in spec;
}

export function isEnumType(definition: TypeDefinition): definition is EnumTypeSchema {
  return "enum" in definition;
}

export function isObjectType(definition: TypeDefinition): definition is ObjectTypeSchema {
  return !isEnumType(definition);
}

/** `#/types/pulumi-ecd:index:ChargeType` → `ChargeType`. */
export function refTypeName(ref: string): string {
  return ref.slice(TYPE_REF_PREFIX.length);
}

export function resolveRef(schema: PackageSchema, ref: string): TypeDefinition {
  const definition = schema.types[refTypeName(ref)];
  if (definition === undefined) throw new SchemaError(ref, "unresolved $ref");
  return definition;
}

export function desktopBatchResource(schema: PackageSchema): ResourceSchema {
  return schema.resources[DESKTOP_BATCH_TOKEN];
}

/** A leaf of the change table: `path` is the input name, then a field name for `nested` inputs. */
export interface ChangeEntry {
  readonly path: readonly string[];
  readonly property: PropertySchema;
  readonly change: Exclude<ChangeBehaviour, { kind: "nested" }>;
}

/** Which input (or nested field) changes in place, by which API, or forces replacement; in schema order. */
export function changeTable(schema: PackageSchema): ChangeEntry[] {
  const entries: ChangeEntry[] = [];
  for (const [name, property] of Object.entries(desktopBatchResource(schema).inputProperties)) {
    const change = property["x-ecd"]?.change;
    if (change === undefined) throw new SchemaError(`inputProperties.${name}`, "missing x-ecd.change");
    if (change.kind !== "nested") {
      entries.push({ path: [name], property, change });
      continue;
    }
    for (const [field, fieldProperty] of Object.entries(
      nestedObjectType(schema, name, property).properties,
    )) {
      const fieldChange = fieldProperty["x-ecd"]?.change;
      if (fieldChange === undefined || fieldChange.kind === "nested") {
        throw new SchemaError(`${name}.${field}`, "fields of a nested input need their own x-ecd.change");
      }
      entries.push({ path: [name, field], property: fieldProperty, change: fieldChange });
    }
  }
  return entries;
}

function nestedObjectType(schema: PackageSchema, name: string, property: PropertySchema): ObjectTypeSchema {
  const definition = isRef(property) ? resolveRef(schema, property.$ref) : undefined;
  if (definition === undefined || !isObjectType(definition)) {
    throw new SchemaError(`inputProperties.${name}`, "change kind nested needs a $ref to an object type");
  }
  return definition;
}

function checkSpec(schema: PackageSchema, spec: TypeSpec, path: string): void {
  if (isRef(spec)) {
    if (schema.types[refTypeName(spec.$ref)] === undefined)
      throw new SchemaError(path, `unresolved ${spec.$ref}`);
  } else if (spec.type === "array") {
    checkSpec(schema, spec.items, `${path}.items`);
  } else if (spec.type === "object") {
    checkSpec(schema, spec.additionalProperties, `${path}.additionalProperties`);
  }
}

function checkDefault(schema: PackageSchema, property: PropertySchema, path: string): void {
  const value = property.default;
  if (value === undefined) return;
  if (isRef(property)) {
    const definition = resolveRef(schema, property.$ref);
    if (!isEnumType(definition) || !definition.enum.some((e) => e.value === value)) {
      throw new SchemaError(`${path}.default`, "must be one of the enum's values");
    }
    return;
  }
  const fits =
    (property.type === "string" && typeof value === "string") ||
    (property.type === "boolean" && typeof value === "boolean") ||
    (property.type === "number" && typeof value === "number") ||
    (property.type === "integer" && Number.isInteger(value));
  if (!fits) throw new SchemaError(`${path}.default`, `does not fit type ${property.type}`);
}

function checkSubset(names: readonly string[], known: object, path: string): void {
  for (const name of names) {
    if (!(name in known)) throw new SchemaError(path, `names unknown property ${name}`);
  }
}

/** Cross-reference checks the structural parse cannot do. */
export function checkReferences(schema: PackageSchema): void {
  const batch = desktopBatchResource(schema);
  const base = `resources.${DESKTOP_BATCH_TOKEN}`;
  const propertySets: [string, Readonly<Record<string, PropertySchema>>][] = [
    [`${base}.inputProperties`, batch.inputProperties],
    [`${base}.properties`, batch.properties],
  ];
  for (const [name, definition] of Object.entries(schema.types)) {
    if (isObjectType(definition)) {
      propertySets.push([`types.${name}.properties`, definition.properties]);
      checkSubset(definition.required ?? [], definition.properties, `types.${name}.required`);
    } else {
      for (const key of ["name", "value"] as const) {
        const values = definition.enum.map((e) => e[key]);
        if (new Set(values).size !== values.length)
          throw new SchemaError(`types.${name}`, `duplicate enum ${key}`);
      }
    }
  }
  for (const [path, properties] of propertySets) {
    for (const [name, property] of Object.entries(properties)) {
      checkSpec(schema, property, `${path}.${name}`);
      checkDefault(schema, property, `${path}.${name}`);
    }
  }
  checkSubset(batch.requiredInputs, batch.inputProperties, `${base}.requiredInputs`);
  checkSubset(batch.required, batch.properties, `${base}.required`);
  for (const rule of batch["x-ecd-rules"]) {
    checkSubset(rule.properties, batch.inputProperties, `${base}.x-ecd-rules.${rule.id}`);
  }
  changeTable(schema);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

let cached: PackageSchema | undefined;

/** The checked, frozen schema; parsed once per process. Throws `SchemaError` naming the offending path. */
export function loadDesktopBatchSchema(): PackageSchema {
  if (cached === undefined) {
    const schema = parsePackageSchema(schemaJson);
    checkReferences(schema);
    cached = deepFreeze(schema);
  }
  return cached;
}
