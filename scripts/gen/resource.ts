import {
  PackageSchema,
  PropertySchema,
  desktopBatchResource,
  isRef,
  refTypeName,
  resolveRef,
} from "../../schema";
import { changeText } from "./changes";
import { docComment } from "./docComment";
import { GeneratedFile, TS_HEADER } from "./header";
import { TypeNamespaces, inputType, outputType, usesKinds } from "./typeExpr";

const CLASS = "DesktopBatch";
/** The dynamic-resource module and type; Pulumi registers them as `pulumi-nodejs:dynamic/<module>:<type>`. */
const DYNAMIC_MODULE = "ecd";
export const TYPE_TOKEN = `pulumi-nodejs:dynamic/${DYNAMIC_MODULE}:${CLASS}`;

/** Inputs the SDK fills in itself when the program leaves them out, and the expression that does it. */
const SDK_COMPUTED: Readonly<Record<string, { expression: string; import: string }>> = {
  lineage: {
    expression: "lineageFor(name, opts.parent)",
    import: 'import { aliasLineagesFor, lineageFor } from "./lineage";',
  },
  aliasLineages: {
    expression: "aliasLineagesFor(name, opts)",
    import: 'import { aliasLineagesFor, lineageFor } from "./lineage";',
  },
};

const RESOURCE_NS: TypeNamespaces = { objects: "inputs.", enums: "enums." };
const OUTPUT_NS: TypeNamespaces = { objects: "outputs.", enums: "enums." };

function key(name: string): string {
  return JSON.stringify(name);
}

function inputDoc(property: PropertySchema, indent: string): string {
  const change = property["x-ecd"]?.change;
  const nestedType = isRef(property) ? refTypeName(property.$ref) : undefined;
  const changes = change === undefined ? "" : `Changes: ${changeText(change, nestedType)}`;
  return docComment([property.description, changes], indent);
}

function argsInterface(schema: PackageSchema): string {
  const resource = desktopBatchResource(schema);
  const fields = Object.entries(resource.inputProperties).map(([name, property]) => {
    const optional = resource.requiredInputs.includes(name) ? "" : "?";
    return `${inputDoc(property, "  ")}  readonly ${name}${optional}: ${inputType(schema, property, RESOURCE_NS)};\n`;
  });
  return `${docComment([`The set of arguments for constructing a ${CLASS} resource.`])}export interface ${CLASS}Args {\n${fields.join("")}}\n`;
}

function stateInterface(schema: PackageSchema): string {
  const resource = desktopBatchResource(schema);
  const fields = Object.entries(resource.properties).map(([name, property]) => {
    const doc = resource.inputProperties[name] ?? property;
    return `${inputDoc(doc, "  ")}  readonly ${name}?: ${inputType(schema, property, RESOURCE_NS)};\n`;
  });
  return `${docComment([`Input properties used for looking up and filtering ${CLASS} resources.`])}export interface ${CLASS}State {\n${fields.join("")}}\n`;
}

function outputProperties(schema: PackageSchema): string {
  const resource = desktopBatchResource(schema);
  return Object.entries(resource.properties)
    .map(([name, property]) => {
      const type = outputType(schema, property, OUTPUT_NS);
      const output = resource.required.includes(name) ? type : `${type} | undefined`;
      const doc = inputDoc(resource.inputProperties[name] ?? property, "  ");
      // `declare`: a plain field would be re-initialised to undefined after super() under ES2022 class fields.
      return `${doc}  declare public readonly ${name}: pulumi.Output<${output}>;\n`;
    })
    .join("\n");
}

function argsAssignment(args: string, name: string, property: PropertySchema): string {
  const value = `${args}${name}`;
  const computed = SDK_COMPUTED[name];
  if (computed !== undefined) return `${value} ?? ${computed.expression}`;
  if (property.secret === true) return `${value} ? pulumi.secret(args.${name}) : undefined`;
  if (property.default !== undefined) return `${value} ?? ${JSON.stringify(property.default)}`;
  return value;
}

function constructorBody(schema: PackageSchema): string {
  const resource = desktopBatchResource(schema);
  const outputs = Object.keys(resource.properties);
  const inputs = Object.entries(resource.inputProperties);
  const fromState = outputs.map((name) => `      resourceInputs[${key(name)}] = state?.${name};\n`);
  const required = resource.requiredInputs.map(
    (name) =>
      `      if (args?.${name} === undefined) {\n` +
      `        throw new Error(${key(`Missing required property '${name}'`)});\n` +
      `      }\n`,
  );
  // After the required-input checks TypeScript knows `args` is defined.
  const args = resource.requiredInputs.length > 0 ? "args." : "args?.";
  const fromArgs = inputs.map(
    ([name, property]) => `      resourceInputs[${key(name)}] = ${argsAssignment(args, name, property)};\n`,
  );
  const outOnly = outputs
    .filter((name) => resource.inputProperties[name] === undefined)
    .map((name) => `      resourceInputs[${key(name)}] = undefined;\n`);
  const secrets = inputs.filter(([, property]) => property.secret === true).map(([name]) => key(name));
  const secretOpts =
    secrets.length === 0
      ? ""
      : `    opts = pulumi.mergeOptions(opts, { additionalSecretOutputs: [${secrets.join(", ")}] });\n`;
  return (
    `    refuseImport(name, opts);\n` +
    `    const resourceInputs: pulumi.Inputs = {};\n` +
    `    opts = opts ?? {};\n` +
    `    if (opts.id) {\n` +
    `      const state = argsOrState as ${CLASS}State | undefined;\n` +
    fromState.join("") +
    `    } else {\n` +
    `      const args = argsOrState as ${CLASS}Args | undefined;\n` +
    required.join("") +
    fromArgs.join("") +
    outOnly.join("") +
    collidingOptions(schema, resource) +
    `    }\n` +
    secretOpts +
    `    super(desktopBatchProviderProxy, name, resourceInputs, opts, ${key(DYNAMIC_MODULE)}, ${key(CLASS)});\n`
  );
}

