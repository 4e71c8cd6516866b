/** TypeScript shape of `desktop-batch.schema.json` (Pulumi package schema plus the `x-ecd` extensions). */

export const DESKTOP_BATCH_TOKEN = "pulumi-ecd:index:DesktopBatch";
/** Every `$ref` in the schema points into `types` with this prefix; `types` is keyed by the bare name. */
export const TYPE_REF_PREFIX = "#/types/pulumi-ecd:index:";

export type PrimitiveTypeName = "string" | "integer" | "number" | "boolean";

export interface PrimitiveTypeSpec {
  readonly type: PrimitiveTypeName;
}
export interface ArrayTypeSpec {
  readonly type: "array";
  readonly items: TypeSpec;
}
export interface MapTypeSpec {
  readonly type: "object";
  readonly additionalProperties: TypeSpec;
}
export interface RefTypeSpec {
  readonly $ref: string;
}
export type TypeSpec = PrimitiveTypeSpec | ArrayTypeSpec | MapTypeSpec | RefTypeSpec;

/** How a change to an input reaches the cloud. */
export type ChangeBehaviour =
  | {
      readonly kind: "update";
      readonly api: string;
      readonly note?: string;
      /** Unsetting the input leaves the desktops as they are (ECD's default stays): no change to plan. */
      readonly unsetKeeps?: boolean;
    }
  | { readonly kind: "replace" }
  | { readonly kind: "creation-only" }
  | { readonly kind: "provider" }
  /** Decided per field: see the `x-ecd.change` of the object type's properties. */
  | { readonly kind: "nested" };
export type ChangeKind = ChangeBehaviour["kind"];

export interface Validation {
  readonly minimum?: number;
  readonly maximum?: number;
  readonly multipleOf?: number;
  /** The value is either 0 or at least this. */
  readonly minimumUnlessZero?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly patternDescription?: string;
  readonly notStartsWith?: readonly string[];
  readonly minItems?: number;
  readonly maxItems?: number;
  /** Items are unique and their order carries no meaning: the list is compared as a set. */
  readonly uniqueItems?: boolean;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  /** `name_prefix[begin_number,bits]name_suffix` hostname rules. */
  readonly hostnameTemplate?: boolean;
  /** ECD tag key/value rules (length, reserved prefixes). */
  readonly tagRules?: boolean;
  readonly ipv4?: boolean;
  readonly json?: boolean;
  /** A duration such as `30m`, `90s` or `1h30m`. */
  readonly duration?: boolean;
}
export type ValidationKey = keyof Validation;

export interface EcdExtension {
  /** The CreateDesktops request key; absent for inputs that never reach the wire. */
  readonly wire?: string;
  readonly change?: ChangeBehaviour;
  readonly validate?: Validation;
  /** A value that means the same as leaving the input out (e.g. a data disk of 0 GiB). */
  readonly none?: string | number | boolean;
  /**
   * The old and the new batch cannot both hold this value (a hostname, a member IP): a replacement deletes the
   * old batch first.
   */
  readonly collides?: boolean;
}

interface PropertyDetails {
  readonly description: string;
  readonly default?: string | number | boolean;
  readonly secret?: boolean;
  readonly "x-ecd"?: EcdExtension;
}
export type PropertySchema = TypeSpec & PropertyDetails;

export interface EnumValue {
  readonly name: string;
  readonly value: string;
  readonly description: string;
}
export interface EnumTypeSchema {
  readonly type: "string";
  readonly description: string;
  readonly enum: readonly EnumValue[];
}
export interface ObjectTypeSchema {
  readonly type: "object";
  readonly description: string;
  readonly properties: Readonly<Record<string, PropertySchema>>;
  readonly required?: readonly string[];
}
export type TypeDefinition = EnumTypeSchema | ObjectTypeSchema;

export interface CrossFieldRule {
  readonly id: string;
  readonly properties: readonly string[];
  readonly rule: string;
}

export interface ResourceSchema {
  readonly description: string;
  readonly inputProperties: Readonly<Record<string, PropertySchema>>;
  readonly requiredInputs: readonly string[];
  readonly properties: Readonly<Record<string, PropertySchema>>;
  readonly required: readonly string[];
  readonly "x-ecd-rules": readonly CrossFieldRule[];
}

/** What a stack config key sets in the provider. */
export const PROVIDER_SETTINGS = [
  "accessKeyId",
  "accessKeySecret",
  "securityToken",
  "region",
  "endpoint",
] as const;
export type ProviderSettingName = (typeof PROVIDER_SETTINGS)[number];

export interface ConfigVariable {
  readonly type: PrimitiveTypeName;
  readonly description: string;
  readonly secret?: boolean;
  readonly "x-ecd"?: { readonly setting: ProviderSettingName };
}

export interface PackageSchema {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly version: string;
  readonly keywords: readonly string[];
  readonly language: { readonly nodejs: { readonly packageName: string } };
  readonly config: { readonly variables: Readonly<Record<string, ConfigVariable>> };
  readonly resources: Readonly<Record<string, ResourceSchema>>;
  readonly types: Readonly<Record<string, TypeDefinition>>;
}
