/**
 * What each desktop of a batch should look like, by its position in the batch: its users (ALL vs PER_USER),
 * whether its name fits, and the deterministic choice of desktops to release when scaling down.
 */
import type { Desktop } from "../ecd/operations";
import { escapeRegExp } from "./text";
import type { DesktopBatchInputs } from "./inputs";

/** ALL: every desktop is assigned to each of the users. */
export function usersForAll(inputs: DesktopBatchInputs): string[] {
  return [...(inputs.endUserIds ?? [])];
}

export function perUserShare(inputs: DesktopBatchInputs): number {
  const users = inputs.endUserIds?.length ?? 0;
  return users ? Math.floor((inputs.amount ?? 1) / users) : 0;
}

/**
 * PER_USER: who should own each desktop, changing as little as possible. A desktop keeps its one user while
 * that user is still listed and within their share; the rest go, in batch order, to users short of their share.
 * Returns the owner per desktop (undefined: more desktops than shares) and each user's remaining shortfall.
 */
export function perUserAssignment(
  desktops: readonly { desktopId: string; endUserIds?: string[] }[],
  inputs: DesktopBatchInputs,
): { owners: Map<string, string | undefined>; shortfall: string[] } {
  const users = inputs.endUserIds ?? [];
  const left = new Map(users.map((user) => [user, perUserShare(inputs)]));
  const owners = new Map<string, string | undefined>();
  for (const desktop of desktops) {
    const [only, ...others] = desktop.endUserIds ?? [];
    if (only !== undefined && others.length === 0 && (left.get(only) ?? 0) > 0) {
      owners.set(desktop.desktopId, only);
      left.set(only, (left.get(only) as number) - 1);
    }
  }
  for (const desktop of desktops) {
    if (owners.has(desktop.desktopId)) continue;
    const user = users.find((candidate) => (left.get(candidate) ?? 0) > 0);
    if (user) left.set(user, (left.get(user) as number) - 1);
    owners.set(desktop.desktopId, user);
  }
  const shortfall = users.flatMap((user) => Array<string>(left.get(user) ?? 0).fill(user));
  return { owners, shortfall };
}

/** The users each desktop should have, per the assignment mode. */
export function wantedUsers(
  desktops: readonly { desktopId: string; endUserIds?: string[] }[],
  inputs: DesktopBatchInputs,
): Map<string, string[]> {
  if (inputs.userAssignMode === "PER_USER" && inputs.endUserIds?.length) {
    const { owners } = perUserAssignment(desktops, inputs);
    return new Map(
      desktops.map((d) => [d.desktopId, owners.get(d.desktopId) ? [owners.get(d.desktopId) as string] : []]),
    );
  }
  return new Map(desktops.map((d) => [d.desktopId, usersForAll(inputs)]));
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
    return actual !== undefined && new RegExp(`^${escapeRegExp(inputs.desktopName)}-\\d+$`).test(actual);
  }
  return actual === inputs.desktopName;
}

export function nameFor(inputs: DesktopBatchInputs, index: number): string | undefined {
  if (inputs.desktopName === undefined) return undefined;
  return inputs.desktopNameSuffix !== false && (inputs.amount ?? 1) > 1
    ? `${inputs.desktopName}-${index + 1}`
    : inputs.desktopName;
}

const RELEASE_ORDER: Record<string, number> = { Failed: 0, Stopped: 1, Expired: 1 };

/**
 * Scale-down victims: broken desktops first (Failed), then Stopped/Expired ones, then the newest by creation
 * order. Deterministic for the same state, so a preview and the update agree.
 */
export function chooseVictims(
  desktops: readonly Desktop[],
  order: readonly string[],
  count: number,
): string[] {
  const position = new Map(order.map((id, index) => [id, index]));
  const ranked = [...desktops].sort((a, b) => {
    const rank = (RELEASE_ORDER[a.desktopStatus] ?? 2) - (RELEASE_ORDER[b.desktopStatus] ?? 2);
    if (rank !== 0) return rank;
    return (position.get(b.desktopId) ?? Infinity) - (position.get(a.desktopId) ?? Infinity);
  });
  return ranked.slice(0, count).map((desktop) => desktop.desktopId);
}
