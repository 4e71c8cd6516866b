import { DETECTION_SHARE, SHORTEST_MS } from "../../provider/desktopBatch/waiter";
import { INPUTS } from "../../provider/desktopBatch/schemaModel";
import { DEFAULT_REGIONS } from "../../emulator";

/**
 * The fewest ECD calls each benchmark step can take for a batch of N desktops, for any provider that keeps the
 * guarantees this one must keep on a service without ClientToken, from the API's batch sizes: CreateDesktops up
 * to 300 desktops a call; DescribeDesktops 100 a call (by IDs, or a page of a tag-filtered listing);
 * DeleteDesktops, ModifyDesktopsPolicyGroup and ModifyUserEntitlement 100 IDs; TagResources and UntagResources
 * 50 resources; ModifyDesktopName one desktop.
 *
 * Assumptions, each stated where it is used:
 * - The stored state (IDs, inputs, each desktop as last seen) is trusted: refresh is its own step in Pulumi's
 *   model, so an in-place update need not list the batch first (except a scale-up, below).
 * - No leak: a create that can be interrupted marks its desktops (the creating tag, set free of charge by
 *   CreateDesktops) and unmarks them when it commits (⌈N/50⌉ UntagResources), so that a rerun can tell what an
 *   interrupted create left from desktops another run finished; and a create first lists its lineage (one
 *   DescribeDesktops when nothing was left) to find such desktops, in its region and in every other region ECD
 *   serves (one DescribeRegions): a create interrupted before the resource moved region left them there.
 * - A reference that changes (office site, template, image, policy) is looked up once before anything changes,
 *   so that a wrong ID is an error of the preview, not of an update that stopped half-way.
 * - Waiting: the provider cannot know how long an operation takes, and must see it done at most 10 % of its
 *   duration after it is (the detection target, for every wait the user sits through). See pendingPolls.
 */

/** The regions ECD serves the benchmark's account: the emulator's. */
export const REGIONS = DEFAULT_REGIONS.length;

/** The shortest interval between polls: the detection delay may always be this long. */
export const POLL_FLOOR_MS = 2_000;

/**
 * The fewest polls that still find an operation unfinished while it runs `durationMs`, one DescribeDesktops each
 * (one unfinished desktop shows it). If it may end at any T ≥ `shortestMs` and must be seen done within
 * DETECTION_SHARE × T (or POLL_FLOOR_MS), a poll at t must be followed by one at t + max(0.1 t, floor) at the
 * latest, and the first must come by 1.1 × `shortestMs`: the sparsest schedule, which the provider follows
 * (provider/desktopBatch/waiter.ts). For a 4 min create with the first look at 66 s: 14 polls.
 */
export function pendingPolls(durationMs: number, shortestMs: number): number {
  let polls = 0;
  for (
    let at = Math.max(POLL_FLOOR_MS, shortestMs * (1 + DETECTION_SHARE));
    at < durationMs;
    at += Math.max(POLL_FLOOR_MS, at * DETECTION_SHARE)
  )
    polls += 1;
  return polls;
}

/** How long the operations of a step take on the service (the emulator's lifecycle durations). */
export interface Durations {
  createMs: number;
  deleteMs: number;
  entitlementMs: number;
}

/** The polls of each wait a step has, for these durations. */
export function waitPolls(durations: Durations): Record<"create" | "release" | "entitlement", number> {
  return {
    create: pendingPolls(durations.createMs, SHORTEST_MS.create),
    release: pendingPolls(durations.deleteMs, SHORTEST_MS.release),
    entitlement: pendingPolls(durations.entitlementMs, SHORTEST_MS.entitlement),
  };
}

export type Step =
  "create" | "refresh" | "rename" | "policy" | "users" | "tags" | "scale +10%" | "scale -10%" | "delete";

export const STEPS: readonly Step[] = [
  "create",
  "refresh",
  "rename",
  "policy",
  "users",
  "tags",
  "scale +10%",
  "scale -10%",
  "delete",
];

const up = (n: number, size: number): number => Math.ceil(n / size);

/** How many desktops the scale steps add, then remove. */
export const scaleBy = (n: number): number => Math.ceil(n / 10);

/** The schema's largest amount. */
const MAX_AMOUNT = INPUTS.find((input) => input.name === "amount")?.validate.maximum ?? Infinity;

/**
 * Whether the scale steps run the other way round: at the largest amount a batch cannot grow, so it scales down
 * by ⌈N/10⌉ first and back up after (from N − ⌈N/10⌉).
 */
export const scalesDownFirst = (n: number): boolean => n + scaleBy(n) > MAX_AMOUNT;

