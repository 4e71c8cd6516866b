import type { Attribute, Fix } from "./attribute";
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

/** How many desktop IDs a grouped preview line names before "and N more". */
const SHOWN_IDS = 5;

/** The preview lines for every attribute: one per desktop that differs, or one per group that differs alike. */
export function attributeDrift(view: PlanView): string[] {
  return ATTRIBUTES.flatMap((attribute) => describeFixes(attribute, attribute.plan(view)));
}

/**
 * Desktops whose line would read the same but for their ID share one line: a first tag or a stop of 1,500
 * desktops is one line, not 1,500. A desktop alone in its group keeps its own line.
 */
function describeFixes(attribute: Attribute<unknown>, fixes: readonly Fix<unknown>[]): string[] {
  const groups = new Map<string, { line: string; ids: string[] }>();
  for (const fix of fixes) {
    const line = attribute.describe(fix);
    const rest = line.startsWith(`${fix.desktopId} `) ? line.slice(fix.desktopId.length + 1) : line;
    const group = groups.get(rest) ?? { line, ids: [] };
    group.ids.push(fix.desktopId);
    groups.set(rest, group);
  }
  return [...groups].map(([rest, { line, ids }]) => {
    if (ids.length === 1) return line;
    const shown =
      ids.length > SHOWN_IDS
        ? `${ids.slice(0, SHOWN_IDS).join(", ")} and ${ids.length - SHOWN_IDS} more`
        : ids.join(", ");
    return `${ids.length} desktops, each ${rest}: ${shown}`;
  });
}
