/**
 * One managed attribute of a batch's desktops (names, policy, tags, spec, users, billing). Each module owns the
 * desired value per desktop, which desktops differ (`plan`), how a difference reads in a preview (`describe`: a
 * line that starts with the desktop's ID, so that desktops whose lines differ only there share one), and the
 * batched calls that fix it (`apply`). Preview, refresh and update all call the same `plan`, so a plan
 * never promises what the update will not do, nor does the update change what the plan did not show.
 */
import type { EcdClient } from "../../ecd/client";
import type { Desktop } from "../../ecd/operations";
import type { DesktopBatchInputs } from "../inputs";
import type { DesktopOutput } from "../outputs";
import type { Operation } from "../waiter";

/** A desktop as the outputs record it; live desktops are seen through the same shape. */
export type DesktopView = DesktopOutput;

export interface BatchView {
  inputs: DesktopBatchInputs;
  /** The batch's desktops in creation order. */
  desktops: readonly DesktopView[];
  /**
   * Desktops the provider stopped for a spec change and a killed run never started again (they carry the
   * stopped-for mark); known only where the desktops were listed, not from the state.
   */
  stoppedForSpec?: ReadonlySet<string>;
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
  /**
   * Polls until every desktop satisfies `settled`; fails fast when one disappears. `after`: the operation just
   * started on them (the first look waits for its shortest duration). Without it the wait first trusts the
   * batch as last seen, and calls nothing when that already satisfies `settled`; "fresh" looks at once.
   */
  waitFor(
    ids: string[],
    settled: (desktop: Desktop) => boolean,
    label: string,
    after?: Operation | "fresh",
  ): Promise<Desktop[]>;
}

export interface Attribute<T> {
  /** The inputs it follows, for messages. */
  readonly inputs: string;
  plan(view: BatchView): Fix<T>[];
  describe(fix: Fix<T>): string;
  apply(fixes: Fix<T>[], ctx: ApplyContext): Promise<void>;
  /**
   * A desktop as it is once `apply` succeeded, for changes the service makes at once (nothing to wait for): the
   * update's outputs come from it instead of a second listing. Attributes that wait for their change have the
   * desktops as that wait last saw them.
   */
  applied?(desktop: Desktop, to: T): Desktop;
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

/**
 * A desktop is not as the stored state recorded it: deleted, in another status, or already converted to the
 * billing method asked for, outside Pulumi.
 */
export const isStaleCode = (code: string): boolean =>
  code === "IncorrectDesktopStatus" ||
  code === "InvalidChargeType.Unchanged" ||
  /^Invalid(Desktop|Resource)Id\.NotFound$/.test(code);

/** Calls that answer per desktop (ModifyResults, RebuildResults) and refused some. */
export class DesktopsRefusedError extends Error {
  constructor(
    readonly operation: string,
    readonly refused: readonly { desktopId?: string; code?: string; message?: string }[],
  ) {
    super(
      `${operation} refused ${refused.map((r) => `${r.desktopId} (${r.code}: ${r.message ?? ""})`).join(", ")}`,
    );
    this.name = "DesktopsRefusedError";
  }
}

/** Throws DesktopsRefusedError when any per-desktop result is not a success. */
export function requireAccepted(
  operation: string,
  results: readonly { desktopId?: string; code?: string; message?: string }[],
): void {
  const refused = results.filter((result) => result.code && result.code.toLowerCase() !== "success");
  if (refused.length) throw new DesktopsRefusedError(operation, refused);
}
