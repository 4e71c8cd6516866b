/**
 * What each desktop of a batch should look like, by its position in the batch: its users (ALL vs PER_USER),
 * whether its name fits, and the deterministic choice of desktops to release when scaling down.
 */
import type { Desktop } from "../ecd/operations";
import type { DesktopBatchInputs } from "./inputs";

/** Users of the desktop at `index`: ALL gives everyone every desktop; PER_USER gives consecutive blocks. */
export function usersFor(inputs: DesktopBatchInputs, index: number): string[] {
  const users = inputs.endUserIds ?? [];
  if (users.length === 0) return [];
  if (inputs.userAssignMode !== "PER_USER") return [...users];
  const perUser = Math.max(1, Math.floor((inputs.amount ?? 1) / users.length));
  return [users[Math.min(users.length - 1, Math.floor(index / perUser))]];
}

export function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const left = new Set(a ?? []);
  const right = new Set(b ?? []);
  return left.size === right.size && [...left].every((item) => right.has(item));
}

/**
 * With the suffix on and more than one desktop, any `name-N` fits (numbers are not renumbered when the batch
 * shrinks); otherwise the name must be exact.
 */
export function nameFits(inputs: DesktopBatchInputs, actual: string | undefined): boolean {
  if (inputs.desktopName === undefined) return true;
  if (inputs.desktopNameSuffix !== false && (inputs.amount ?? 1) > 1) {
    return actual !== undefined && new RegExp(`^${escape(inputs.desktopName)}-\\d+$`).test(actual);
  }
  return actual === inputs.desktopName;
}

export function nameFor(inputs: DesktopBatchInputs, index: number): string | undefined {
  if (inputs.desktopName === undefined) return undefined;
  return inputs.desktopNameSuffix !== false && (inputs.amount ?? 1) > 1 ? `${inputs.desktopName}-${index + 1}` : inputs.desktopName;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const RELEASE_ORDER: Record<string, number> = { Failed: 0, Stopped: 1, Expired: 1 };

/**
 * Scale-down victims: broken desktops first (Failed), then Stopped/Expired ones, then the newest by creation
 * order. Deterministic for the same state, so a preview and the update agree.
 */
export function chooseVictims(desktops: readonly Desktop[], order: readonly string[], count: number): string[] {
  const position = new Map(order.map((id, index) => [id, index]));
  const ranked = [...desktops].sort((a, b) => {
    const rank = (RELEASE_ORDER[a.desktopStatus] ?? 2) - (RELEASE_ORDER[b.desktopStatus] ?? 2);
    if (rank !== 0) return rank;
    return (position.get(b.desktopId) ?? Infinity) - (position.get(a.desktopId) ?? Infinity);
  });
  return ranked.slice(0, count).map((desktop) => desktop.desktopId);
}
