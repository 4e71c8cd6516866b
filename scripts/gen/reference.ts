import {
  DESKTOP_BATCH_TOKEN,
  EnumTypeSchema,
  ObjectTypeSchema,
  PackageSchema,
  PropertySchema,
  TypeSpec,
  Validation,
  desktopBatchResource,
  isEnumType,
  isObjectType,
  isRef,
  refTypeName,
  resolveRef,
} from "../../schema";
import { changeText } from "./changes";
import { GeneratedFile, MARKDOWN_HEADER } from "./header";
import { TYPE_TOKEN } from "./resource";

function code(text: string): string {
  return `\`${text}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(" | ")} |\n`;
  return line(head) + line(head.map(() => "---")) + rows.map(line).join("");
}

function anchor(name: string): string {
  return `#${name.toLowerCase()}`;
}

function typeText(schema: PackageSchema, spec: TypeSpec): string {
  if (isRef(spec)) {
    const name = refTypeName(spec.$ref);
    const kind = isEnumType(resolveRef(schema, spec.$ref)) ? "enum" : "object";
    return `[${name}](${anchor(name)}) (${kind})`;
  }
  switch (spec.type) {
    case "array":
      return `list of ${typeText(schema, spec.items)}`;
    case "object":
      return `map of string to ${typeText(schema, spec.additionalProperties)}`;
    default:
      return spec.type;
  }
}

function range(min: number | undefined, max: number | undefined, unit = "", units = `${unit}s`): string[] {
  const suffix = (n: number): string => (unit === "" ? "" : ` ${n === 1 ? unit : units}`);
  if (min !== undefined && max !== undefined) return [`${min} to ${max}${suffix(max)}`];
  if (min !== undefined) return [`at least ${min}${suffix(min)}`];
  if (max !== undefined) return [`at most ${max}${suffix(max)}`];
  return [];
}

const FLAG_TEXT: Readonly<Record<string, string>> = {
  hostnameTemplate: "a hostname, or a `name_prefix[begin_number,bits]name_suffix` template",
  tagRules: "ECD tag key and value rules",
  ipv4: "an IPv4 address",
  json: "JSON text",
  duration: "a duration such as `30m`, `90s` or `1h30m`",
  uniqueItems: "no duplicates",
};

function constraintsText(spec: TypeSpec, validation: Validation | undefined): string {
  if (validation === undefined) return "";
  const v = validation;
  // String rules on a list apply to each of its items.
  const each = !isRef(spec) && spec.type === "array" ? "each item: " : "";
  const text: string[] = [
    ...range(v.minimum, v.maximum),
    ...(v.minimumUnlessZero === undefined ? [] : [`0, or at least ${v.minimumUnlessZero}`]),
    ...(v.multipleOf === undefined ? [] : [`a multiple of ${v.multipleOf}`]),
    ...range(v.minItems, v.maxItems, "item"),
    ...range(v.minProperties, v.maxProperties, "entry", "entries"),
    ...range(v.minLength, v.maxLength, "character").map((t) => `${each}${t}`),
    ...(v.pattern === undefined
      ? []
      : [`${each}${v.patternDescription ?? "must match"} (${code(v.pattern)})`]),
    ...(v.notStartsWith === undefined
      ? []
      : [`${each}must not start with ${v.notStartsWith.map(code).join(" or ")}`]),
    ...Object.keys(FLAG_TEXT).flatMap((flag) =>
      v[flag as keyof Validation] === true ? [FLAG_TEXT[flag]] : [],
    ),
  ];
  return text.join("; ");
}

function defaultText(property: PropertySchema): string {
  return property.default === undefined ? "" : `default ${code(JSON.stringify(property.default))}`;
}

function descriptions(entries: readonly [string, PropertySchema][]): string {
  return entries.map(([name, property]) => `- ${code(name)}: ${property.description}\n`).join("");
}

