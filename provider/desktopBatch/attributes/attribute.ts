/**
 * One managed attribute of a batch's desktops (names, policy, tags, spec, users, billing). Each module owns the
 * desired value per desktop, which desktops differ (`plan`), how a difference reads in a preview (`describe`),
 * and the batched calls that fix it (`apply`). Preview, refresh and update all call the same `plan`, so a plan
 * never promises what the update will not do, nor does the update change what the plan did not show.
 */
import type { EcdClient } from "../../ecd/client";
import type { Desktop } from "../../ecd/operations";
import type { DesktopBatchInputs } from "../inputs";
import type { DesktopOutput } from "../outputs";

/** A desktop as the outputs record it; live desktops are seen through the same shape. */
export type DesktopView = DesktopOutput;

export interface BatchView {
  inputs: DesktopBatchInputs;
  /** The batch's desktops in creation order. */
  desktops: readonly DesktopView[];
}

export interface Fix<T> {
  desktopId: string;
  /** What the desktop has now, for the preview line. */
  from: string;
  to: T;
}

export interface ApplyContext {
  client: EcdClient;
  inputs: DesktopBatchInputs;
  opts: { deadline: number };
  log: (line: string) => void;
  /** Polls until every desktop satisfies `settled`; fails fast when one disappears. */
  waitFor(ids: string[], settled: (desktop: Desktop) => boolean, label: string): Promise<Desktop[]>;
}

export interface Attribute<T> {
  /** The inputs it follows, for messages. */
  readonly inputs: string;
  plan(view: BatchView): Fix<T>[];
  describe(fix: Fix<T>): string;
  apply(fixes: Fix<T>[], ctx: ApplyContext): Promise<void>;
}

/** Runs `run` over the items with at most `limit` in flight; the first failure is thrown after all settle. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await run(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}

/** Groups desktop IDs by a key (one call per distinct change). */
export function groupBy<T>(items: readonly T[], key: (item: T) => string, id: (item: T) => string) {
  const groups = new Map<string, string[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(id(item));
    else groups.set(k, [id(item)]);
  }
  return groups;
}

/** Calls that take one desktop each run this many at a time; throttling is absorbed by the client's retry. */
export const PER_DESKTOP_CONCURRENCY = 8;
