import {
  PackageSchema,
  PropertySchema,
  desktopBatchResource,
  isObjectType,
  isRef,
  resolveRef,
} from "../../schema";

/** The input that a CreateDesktops wire key fills, if any. */
export function inputByWire(schema: PackageSchema, wire: string): [string, PropertySchema] | undefined {
  return Object.entries(desktopBatchResource(schema).inputProperties).find(
    ([, property]) => property["x-ecd"]?.wire === wire,
  );
}

/** A string map input (`tags`) goes out as `Tag.N.Key` / `Tag.N.Value`. */
export function isStringMap(spec: PropertySchema): boolean {
  return (
    !isRef(spec) &&
    spec.type === "object" &&
    !isRef(spec.additionalProperties) &&
    spec.additionalProperties.type === "string"
  );
}

/** The object type of an object (or list of objects) input. */
export function objectTypeOf(schema: PackageSchema, spec: PropertySchema) {
  const target = !isRef(spec) && spec.type === "array" ? spec.items : spec;
  if (!isRef(target)) return undefined;
  const definition = resolveRef(schema, target.$ref);
  return isObjectType(definition) ? definition : undefined;
}

/** The wire keys that may be members of a top-level parameter, as the schema declares its fields. */
export function membersOf(schema: PackageSchema, wire: string): string[] {
  const input = inputByWire(schema, wire);
  if (input === undefined) return [];
  if (isStringMap(input[1])) return ["Key", "Value"];
  const type = objectTypeOf(schema, input[1]);
  return Object.values(type?.properties ?? {}).flatMap((p) => (p["x-ecd"]?.wire ? [p["x-ecd"].wire] : []));
}
