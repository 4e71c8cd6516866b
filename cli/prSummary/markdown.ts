/** Renders batch summaries as GitHub-flavoured Markdown a reviewer can read at a glance. */
import { HOURS_PER_MONTH, DEFAULT_OS, DesktopSpec } from "./cost";
import { ChangeHow } from "./inputChanges";
import { SECRET, UNKNOWN } from "./previewJson";
import { BatchSummary } from "./summarise";

/** The first line of every summary, so a workflow can find and update its own comment. */
export const MARKER = "<!-- pulumi-ecd pr-summary -->";

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
const count = (n: number): string => n.toLocaleString("en-US");

/** How many IDs a list shows before "and N more". */
const FIRST_IDS = 5;
/** How many lines of what the update does show before the rest is folded. */
const FIRST_LINES = 5;
/** Lines for one desktop each, that are grouped by what they say once there are more than this. */
const GROUP_AFTER = 3;

function idList(ids: readonly string[], format: (id: string) => string = code): string {
  const shown = ids.slice(0, FIRST_IDS).map(format).join(", ");
  return ids.length > FIRST_IDS ? `${shown} and ${count(ids.length - FIRST_IDS)} more` : shown;
}

const ID_RUN = /ecd-[a-z0-9]+(?:, ecd-[a-z0-9]+)+/g;

/**
 * The provider's lines, summarised: a list of IDs in a line keeps its first few, and lines for one desktop
 * each that say the same thing (names and numbers aside) become one line with a count and the first few IDs.
 */
export function condense(lines: readonly string[]): string[] {
  interface Group {
    readonly lines: string[];
    readonly ids: string[];
  }
  const groups = new Map<string, Group>();
  const out: (string | Group)[] = [];
  for (const line of lines.map((l) => l.replace(ID_RUN, (run) => idList(run.split(", "), (id) => id)))) {
    const id = /^(ecd-[a-z0-9]+) /.exec(line)?.[1];
    if (id === undefined) {
      out.push(line);
      continue;
    }
    const key = line
      .slice(id.length)
      .replace(/"[^"]*"/g, '"…"')
      .replace(/\d+/g, "#");
    let group = groups.get(key);
    if (group === undefined) {
      group = { lines: [], ids: [] };
      groups.set(key, group);
      out.push(group);
    }
    group.lines.push(line);
    group.ids.push(id);
  }
  return out.flatMap((entry) => {
    if (typeof entry === "string") return [entry];
    if (entry.ids.length <= GROUP_AFTER) return entry.lines;
    return [
      `${count(entry.ids.length)} desktops (${idList(entry.ids, (id) => id)}), each like: ${entry.lines[0]}`,
    ];
  });
}
/**
 * Quoted text (preview errors, the provider's lines) as Markdown text: GitHub drops a tag it does not know
 * (`Output<string>` reads `Output`) and renders one it knows (an unclosed `<details>` swallows the rest).
 * Code spans show their text as it is, so they are left alone.
 */
const text = (line: string): string =>
  line
    .split(/(`[^`\n]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/&/g, "&amp;").replace(/</g, "&lt;")))
    .join("");
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

/** In a replacement every input comes with the new batch; only those that force it say so. */
function changeHow(batch: BatchSummary, how: ChangeHow): string {
  return batch.kind === "replace" && how.kind !== "replace" ? "with the new batch (replaced)" : howText(how);
}

function changesTable(batch: BatchSummary): string[] {
  return [
    "| Input | Before | After | How |",
    "| --- | --- | --- | --- |",
    ...batch.changes.map(
      (c) =>
        `| ${[code(c.name), shown(c.before), shown(c.after), changeHow(batch, c.how)].map(cell).join(" | ")} |`,
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
      `- Drift: ${plural(drift.failed.length, "desktop")} of ${name} ${drift.failed.length === 1 ? "is" : "are"} Failed (${idList(drift.failed)}); this plan releases ${drift.failed.length === 1 ? "it" : "them"}${batch.counts.rebuild > 0 ? " and creates new ones" : ""}.`,
    );
  }
  return lines;
}