function inputsSection(schema: PackageSchema): string {
  const resource = desktopBatchResource(schema);
  const rows: string[][] = [];
  const described: [string, PropertySchema][] = [];
  for (const [name, property] of Object.entries(resource.inputProperties)) {
    const ecd = property["x-ecd"];
    const presence = resource.requiredInputs.includes(name)
      ? "**required**"
      : defaultText(property) || "optional";
    const nested =
      ecd?.change?.kind === "nested" && isRef(property) ? resolveRef(schema, property.$ref) : undefined;
    const nestedName = isRef(property) ? refTypeName(property.$ref) : undefined;
    rows.push([
      code(name),
      ecd?.wire === undefined ? "(not sent)" : code(ecd.wire),
      typeText(schema, property),
      presence,
      constraintsText(property, ecd?.validate),
      ecd?.change === undefined ? "" : changeText(ecd.change, nestedName),
    ]);
    described.push([name, property]);
    if (nested === undefined || !isObjectType(nested)) continue;
    for (const [field, fieldProperty] of Object.entries(nested.properties)) {
      const fieldEcd = fieldProperty["x-ecd"];
      const path = `${name}.${field}`;
      rows.push([
        code(path),
        fieldEcd?.wire === undefined ? "" : `${code(fieldEcd.wire)} in ${code(ecd?.wire ?? name)}`,
        typeText(schema, fieldProperty),
        nested.required?.includes(field) ? "**required**" : defaultText(fieldProperty) || "optional",
        constraintsText(fieldProperty, fieldEcd?.validate),
        fieldEcd?.change === undefined ? "" : changeText(fieldEcd.change),
      ]);
      described.push([path, fieldProperty]);
    }
  }
  return (
    "## Inputs\n\n" +
    table(["Input", "Wire key", "Type", "Required / default", "Constraints", "Change"], rows) +
    "\n### Input descriptions\n\n" +
    descriptions(described)
  );
}

function outputsSection(schema: PackageSchema): string {
  const resource = desktopBatchResource(schema);
  const entries = Object.entries(resource.properties);
  const rows = entries.map(([name, property]) => [
    code(name),
    typeText(schema, property),
    resource.required.includes(name) ? "always" : "when set",
    property.secret === true ? "yes" : "",
    resource.inputProperties[name] === undefined ? "output only" : "input",
  ]);
  const outputOnly = entries.filter(([name]) => resource.inputProperties[name] === undefined);
  return (
    "## Outputs\n\n" +
    "Every input is also an output; the outputs below that are not inputs are described after the table.\n\n" +
    table(["Output", "Type", "Present", "Secret", "Source"], rows) +
    "\n" +
    descriptions(outputOnly)
  );
}

function objectTypeSection(schema: PackageSchema, name: string, definition: ObjectTypeSchema): string {
  const entries = Object.entries(definition.properties);
  const rows = entries.map(([field, property]) => [
    code(field),
    property["x-ecd"]?.wire === undefined ? "" : code(property["x-ecd"].wire),
    typeText(schema, property),
    definition.required?.includes(field) ? "**required**" : defaultText(property) || "optional",
    constraintsText(property, property["x-ecd"]?.validate),
  ]);
  return (
    `### ${name}\n\n${definition.description}\n\n` +
    table(["Field", "Wire key", "Type", "Required / default", "Constraints"], rows) +
    "\n" +
    descriptions(entries)
  );
}

function enumSection(name: string, definition: EnumTypeSchema): string {
  const rows = definition.enum.map((value) => [
    code(value.value),
    code(`${name}.${value.name}`),
    value.description,
  ]);
  return `### ${name}\n\n${definition.description}\n\n` + table(["Value", "SDK constant", "Meaning"], rows);
}

function rulesSection(schema: PackageSchema): string {
  const rows = desktopBatchResource(schema)["x-ecd-rules"].map((rule) => [
    code(rule.id),
    rule.properties.map(code).join(", "),
    rule.rule,
  ]);
  return "## Cross-field rules\n\n" + table(["Id", "Inputs", "Rule"], rows);
}

const LEGEND =
  "How a change to an input is applied:\n\n" +
  "- **in place via _API_**: the provider changes the existing desktops with that ECD API.\n" +
  "- **replace**: Pulumi replaces the batch: new desktops are created and the old ones deleted.\n" +
  "- **creation-only**: used only when desktops are created; a change never replaces or modifies the " +
  "existing desktops, and desktops created later (scale-up, healing) use the new value.\n" +
  "- **provider-only**: changes how the provider behaves; nothing is sent to ECD.\n" +
  "- **per field**: an object input whose fields each have their own behaviour, listed below it.\n";

export function renderReference(schema: PackageSchema): GeneratedFile {
  const resource = desktopBatchResource(schema);
  const types = Object.entries(schema.types);
  const objectSections = types.flatMap(([name, d]) =>
    isObjectType(d) ? [objectTypeSection(schema, name, d)] : [],
  );
  const enumSections = types.flatMap(([name, d]) => (isEnumType(d) ? [enumSection(name, d)] : []));
  const text = [
    `${MARKDOWN_HEADER}\n`,
    "# DesktopBatch property reference\n",
    `${resource.description}\n`,
    `Schema token ${code(DESKTOP_BATCH_TOKEN)}; the SDK registers it as the dynamic resource ` +
      `${code(TYPE_TOKEN)}.\n`,
    LEGEND,
    inputsSection(schema),
    outputsSection(schema),
    rulesSection(schema),
    "## Object types\n",
    ...objectSections,
    "## Enums\n",
    ...enumSections,
  ].join("\n");
  return { path: "docs/reference.md", text };
}
