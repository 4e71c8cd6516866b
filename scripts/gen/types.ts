import {
  EnumTypeSchema,
  ObjectTypeSchema,
  PackageSchema,
  PropertySchema,
  TypeSpec,
  desktopBatchResource,
  isEnumType,
  isObjectType,
  isRef,
  refTypeName,
} from "../../schema";
import { changeText } from "./changes";
import { docComment } from "./docComment";
import { GeneratedFile, TS_HEADER } from "./header";
import { TypeNamespaces, inputType, outputType, referencedTypes, usesKinds } from "./typeExpr";

/** Object types reachable from the given properties, in schema order. */
export function reachableObjectTypes(
  schema: PackageSchema,
  properties: readonly PropertySchema[],
): [string, ObjectTypeSchema][] {
  const seen = new Set<string>();
  const visit = (spec: TypeSpec): void => {
    for (const name of referencedTypes(spec)) {
      const definition = schema.types[name];
      if (seen.has(name) || definition === undefined || !isObjectType(definition)) continue;
      seen.add(name);
      Object.values(definition.properties).forEach(visit);
    }
  };
  properties.forEach(visit);
  return Object.entries(schema.types).flatMap(([name, definition]): [string, ObjectTypeSchema][] =>
    seen.has(name) && isObjectType(definition) ? [[name, definition]] : [],
  );
}

function fieldDoc(property: PropertySchema): string {
  const change = property["x-ecd"]?.change;
  const nestedType = isRef(property) ? refTypeName(property.$ref) : undefined;
  return docComment([property.description, change ? `Changes: ${changeText(change, nestedType)}` : ""], "  ");
}

export function objectInterfaces(
  types: readonly [string, ObjectTypeSchema][],
  field: (property: PropertySchema) => string,
): string {
  return types
    .map(([name, definition]) => {
      const fields = Object.entries(definition.properties).map(([fieldName, property]) => {
        const optional = definition.required?.includes(fieldName) ? "" : "?";
        return `${fieldDoc(property)}  ${fieldName}${optional}: ${field(property)};\n`;
      });
      return `${docComment([definition.description])}export interface ${name} {\n${fields.join("")}}\n`;
    })
    .join("\n");
}

function typesModule(
  schema: PackageSchema,
  types: readonly [string, ObjectTypeSchema][],
  usesPulumi: boolean,
  field: (property: PropertySchema) => string,
): string {
  const specs = types.flatMap(([, definition]) => Object.values(definition.properties));
  const imports = [
    ...(usesPulumi ? ['import * as pulumi from "@pulumi/pulumi";\n'] : []),
    ...(usesKinds(schema, specs).enums ? ['import * as enums from "./enums";\n'] : []),
  ];
  return [
    `${TS_HEADER}\n`,
    ...(imports.length > 0 ? [imports.join("")] : []),
    objectInterfaces(types, field),
  ].join("\n");
}

function enumDeclaration(name: string, definition: EnumTypeSchema): string {
  const doc = docComment([definition.description]);
  const members = definition.enum.map(
    (value) => `${docComment([value.description], "  ")}  ${value.name}: ${JSON.stringify(value.value)},\n`,
  );
  return (
    `${doc}export const ${name} = {\n${members.join("")}} as const;\n\n` +
    `${doc}export type ${name} = (typeof ${name})[keyof typeof ${name}];\n`
  );
}

export function renderTypes(schema: PackageSchema): GeneratedFile[] {
  const resource = desktopBatchResource(schema);
  const localNs: TypeNamespaces = { objects: "", enums: "enums." };
  // State interfaces take every output as an input, so output-only types need an input form too.
  const inputTypes = reachableObjectTypes(schema, [
    ...Object.values(resource.inputProperties),
    ...Object.values(resource.properties),
  ]);
  const outputTypes = reachableObjectTypes(schema, Object.values(resource.properties));
  const enums = Object.entries(schema.types).flatMap(([name, definition]) =>
    isEnumType(definition) ? [enumDeclaration(name, definition)] : [],
  );
  return [
    { path: "sdk/types/enums.ts", text: [`${TS_HEADER}\n`, ...enums].join("\n") },
    {
      path: "sdk/types/input.ts",
      text: typesModule(schema, inputTypes, true, (p) => inputType(schema, p, localNs)),
    },
    {
      path: "sdk/types/output.ts",
      text: typesModule(schema, outputTypes, false, (p) => outputType(schema, p, localNs)),
    },
    {
      path: "sdk/types/index.ts",
      text:
        `${TS_HEADER}\n\n` +
        'export * as enums from "./enums";\n' +
        'export * as input from "./input";\n' +
        'export * as output from "./output";\n',
    },
  ];
}

export function renderIndex(): GeneratedFile {
  return {
    path: "sdk/index.ts",
    text:
      `${TS_HEADER}\n\n` +
      'export { DesktopBatch } from "./desktopBatch";\n' +
      'export type { DesktopBatchArgs, DesktopBatchState } from "./desktopBatch";\n' +
      'export * from "./types/enums";\n' +
      'export * as types from "./types";\n',
  };
}
