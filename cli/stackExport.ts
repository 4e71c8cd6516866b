/**
 * What a `pulumi stack export` says the stack tracks: the desktop IDs of its DesktopBatch resources and the
 * batch instances their resource IDs name (`ecd-batch-<instance>`, the value of every desktop's batch tag).
 * Resources of an operation left unfinished (`pending_operations`) count too.
 */
import { isDesktopBatch } from "./prSummary/recognise";

const BATCH_ID = /^ecd-batch-(.+)$/;

export interface Tracked {
  desktopIds: Set<string>;
  /** Batch tag values of the tracked batches. */
  instances: Set<string>;
  /** Lineages of the tracked batches: a committed desktop with one of them belongs to a later instance. */
  lineages: Set<string>;
  /** Regions the tracked batches live in (their regionId output). */
  regions: Set<string>;
  /** How many DesktopBatch resources were read. */
  batches: number;
  /** The exports that hold no DesktopBatch at all. */
  withoutBatch: string[];
}

export const emptyTracked = (): Tracked => ({
  desktopIds: new Set(),
  instances: new Set(),
  lineages: new Set(),
  regions: new Set(),
  batches: 0,
  withoutBatch: [],
});

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const bag = (value: unknown): Record<string, unknown> => (isObject(value) ? value : {});

/** Adds what one export tracks to `into`; throws with a sentence naming the file when it is not an export. */
export function readStackExport(text: string, file: string, into: Tracked): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not JSON: give the output of pulumi stack export`);
  }
  const deployment = isObject(parsed) ? parsed.deployment : undefined;
  if (!isObject(deployment)) {
    throw new Error(`${file} has no deployment: give the output of pulumi stack export`);
  }
  // A stack that was never updated exports no resources at all.
  const { resources = [], pending_operations: pending = [] } = deployment;
  if (!Array.isArray(resources) || !Array.isArray(pending)) {
    throw new Error(`${file} has no list of deployment.resources: give the output of pulumi stack export`);
  }
  const candidates = [...resources, ...pending.map((operation) => bag(operation).resource)];
  const before = into.batches;
  for (const candidate of candidates) {
    const resource = bag(candidate);
    const state = {
      urn: typeof resource.urn === "string" ? resource.urn : "",
      type: typeof resource.type === "string" ? resource.type : "",
      inputs: bag(resource.inputs),
      outputs: bag(resource.outputs),
    };
    if (!isDesktopBatch(state)) continue;
    into.batches += 1;
    // Secret outputs are not readable here; the ID's instance, which every desktop of the batch carries, is.
    const ids = state.outputs.desktopIds;
    if (Array.isArray(ids)) for (const id of ids) if (typeof id === "string") into.desktopIds.add(id);
    const instance = typeof resource.id === "string" ? BATCH_ID.exec(resource.id)?.[1] : undefined;
    if (instance) into.instances.add(instance);
    const lineage = state.inputs.lineage ?? state.outputs.lineage;
    if (typeof lineage === "string" && lineage) into.lineages.add(lineage);
    const region = state.outputs.regionId;
    if (typeof region === "string" && region) into.regions.add(region);
  }
  if (into.batches === before) into.withoutBatch.push(file);
}
