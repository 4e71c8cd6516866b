/**
 * The Pulumi package schema the resource plugin serves (`pulumi package get-schema`), derived from
 * schema/desktop-batch.schema.json: package `ecd`, tokens `ecd:index:*`, config `ecd:<setting>`. What only the
 * dynamic face needs (the `timeouts` input, the SDK-computed `lineage` and `aliasLineages`, the `x-ecd` extensions) is left out:
 * the plugin honours customTimeouts and takes the lineage from the URN the engine sends.
 */
import {
  ConfigVariable,
  DESKTOP_BATCH_TOKEN,
  PackageSchema,
  PropertySchema,
  TypeDefinition,
  TypeSpec,
  desktopBatchResource,
  isEnumType,
  isRef,
  refTypeName,
} from "../../schema";
import { GeneratedFile } from "./header";

export const PLUGIN_SCHEMA_PATH = "provider/cmd/pulumi-resource-ecd/schema.json";
export const PLUGIN_PACKAGE = "ecd";
export const PLUGIN_RESOURCE_TOKEN = `${PLUGIN_PACKAGE}:index:DesktopBatch`;

/** Inputs the dynamic face alone has: the plugin gets them from the engine (customTimeouts, the URN). */
const DYNAMIC_ONLY_INPUTS = new Set(["timeouts", "lineage", "aliasLineages"]);
const DYNAMIC_ONLY_OUTPUTS = new Set(["timeouts", "aliasLineages"]);

const LINEAGE_OUTPUT =
  "Which resource of which stack this batch is, across its instances: a hash of the resource's URN. Desktops are " +
  "tagged with it so that a create interrupted before Pulumi recorded anything can be finished by the next run; " +
  "it never decides ownership (the random instance ID in the resource ID does). An imported batch keeps the " +
  "lineage its desktops carry.";

const typeToken = (name: string): string => `${PLUGIN_PACKAGE}:index:${name}`;

/** `alicloud:region` (a dynamic-face config key) → `ecd:region`, by the setting it sets. */
export function pluginConfigKeys(schema: PackageSchema): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [key, variable] of Object.entries(schema.config.variables)) {
    const setting = variable["x-ecd"]?.setting;
    if (setting !== undefined) keys.set(key, `${PLUGIN_PACKAGE}:${setting}`);
  }
  return keys;
}

type Json = Record<string, unknown>;

function pluginText(text: string, keys: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [from, to] of keys) out = out.split(`\`${from}\``).join(`\`${to}\``);
  return out;
}

function typeSpec(spec: TypeSpec): Json {
  if (isRef(spec)) return { $ref: `#/types/${typeToken(refTypeName(spec.$ref))}` };
  if (spec.type === "array") return { type: "array", items: typeSpec(spec.items) };
  if (spec.type === "object")
    return { type: "object", additionalProperties: typeSpec(spec.additionalProperties) };
  return { type: spec.type };
}

function property(spec: PropertySchema, keys: ReadonlyMap<string, string>): Json {
  return {
    ...typeSpec(spec),
    description: pluginText(spec.description, keys),
    ...(spec.default === undefined ? {} : { default: spec.default }),
    ...(spec.secret ? { secret: true } : {}),
  };
}

function properties(
  from: Readonly<Record<string, PropertySchema>>,
  leave: ReadonlySet<string>,
  keys: ReadonlyMap<string, string>,
): Json {
  return Object.fromEntries(
    Object.entries(from)
      .filter(([name]) => !leave.has(name))
      .map(([name, spec]) => [name, property(spec, keys)]),
  );
}

function typeDefinition(definition: TypeDefinition, keys: ReadonlyMap<string, string>): Json {
  if (isEnumType(definition)) {
    return {
      type: "string",
      description: definition.description,
      enum: definition.enum.map((e) => ({ ...e })),
    };
  }
  return {
    type: "object",
    description: pluginText(definition.description, keys),
    properties: properties(definition.properties, new Set(), keys),
    ...(definition.required?.length ? { required: [...definition.required] } : {}),
  };
}

/** Type names reachable from the given properties, so that types only the dynamic face uses are left out. */
function reachable(schema: PackageSchema, roots: readonly PropertySchema[]): Set<string> {
  const seen = new Set<string>();
  const pending: TypeSpec[] = [...roots];
  while (pending.length) {
    const spec = pending.pop() as TypeSpec;
    if (isRef(spec)) {
      const name = refTypeName(spec.$ref);
      if (seen.has(name)) continue;
      seen.add(name);
      const definition = schema.types[name];
      if (!isEnumType(definition)) pending.push(...Object.values(definition.properties));
    } else if (spec.type === "array") {
      pending.push(spec.items);
    } else if (spec.type === "object") {
      pending.push(spec.additionalProperties);
    }
  }
  return seen;
}

function configVariable(variable: ConfigVariable): Json {
  return {
    type: variable.type,
    description: variable.description,
    ...(variable.secret ? { secret: true } : {}),
  };
}

/** The plugin's package schema as a JSON value (stable key order: the order of the source schema). */
export function pluginSchema(schema: PackageSchema): Json {
  const keys = pluginConfigKeys(schema);
  const batch = desktopBatchResource(schema);
  const inputs = properties(batch.inputProperties, DYNAMIC_ONLY_INPUTS, keys);
  const outputs = properties(batch.properties, DYNAMIC_ONLY_OUTPUTS, keys);
  outputs.lineage = { type: "string", description: LINEAGE_OUTPUT };
  const used = reachable(schema, [
    ...Object.entries(batch.inputProperties)
      .filter(([name]) => !DYNAMIC_ONLY_INPUTS.has(name))
      .map(([, spec]) => spec),
    ...Object.entries(batch.properties)
      .filter(([name]) => !DYNAMIC_ONLY_OUTPUTS.has(name))
      .map(([, spec]) => spec),
  ]);
  const variables = Object.fromEntries(
    Object.values(schema.config.variables).flatMap((variable) => {
      const setting = variable["x-ecd"]?.setting;
      return setting === undefined ? [] : [[setting, configVariable(variable)]];
    }),
  );
  return {
    name: PLUGIN_PACKAGE,
    displayName: schema.displayName,
    description: schema.description,
    version: schema.version,
    keywords: [...schema.keywords, "kind/native"],
    license: "Apache-2.0",
    config: { variables },
    provider: {
      description: `The provider type for the ${PLUGIN_PACKAGE} package: credentials, region and endpoint.`,
      inputProperties: variables,
    },
    resources: {
      [PLUGIN_RESOURCE_TOKEN]: {
        description: pluginText(batch.description, keys),
        inputProperties: inputs,
        requiredInputs: batch.requiredInputs.filter((name) => !DYNAMIC_ONLY_INPUTS.has(name)),
        properties: outputs,
        required: batch.required.filter((name) => !DYNAMIC_ONLY_OUTPUTS.has(name)),
      },
    },
    types: Object.fromEntries(
      Object.entries(schema.types)
        .filter(([name]) => used.has(name))
        .map(([name, definition]) => [typeToken(name), typeDefinition(definition, keys)]),
    ),
  };
}

/** JSON carries no comment: the file is marked generated in .gitattributes and checked by `npm run gen:check`. */
export function renderPluginSchema(schema: PackageSchema): GeneratedFile {
  if (schema.resources[DESKTOP_BATCH_TOKEN] === undefined) throw new Error("no DesktopBatch resource");
  return { path: PLUGIN_SCHEMA_PATH, text: `${JSON.stringify(pluginSchema(schema), null, 2)}\n` };
}
