/**
 * desktopName / desktopNameSuffix (and each bundle model's own desktopName). With the suffix on and more than one
 * desktop under a name, each desktop is `<name>-<n>`, or `<name>-<g>-<n>` when it came from a later
 * CreateDesktops call: ECD numbers every call from 1, so each call after the first gets its own group `g` (see
 * `callName`) and no desktop needs renaming. A name is unique within the batch; numbers are not renumbered when
 * the batch shrinks, and a desktop that must be (re)named takes the smallest free `<name>-<n>` — never above the
 * number of desktops under the name, so the length check in check() holds.
 */
import { escapeRegExp } from "../text";
import type { DesktopBatchInputs } from "../inputs";
import { modelAt, modelOf } from "../desired";
import { Attribute, BatchView, eachLimited, Fix, PER_DESKTOP_CONCURRENCY } from "./attribute";

interface NameRule {
  stem: string;
  numbered: boolean;
}

/** The name rule each desktop follows; a desktop without one keeps whatever name it has. */
export function nameRules(view: BatchView): Map<string, NameRule> {
  const { inputs, desktops } = view;
  const models = modelOf(desktops, inputs);
  const rules = new Map<string, NameRule>();
  for (const desktop of desktops) {
    const model = modelAt(inputs, models.get(desktop.desktopId));
    const rule = model?.desktopName
      ? { stem: model.desktopName, numbered: numbered(inputs, model.amount ?? 1) }
      : inputs.desktopName !== undefined
        ? { stem: inputs.desktopName, numbered: numbered(inputs, inputs.amount ?? 1) }
        : undefined;
    if (rule) rules.set(desktop.desktopId, rule);
  }
  return rules;
}

const numbered = (inputs: DesktopBatchInputs, count: number): boolean =>
  inputs.desktopNameSuffix !== false && count > 1;

/** The longest suffix the provider may add to a name of `count` desktops ("-" and the digits of count). */
export const suffixLength = (inputs: DesktopBatchInputs, count: number): number =>
  numbered(inputs, count) ? 1 + String(count).length : 0;

export const names: Attribute<string> = {
  inputs: "desktopName",
  plan(view) {
    const rules = nameRules(view);
    const byStem = new Map<string, { rule: NameRule; ids: string[] }>();
    for (const desktop of view.desktops) {
      const rule = rules.get(desktop.desktopId);
      if (!rule) continue;
      const key = JSON.stringify(rule);
      const group = byStem.get(key) ?? { rule, ids: [] };
      group.ids.push(desktop.desktopId);
      byStem.set(key, group);
    }
    const current = new Map(view.desktops.map((d) => [d.desktopId, d.desktopName ?? ""]));
    const fixes: Fix<string>[] = [];
    for (const { rule, ids } of byStem.values()) {
      const used = new Set<string>();
      const wrong: string[] = [];
      for (const id of ids) {
        const name = current.get(id) as string;
        const number = rule.numbered ? numberIn(rule.stem, name) : undefined;
        if (number !== undefined && !used.has(number)) used.add(number);
        else if (!rule.numbered && name === rule.stem) continue;
        else wrong.push(id);
      }
      let next = 1;
      for (const id of wrong) {
        let to = rule.stem;
        if (rule.numbered) {
          while (used.has(String(next))) next++;
          used.add(String(next));
          to = `${rule.stem}-${next}`;
        }
        fixes.push({ desktopId: id, from: current.get(id) as string, to });
      }
    }
    return fixes;
  },
  describe: (fix) => `${fix.desktopId} is named ${JSON.stringify(fix.from)} (will be renamed ${fix.to})`,
  applied: (desktop, to) => ({ ...desktop, desktopName: to }),
  async apply(fixes, ctx) {
    await eachLimited(fixes, PER_DESKTOP_CONCURRENCY, (fix) =>
      ctx.client.modifyDesktopName(fix.desktopId, fix.to, ctx.opts),
    );
  },
};

/** The number part of a numbered name under `stem` (`3` in dev-3, `2-7` in dev-2-7), or undefined. */
function numberIn(stem: string, name: string): string | undefined {
  const match = new RegExp(`^${escapeRegExp(stem)}-(\\d+(?:-\\d+)?)$`).exec(name);
  return match?.[1];
}

/**
 * The DesktopName to send for a CreateDesktops call of `count` desktops under a numbered name, given the names
 * the batch already has: the plain stem for the batch's first call (ECD makes stem-1..stem-count), a group
 * `stem-g` (ECD makes stem-g-1..) for any later call of several, and a free `stem-n` for a call of one (ECD adds
 * no suffix to a single desktop). A group that would not fit in 64 characters falls back to the stem (the
 * desktops are then renamed).
 */
export function callName(stem: string, count: number, existing: readonly (string | undefined)[]): string {
  const numbers = new Set(existing.map((name) => numberIn(stem, name ?? "")).filter((n) => n !== undefined));
  if (count === 1) {
    let n = 1;
    while (numbers.has(String(n))) n++;
    return `${stem}-${n}`;
  }
  if (!existing.some((name) => name?.startsWith(`${stem}-`)) && numbers.size === 0) return stem;
  const groups = new Set([...numbers].map((n) => n.split("-")[0]));
  let group = 2;
  while (groups.has(String(group)) || numbers.has(String(group))) group++;
  const name = `${stem}-${group}`;
  return name.length + 1 + String(count).length <= 64 ? name : stem;
}
