import { readFileSync } from "fs";
import { join } from "path";

/** One row of a request parameter table: a top-level parameter (parent null) or a member of one. */
export interface ReferenceParameter {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly parent: string | null;
}

export interface ReferenceData {
  readonly generated?: string;
  readonly source: Readonly<Record<string, string>>;
  readonly parameters: readonly ReferenceParameter[];
}

export const REFERENCE_DIR = "schema/reference";
/** Written by `npm run gen:reference` from the CreateDesktops API reference page. */
export const API_REFERENCE_DATA = `${REFERENCE_DIR}/create-desktops-parameters.json`;
/** Kept by hand: parameters the official SDK model has and the stored reference page does not. */
export const SDK_ADDITIONS_DATA = `${REFERENCE_DIR}/create-desktops-sdk-parameters.json`;

export function readReferenceData(root: string, path: string): ReferenceData {
  return JSON.parse(readFileSync(join(root, path), "utf8")) as ReferenceData;
}
