import type { TagPair } from "../ecd/operations";

/** Every desktop of a batch carries this tag; its value is the batch token. */
export const BATCH_TOKEN_TAG = "pulumi-ecd:batch";

export const toTagPairs = (tags: Record<string, string> | undefined): TagPair[] =>
  Object.entries(tags ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value }));

/** A desktop's tags as a map, without the provider's own token tag. */
export function userTags(pairs: TagPair[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) if (pair.key !== BATCH_TOKEN_TAG) out[pair.key] = pair.value;
  return out;
}
