import type { Attribute } from "./attribute";
import { billing } from "./billing";
import { image } from "./image";
import { names } from "./names";
import { policy } from "./policy";
import { power, wake } from "./power";
import { spec } from "./spec";
import { tags } from "./tags";
import type { PlanView } from "./template";
import { users } from "./users";

export type { ApplyContext, Attribute, BatchView, DesktopView, Fix } from "./attribute";
export type { PlanView, Template } from "./template";

/**
 * In the order an update applies them: the rebuild and the spec change (which stop desktops) before what needs
 * Running desktops (policy, users), which `wake` starts when they are stopped; power last, so the batch ends in
 * its declared state whatever the steps before it did.
 */
export const ATTRIBUTES: readonly Attribute<unknown>[] = [
  names,
  tags,
  image,
  spec,
  wake,
  policy,
  users,
  billing,
  power,
] as Attribute<unknown>[];

/** One preview line per desktop that differs, for every attribute. */
export function attributeDrift(view: PlanView): string[] {
  return ATTRIBUTES.flatMap((attribute) => {
    const fixes = attribute.plan(view);
    return attribute.describeAll ? attribute.describeAll(fixes) : fixes.map((fix) => attribute.describe(fix));
  });
}
