/**
 * Which batch a desktop belongs to. The SDK's batch token is stable for the resource (project/stack/name), but a
 * replacement is a second batch under the same name that lives beside the first until it is deleted. So the tag
 * value also carries a fingerprint of the inputs that force replacement: a retried create (same inputs) finds
 * its own leftovers, and never the desktops of the batch it replaces.
 */
import { createHash } from "crypto";
import type { TagPair } from "../ecd/operations";
import type { DesktopBatchInputs } from "./inputs";
import { INPUTS, PropertyModel } from "./schemaModel";
import { BATCH_TOKEN_TAG } from "./tags";

function replaceFields(
  property: PropertyModel,
  value: unknown,
  path: string,
  out: [string, unknown][],
): void {
  if (property.change.kind === "replace") {
    out.push([path, value ?? null]);
  } else if (property.change.kind === "nested" && property.shape.type === "object") {
    const record = (value ?? {}) as Record<string, unknown>;
    for (const field of property.shape.properties)
      replaceFields(field, record[field.name], `${path}.${field.name}`, out);
  }
}

export function replacementFingerprint(inputs: DesktopBatchInputs): string {
  const fields: [string, unknown][] = [];
  const record = inputs as Record<string, unknown>;
  for (const property of INPUTS) replaceFields(property, record[property.name], property.name, fields);
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex").slice(0, 12);
}

/** The tag every desktop of this batch carries, or undefined without a batch token. */
export function batchTag(inputs: DesktopBatchInputs): TagPair | undefined {
  if (!inputs.batchToken) return undefined;
  return { key: BATCH_TOKEN_TAG, value: `${inputs.batchToken}-${replacementFingerprint(inputs)}` };
}

/** The batch tag recorded in a DesktopBatch ID (`ecd-batch-<token>-<fingerprint>`), for lookups by ID alone. */
export function batchTagFromId(id: string): TagPair | undefined {
  const match = /^ecd-batch-([a-f0-9]{16,64})-([a-f0-9]{12})$/.exec(id);
  return match ? { key: BATCH_TOKEN_TAG, value: `${match[1]}-${match[2]}` } : undefined;
}
