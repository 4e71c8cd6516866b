/**
 * Turns batch inputs into CreateDesktops calls of at most 300 desktops: PER_USER owners packed into calls that
 * keep each user's share, hostname sequences continued in the free places, numbered names that need no rename
 * (see attributes/names.ts callName), and every desktop tagged with the provider's tags from its creation on.
 */
import type { CreateDesktopsRequest, TagPair } from "../ecd/operations";
import { freeHostnameSlots, hostnameFrom } from "./hostname";
import type { DesktopBatchInputs } from "./inputs";
import { INPUTS } from "./schemaModel";
import { toTagPairs } from "./tags";
import { callName } from "./attributes/names";

export const MAX_PER_CALL = 300;

export interface CreatePlan {
  count: number;
  /** Places in the hostname template's sequence for the new desktops, in order (a gap starts a new call). */
  hostnameSlots: number[];
  /** PER_USER: the user of each new desktop, in order. */
  owners?: string[];
  /** True when this creates the whole batch (bundleModels are then sent as given). */
  whole: boolean;
  /** bundleModels when healing or scaling: the models short of desktops. */
  shortModels?: { model: NonNullable<DesktopBatchInputs["bundleModels"]>[number]; missing: number }[];
  /** The provider's tags every new desktop carries from its creation on. */
  providerTags: TagPair[];
  /** Names the batch's desktops will have (numbered names continue after them without renames). */
  existingNames: readonly (string | undefined)[];
  /** Hostnames the batch's desktops hold (a bundle model's template continues in its free places). */
  hostnamesInUse: readonly (string | undefined)[];
}

type Request = Omit<CreateDesktopsRequest, "regionId">;

/** CreateDesktops parameters that each call sets from the plan rather than copying from the inputs. */
const PER_CALL = new Set([
  "regionId",
  "amount",
  "tags",
  "endUserIds",
  "userAssignMode",
  "hostname",
  "bundleModels",
]);

/** The inputs that go out as they are: those the schema gives a CreateDesktops wire key, less the per-call ones. */
const SENT_AS_GIVEN = INPUTS.filter(
  (property) => property.wire !== undefined && !PER_CALL.has(property.name),
).map((property) => property.name);

export function createRequests(inputs: DesktopBatchInputs, plan: CreatePlan): Request[] {
  const base: Record<string, unknown> = {};
  const record = inputs as Record<string, unknown>;
  for (const name of SENT_AS_GIVEN) if (record[name] !== undefined) base[name] = record[name];
  const tags = [...toTagPairs(inputs.tags), ...plan.providerTags];
  const withCommon = (request: Request): Request =>
    ({ ...base, ...request, tags: tags.length ? tags : undefined }) as Request;

  if (inputs.bundleModels?.length) {
    if (plan.whole) return [withCommon({ bundleModels: inputs.bundleModels })];
    // Healing or scaling: one call per model short of desktops, with that model's own template, users and names.
    const short = plan.shortModels?.length
      ? plan.shortModels
      : [{ model: inputs.bundleModels[0], missing: plan.count }];
    return short.flatMap(({ model, missing }) => {
      const runs = model.hostname
        ? contiguousRuns(freeHostnameSlots(model.hostname, plan.hostnamesInUse, missing))
        : [{ start: 0, length: missing }];
      return runs.map((run) =>
        withCommon({
          bundleId: model.bundleId,
          amount: run.length,
          endUserIds: model.endUserIds ?? inputs.endUserIds,
          desktopName: model.desktopName ?? inputs.desktopName,
          hostname: model.hostname ? hostnameFrom(model.hostname, run.start) : undefined,
        } as Request),
      );
    });
  }
  const requests: Request[] = [];
  const names = [...plan.existingNames];
  const numbered =
    inputs.desktopName !== undefined && inputs.desktopNameSuffix !== false && (inputs.amount ?? 1) > 1;
  const nameFor = (count: number): string | undefined => {
    if (!numbered) return undefined;
    const name = callName(inputs.desktopName as string, count, names);
    names.push(...(count === 1 ? [name] : Array.from({ length: count }, (_, i) => `${name}-${i + 1}`)));
    return name;
  };
  let done = 0;
  for (const run of contiguousRuns(plan.hostnameSlots.slice(0, plan.count))) {
    const owners = plan.owners?.slice(done, done + run.length);
    const calls: { amount: number; users?: string[]; mode?: string }[] = [];
    if (owners?.length) {
      for (const call of packOwners(owners)) calls.push(call);
    } else {
      const users = inputs.endUserIds?.length ? inputs.endUserIds : undefined;
      for (let left = run.length; left > 0; left -= MAX_PER_CALL) {
        calls.push({
          amount: Math.min(MAX_PER_CALL, left),
          users,
          mode: users ? inputs.userAssignMode : undefined,
        });
      }
    }
    let offset = run.start;
    for (const call of calls) {
      requests.push(
        withCommon({
          amount: call.amount,
          ...(numbered ? { desktopName: nameFor(call.amount) } : {}),
          endUserIds: call.users,
          userAssignMode: call.mode,
          hostname: inputs.hostname ? hostnameFrom(inputs.hostname, offset) : undefined,
        }),
      );
      offset += call.amount;
    }
    done += run.length;
  }
  return requests;
}

/** Consecutive places as runs; without a hostname template there is one run. */
function contiguousRuns(slots: number[]): { start: number; length: number }[] {
  const runs: { start: number; length: number }[] = [];
  for (const slot of slots) {
    const last = runs[runs.length - 1];
    if (last && last.start + last.length === slot) last.length++;
    else runs.push({ start: slot, length: 1 });
  }
  return runs;
}

/**
 * Runs of one user become calls: neighbouring users with the same share go together as PER_USER (at most 300
 * desktops); a share above 300 is split into single-user calls.
 */
function packOwners(owners: string[]): { amount: number; users: string[]; mode: string }[] {
  const runs: { user: string; count: number }[] = [];
  for (const owner of owners) {
    const last = runs[runs.length - 1];
    if (last && last.user === owner) last.count++;
    else runs.push({ user: owner, count: 1 });
  }
  const calls: { amount: number; users: string[]; mode: string }[] = [];
  for (const run of runs) {
    const last = calls[calls.length - 1];
    const share = last ? last.amount / last.users.length : 0;
    if (last && last.mode === "PER_USER" && share === run.count && last.amount + run.count <= MAX_PER_CALL) {
      last.users.push(run.user);
      last.amount += run.count;
      continue;
    }
    for (let left = run.count; left > 0; left -= MAX_PER_CALL) {
      const amount = Math.min(MAX_PER_CALL, left);
      calls.push({ amount, users: [run.user], mode: "PER_USER" });
    }
  }
  return calls;
}
