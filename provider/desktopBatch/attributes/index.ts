import type { Attribute, BatchView } from "./attribute";
import { billing } from "./billing";
import { names } from "./names";
import { policy } from "./policy";
import { spec } from "./spec";
import { tags } from "./tags";
import { users } from "./users";

export type { ApplyContext, Attribute, BatchView, DesktopView, Fix } from "./attribute";

/** In the order an update applies them: users last but one (they need Running desktops, which spec restores). */
export const ATTRIBUTES: readonly Attribute<unknown>[] = [
  names,
  policy,
  tags,
  spec,
  users,
  billing,
] as Attribute<unknown>[];

/** One preview line per desktop that differs, for every attribute. */
export function attributeDrift(view: BatchView): string[] {
  return ATTRIBUTES.flatMap((attribute) => attribute.plan(view).map((fix) => attribute.describe(fix)));
}
