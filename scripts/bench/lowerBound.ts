/**
 * The fewest ECD calls each benchmark step can take for a batch of N desktops, for any provider that keeps the
 * guarantees this one must keep on a service without ClientToken, from the API's batch sizes: CreateDesktops up
 * to 300 desktops a call; DescribeDesktops 100 a call (by IDs, or a page of a tag-filtered listing);
 * DeleteDesktops, ModifyDesktopsPolicyGroup and ModifyUserEntitlement 100 IDs; TagResources and UntagResources
 * 50 resources; ModifyDesktopName one desktop.
 *
 * Assumptions, each stated where it is used:
 * - The stored state (IDs, inputs) is trusted: refresh is its own step in Pulumi's model, so an in-place update
 *   need not list the batch first (except a scale-up, below).
 * - No leak: a create that can be interrupted marks its desktops (the creating tag, set free of charge by
 *   CreateDesktops) and unmarks them when it commits (⌈N/50⌉ UntagResources), so that a rerun can tell what an
 *   interrupted create left from desktops another run finished; and a create first lists its lineage (one
 *   DescribeDesktops when nothing was left) to find such desktops.
 * - Polling: the provider cannot know the provisioning time T in advance, and must see the desktops up at most
 *   10 % of T after they are (the detection target) whatever T is. See pendingPolls.
 */

/** Assumption: no desktop is Running sooner than this after CreateDesktops (ECD reports provisioning in minutes). */
export const MIN_PROVISIONING_MS = 60_000;
/** The detection target: the delay may be at most this share of the provisioning time. */
export const DETECTION_SHARE = 0.1;

/**
 * The fewest polls that still find a desktop pending while a create that takes `provisioningMs` runs, one
 * DescribeDesktops each (one pending desktop shows the batch is unfinished). If the desktops may come up at any
 * T ≥ MIN_PROVISIONING_MS and the delay must stay within DETECTION_SHARE × T, a poll at t (after the
 * CreateDesktops answer) must be followed by one at 1.1 t at the latest, and the first must come by 1.1 ×
 * MIN_PROVISIONING_MS; the sparsest schedule polls at MIN_PROVISIONING_MS × 1.1^k, k = 1, 2, ..., and the polls
 * before T are ⌈log₁.₁(T / MIN_PROVISIONING_MS)⌉ − 1 (14 for T = 4 min).
 */
export function pendingPolls(provisioningMs: number): number {
  const ratio = 1 + DETECTION_SHARE;
  let polls = 0;
  for (let at = MIN_PROVISIONING_MS * ratio; at < provisioningMs; at *= ratio) polls += 1;
  return polls;
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

export interface Bound {
  calls: Record<string, number>;
  why: string;
}

export function lowerBound(step: Step, n: number, provisioningMs: number): Bound {
  const a = scaleBy(n);
  const polls = pendingPolls(provisioningMs);
  switch (step) {
    case "create":
      return {
        calls: {
          CreateDesktops: up(n, 300),
          DescribeDesktops: 1 + polls + up(n, 100),
          UntagResources: up(n, 50),
        },
        why:
          "first one DescribeDesktops by the lineage tag: what an interrupted create of this resource left (no " +
          "ClientToken) is found only this way, to be taken over or released; " +
          "CreateDesktops takes 300 desktops a call, tags and users included; while the desktops provision, the " +
          "polls the detection target needs (p, one DescribeDesktops each, see below); once up, one " +
          "DescribeDesktops per 100 desktops sees each Running; committing removes the creating mark, " +
          "UntagResources 50 desktops a call",
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
        calls: { ModifyDesktopsPolicyGroup: up(n, 100) },
        why: "ModifyDesktopsPolicyGroup takes 100 desktops a call",
      };
    case "users":
      return {
        calls: n <= 2 ? { ModifyEntitlement: n } : { ModifyUserEntitlement: 2 * up(n, 100) },
        why: "replacing one user of every desktop: one revoke and one grant ModifyUserEntitlement per 100 desktops (or one ModifyEntitlement per desktop when that is fewer)",
      };
    case "tags":
      return {
        calls: { TagResources: up(n, 50) },
        why: "adding a tag key: TagResources takes 50 resources a call",
      };
    case "scale +10%":
      return {
        calls: {
          CreateDesktops: up(a, 300),
          DescribeDesktops: up(n, 100) + polls + up(a, 100),
        },
        why:
          "a = ⌈N/10⌉ more desktops. Before creating, one listing of the batch by its owner tag, 100 a page: " +
          "without ClientToken, a rerun of an interrupted scale-up must adopt what it made instead of making " +
          "more (and the owner tag alone then marks them: no UntagResources); then as create",
      };
    case "scale -10%":
      return {
        calls: { DeleteDesktops: up(a, 100), DescribeDesktops: up(a, 100) },
        why:
          "release a = ⌈N/10⌉ desktops named by the state: DeleteDesktops and one DescribeDesktops that sees " +
          "them gone per 100 (no listing: a scale-up lists before it creates)",
      };
    case "delete":
      return {
        calls: { DeleteDesktops: up(n, 100), DescribeDesktops: 2 * up(n, 100) },
        why:
          "one listing by the owner tag, 100 a page (what an interrupted scale-up made is in no state and must " +
          "not outlive the batch); DeleteDesktops takes 100 IDs a call; one DescribeDesktops per 100 IDs sees " +
          "them gone (no delay target for release: the polls while it runs are not counted)",
      };
  }
}

export const total = (calls: Record<string, number>): number =>
  Object.values(calls).reduce((sum, n) => sum + n, 0);
