/**
 * The fewest ECD calls each benchmark step can take for a batch of N desktops, from the API's batch sizes:
 * CreateDesktops up to 300 desktops a call; DescribeDesktops, DeleteDesktops, ModifyDesktopsPolicyGroup and
 * ModifyUserEntitlement up to 100 IDs; TagResources up to 50 resources; ModifyDesktopName one desktop.
 * The stored state (IDs, inputs) is trusted, as Pulumi's model has refresh as its own step.
 */

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

export function lowerBound(step: Step, n: number): Bound {
  const a = scaleBy(n);
  switch (step) {
    case "create":
      return {
        calls: { CreateDesktops: up(n, 300), DescribeDesktops: up(n, 100) },
        why: "CreateDesktops takes 300 desktops a call; seeing every desktop Running takes one DescribeDesktops per 100 IDs after they are up (tags and users go in CreateDesktops)",
      };
    case "refresh":
      return {
        calls: { DescribeDesktops: up(n, 100) },
        why: "one DescribeDesktops per 100 IDs shows status, name, policy, users and tags",
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
        calls: { CreateDesktops: up(a, 300), DescribeDesktops: up(a, 100) },
        why: "a = ⌈N/10⌉ more desktops, as create",
      };
    case "scale -10%":
      return {
        calls: { DeleteDesktops: up(a, 100), DescribeDesktops: up(a, 100) },
        why: "release a = ⌈N/10⌉ desktops: as delete",
      };
    case "delete":
      return {
        calls: { DeleteDesktops: up(n, 100), DescribeDesktops: up(n, 100) },
        why: "DeleteDesktops takes 100 IDs a call; one DescribeDesktops per 100 IDs sees them gone",
      };
  }
}

export const total = (calls: Record<string, number>): number =>
  Object.values(calls).reduce((sum, n) => sum + n, 0);