/** The steps in the order they run on a batch of n. */
export const stepsFor = (n: number): readonly Step[] =>
  scalesDownFirst(n)
    ? STEPS.map((step) =>
        step === "scale +10%" ? "scale -10%" : step === "scale -10%" ? "scale +10%" : step,
      )
    : STEPS;

export interface Bound {
  calls: Record<string, number>;
  why: string;
}

export function lowerBound(step: Step, n: number, durations: Durations): Bound {
  const a = scaleBy(n);
  const polls = waitPolls(durations);
  switch (step) {
    case "create":
      return {
        calls: {
          CreateDesktops: up(n, 300),
          DescribeRegions: 1,
          DescribeDesktops: REGIONS + polls.create + up(n, 100),
          UntagResources: up(n, 50),
        },
        why:
          "first one DescribeDesktops by the lineage tag: what an interrupted create of this resource left (no " +
          "ClientToken) is found only this way, to be taken over or released; the same in each other region " +
          `ECD serves (one DescribeRegions, then one DescribeDesktops each: ${REGIONS - 1} here), where a create ` +
          "interrupted before the resource moved region left its desktops; " +
          "CreateDesktops takes 300 desktops a call, tags and users included; while the desktops provision, the " +
          "polls the detection target needs (p, one DescribeDesktops each, see below); once up, one " +
          "DescribeDesktops per 100 desktops sees each Running; committing removes the creating mark, " +
          "UntagResources 50 desktops a call (the office site, template and policy are new references: the " +
          "preview looks them up, not counted here)",
      };
    case "refresh":
      return {
        calls: { DescribeDesktops: up(n, 100) },
        why: "one DescribeDesktops per 100 desktops shows status, name, policy, users and tags",
      };
    case "rename":
      return {
        calls: { ModifyDesktopName: n },
        why: "ModifyDesktopName renames one desktop a call, and every numbered name differs",
      };
    case "policy":
      return {
        calls: { DescribePolicyGroups: 1, ModifyDesktopsPolicyGroup: up(n, 100) },
        why:
          "the new policy is looked up once (a wrong ID fails the preview, not the update); " +
          "ModifyDesktopsPolicyGroup takes 100 desktops a call",
      };
    case "users": {
      const grants: Record<string, number> =
        n < 2 * up(n, 100) ? { ModifyEntitlement: n } : { ModifyUserEntitlement: 2 * up(n, 100) };
      return {
        calls: { ...grants, DescribeDesktops: polls.entitlement + up(n, 100) },
        why:
          "replacing one user of every desktop: one revoke and one grant ModifyUserEntitlement per 100 desktops " +
          "(or one ModifyEntitlement per desktop when that is fewer); the change is asynchronous: the polls the " +
          "detection target needs while it runs (p_e), then one DescribeDesktops per 100 desktops sees it done",
      };
    }
    case "tags":
      return {
        calls: { TagResources: up(n, 50) },
        why: "adding a tag key: TagResources takes 50 resources a call",
      };
    case "scale +10%":
      return {
        calls: {
          CreateDesktops: up(a, 300),
          DescribeDesktops: up(scalesDownFirst(n) ? n - a : n, 100) + polls.create + up(a, 100),
        },
        why:
          "a = ⌈N/10⌉ more desktops. Before creating, one listing of the batch by its owner tag, 100 a page: " +
          "without ClientToken, a rerun of an interrupted scale-up must adopt what it made instead of making " +
          "more (and the owner tag alone then marks them: no UntagResources); then as create",
      };
    case "scale -10%":
      return {
        calls: {
          DeleteDesktops: up(a, 100),
          DescribeDesktops: up(scalesDownFirst(n) ? n : n + a, 100) + polls.release + up(a, 100),
        },
        why:
          "release a = ⌈N/10⌉ desktops: first one DescribeDesktops per 100 of the batch's desktops by ID confirms " +
          "they all still exist (one deleted outside Pulumi must not make the scale-down release one more, with " +
          "its user's data); DeleteDesktops, the polls the detection target needs while they are released (p_r), " +
          "then one DescribeDesktops per 100 that sees them gone (no listing by tag: a scale-up lists before it " +
          "creates)",
      };
    case "delete":
      return {
        calls: { DeleteDesktops: up(n, 100), DescribeDesktops: 2 * up(n, 100) + polls.release },
        why:
          "one listing by the owner tag, 100 a page (what an interrupted scale-up made is in no state and must " +
          "not outlive the batch); DeleteDesktops takes 100 IDs a call; the polls while they are released " +
          "(p_r); one DescribeDesktops per 100 IDs sees them gone",
      };
  }
}

export const total = (calls: Record<string, number>): number =>
  Object.values(calls).reduce((sum, n) => sum + n, 0);
