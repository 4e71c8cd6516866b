/**
 * What each desktop of a batch should be, from the inputs and the batch as it is: which bundle model a desktop
 * belongs to (its own users, name and hostname), who owns it under PER_USER, and which desktops go first when
 * the batch shrinks. Shared by every attribute module, so preview and update read the same answer.
 */
import type { DesktopBatchInputs } from "./inputs";

type Model = NonNullable<DesktopBatchInputs["bundleModels"]>[number];

/** The little of a desktop these rules look at; live desktops and stored outputs both have it. */
export interface DesktopFacts {
  desktopId: string;
  desktopStatus: string;
  bundleId?: string;
  endUserIds?: readonly string[];
  chargeType?: string;
  expiredTime?: string;
}

/**
 * Which bundle model each desktop belongs to (by position in the batch). A desktop made from a model's template
 * takes that model's next free place; the rest fill free places in model order; beyond the models' total a
 * desktop belongs to no model. Undefined everywhere without bundleModels.
 */
export function modelOf(desktops: readonly DesktopFacts[], inputs: DesktopBatchInputs): Map<string, number> {
  const models = inputs.bundleModels ?? [];
  const left = models.map((model) => model.amount ?? 0);
  const out = new Map<string, number>();
  if (!models.length) return out;
  for (const desktop of desktops) {
    const index = models.findIndex((model, i) => model.bundleId === desktop.bundleId && left[i] > 0);
    if (index >= 0) {
      out.set(desktop.desktopId, index);
      left[index]--;
    }
  }
  for (const desktop of desktops) {
    if (out.has(desktop.desktopId)) continue;
    const index = left.findIndex((n) => n > 0);
    if (index < 0) break;
    out.set(desktop.desktopId, index);
    left[index]--;
  }
  return out;
}

/** The models still short of desktops, with how many each lacks (for healing and scale-up). */
export function modelShortfall(
  desktops: readonly DesktopFacts[],
  inputs: DesktopBatchInputs,
): { model: Model; index: number; missing: number }[] {
  const models = inputs.bundleModels ?? [];
  const assigned = modelOf(desktops, inputs);
  const used = models.map(() => 0);
  for (const index of assigned.values()) used[index]++;
  return models
    .map((model, index) => ({ model, index, missing: (model.amount ?? 0) - used[index] }))
    .filter((entry) => entry.missing > 0);
}

export const modelAt = (inputs: DesktopBatchInputs, index: number | undefined): Model | undefined =>
  index === undefined ? undefined : inputs.bundleModels?.[index];

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
  desktops: readonly DesktopFacts[],
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

export const isPerUser = (inputs: DesktopBatchInputs): boolean =>
  inputs.userAssignMode === "PER_USER" && (inputs.endUserIds?.length ?? 0) > 0;

export function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const left = new Set(a ?? []);
  const right = new Set(b ?? []);
  return left.size === right.size && [...left].every((item) => right.has(item));
}

const RELEASE_ORDER: Record<string, number> = { Failed: 0, Stopped: 1, Expired: 1 };

/**
 * Scale-down victims: broken desktops first (Failed), then Stopped/Expired ones, then the newest by creation
 * order; desktops in `keep` (adopted on purpose) only when nothing else is left. Deterministic for the same
 * state, so a preview and the update agree.
 */
export function chooseVictims(
  desktops: readonly DesktopFacts[],
  order: readonly string[],
  count: number,
  keep: ReadonlySet<string> = new Set(),
): string[] {
  const position = new Map(order.map((id, index) => [id, index]));
  const ranked = [...desktops].sort((a, b) => {
    const kept = Number(keep.has(a.desktopId)) - Number(keep.has(b.desktopId));
    if (kept !== 0) return kept;
    const rank = (RELEASE_ORDER[a.desktopStatus] ?? 2) - (RELEASE_ORDER[b.desktopStatus] ?? 2);
    if (rank !== 0) return rank;
    return (position.get(b.desktopId) ?? Infinity) - (position.get(a.desktopId) ?? Infinity);
  });
  return ranked.slice(0, count).map((desktop) => desktop.desktopId);
}

/** Subscription desktops that ECD will not release yet (creation-failed and expired ones it will). */
export function unreleasable<T extends DesktopFacts>(desktops: readonly T[], now = Date.now()): T[] {
  return desktops.filter(
    (d) =>
      d.chargeType === "PrePaid" &&
      d.desktopStatus !== "Expired" &&
      d.desktopStatus !== "Failed" &&
      (!d.expiredTime || Date.parse(d.expiredTime) > now),
  );
}

/**
 * The desktops a scale-down by `count` releases — one answer for the preview and the update. Released first:
 * desktops ECD will release (unexpired subscriptions only when nothing else is left), in the documented order
 * (Failed, then Stopped, then newest); never the adopted ones while others remain; with PER_USER, those beyond
 * each user's new share, so no user loses a desktop another user keeps.
 */
export function scaleDownVictims(
  desktops: readonly DesktopFacts[],
  inputs: DesktopBatchInputs,
  order: readonly string[],
  count: number,
): string[] {
  let candidates = desktops;
  if (isPerUser(inputs)) {
    const { owners } = perUserAssignment(desktops, inputs);
    const spare = desktops.filter((desktop) => owners.get(desktop.desktopId) === undefined);
    if (spare.length >= count) candidates = spare;
  }
  const adopted = new Set(inputs.adoptDesktopIds ?? []);
  const locked = new Set(unreleasable(candidates).map((d) => d.desktopId));
  const free = candidates.filter((d) => !locked.has(d.desktopId));
  const chosen = chooseVictims(free, order, count, adopted);
  if (chosen.length < count) {
    chosen.push(
      ...chooseVictims(
        candidates.filter((d) => locked.has(d.desktopId)),
        order,
        count - chosen.length,
        adopted,
      ),
    );
  }
  return chosen;
}
