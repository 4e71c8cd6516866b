/**
 * Which batch a desktop belongs to. Every desktop carries `pulumi-ecd:batch=<token>-<generation>`. The token is
 * the SDK's (stable for the resource); the generation is fixed when the batch is created, from all its inputs,
 * and is part of the resource ID — so read, update and delete take the tag from the ID and never recompute it.
 * A retried create (same inputs) finds what an interrupted attempt left; a replacement (some input differs) is a
 * new generation and never takes over the batch it replaces.
 */
import { createHash } from "crypto";
import type { TagPair } from "../ecd/operations";
import type { DesktopBatchInputs } from "./inputs";
import { INPUTS } from "./schemaModel";
import { BATCH_TOKEN_TAG } from "./tags";

const ID_PATTERN = /^ecd-batch-([a-f0-9]{16,64})-([a-f0-9]{12})$/;

/** Inputs that only steer the provider do not make a different batch. */
const IDENTITY_INPUTS = INPUTS.filter((property) => property.change.kind !== "provider").map((p) => p.name);

export function creationGeneration(inputs: DesktopBatchInputs): string {
  const record = inputs as Record<string, unknown>;
  const fields = IDENTITY_INPUTS.map((name) => [name, record[name] ?? null]);
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex").slice(0, 12);
}

/** The resource ID of a batch created from these inputs (which must carry a batch token). */
export function batchIdFor(inputs: DesktopBatchInputs & { batchToken: string }): string {
  return `ecd-batch-${inputs.batchToken}-${creationGeneration(inputs)}`;
}

/** The batch tag recorded in a DesktopBatch ID, or undefined for an ID of another form. */
export function batchTagFromId(id: string): TagPair | undefined {
  const match = ID_PATTERN.exec(id);
  return match ? { key: BATCH_TOKEN_TAG, value: `${match[1]}-${match[2]}` } : undefined;
}
