/** Renders batch summaries as GitHub-flavoured Markdown a reviewer can read at a glance. */
import { HOURS_PER_MONTH, DEFAULT_OS, DesktopSpec } from "./cost";
import { ChangeHow, InputChange } from "./inputChanges";
import { SECRET, UNKNOWN } from "./previewJson";
import { BatchSummary } from "./summarise";

/** The first line of every summary, so a workflow can find and update its own comment. */
export const MARKER = "<!-- pulumi-ecd pr-summary -->";

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;
const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function shown(value: unknown): string {
  if (value === undefined || value === null) return "_(unset)_";
  if (value === SECRET) return "_(secret)_";
  if (value === UNKNOWN) return "_(known after apply)_";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return code(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function howText(how: ChangeHow): string {
  switch (how.kind) {
    case "update":
      return `in place: ${how.api}${how.note ? ` (${how.note})` : ""}`;
    case "replace":
      return `**replaces the batch**${how.note ? ` (${how.note})` : ""}`;
    case "creation-only":
      return "creation-only: existing desktops keep the old value, new ones get the new value";
    case "provider":
      return "provider setting: no ECD call";
  }
}

function money(amount: number, currency: string, signed = false): string {
  const text = Math.abs(amount).toLocaleString("en-US", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  const sign = amount < 0 ? "−" : signed && amount > 0 ? "+" : signed ? "±" : "";
  return `${sign}${text} ${currency}`;
}

function costCell(batch: BatchSummary): string {
  const cost = batch.cost;
  if (cost === undefined) return "";
  if (typeof cost === "string") return "not estimated";
  if (cost.after === undefined) return `${money(cost.before, cost.currency)} → ?`;
  return `${money(cost.before, cost.currency)} → ${money(cost.after, cost.currency)} (**${money(cost.after - cost.before, cost.currency, true)}**)`;
}

const planWord: Record<BatchSummary["kind"], string> = {
  create: "create",
  update: "update in place",
  replace: "**replace**",
  delete: "**delete**",
  same: "no change",
};

/** The loud lines: every replacement and release, and what blocks subscription releases. */
export function warnings(batch: BatchSummary): string[] {
  const lines: string[] = [];
  const { counts, name } = batch;
  if (counts.replaced && counts.before > 0) {
    const why =
      batch.replaceReasons.length > 0 ? ` (replaced because ${batch.replaceReasons.join(", ")} changed)` : "";
    lines.push(
      `${plural(counts.before, "desktop")} of ${name} will be destroyed: users lose their data${why}. ` +
        `${plural(counts.after ?? 0, "new desktop")} will be created${batch.deleteFirst ? " after the old ones are gone" : ""}.`,
    );
  } else if (counts.release > 0) {
    const why = batch.kind === "delete" ? "the batch is deleted" : "scale-down";
    lines.push(
      `${plural(counts.release, "desktop")} of ${name} will be released (${why}): users lose their data.`,
    );
  }
  if (batch.subscriptionReleased > 0) {
    lines.push(
      batch.releaseSubscriptionOnDelete
        ? `${plural(batch.subscriptionReleased, "subscription desktop")} of ${name} will be converted to pay-as-you-go and released (releaseSubscriptionOnDelete): refund rules apply.`
        : `${plural(batch.subscriptionReleased, "subscription desktop")} of ${name} would be released: the apply will fail unless they expired, \`releaseSubscriptionOnDelete: true\` is set, or the resource has \`retainOnDelete\`.`,
    );
  }
  return lines;
}

function countsRow(batch: BatchSummary, withCost: boolean): string {
  const c = batch.counts;
  const after = c.after === undefined ? "?" : String(c.after);
  const cells = [
    code(batch.name),
    planWord[batch.kind],
    `${c.before} → ${after}`,
    String(c.create),
    String(c.release),
    c.replaced ? `${c.before} → ${after}` : "0",
    String(c.rebuild),
    String(c.stopStart),
  ];
  if (withCost) cells.push(costCell(batch));
  return `| ${cells.map(cell).join(" | ")} |`;
}

function totalRow(batches: readonly BatchSummary[], withCost: boolean): string {
  const sum = (pick: (b: BatchSummary) => number) => batches.reduce((n, b) => n + pick(b), 0);
  const unknownAfter = batches.some((b) => b.counts.after === undefined);
  const cells = [
    "**Total**",
    "",
    `${sum((b) => b.counts.before)} → ${unknownAfter ? "?" : sum((b) => b.counts.after ?? 0)}`,
    String(sum((b) => b.counts.create)),
    String(sum((b) => b.counts.release)),
    String(sum((b) => (b.counts.replaced ? b.counts.before : 0))),
    String(sum((b) => b.counts.rebuild)),
    String(sum((b) => b.counts.stopStart)),
  ];
  if (withCost) {
    const costs = batches.map((b) => b.cost);
    const priced = costs.filter((c): c is Exclude<typeof c, string | undefined> => typeof c === "object");
    if (priced.length < costs.length || priced.some((c) => c.after === undefined)) cells.push("incomplete");
    else {
      const currency = priced[0]?.currency ?? "CNY";
      const before = priced.reduce((n, c) => n + c.before, 0);
      const after = priced.reduce((n, c) => n + (c.after ?? 0), 0);
      cells.push(
        `${money(before, currency)} → ${money(after, currency)} (**${money(after - before, currency, true)}**)`,
      );
    }
  }
  return `| ${cells.join(" | ")} |`;
}

function changesTable(changes: readonly InputChange[]): string[] {
  return [
    "| Input | Before | After | How |",
    "| --- | --- | --- | --- |",
    ...changes.map(
      (c) => `| ${[code(c.name), shown(c.before), shown(c.after), howText(c.how)].map(cell).join(" | ")} |`,
    ),
  ];
}

function driftLines(batch: BatchSummary): string[] {
  const { drift, name } = batch;
  const lines: string[] = [];
  if (drift.missing > 0) {
    lines.push(
      `- Drift: ${plural(drift.missing, "desktop")} of ${name} no longer exist${drift.missing === 1 ? "s" : ""} (deleted outside Pulumi); this plan creates replacements.`,
    );
  }
  if (drift.failed.length > 0) {
    lines.push(
      `- Drift: ${plural(drift.failed.length, "desktop")} of ${name} ${drift.failed.length === 1 ? "is" : "are"} Failed (${drift.failed.map(code).join(", ")}); this plan releases ${drift.failed.length === 1 ? "it" : "them"}${batch.counts.rebuild > 0 ? " and creates new ones" : ""}.`,
    );
  }
  return lines;
}

function batchSection(batch: BatchSummary): string[] {
  const lines = [`### ${code(batch.name)}: ${planWord[batch.kind].replace(/\*/g, "")}`, ""];
  const c = batch.counts;
  if (batch.kind === "create") lines.push(`Creates ${plural(c.create, "desktop")}.`, "");
  if (batch.kind === "delete") lines.push(`Releases all ${plural(c.release, "desktop")}.`, "");
  if (c.stopStart > 0)
    lines.push(
      `${plural(c.stopStart, "desktop")} will be stopped, changed with ModifyDesktopSpec and started again.`,
      "",
    );
  const drift = driftLines(batch);
  if (drift.length > 0) lines.push(...drift, "");
  if (batch.providerSays.length > 0)
    lines.push(
      "What the update does to the live desktops:",
      "",
      ...batch.providerSays.map((line) => `- ${line}`),
      "",
    );
  if (batch.changes.length > 0) lines.push(...changesTable(batch.changes), "");
  return lines;
}

function specText(spec: DesktopSpec): string {
  const disks = [
    `system ${spec.rootDiskSizeGib} GiB`,
    spec.userDiskSizeGib ? `data ${spec.userDiskSizeGib} GiB` : undefined,
  ]
    .filter(Boolean)
    .join(", ");
  return `${code(spec.instanceType)} ${spec.osType}, ${disks}, ${spec.chargeType === "PrePaid" ? "subscription" : "pay-as-you-go"} (from ${spec.source})`;
}

function assumptions(batches: readonly BatchSummary[]): string[] {
  const specs = new Map<string, string>();
  const failures: string[] = [];
  for (const batch of batches) {
    if (typeof batch.cost === "string") failures.push(`- ${code(batch.name)}: not estimated: ${batch.cost}`);
    else for (const spec of batch.cost?.specs ?? []) specs.set(specText(spec), batch.name);
  }
  return [
    "<details><summary>Cost assumptions</summary>",
    "",
    "- Prices from ECD `DescribePrice` (ResourceType `Desktop`) for one desktop of each spec, times the number of desktops; list prices after the discounts DescribePrice reports, without vouchers, taxes, bandwidth or storage beyond the disks.",
    `- Pay-as-you-go desktops run ${HOURS_PER_MONTH} hours a month (no auto-stop); subscriptions are priced as one month.`,
    `- The OS comes from the bundle; without one it is assumed ${DEFAULT_OS}.`,
    "- Before = the batch's desktops now; after = the planned amount.",
    ...[...specs.keys()].map((s) => `- Spec: ${s}`),
    ...failures,
    "",
    "</details>",
  ];
}

export function renderMarkdown(
  batches: readonly BatchSummary[],
  options: { cost: boolean; diagnostics?: readonly string[] },
): string {
  const lines = [MARKER, "## Desktop changes (pulumi-ecd)", ""];
  // Errors first: a preview that failed plans nothing, or not everything.
  for (const message of options.diagnostics ?? []) lines.push(`> [!WARNING]\n> ${cell(message.trim())}`, "");
  const failed = (options.diagnostics ?? []).length > 0;
  if (batches.length === 0) {
    lines.push(
      failed
        ? "The preview failed before it planned any DesktopBatch."
        : "This plan touches no DesktopBatch.",
      "",
    );
    return lines.join("\n");
  }
  const loud = batches.flatMap(warnings);
  if (loud.length > 0) {
    lines.push("> [!CAUTION]", ...loud.flatMap((w, i) => [...(i > 0 ? [">"] : []), `> **⚠️ ${w}**`]), "");
  }
  const header = ["Batch", "Plan", "Desktops", "Create", "Release", "Replace", "Rebuild", "Stop/start"];
  if (options.cost) header.push("Cost / month");
  lines.push(
    `| ${header.join(" | ")} |`,
    `| ${header.map((_h, i) => (i >= 2 && i < 8 ? "---:" : "---")).join(" | ")} |`,
    ...batches.map((b) => countsRow(b, options.cost)),
  );
  if (batches.length > 1) lines.push(totalRow(batches, options.cost));
  lines.push("");
  if (options.cost) lines.push(...assumptions(batches), "");
  for (const batch of batches.filter((b) => b.kind !== "same")) lines.push(...batchSection(batch));
  return lines.join("\n");
}
