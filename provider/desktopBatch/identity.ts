/**
 * Who owns a desktop. Three provider tags, set on every desktop by CreateDesktops itself:
 * - `pulumi-ecd:batch` = the batch's instance ID, random per resource instance and part of the resource ID.
 *   Ownership: read, update, delete, scale-down and healing only ever touch desktops tagged with their own.
 * - `pulumi-ecd:lineage` = a hash of organization/project/stack/parent/name, computed by the SDK. Shared by every
 *   instance of the same resource (and by identically named stacks elsewhere), so it never proves ownership; it
 *   only narrows the search for desktops an interrupted create of this resource left behind.
 * - `pulumi-ecd:creating` = until when (epoch ms) the create that made the desktop holds them. Removed when the
 *   create finishes, fails or is recorded. Only desktops still carrying it, whose holder stopped renewing it, may
 *   be taken over — never a committed desktop.
 * - `pulumi-ecd:adopted` = the desktop's name before a create adopted it (adoptDesktopIds). Present, with the
 *   creating tag, only while that create is unfinished: a desktop Pulumi did not make is never taken over or
 *   released by a later run; a run that no longer adopts it gives it back (provider tags off, old name back).
 * - `pulumi-ecd:claim:<instance>` = set for a moment by a run about to adopt a desktop: of two runs adopting the
 *   same desktop at once, one that sees another's claim (or owner) after setting its own loses.
 * One more, only while a change needs it: `pulumi-ecd:stopped-for` = `spec` on a desktop the provider stopped to
 * change its spec, removed once it runs again; a run killed in between leaves it, and the next run (or refresh)
 * knows the desktop should be running.
 */
import { randomBytes } from "crypto";
import type { TagPair } from "../ecd/operations";

export const OWNER_TAG = "pulumi-ecd:batch";
export const LINEAGE_TAG = "pulumi-ecd:lineage";
export const CREATING_TAG = "pulumi-ecd:creating";
export const ADOPTED_TAG = "pulumi-ecd:adopted";
export const CLAIM_TAG_PREFIX = "pulumi-ecd:claim:";
export const STOPPED_FOR_TAG = "pulumi-ecd:stopped-for";
/** Tag keys the provider manages; users may not set them. */
export const PROVIDER_TAG_PREFIX = "pulumi-ecd:";
export const ECD_TAGS_PER_DESKTOP = 20;
/** How many of ECD's 20 tags per desktop the provider uses (the creating and stopped-for marks never meet). */
export const PROVIDER_TAG_COUNT = 3;
/**
 * ... and on a desktop a create is adopting: the adopted tag besides, and the stopped-for mark while the create
 * changes its spec (it was made to another); its claim is gone before the user's tags come.
 */
export const ADOPTING_PROVIDER_TAG_COUNT = 5;

const ID_PREFIX = "ecd-batch-";
/** Current IDs: `ecd-batch-<32 hex>`. IDs of batches created by 0.1 (`ecd-batch-<token>-<generation>`) still work. */
const ID_PATTERN = /^ecd-batch-([a-f0-9]{16,64}(?:-[a-f0-9]{12})?)$/;

export const newInstanceId = (): string => randomBytes(16).toString("hex");

export const batchIdFor = (instance: string): string => `${ID_PREFIX}${instance}`;

/** The instance recorded in a DesktopBatch ID, or undefined for an ID of another form. */
export function instanceFromId(id: string): string | undefined {
  return ID_PATTERN.exec(id)?.[1];
}

export const ownerTag = (instance: string): TagPair => ({ key: OWNER_TAG, value: instance });
export const lineageTag = (lineage: string): TagPair => ({ key: LINEAGE_TAG, value: lineage });
export const creatingTag = (until: number): TagPair => ({ key: CREATING_TAG, value: String(until) });
export const adoptedTag = (formerName: string): TagPair => ({ key: ADOPTED_TAG, value: formerName });
export const claimTag = (instance: string, at: number): TagPair => ({
  key: `${CLAIM_TAG_PREFIX}${instance}`,
  value: String(at),
});
export const stoppedForSpecTag: TagPair = { key: STOPPED_FOR_TAG, value: "spec" };

export function tagValue(tags: readonly TagPair[] | undefined, key: string): string | undefined {
  return tags?.find((tag) => tag.key === key)?.value;
}
