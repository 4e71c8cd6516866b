/**
 * The DesktopBatch inputs as the provider walks them: each with its resolved shape, constraints and change
 * behaviour, derived from the checked schema (schema/desktop-batch.schema.json through schema/index.ts).
 */
import {
  ChangeBehaviour,
  CrossFieldRule,
  desktopBatchResource,
  isEnumType,
  isRef,
  loadDesktopBatchSchema,
  PackageSchema,
  PropertySchema,
  ProviderSettingName,
  refTypeName,
  resolveRef,
  TypeSpec,
  Validation,
} from "../../schema";

export type { ChangeBehaviour, CrossFieldRule, ProviderSettingName, Validation };

export type PropertyType =
  | { type: "string" }
  | { type: "integer" }
  | { type: "number" }
  | { type: "boolean" }
  | { type: "enum"; values: string[]; typeName: string }
  | { type: "array"; items: PropertyType }
  | { type: "map" }
  | { type: "object"; typeName: string; properties: PropertyModel[]; required: readonly string[] };

export interface PropertyModel {
  name: string;
  /** The CreateDesktops wire key, for inputs that are request parameters. */
  wire?: string;
  shape: PropertyType;
  change: ChangeBehaviour;
  validate: Validation;
  default?: unknown;
  /** A value equivalent to leaving the input out. */
  none?: unknown;
  /** The old and the new batch cannot both hold its value: replacing deletes the old batch first. */
  collides: boolean;
  /** Stored as a Pulumi secret whatever the program says. */
  secret: boolean;
}

function shapeOf(schema: PackageSchema, spec: TypeSpec): PropertyType {
  if (isRef(spec)) {
    const typeName = refTypeName(spec.$ref);
    const definition = resolveRef(schema, spec.$ref);
    if (isEnumType(definition))
      return { type: "enum", values: definition.enum.map((e) => e.value), typeName };
    return {
      type: "object",
      typeName,
      properties: modelsOf(schema, definition.properties),
      required: definition.required ?? [],
    };
  }
  if (spec.type === "array") return { type: "array", items: shapeOf(schema, spec.items) };
  if (spec.type === "object") return { type: "map" };
  return { type: spec.type };
}

function modelsOf(
  schema: PackageSchema,
  properties: Readonly<Record<string, PropertySchema>>,
): PropertyModel[] {
  return Object.entries(properties).map(([name, property]) => ({
    name,
    wire: property["x-ecd"]?.wire,
    shape: shapeOf(schema, property),
    change: property["x-ecd"]?.change ?? { kind: "creation-only" },
    validate: property["x-ecd"]?.validate ?? {},
    default: property.default,
    none: property["x-ecd"]?.none,
    collides: property["x-ecd"]?.collides === true,
    secret: property.secret === true,
  }));
}

const schema = loadDesktopBatchSchema();
const resource = desktopBatchResource(schema);

export const INPUTS: readonly PropertyModel[] = modelsOf(schema, resource.inputProperties);
export const REQUIRED_INPUTS: readonly string[] = resource.requiredInputs;
export const CROSS_FIELD_RULES: readonly CrossFieldRule[] = resource["x-ecd-rules"];

/** The fields of one desktop in the DesktopBatch outputs (the schema's Desktop type), named as DescribeDesktops names them. */
export const DESKTOP_OUTPUT_FIELDS: readonly string[] = (() => {
  const desktops = resource.properties.desktops;
  const item =
    "items" in desktops && isRef(desktops.items) ? resolveRef(schema, desktops.items.$ref) : undefined;
  if (!item || isEnumType(item))
    throw new Error("schema: DesktopBatch.desktops must be a list of an object type");
  return Object.keys(item.properties);
})();

/** Stack config keys and the provider setting each one sets (the schema's config section). */
export const CONFIG_SETTINGS: readonly (readonly [string, ProviderSettingName])[] = Object.entries(
  schema.config.variables,
).flatMap(([key, variable]) => (variable["x-ecd"] ? [[key, variable["x-ecd"].setting] as const] : []));
