import { PackageSchema } from "../../schema";
import { FormatOptions, formatSource } from "./format";
import { GeneratedFile } from "./header";
import { renderPluginSchema } from "./pluginSchema";
import { renderProviderTypes } from "./providerTypes";
import { renderReference } from "./reference";
import { renderResource } from "./resource";
import { renderIndex, renderTypes } from "./types";

export type { GeneratedFile } from "./header";
export { readPrettierOptions } from "./format";
export type { FormatOptions } from "./format";

/** Every generated file, formatted, in a fixed order. Reads and writes nothing. */
export async function generate(schema: PackageSchema, options: FormatOptions): Promise<GeneratedFile[]> {
  const files = [
    renderResource(schema),
    ...renderTypes(schema),
    renderIndex(),
    renderReference(schema),
    renderProviderTypes(schema),
    renderPluginSchema(schema),
  ];
  return Promise.all(
    files.map(async (file) => ({ ...file, text: await formatSource(file.path, file.text, options) })),
  );
}
