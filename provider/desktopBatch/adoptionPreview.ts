/**
 * What adopting desktops will do, shown before it is done: diff plans from the desktops newly listed in
 * adoptDesktopIds, and check tells a new batch's preview (which sees no diff for a create) what its create does.
 */
import type { EcdClient } from "../ecd/client";
import type { DesktopView } from "./attributes";
import { liveDrift } from "./diff";
import type { DesktopBatchInputs } from "./inputs";
import { desktopOutput, type DesktopBatchOutputs } from "./outputs";
import { GONE } from "./statuses";
import { containsUnknown } from "./validate";

/** Desktops newly listed in adoptDesktopIds as they are now, so the preview says what adopting does to them. */
export async function newlyAdopted(
  client: (regionId: string) => EcdClient,
  olds: DesktopBatchOutputs,
  news: DesktopBatchInputs,
): Promise<DesktopView[]> {
  const known = new Set([...(olds.desktopIds ?? []), ...(olds.adoptDesktopIds ?? [])]);
  const ids = (news.adoptDesktopIds ?? []).filter((desktopId) => !known.has(desktopId));
  if (!ids.length || !news.regionId || containsUnknown(ids)) return [];
  const found = await client(news.regionId).describeAllDesktops({ desktopIds: ids });
  return found.filter((desktop) => !GONE.has(desktop.desktopStatus)).map(desktopOutput);
}

/**
 * A new batch that adopts desktops: says what the create will do with them — adopt, change in place, create the
 * rest — and that nothing else is created or released.
 */
export async function previewAdoption(
  client: (regionId: string) => EcdClient,
  inputs: DesktopBatchInputs,
  log: (line: string) => void,
): Promise<void> {
  const none: DesktopBatchOutputs = { desktopIds: [], desktops: [] };
  const order = inputs.adoptDesktopIds ?? [];
  // Without credentials or service the references check has said so already; check itself never throws.
  const found = await newlyAdopted(client, none, inputs).catch(() => undefined);
  if (!found) return;
  const adopting = found.sort((a, b) => order.indexOf(a.desktopId) - order.indexOf(b.desktopId));
  const plan = liveDrift(none, inputs, {}, adopting);
  const creates = adopting.length < (inputs.amount ?? 1);
  log(
    `${inputs.desktopName ?? "DesktopBatch"} (new batch): ${plan.join("; ")}${creates ? "; none is released" : "; no desktop is created or released"}`,
  );
}
