/**
 * `pulumi-ecd pr-summary [preview.json]`: reads `pulumi preview --json` (a file, or stdin) and writes a
 * Markdown summary of what the plan does to desktops, for a pull-request comment.
 */
import * as fs from "fs";
import { EcdClient } from "../provider/ecd";
import { CliIo, EXIT, readAll } from "./io";
import { Pricer } from "./prSummary/cost";
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from "./prSummary/markdown";
import { PreviewDigest, PreviewJsonError, SECRET, isKnown, parsePreviewJson } from "./prSummary/previewJson";
import { BatchSummary, releasesDesktops, replacesDesktops, summarise, withCost } from "./prSummary/summarise";

export { GITHUB_COMMENT_LIMIT };

/** Exit codes a workflow can gate on, beyond the shared ones. */
export const PR_SUMMARY_EXIT = { replaces: 3, releases: 4, previewFailed: 5 } as const;

export const PR_SUMMARY_HELP = `Usage: pulumi-ecd pr-summary [options] [preview.json]

Reads the output of \`pulumi preview --json\` (from the file, or stdin when none is given) and writes a
GitHub-flavoured Markdown summary of every DesktopBatch in it: desktops created, released, replaced, rebuilt
and restarted, which inputs change and how, drift seen by --refresh, warnings, and the monthly cost change.

Options:
  --no-cost            do not call DescribePrice
  --region <id>        region for pricing (default: the batch's regionId, then ALIBABA_CLOUD_REGION_ID /
                       ALICLOUD_REGION, then the preview's alicloud:region config)
  --endpoint <url>     ECD endpoint for pricing (default: ALIBABA_CLOUD_ECD_ENDPOINT, then the preview's
                       ecd:endpoint config, then https://ecd.<region>.aliyuncs.com)
  --output <file>      write the Markdown to a file instead of stdout
  --fail-on-replace    exit ${PR_SUMMARY_EXIT.replaces} when the plan replaces a batch that has desktops
  --fail-on-release    exit ${PR_SUMMARY_EXIT.releases} when the plan releases any desktop (replace, delete, scale-down)
  -h, --help           this text

Credentials for pricing: ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (or ALICLOUD_ACCESS_KEY /
ALICLOUD_SECRET_KEY). Pricing failures are reported in the summary and never change the exit code.

The summary stays under GitHub's limit for a comment (${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")} characters): long lists keep their first
entries, and a summary that is still too long is cut at the end with a note at the top.

Exit codes: 0 summary written; 1 error; 2 bad arguments; ${PR_SUMMARY_EXIT.replaces} replace (with --fail-on-replace);
${PR_SUMMARY_EXIT.releases} release (with --fail-on-release; checked after replace); ${PR_SUMMARY_EXIT.previewFailed} the preview failed (the summary
says why; checked first). The reason for a non-zero exit is also printed on stderr.
`;

export interface PrSummaryOptions {
  readonly file?: string;
  readonly cost: boolean;
  readonly region?: string;
  readonly endpoint?: string;
  readonly output?: string;
  readonly failOnReplace: boolean;
  readonly failOnRelease: boolean;
}

export function parsePrSummaryArgs(argv: readonly string[]): PrSummaryOptions | string {
  const options: { -readonly [K in keyof PrSummaryOptions]: PrSummaryOptions[K] } = {
    cost: true,
    failOnReplace: false,
    failOnRelease: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string | undefined => argv[++i];
    if (arg === "--no-cost") options.cost = false;
    else if (arg === "--fail-on-replace") options.failOnReplace = true;
    else if (arg === "--fail-on-release") options.failOnRelease = true;
    else if (arg === "--region" || arg === "--endpoint" || arg === "--output") {
      const given = value();
      if (given === undefined) return `${arg} needs a value`;
      options[arg.slice(2) as "region" | "endpoint" | "output"] = given;
    } else if (arg.startsWith("-") && arg !== "-") return `unknown option ${arg}`;
    else if (options.file !== undefined) return `only one preview file, got ${options.file} and ${arg}`;
    else options.file = arg;
  }
  return options;
}

const configText = (preview: PreviewDigest, key: string): string | undefined => {
  const value = preview.config[key];
  return typeof value === "string" && value !== "" && value !== SECRET ? value : undefined;
};

