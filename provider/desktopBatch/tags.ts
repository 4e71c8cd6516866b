import type { TagPair } from "../ecd/operations";
import { PROVIDER_TAG_PREFIX } from "./identity";

/** Tag keys the service itself puts on resources; they are never the user's. */
const SYSTEM_TAG_PREFIXES = ["acs:", "aliyun"];

export const toTagPairs = (tags: Record<string, string> | undefined): TagPair[] =>
  Object.entries(tags ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value }));

/** Keys that belong to the provider or the service, not to the user's `tags`. */
export function isManagedTagKey(key: string): boolean {
  const lower = key.toLowerCase();
  return (
    key.startsWith(PROVIDER_TAG_PREFIX) || SYSTEM_TAG_PREFIXES.some((prefix) => lower.startsWith(prefix))
  );
}

/** A desktop's tags as a map, without the provider's and the service's own tags. */
export function userTags(pairs: readonly TagPair[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) if (!isManagedTagKey(pair.key)) out[pair.key] = pair.value;
  return out;
}
