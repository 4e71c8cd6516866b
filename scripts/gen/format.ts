import { readFileSync } from "fs";
import { join } from "path";
import type { Options } from "prettier";
import { format } from "prettier/standalone";
import * as babel from "prettier/plugins/babel";
import * as estree from "prettier/plugins/estree";
import * as markdown from "prettier/plugins/markdown";
import * as typescript from "prettier/plugins/typescript";

// The standalone build (plugins passed in, no dynamic import) also runs inside jest's module sandbox.
const PLUGINS = [estree, babel, typescript, markdown];

export type FormatOptions = Omit<Options, "parser" | "plugins" | "filepath">;

/** The repository's prettier options, read the way `prettier --check .` finds them. */
export function readPrettierOptions(root: string): FormatOptions {
  return JSON.parse(readFileSync(join(root, ".prettierrc.json"), "utf8")) as FormatOptions;
}

export function formatSource(path: string, text: string, options: FormatOptions): Promise<string> {
  const parser = path.endsWith(".md") ? "markdown" : path.endsWith(".json") ? "json" : "typescript";
  return format(text, { ...options, parser, plugins: PLUGINS, filepath: path });
}
