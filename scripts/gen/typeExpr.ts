import { PackageSchema, TypeSpec, isEnumType, isRef, refTypeName, resolveRef } from "../../schema";

/** How a module refers to the generated types: `inputs.`/`outputs.` and `enums.` prefixes, or "" in-module. */
export interface TypeNamespaces {
  readonly objects: string;
  readonly enums: string;
}

function refName(schema: PackageSchema, ref: string, ns: TypeNamespaces): string {
  const prefix = isEnumType(resolveRef(schema, ref)) ? ns.enums : ns.objects;
  return `${prefix}${refTypeName(ref)}`;
}

/** `pulumi.Input<T>` all the way down, as Pulumi SDKs type arguments. */
export function inputType(schema: PackageSchema, spec: TypeSpec, ns: TypeNamespaces): string {
  return `pulumi.Input<${plainInputType(schema, spec, ns)}>`;
}

function plainInputType(schema: PackageSchema, spec: TypeSpec, ns: TypeNamespaces): string {
  if (isRef(spec)) return refName(schema, spec.$ref, ns);
  switch (spec.type) {
    case "array":
      return `${inputType(schema, spec.items, ns)}[]`;
    case "object":
      return `{ [key: string]: ${inputType(schema, spec.additionalProperties, ns)} }`;
    case "integer":
    case "number":
      return "number";
    default:
      return spec.type;
  }
}

export function outputType(schema: PackageSchema, spec: TypeSpec, ns: TypeNamespaces): string {
  if (isRef(spec)) return refName(schema, spec.$ref, ns);
  switch (spec.type) {
    case "array":
      return `${outputType(schema, spec.items, ns)}[]`;
    case "object":
      return `{ [key: string]: ${outputType(schema, spec.additionalProperties, ns)} }`;
    case "integer":
    case "number":
      return "number";
    default:
      return spec.type;
  }
}

/** Names of the types a spec refers to, directly or through arrays and maps. */
export function referencedTypes(spec: TypeSpec): string[] {
  if (isRef(spec)) return [refTypeName(spec.$ref)];
  if (spec.type === "array") return referencedTypes(spec.items);
  if (spec.type === "object") return referencedTypes(spec.additionalProperties);
  return [];
}

export function usesKinds(
  schema: PackageSchema,
  specs: readonly TypeSpec[],
): { enums: boolean; objects: boolean } {
  const definitions = specs.flatMap(referencedTypes).map((name) => schema.types[name]);
  return {
    enums: definitions.some((d) => d !== undefined && isEnumType(d)),
    objects: definitions.some((d) => d !== undefined && !isEnumType(d)),
  };
}