function pricerFor(
  options: PrSummaryOptions,
  preview: PreviewDigest,
  batches: readonly BatchSummary[],
  io: CliIo,
) {
  const fromInputs = batches
    .map((b) => (b.plan.new ?? b.plan.old)?.inputs.regionId)
    .find((r): r is string => typeof r === "string" && isKnown(r));
  const regionId =
    options.region ??
    fromInputs ??
    io.env.ALIBABA_CLOUD_REGION_ID ??
    io.env.ALICLOUD_REGION ??
    configText(preview, "alicloud:region");
  if (regionId === undefined) return "no region (give --region or set ALIBABA_CLOUD_REGION_ID)";
  const accessKeyId = io.env.ALIBABA_CLOUD_ACCESS_KEY_ID || io.env.ALICLOUD_ACCESS_KEY;
  const accessKeySecret = io.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET || io.env.ALICLOUD_SECRET_KEY;
  try {
    const client = new EcdClient({
      regionId,
      endpoint:
        options.endpoint ?? (io.env.ALIBABA_CLOUD_ECD_ENDPOINT || configText(preview, "ecd:endpoint") || ""),
      credentials: accessKeyId && accessKeySecret ? { accessKeyId, accessKeySecret } : undefined,
      // A summary should not hang a workflow on a slow pricing API, nor on an account's exhausted quota.
      retry: { maxAttempts: 2, throttleWindowMs: 30_000 },
      readTimeoutMs: 15_000,
    });
    return new Pricer(client);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export async function prSummaryCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const options = parsePrSummaryArgs(argv);
  if (typeof options === "string") {
    io.stderr.write(`pulumi-ecd pr-summary: ${options}\n\n${PR_SUMMARY_HELP}`);
    return EXIT.usage;
  }
  let preview: PreviewDigest;
  try {
    const text =
      options.file === undefined || options.file === "-"
        ? await readAll(io.stdin)
        : fs.readFileSync(options.file, "utf8");
    preview = parsePreviewJson(text);
  } catch (error) {
    const reason = error instanceof PreviewJsonError ? error.message : (error as Error).message;
    io.stderr.write(`pulumi-ecd pr-summary: ${options.file ?? "stdin"}: ${reason}\n`);
    return EXIT.error;
  }
  let batches = summarise(preview);
  if (options.cost && batches.length > 0) {
    const pricer = pricerFor(options, preview, batches, io);
    batches =
      typeof pricer === "string"
        ? batches.map((b) => ({ ...b, cost: pricer }))
        : await withCost(batches, pricer);
  }
  const errors = preview.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
  const markdown = renderMarkdown(batches, { cost: options.cost, diagnostics: errors });
  if (options.output !== undefined) fs.writeFileSync(options.output, markdown);
  else io.stdout.write(markdown);
  const fail = (code: number, why: string): number => {
    io.stderr.write(`pulumi-ecd pr-summary: ${why}\n`);
    return code;
  };
  if (errors.length > 0) {
    return fail(
      PR_SUMMARY_EXIT.previewFailed,
      `the preview failed (${errors.length} error${errors.length === 1 ? "" : "s"}); see the summary`,
    );
  }
  if (options.failOnReplace && replacesDesktops(batches)) {
    const replaced = batches.filter((b) => b.counts.replaced && b.counts.before > 0);
    const what = replaced.map(
      (b) =>
        `${b.name}, destroying its ${b.counts.before} desktop${b.counts.before === 1 ? "" : "s"}` +
        (b.replaceReasons.length ? ` (${b.replaceReasons.join(", ")} changed)` : ""),
    );
    return fail(PR_SUMMARY_EXIT.replaces, `exit 3 (--fail-on-replace): the plan replaces ${what.join("; ")}`);
  }
  if (options.failOnRelease && releasesDesktops(batches)) {
    const what = batches
      .filter((b) => b.counts.release > 0)
      .map(
        (b) =>
          `${b.counts.release} desktop${b.counts.release === 1 ? "" : "s"} of ${b.name} (${
            b.counts.replaced ? "replaced" : b.kind === "delete" ? "the batch is deleted" : "scale-down"
          })`,
      );
    return fail(PR_SUMMARY_EXIT.releases, `exit 4 (--fail-on-release): the plan releases ${what.join("; ")}`);
  }
  return EXIT.ok;
}
