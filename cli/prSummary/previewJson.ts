/**
 * The parts of `pulumi preview --json` this summary reads (the engine's preview digest: `steps`, `config`,
 * `diagnostics`). Everything else in the document is ignored, so newer CLIs that add fields still parse.
 */

export type PropertyBag = Readonly<Record<string, unknown>>;

export interface ResourceState {
  readonly urn: string;
  readonly type: string;
  readonly id?: string;
  readonly inputs: PropertyBag;
  readonly outputs: PropertyBag;
}

export interface PreviewStep {
  /** same, create, update, delete, replace, create-replacement, delete-replaced, read, refresh, ... */
  readonly op: string;
  readonly urn: string;
  readonly oldState?: ResourceState;
  readonly newState?: ResourceState;
  readonly diffReasons: readonly string[];
  readonly replaceReasons: readonly string[];
}

export interface PreviewDigest {
  readonly steps: readonly PreviewStep[];
  /** Stack configuration as the CLI printed it (secrets show as "[secret]"). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly diagnostics: readonly { readonly severity: string; readonly message: string }[];
}

/** How the engine prints a value not known until the update runs. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** How the CLI prints a secret without --show-secrets. */
export const SECRET = "[secret]";

export class PreviewJsonError extends Error {
  override readonly name = "PreviewJsonError";
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

function state(value: unknown): ResourceState | undefined {
  if (!isObject(value)) return undefined;
  return {
    urn: typeof value.urn === "string" ? value.urn : "",
    type: typeof value.type === "string" ? value.type : "",
    id: typeof value.id === "string" ? value.id : undefined,
    inputs: isObject(value.inputs) ? value.inputs : {},
    outputs: isObject(value.outputs) ? value.outputs : {},
  };
}

/** Parses the CLI's JSON text; a document without `steps` is not a preview. */
export function parsePreviewJson(text: string): PreviewDigest {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new PreviewJsonError(`not JSON: ${(error as Error).message}`);
  }
  // A preview that failed early has diagnostics but no steps; its errors still belong in the summary.
  if (!isObject(document) || (!Array.isArray(document.steps) && !Array.isArray(document.diagnostics))) {
    throw new PreviewJsonError("not the output of `pulumi preview --json` (neither steps nor diagnostics)");
  }
  const steps = (Array.isArray(document.steps) ? document.steps : [])
    .filter(isObject)
    .map((step): PreviewStep => ({
      op: typeof step.op === "string" ? step.op : "",
      urn: typeof step.urn === "string" ? step.urn : "",
      oldState: state(step.oldState),
      newState: state(step.newState),
      diffReasons: strings(step.diffReasons),
      replaceReasons: strings(step.replaceReasons),
    }));
  const diagnostics = (Array.isArray(document.diagnostics) ? document.diagnostics : [])
    .filter(isObject)
    .map((d) => ({
      severity: typeof d.severity === "string" ? d.severity : "info",
      message: typeof d.message === "string" ? d.message : "",
    }));
  return { steps, config: isObject(document.config) ? document.config : {}, diagnostics };
}

/** A value the preview shows: neither a secret it hides nor one known only after apply. */
export const isKnown = (value: unknown): boolean => value !== UNKNOWN && value !== SECRET;

/** The resource's name: the last `::` segment of its URN. */
export function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}