/**
 * Inputs the old and the new batch cannot share (`x-ecd.collides`) make the resource delete-before-replace:
 * `pulumi up --replace` calls no diff, so the provider's own answer never reaches a forced replacement.
 */
function collidingOptions(schema: PackageSchema, resource: ReturnType<typeof desktopBatchResource>): string {
  const fields: string[] = [];
  const itemFields: Record<string, string[]> = {};
  for (const [name, property] of Object.entries(resource.inputProperties)) {
    if (property["x-ecd"]?.collides) fields.push(name);
    if ("items" in property && isRef(property.items)) {
      const item = resolveRef(schema, property.items.$ref);
      if ("properties" in item) {
        const inner = Object.entries(item.properties)
          .filter(([, field]) => field["x-ecd"]?.collides)
          .map(([field]) => field);
        if (inner.length) itemFields[name] = inner;
      }
    }
  }
  if (!fields.length && !Object.keys(itemFields).length) return "";
  return (
    `      if (opts.deleteBeforeReplace === undefined && claimsUniqueValues(args, ${JSON.stringify(fields)}, ${JSON.stringify(itemFields)})) {\n` +
    `        opts = { ...opts, deleteBeforeReplace: true };\n` +
    `      }\n`
  );
}

function resourceClass(schema: PackageSchema): string {
  const resource = desktopBatchResource(schema);
  return `${docComment([resource.description])}export class ${CLASS} extends pulumi.dynamic.Resource {
  /**
   * Get an existing ${CLASS} resource's state with the given name, ID, and optional extra
   * properties used to qualify the lookup.
   *
   * @param name The _unique_ name of the resulting resource.
   * @param id The _unique_ provider ID of the resource to lookup.
   * @param state Any extra arguments used during the lookup.
   * @param opts Optional settings to control the behavior of the CustomResource.
   */
  public static get(name: string, id: pulumi.Input<pulumi.ID>, state?: ${CLASS}State, opts?: pulumi.CustomResourceOptions): ${CLASS} {
    return new ${CLASS}(name, state as ${CLASS}Args, { ...opts, id });
  }

  /** @internal */
  public static readonly __pulumiType = ${key(TYPE_TOKEN)};

  /**
   * Returns true if the given object is an instance of ${CLASS}.  This is designed to work even
   * when multiple copies of the Pulumi SDK have been loaded into the same process.
   */
  public static override isInstance(obj: unknown): obj is ${CLASS} {
    if (obj === undefined || obj === null) {
      return false;
    }
    return (obj as { __pulumiType?: unknown }).__pulumiType === ${CLASS}.__pulumiType;
  }

${outputProperties(schema)}
  /**
   * Create a ${CLASS} resource with the given unique name, arguments, and options.
   *
   * @param name The _unique_ name of the resource.
   * @param args The arguments to use to populate this resource's properties.
   * @param opts A bag of options that control this resource's behavior.
   */
  constructor(name: string, args: ${CLASS}Args, opts?: pulumi.CustomResourceOptions);
  constructor(name: string, argsOrState?: ${CLASS}Args | ${CLASS}State, opts?: pulumi.CustomResourceOptions) {
${constructorBody(schema)}  }
}
`;
}

function imports(schema: PackageSchema): string {
  const resource = desktopBatchResource(schema);
  const inputs = usesKinds(schema, Object.values(resource.inputProperties));
  const outputs = usesKinds(schema, Object.values(resource.properties));
  const computed = [...new Set(Object.keys(SDK_COMPUTED).map((name) => SDK_COMPUTED[name].import))];
  return [
    'import * as pulumi from "@pulumi/pulumi";',
    ...(inputs.objects ? ['import * as inputs from "./types/input";'] : []),
    ...(outputs.objects ? ['import * as outputs from "./types/output";'] : []),
    ...(inputs.enums || outputs.enums ? ['import * as enums from "./types/enums";'] : []),
    ...computed,
    'import { claimsUniqueValues } from "./replacement";',
    'import { refuseImport } from "./importRefusal";',
    'import { desktopBatchProviderProxy } from "./providerProxy";',
  ]
    .map((line) => `${line}\n`)
    .join("");
}

export function renderResource(schema: PackageSchema): GeneratedFile {
  const inputs = desktopBatchResource(schema).inputProperties;
  for (const name of Object.keys(SDK_COMPUTED)) {
    if (inputs[name] === undefined) throw new Error(`SDK-computed input ${name} is not in the schema`);
  }
  const text = [
    `${TS_HEADER}\n`,
    imports(schema),
    resourceClass(schema),
    stateInterface(schema),
    argsInterface(schema),
  ].join("\n");
  return { path: "sdk/desktopBatch.ts", text };
}
