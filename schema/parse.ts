import {
  ChangeBehaviour,
  ConfigVariable,
  PROVIDER_SETTINGS,
  ProviderSettingName,
  CrossFieldRule,
  DESKTOP_BATCH_TOKEN,
  EcdExtension,
  EnumValue,
  PackageSchema,
  PrimitiveTypeName,
  PropertySchema,
  ResourceSchema,
  TYPE_REF_PREFIX,
  TypeDefinition,
  TypeSpec,
  Validation,
  ValidationKey,
} from "./types";

export class SchemaError extends Error {
  constructor(path: string, message: string) {
    super(`schema ${path}: ${message}`);
    this.name = "SchemaError";
  }
}

type Json = Readonly<Record<string, unknown>>;

function object(value: unknown, path: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SchemaError(path, "must be an object");
  }
  return value as Json;
}

function onlyKeys(value: Json, allowed: readonly string[], path: string): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    // Unknown keys would be silently ignored by the generator and the provider's validation.
    throw new SchemaError(path, `unknown key(s) ${unknown.join(", ")}`);
  }
}

function string(value: unknown, path: string): string {
  if (typeof value !== "string" || value === "") throw new SchemaError(path, "must be a non-empty string");
  return value;
}

function optional<T>(value: unknown, path: string, parse: (v: unknown, p: string) => T): T | undefined {
  return value === undefined ? undefined : parse(value, path);
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== "boolean") throw new SchemaError(path, "must be a boolean");
  return value;
}

function number(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new SchemaError(path, "must be a number");
  return value;
}

function array<T>(value: unknown, path: string, parse: (v: unknown, p: string) => T): T[] {
  if (!Array.isArray(value)) throw new SchemaError(path, "must be an array");
  return value.map((item, i) => parse(item, `${path}[${i}]`));
}

