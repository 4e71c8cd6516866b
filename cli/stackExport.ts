/**
 * What a `pulumi stack export` says the stack tracks: the desktop IDs of its DesktopBatch resources and the
 * batch instances their resource IDs name (`ecd-batch-<instance>`, the value of every desktop's batch tag).
 */
const DYNAMIC_RESOURCE = "pulumi-nodejs:dynamic:Resource";
const BATCH_ID = /^ecd-batch-(.+)$/;

export interface Tracked {
  desktopIds: Set<string>;
  /** Batch tag values of the tracked batches. */
  instances: Set<string>;
  /** Regions the tracked batches live in (their regionId output). */
  regions: Set<string>;
  /** How many DesktopBatch resources were read. */
  batches: number;
}

export const emptyTracked = (): Tracked => ({
  desktopIds: new Set(),
  instances: new Set(),
  regions: new Set(),
  batches: 0,
});

interface ExportedResource {
  type?: unknown;
  id?: unknown;
  outputs?: Record<string, unknown>;
}

/** Adds what one export tracks to `into`; throws with a sentence naming the file when it is not an export. */
export function readStackExport(text: string, file: string, into: Tracked): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not JSON: give the output of pulumi stack export`);
  }
  const resources = (parsed as { deployment?: { resources?: unknown } } | null)?.deployment?.resources;
  if (!Array.isArray(resources)) {
    throw new Error(`${file} has no deployment.resources: give the output of pulumi stack export`);
  }
  for (const resource of resources as ExportedResource[]) {
    if (resource?.type !== DYNAMIC_RESOURCE) continue;
    const outputs = resource.outputs ?? {};
    const ids = outputs.desktopIds;
    if (!Array.isArray(ids)) continue;
    into.batches += 1;
    for (const id of ids) if (typeof id === "string") into.desktopIds.add(id);
    const instance = typeof resource.id === "string" ? BATCH_ID.exec(resource.id)?.[1] : undefined;
    if (instance) into.instances.add(instance);
    if (typeof outputs.regionId === "string" && outputs.regionId) into.regions.add(outputs.regionId);
  }
}
