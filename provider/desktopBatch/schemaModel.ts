/**
 * The DesktopBatch schema as the provider needs it: every input with its type, constraints and change
 * behaviour, read from schema/desktop-batch.schema.json (the single source of truth) — never restated here.
 */
import rawSchema from "../../schema/desktop-batch.schema.json";

export type ChangeKind =
  | { kind: "update"; api: string; note?: string }
  | { kind: "replace" }
  | { kind: "creation-only" }
  | { kind: "provider" }
  | { kind: "nested" };

export interface Constraints {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  patternDescription?: string;
  notStartsWith?: string[];
  minimum?: number;
  maximum?: number;
  minimumUnlessZero?: number;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  hostnameTemplate?: boolean;
  tagRules?: boolean;
  ipv4?: boolean;
  json?: boolean;
  duration?: boolean;
}

export type PropertyType =
  | { type: "string" }
  | { type: "integer" }
  | { type: "boolean" }
  | { type: "enum"; values: string[]; typeName: string }
  | { type: "array"; items: PropertyType }
  | { type: "map" }
  | { type: "object"; typeName: string; properties: PropertyModel[]; required: string[] };

export interface PropertyModel {
  name: string;
  description: string;
  shape: PropertyType;
  wire?: string;
  change: ChangeKind;
  validate: Constraints;
  default?: unknown;
  secret: boolean;
}

export interface CrossFieldRule {
  id: string;
  properties: string[];
  rule: string;
}

interface RawProperty {
  type?: string;
  $ref?: string;
  items?: RawProperty;
  additionalProperties?: RawProperty;
  description?: string;
  default?: unknown;
  secret?: boolean;
  enum?: { value: string }[];
  properties?: Record<string, RawProperty>;
  required?: string[];
  "x-ecd"?: { wire?: string; change?: ChangeKind; validate?: Constraints };
}

const TYPE_PREFIX = "#/types/pulumi-ecd:index:";
const RESOURCE = "pulumi-ecd:index:DesktopBatch";
const schemaTypes = rawSchema.types as unknown as Record<string, RawProperty>;

function resolveShape(raw: RawProperty, where: string): PropertyType {
  if (raw.$ref) {
    if (!raw.$ref.startsWith(TYPE_PREFIX)) throw new Error(`schema: ${where}: unsupported $ref ${raw.$ref}`);
    const typeName = raw.$ref.slice(TYPE_PREFIX.length);
    const target = schemaTypes[typeName];
    if (!target) throw new Error(`schema: ${where}: unknown type ${typeName}`);
    if (target.enum) return { type: "enum", values: target.enum.map((entry) => entry.value), typeName };
    return {
      type: "object",
      typeName,
      properties: modelProperties(target.properties ?? {}, typeName),
      required: target.required ?? [],
    };
  }
  switch (raw.type) {
    case "string":
    case "integer":
    case "boolean":
      return { type: raw.type };
    case "array":
      if (!raw.items) throw new Error(`schema: ${where}: array without items`);
      return { type: "array", items: resolveShape(raw.items, `${where}[]`) };
    case "object":
      return { type: "map" };
    default:
      throw new Error(`schema: ${where}: unsupported type ${String(raw.type)}`);
  }
}

function modelProperties(raw: Record<string, RawProperty>, owner: string): PropertyModel[] {
  return Object.entries(raw).map(([name, property]) => ({
    name,
    description: property.description ?? "",
    shape: resolveShape(property, `${owner}.${name}`),
    wire: property["x-ecd"]?.wire,
    change: property["x-ecd"]?.change ?? { kind: "creation-only" },
    validate: property["x-ecd"]?.validate ?? {},
    default: property.default,
    secret: property.secret === true,
  }));
}

const resource = (rawSchema.resources as unknown as Record<string, { inputProperties: Record<string, RawProperty>; requiredInputs: string[]; "x-ecd-rules": CrossFieldRule[] }>)[RESOURCE];

export const INPUTS: readonly PropertyModel[] = modelProperties(resource.inputProperties, "DesktopBatch");
export const REQUIRED_INPUTS: readonly string[] = resource.requiredInputs;
export const CROSS_FIELD_RULES: readonly CrossFieldRule[] = resource["x-ecd-rules"];

export function inputModel(name: string): PropertyModel {
  const found = INPUTS.find((property) => property.name === name);
  if (!found) throw new Error(`schema: DesktopBatch has no input ${name}`);
  return found;
}
