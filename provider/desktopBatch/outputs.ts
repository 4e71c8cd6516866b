import type { Desktop } from "../ecd/operations";
import type { Desktop as GeneratedDesktop } from "./generated/types";
import type { DesktopBatchComputed, DesktopBatchInputs } from "./inputs";
import { DESKTOP_OUTPUT_FIELDS, INPUTS } from "./schemaModel";
import { userTags } from "./tags";

/** One desktop as the outputs show it (stable fields only, so a refresh without drift is empty). */
export type DesktopOutput = GeneratedDesktop;

export interface DesktopBatchOutputs extends DesktopBatchInputs, DesktopBatchComputed {
  __provider?: string;
}

const INPUT_NAMES = new Set(INPUTS.map((property) => property.name));

/** The input part of stored outputs (diff and update receive old outputs, not old inputs). */
export function inputsOf(props: Record<string, unknown>): DesktopBatchInputs {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) if (INPUT_NAMES.has(key)) out[key] = value;
  return out as DesktopBatchInputs;
}

/** Fields of the schema's Desktop type whose DescribeDesktops form needs shaping; the rest are copied as named. */
const SHAPED: Record<string, (desktop: Desktop) => unknown> = {
  endUserIds: (desktop) => [...(desktop.endUserIds ?? [])].sort(),
  tags: (desktop) => userTags(desktop.tags),
  policyGroupIds: (desktop) =>
    desktop.policyGroupIdList?.length
      ? [...desktop.policyGroupIdList]
      : desktop.policyGroupId
        ? [desktop.policyGroupId]
        : undefined,
  systemDiskSize: (desktop) => diskSize(desktop, "SYSTEM"),
  dataDiskSize: (desktop) => diskSize(desktop, "DATA"),
};

function diskSize(desktop: Desktop, type: "SYSTEM" | "DATA"): number | undefined {
  const disk = desktop.disks?.find((d) => d.diskType === type);
  if (disk?.diskSize !== undefined) return disk.diskSize;
  const size = type === "SYSTEM" ? desktop.systemDiskSize : desktop.dataDiskSize;
  return size === undefined || size === "" ? (type === "DATA" ? 0 : undefined) : Number(size);
}

export function desktopOutput(desktop: Desktop): DesktopOutput {
  const source = desktop as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of DESKTOP_OUTPUT_FIELDS)
    out[field] = SHAPED[field] ? SHAPED[field](desktop) : source[field];
  return compact(out) as unknown as DesktopOutput;
}

/**
 * A stored desktop back in DescribeDesktops' shape, as far as the outputs keep it (user tags only), so that an
 * update can plan from the state: desktopOutput(desktopFromOutput(view)) is the view again.
 */
export function desktopFromOutput(view: DesktopOutput): Desktop {
  const { tags, policyGroupIds, systemDiskSize, dataDiskSize, ...same } = view;
  return compact({
    ...same,
    endUserIds: [...(view.endUserIds ?? [])],
    tags: Object.entries(tags ?? {}).map(([key, value]) => ({ key, value })),
    policyGroupIdList: policyGroupIds ? [...policyGroupIds] : undefined,
    systemDiskSize,
    dataDiskSize: dataDiskSize === undefined ? undefined : String(dataDiskSize),
  });
}

/** Outputs: every input as given, the tracked IDs in creation order, and each desktop's live view. */
export function buildOutputs(
  inputs: DesktopBatchInputs & { __provider?: string },
  order: string[],
  desktops: Desktop[],
  orders: { orderId?: string; unpaidOrderId?: string; unfinished?: string } = {},
): DesktopBatchOutputs {
  const byId = new Map(desktops.map((desktop) => [desktop.desktopId, desktop]));
  const present = order.filter((id) => byId.has(id));
  return compact({
    ...inputs,
    desktopIds: present,
    desktops: present.map((id) => desktopOutput(byId.get(id) as Desktop)),
    orderId: orders.orderId,
    unpaidOrderId: orders.unpaidOrderId,
    unfinished: orders.unfinished,
  });
}

/** What a batch's outputs are built from: its tracked IDs, its desktops as last seen and its order. */
export interface BatchAsSeen {
  readonly tracked: string[];
  readonly orderId?: string;
  current(): Desktop[];
}

/** Outputs from the batch as the session last saw or changed it. */
export function batchOutputs(
  inputs: DesktopBatchInputs,
  batch: BatchAsSeen,
  previous: { orderId?: string; unpaidOrderId?: string } = {},
  unfinished?: string,
): DesktopBatchOutputs {
  const desktops = batch.current();
  const unpaidOrderId = desktops.length ? undefined : previous.unpaidOrderId;
  return buildOutputs(inputs, batch.tracked, desktops, {
    orderId: batch.orderId ?? previous.orderId,
    unpaidOrderId,
    unfinished,
  });
}

/** Structs cannot carry undefined: drop it everywhere. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(compact) as T;
  if (value && typeof value === "object") {
    // Built in one go: an object filled key by key past ~18 keys becomes a slower, larger V8 dictionary.
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, inner]) => inner !== undefined)
        .map(([key, inner]) => [key, compact(inner)]),
    ) as T;
  }
  return value;
}
