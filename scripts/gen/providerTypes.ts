import {
  PackageSchema,
  PropertySchema,
  TypeSpec,
  desktopBatchResource,
  isEnumType,
  isRef,
  refTypeName,
  resolveRef,
} from "../../schema";
import { docComment } from "./docComment";
import { GeneratedFile, TS_HEADER } from "./header";
import { objectInterfaces, reachableObjectTypes } from "./types";

export const PROVIDER_TYPES_PATH = "provider/desktopBatch/generated/types.ts";

/**
 * The provider sees plain values (already resolved, possibly not yet validated), so enums are strings here:
 * check() is what enforces their values.
 */
function plainType(schema: PackageSchema, spec: TypeSpec): string {
  if (isRef(spec)) return isEnumType(resolveRef(schema, spec.$ref)) ? "string" : refTypeName(spec.$ref);
  switch (spec.type) {
    case "array":
      return `${plainType(schema, spec.items)}[]`;
    case "object":
      return `Record<string, ${plainType(schema, spec.additionalProperties)}>`;
    case "integer":
    case "number":
      return "number";
    default:
      return spec.type;
  }
}

function fields(
  schema: PackageSchema,
  properties: Readonly<Record<string, PropertySchema>>,
  required: readonly string[],
): string {
  return Object.entries(properties)
    .map(([name, property]) => {
      const optional = required.includes(name) ? "" : "?";
      return `${docComment([property.description], "  ")}  ${name}${optional}: ${plainType(schema, property)};\n`;
    })
    .join("");
}

/** The provider's view of the DesktopBatch shape: inputs, computed outputs, and the CreateDesktops parameters. */
export function renderProviderTypes(schema: PackageSchema): GeneratedFile {
  const resource = desktopBatchResource(schema);
  const objects = reachableObjectTypes(schema, [
    ...Object.values(resource.inputProperties),
    ...Object.values(resource.properties),
  ]);
  const computed = Object.fromEntries(
    Object.entries(resource.properties).filter(([name]) => !(name in resource.inputProperties)),
  );
  const wired = Object.entries(resource.inputProperties)
    .filter(([, property]) => property["x-ecd"]?.wire !== undefined)
    .map(([name]) => JSON.stringify(name));
  return {
    path: PROVIDER_TYPES_PATH,
    text: [
      `${TS_HEADER}\n`,
      objectInterfaces(objects, (property) => plainType(schema, property)),
      `${docComment(["DesktopBatch inputs as the provider receives them (all optional until check() has run)."])}` +
        `export interface DesktopBatchInputs {\n${fields(schema, resource.inputProperties, [])}}\n`,
      `${docComment(["What DesktopBatch computes, beside echoing its inputs."])}` +
        `export interface DesktopBatchComputed {\n${fields(schema, computed, resource.required)}}\n`,
      `${docComment(["The inputs that are CreateDesktops request parameters (those with an x-ecd wire key)."])}` +
        `export type CreateDesktopsParameters = Pick<DesktopBatchInputs, ${wired.join(" | ")}>;\n`,
    ].join("\n"),
  };
}