function record<T>(value: unknown, path: string, parse: (v: unknown, p: string) => T): Record<string, T> {
  const entries = Object.entries(object(value, path)).map(([key, v]) => [key, parse(v, `${path}.${key}`)]);
  return Object.fromEntries(entries) as Record<string, T>;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const PRIMITIVES: readonly string[] = [
  "string",
  "integer",
  "number",
  "boolean",
] satisfies PrimitiveTypeName[];

function typeSpec(json: Json, path: string): TypeSpec {
  if (json.$ref !== undefined) {
    const ref = string(json.$ref, `${path}.$ref`);
    if (!ref.startsWith(TYPE_REF_PREFIX))
      throw new SchemaError(path, `$ref must start with ${TYPE_REF_PREFIX}`);
    return { $ref: ref };
  }
  const type = string(json.type, `${path}.type`);
  if (type === "array")
    return { type, items: typeSpec(object(json.items, `${path}.items`), `${path}.items`) };
  if (type === "object" && json.additionalProperties !== undefined) {
    const values = object(json.additionalProperties, `${path}.additionalProperties`);
    return { type, additionalProperties: typeSpec(values, `${path}.additionalProperties`) };
  }
  if (!PRIMITIVES.includes(type)) throw new SchemaError(`${path}.type`, `unsupported type ${type}`);
  return { type: type as PrimitiveTypeName };
}

function changeBehaviour(value: unknown, path: string): ChangeBehaviour {
  const json = object(value, path);
  const kind = string(json.kind, `${path}.kind`);
  switch (kind) {
    case "update":
      onlyKeys(json, ["kind", "api", "note", "unsetKeeps"], path);
      return withoutUndefined({
        kind,
        api: string(json.api, `${path}.api`),
        note: optional(json.note, `${path}.note`, string),
        unsetKeeps: optional(json.unsetKeeps, `${path}.unsetKeeps`, boolean),
      });
    case "replace":
    case "creation-only":
    case "provider":
    case "nested":
      onlyKeys(json, ["kind"], path);
      return { kind };
    default:
      throw new SchemaError(`${path}.kind`, `unknown change kind ${kind}`);
  }
}

const NUMBER_RULES = [
  "minimum",
  "maximum",
  "multipleOf",
  "minimumUnlessZero",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
] as const satisfies readonly ValidationKey[];
const FLAG_RULES = [
  "uniqueItems",
  "hostnameTemplate",
  "tagRules",
  "ipv4",
  "json",
  "duration",
] as const satisfies readonly ValidationKey[];

function validation(value: unknown, path: string): Validation {
  const json = object(value, path);
  onlyKeys(json, [...NUMBER_RULES, ...FLAG_RULES, "pattern", "patternDescription", "notStartsWith"], path);
  const result: Record<string, unknown> = {};
  for (const key of NUMBER_RULES) result[key] = optional(json[key], `${path}.${key}`, number);
  for (const key of FLAG_RULES) result[key] = optional(json[key], `${path}.${key}`, boolean);
  const pattern = optional(json.pattern, `${path}.pattern`, string);
  if (pattern !== undefined) {
    try {
      new RegExp(pattern, "u");
    } catch (error) {
      throw new SchemaError(`${path}.pattern`, `invalid regular expression: ${(error as Error).message}`);
    }
  }
  result.pattern = pattern;
  result.patternDescription = optional(json.patternDescription, `${path}.patternDescription`, string);
  result.notStartsWith = optional(json.notStartsWith, `${path}.notStartsWith`, (v, p) => array(v, p, string));
  return withoutUndefined(result) as Validation;
}

function ecdExtension(value: unknown, path: string): EcdExtension {
  const json = object(value, path);
  onlyKeys(json, ["wire", "change", "validate", "none", "collides"], path);
  return withoutUndefined({
    wire: optional(json.wire, `${path}.wire`, string),
    none: optional(json.none, `${path}.none`, defaultValue),
    collides: optional(json.collides, `${path}.collides`, boolean),
    change: optional(json.change, `${path}.change`, changeBehaviour),
    validate: optional(json.validate, `${path}.validate`, validation),
  });
}

function defaultValue(value: unknown, path: string): string | number | boolean {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  throw new SchemaError(path, "must be a string, number or boolean");
}

function property(value: unknown, path: string): PropertySchema {
  const json = object(value, path);
  onlyKeys(
    json,
    ["type", "$ref", "items", "additionalProperties", "description", "default", "secret", "x-ecd"],
    path,
  );
  return withoutUndefined({
    ...typeSpec(json, path),
    description: string(json.description, `${path}.description`),
    default: optional(json.default, `${path}.default`, defaultValue),
    secret: optional(json.secret, `${path}.secret`, boolean),
    "x-ecd": optional(json["x-ecd"], `${path}.x-ecd`, ecdExtension),
  });
}

function enumValue(value: unknown, path: string): EnumValue {
  const json = object(value, path);
  onlyKeys(json, ["name", "value", "description"], path);
  return {
    name: string(json.name, `${path}.name`),
    value: string(json.value, `${path}.value`),
    description: string(json.description, `${path}.description`),
  };
}

function typeDefinition(value: unknown, path: string): TypeDefinition {
  const json = object(value, path);
  const description = string(json.description, `${path}.description`);
  if (json.enum !== undefined) {
    onlyKeys(json, ["type", "description", "enum"], path);
    if (json.type !== "string") throw new SchemaError(`${path}.type`, "enums must be of type string");
    return { type: "string", description, enum: array(json.enum, `${path}.enum`, enumValue) };
  }
  onlyKeys(json, ["type", "description", "properties", "required"], path);
  if (json.type !== "object") throw new SchemaError(`${path}.type`, "must be object (or an enum)");
  return withoutUndefined({
    type: "object",
    description,
    properties: record(json.properties, `${path}.properties`, property),
    required: optional(json.required, `${path}.required`, (v, p) => array(v, p, string)),
  });
}

function crossFieldRule(value: unknown, path: string): CrossFieldRule {
  const json = object(value, path);
  onlyKeys(json, ["id", "properties", "rule"], path);
  return {
    id: string(json.id, `${path}.id`),
    properties: array(json.properties, `${path}.properties`, string),
    rule: string(json.rule, `${path}.rule`),
  };
}

function resource(value: unknown, path: string): ResourceSchema {
  const json = object(value, path);
  onlyKeys(
    json,
    ["description", "inputProperties", "requiredInputs", "properties", "required", "x-ecd-rules"],
    path,
  );
  return {
    description: string(json.description, `${path}.description`),
    inputProperties: record(json.inputProperties, `${path}.inputProperties`, property),
    requiredInputs: array(json.requiredInputs ?? [], `${path}.requiredInputs`, string),
    properties: record(json.properties, `${path}.properties`, property),
    required: array(json.required ?? [], `${path}.required`, string),
    "x-ecd-rules": array(json["x-ecd-rules"] ?? [], `${path}.x-ecd-rules`, crossFieldRule),
  };
}

function providerSetting(value: unknown, path: string): { setting: ProviderSettingName } {
  const json = object(value, path);
  onlyKeys(json, ["setting"], path);
  const setting = string(json.setting, `${path}.setting`);
  if (!(PROVIDER_SETTINGS as readonly string[]).includes(setting)) {
    throw new SchemaError(`${path}.setting`, `must be one of ${PROVIDER_SETTINGS.join(", ")}`);
  }
  return { setting: setting as ProviderSettingName };
}

function configVariable(value: unknown, path: string): ConfigVariable {
  const json = object(value, path);
  onlyKeys(json, ["type", "description", "secret", "x-ecd"], path);
  const spec = typeSpec(json, path);
  if (!("type" in spec) || !PRIMITIVES.includes(spec.type))
    throw new SchemaError(path, "must be a primitive");
  return withoutUndefined({
    type: spec.type as PrimitiveTypeName,
    description: string(json.description, `${path}.description`),
    secret: optional(json.secret, `${path}.secret`, boolean),
    "x-ecd": optional(json["x-ecd"], `${path}.x-ecd`, providerSetting),
  });
}

/** Parses the raw JSON into the typed shape; structural checks only (see `checkReferences`). */
export function parsePackageSchema(value: unknown): PackageSchema {
  const json = object(value, "$");
  const language = object(object(json.language, "$.language").nodejs, "$.language.nodejs");
  const resources = record(json.resources, "$.resources", resource);
  if (resources[DESKTOP_BATCH_TOKEN] === undefined) {
    throw new SchemaError("$.resources", `missing ${DESKTOP_BATCH_TOKEN}`);
  }
  return {
    name: string(json.name, "$.name"),
    displayName: string(json.displayName, "$.displayName"),
    description: string(json.description, "$.description"),
    version: string(json.version, "$.version"),
    keywords: array(json.keywords ?? [], "$.keywords", string),
    language: { nodejs: { packageName: string(language.packageName, "$.language.nodejs.packageName") } },
    config: {
      variables: record(object(json.config, "$.config").variables, "$.config.variables", configVariable),
    },
    resources,
    types: record(json.types, "$.types", typeDefinition),
  };
}
