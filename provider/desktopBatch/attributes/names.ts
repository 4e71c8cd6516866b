/**
 * desktopName / desktopNameSuffix (and each bundle model's own desktopName). With the suffix on and more than one
 * desktop under a name, each desktop is `<name>-<n>`, n unique within the name; numbers are not renumbered when
 * the batch shrinks, and a desktop that must be (re)named takes the smallest free number — never above the
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
      const pattern = new RegExp(`^${escapeRegExp(rule.stem)}-(\\d+)$`);
      const used = new Set<number>();
      const wrong: string[] = [];
      for (const id of ids) {
        const name = current.get(id) as string;
        const n = rule.numbered ? Number(pattern.exec(name)?.[1] ?? NaN) : NaN;
        if (rule.numbered && n >= 1 && !used.has(n)) used.add(n);
        else if (!rule.numbered && name === rule.stem) continue;
        else wrong.push(id);
      }
      let next = 1;
      for (const id of wrong) {
        let to = rule.stem;
        if (rule.numbered) {
          while (used.has(next)) next++;
          used.add(next);
          to = `${rule.stem}-${next}`;
        }
        fixes.push({ desktopId: id, from: current.get(id) as string, to });
      }
    }
    return fixes;
  },
  describe: (fix) => `${fix.desktopId} is named ${JSON.stringify(fix.from)} (will be renamed ${fix.to})`,
  async apply(fixes, ctx) {
    await eachLimited(fixes, PER_DESKTOP_CONCURRENCY, (fix) =>
      ctx.client.modifyDesktopName(fix.desktopId, fix.to, ctx.opts),
    );
  },
};