function batchSection(batch: BatchSummary): string[] {
  const lines = [`### ${code(batch.name)}: ${planWord[batch.kind].replace(/\*/g, "")}`, ""];
  const c = batch.counts;
  if (batch.kind === "create") lines.push(`Creates ${plural(c.create, "desktop")}.`, "");
  if (batch.kind === "delete") lines.push(`Releases all ${plural(c.release, "desktop")}.`, "");
  const moves = c.power;
  const respec = batch.changes.some((ch) => ch.how.kind === "update" && ch.how.api === "ModifyDesktopSpec");
  if (respec && c.stopStart > 0)
    lines.push(
      `${plural(c.stopStart, "desktop")} will be stopped, changed with ModifyDesktopSpec and started again.`,
      "",
    );
  if (moves.started.length > 0)
    lines.push(`${plural(moves.started.length, "desktop")} will be started (powerState Running).`, "");
  if (moves.stopped.length > 0) {
    const mode = batch.plan.new?.inputs.stoppedMode === "KeepCharging" ? "KeepCharging" : "StopCharging";
    lines.push(
      `${plural(moves.stopped.length, "desktop")} will be stopped (powerState Stopped, ${mode}).`,
      "",
    );
  }
  if (moves.woken.length > 0)
    lines.push(
      `${plural(moves.woken.length, "stopped desktop")} will be started for the policy or user change, then stopped again.`,
      "",
    );
  const drift = driftLines(batch);
  if (drift.length > 0) lines.push(...drift, "");
  const says = condense(batch.providerSays).map((line) => `- ${text(line)}`);
  if (says.length > 0)
    lines.push("What the update does to the live desktops:", "", ...says.slice(0, FIRST_LINES), "");
  if (says.length > FIRST_LINES)
    lines.push(
      `<details><summary>${count(says.length - FIRST_LINES)} more</summary>`,
      "",
      ...says.slice(FIRST_LINES),
      "",
      "</details>",
      "",
    );
  if (batch.changes.length > 0) lines.push(...changesTable(batch), "");
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
    ...(batches.some((b) => b.stoppedUnpriced)
      ? [
          "- Stopped pay-as-you-go desktops (powerState `Stopped`, stoppedMode `StopCharging`) are priced at 0: their compute is not billed while stopped; their disks still are, and are not included.",
        ]
      : []),
    ...[...specs.keys()].map((s) => `- Spec: ${s}`),
    ...failures,
    "",
    "</details>",
  ];
}

/** GitHub refuses a comment longer than this (characters). */
export const GITHUB_COMMENT_LIMIT = 65_536;

export function renderMarkdown(
  batches: readonly BatchSummary[],
  options: { cost: boolean; diagnostics?: readonly string[]; limit?: number },
): string {
  const errors = options.diagnostics ?? [];
  const failed = errors.length > 0;
  const lines = [MARKER, `## Desktop changes (pulumi-ecd)${failed ? ": the preview failed" : ""}`, ""];
  // A failed preview planned nothing, or not everything: what it did plan is no plan to approve.
  if (failed) {
    lines.push(
      "> [!CAUTION]",
      "> **The preview failed**: there is no plan to review. Its errors:",
      ...errors.flatMap((message) => [
        ">",
        ...message
          .trim()
          .split("\n")
          .map((l) => `> ${text(l)}`),
      ]),
      "",
    );
  }
  const planned = failed ? batches.filter((b) => b.kind !== "same") : batches;
  if (planned.length === 0) {
    lines.push(
      failed
        ? "The preview failed before it planned any change to a DesktopBatch."
        : "This plan touches no DesktopBatch.",
      "",
    );
    return fit(lines, options.limit ?? GITHUB_COMMENT_LIMIT);
  }
  if (failed) lines.push("What the preview had planned before it failed (incomplete):", "");
  const loud = planned.flatMap(warnings);
  if (loud.length > 0) {
    lines.push("> [!CAUTION]", ...loud.flatMap((w, i) => [...(i > 0 ? [">"] : []), `> **⚠️ ${w}**`]), "");
  }
  const header = ["Batch", "Plan", "Desktops", "Create", "Release", "Replace", "Rebuild", "Stop/start"];
  if (options.cost) header.push("Cost / month");
  lines.push(
    `| ${header.join(" | ")} |`,
    `| ${header.map((_h, i) => (i >= 2 && i < 8 ? "---:" : "---")).join(" | ")} |`,
    ...planned.map((b) => countsRow(b, options.cost)),
  );
  if (planned.length > 1) lines.push(totalRow(planned, options.cost));
  lines.push("");
  if (options.cost) lines.push(...assumptions(planned), "");
  for (const batch of planned.filter((b) => b.kind !== "same")) lines.push(...batchSection(batch));
  return fit(lines, options.limit ?? GITHUB_COMMENT_LIMIT);
}

const SHORTENED_TAIL = "_… shortened here: the rest is in `pulumi preview`'s output._";

/**
 * The summary within `limit` characters: when it is longer, the lines that fit (the warnings and the table come
 * first), a note at the top saying so, and any `<details>` left open closed.
 */
function fit(lines: readonly string[], limit: number): string {
  const full = lines.join("\n");
  if (full.length <= limit) return full;
  const [head, body] = [lines.slice(0, 3), lines.slice(3)];
  const render = (shown: number): string => {
    const kept = body.slice(0, shown);
    const open =
      kept.filter((l) => l.startsWith("<details>")).length - kept.filter((l) => l === "</details>").length;
    return [
      ...head,
      `> **This summary was shortened to fit GitHub's limit of ${count(limit)} characters for a comment**: ${count(head.length + shown)} of ${count(lines.length)} lines are shown. The full plan is in \`pulumi preview\`'s output.`,
      "",
      ...kept,
      "",
      ...Array.from({ length: open }, () => "</details>"),
      "",
      SHORTENED_TAIL,
      "",
    ].join("\n");
  };
  // The longest prefix that fits: the warnings and the table come first, the details per batch last.
  let [low, high] = [0, body.length];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (render(mid).length <= limit) low = mid;
    else high = mid - 1;
  }
  return render(low);
}
