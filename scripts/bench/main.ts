/**
 * `npm run bench [-- --quick] [-- --no-cli] [-- --render raw.json] [-- --fleet]`: measures DesktopBatch against the
 * lower bound and the per-desktop model (scripts/bench/scenarios.ts), batches side by side under the rate limit, a
 * fleet of stacks on one account (fleet.ts), the provider's memory (memory.ts), and the real Pulumi CLI; prints
 * the Markdown and writes docs/benchmarks.md and docs/benchmarks.svg. `--fleet` runs only the fleet and replaces
 * its section in docs/benchmarks.md.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { format } from "prettier";
import { locatePulumiCli, REPO_ROOT } from "../lib/pulumiCli";
import type { SizeResult } from "./child";
import { buildForCli, runCliBench, type CliRow } from "./cliBench";
import type { MemoryResult } from "./memory";
import type { FleetRun } from "./fleet";
import type { AutomationRun } from "./fleetAutomation";
import { renderFleet, spliceFleet, type FleetResults } from "./fleetReport";
import { parseQps } from "../../provider/ecd/pacing";
import { lowerBound, total } from "./lowerBound";
import { perDesktopCalls, ranSteps, renderMarkdown, type BenchResults } from "./report";
import { ENGINE_PARALLEL, REALISTIC_DURATIONS, runParallel, type ParallelRun } from "./scenarios";
import { renderSvg, type Series } from "./svg";

const args = process.argv.slice(2);
// `npm run bench --quick` (without `--`) reaches the script only as npm_config_quick.
const quick = args.includes("--quick") || process.env.npm_config_quick === "true";
const withCli = !quick && !args.includes("--no-cli");
const SIZES = quick ? [1, 10, 100] : [1, 10, 100, 300, 1000, 3000];
const PER_DESKTOP_MAX = quick ? 10 : 1000;
const PER_DESKTOP_LIMITED_MAX = quick ? 10 : 300;
const CLI_COUNTS = [1, 10, 50];
/** Stacks in the fleet runs, each a batch of FLEET_BATCH (BENCH_FLEET=20,50 overrides the sizes). */
const FLEET_SIZES = process.env.BENCH_FLEET
  ? process.env.BENCH_FLEET.split(",").map(Number)
  : quick
    ? [5, 10]
    : [20, 50, 100];
const FLEET_BATCH = 50;
/** Stacks driven through the Automation API and the real CLI (real time: far fewer than FLEET_SIZES). */
const AUTOMATION_SIZES = quick ? [2] : [10, 20];
/** The emulator's assumed quotas for the actions a create uses (emulator/rateLimit.ts). */
const KNOWN_QPS_TEXT = "CreateDesktops=5,DescribeDesktops=20,ModifyDesktopName=10,UntagResources=10";

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Runs a bench script in a process of its own and returns the JSON of its last line. */
function runChild<T>(nodeArgs: string[], script: string, args: (string | number)[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...nodeArgs, "--import", "tsx", path.join(__dirname, script), ...args.map(String)],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${script} ${args.join(" ")} exited ${code}`));
      resolve(JSON.parse(out.trim().split("\n").pop()!) as T);
    });
  });
}

const MEASURED = ["provider", "emulator", "scripts", "sdk", "package.json", "package-lock.json"];

/** The commit measured, marked when the code measured differs from it. */
function revision(): string {
  const git = (...more: string[]) => execFileSync("git", more, { cwd: REPO_ROOT, encoding: "utf8" }).trim();
  try {
    // Only what runs in the measurement counts: documentation may change after the figures.
    const dirty = git("status", "--porcelain", "--", ...MEASURED);
    return `${git("rev-parse", "--short", "HEAD")}${dirty ? " with uncommitted changes" : ""}`;
  } catch {
    return "unknown commit";
  }
}

function machine(): string {
  const cpus = os.cpus();
  return (
    `${cpus[0]?.model.trim() ?? "unknown CPU"}, ${cpus.length} CPUs (shared with other jobs), ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}`
  );
}

function chart(results: BenchResults): string {
  const sumCalls = (run: SizeResult["batch"]) => run.steps.reduce((a, s) => a + s.total, 0);
  const sumWall = (run: SizeResult["batch"]) => run.steps.reduce((a, s) => a + s.wallMs, 0) / 1000;
  const measured = results.sizes.filter((s) => s.perDesktop);
  const perDesktopAll = results.sizes.map((s) => ({
    x: s.n,
    y: ranSteps(s).reduce((a, step) => a + (perDesktopCalls(results, s.n, step)?.calls ?? 0), 0),
  }));
  const calls: Series[] = [
    {
      label: "lower bound",
      color: "#2a9d8f",
      points: results.sizes.map((s) => ({
        x: s.n,
        y: ranSteps(s).reduce((a, step) => a + total(lowerBound(step, s.n, REALISTIC_DURATIONS).calls), 0),
      })),
    },
    {
      label: "DesktopBatch",
      color: "#264653",
      points: results.sizes.map((s) => ({ x: s.n, y: sumCalls(s.batch) })),
    },
    {
      label: "per-desktop",
      color: "#e76f51",
      points: measured.map((s) => ({ x: s.n, y: sumCalls(s.perDesktop!) })),
    },
    {
      label: "per-desktop (scaled)",
      color: "#e76f51",
      dashed: true,
      points: perDesktopAll.filter((p) => p.x >= (measured[measured.length - 1]?.n ?? Infinity)),
    },
  ];
  const wall: Series[] = [
    {
      label: "DesktopBatch",
      color: "#264653",
      points: results.sizes.map((s) => ({ x: s.n, y: sumWall(s.batch) })),
    },
    {
      label: "per-desktop",
      color: "#e76f51",
      points: measured.map((s) => ({ x: s.n, y: sumWall(s.perDesktop!) })),
    },
  ];
  return renderSvg(
    [
      { title: "ECD calls, whole lifecycle", yLabel: "calls", series: calls },
      { title: "Wall time, whole lifecycle", yLabel: "seconds", series: wall },
    ],
    `npm run bench${results.quick ? " --quick" : ""}, ${results.date}; log scales`,
  );
}

async function write(results: BenchResults): Promise<void> {
  // Formatted as `npm run lint` checks it, so that a rerun leaves the repository clean.
  const markdown = await format(renderMarkdown(results), { parser: "markdown", printWidth: 110 });
  const docs = path.join(REPO_ROOT, "docs");
  fs.writeFileSync(path.join(docs, "benchmarks.md"), markdown);
  fs.writeFileSync(path.join(docs, "benchmarks.svg"), chart(results));
  process.stdout.write(markdown);
}

/** Every fleet size as independent processes and as one process, side by side. */
async function runFleet(): Promise<FleetResults> {
  log("fleet: one stack alone ...");
  const alone = await runChild<FleetRun>([], "fleet.ts", [1, FLEET_BATCH, "one"]);
  const runs: FleetRun[] = [];
  for (const n of FLEET_SIZES) {
    log(`fleet: ${n} stacks x ${FLEET_BATCH}, independent processes ...`);
    runs.push(await runChild<FleetRun>([], "fleet.ts", [n, FLEET_BATCH, "independent"]));
    log(`fleet: ${n} stacks x ${FLEET_BATCH}, one process ...`);
    runs.push(await runChild<FleetRun>([], "fleet.ts", [n, FLEET_BATCH, "one"]));
  }
  const automation: AutomationRun[] = [];
  let automationSkipped: string | undefined;
  try {
    const cliDir = locatePulumiCli({ quiet: true });
    log("building the SDK for the Automation API fleet ...");
    buildForCli();
    for (const n of AUTOMATION_SIZES) {
      log(`fleet: ${n} stacks x ${FLEET_BATCH} through the Automation API ...`);
      automation.push(await runChild<AutomationRun>([], "fleetAutomation.ts", [n, FLEET_BATCH, cliDir]));
    }
  } catch (error) {
    automationSkipped = `the Pulumi CLI run failed: ${(error as Error).message.split("\n")[0]}`;
    log(automationSkipped);
  }
  return { runs, aloneMs: alone.totalMs, automation, automationSkipped };
}

async function main(): Promise<void> {
  const renderOnly = args.indexOf("--render");
  if (renderOnly >= 0) {
    // Re-renders the docs from the raw figures of an earlier run (report or chart changes only).
    return write(JSON.parse(fs.readFileSync(args[renderOnly + 1], "utf8")) as BenchResults);
  }
  if (args.includes("--fleet") || process.env.npm_config_fleet === "true") {
    const fleet = await runFleet();
    const raw = path.join(os.tmpdir(), "pulumi-ecd-bench-fleet.json");
    fs.writeFileSync(raw, `${JSON.stringify(fleet, null, 1)}\n`);
    log(`raw figures: ${raw}`);
    const file = path.join(REPO_ROOT, "docs", "benchmarks.md");
    const section = `${renderFleet(fleet)}\nMeasured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, commit ${revision()}, on ${machine()}.\n`;
    const markdown = await format(spliceFleet(fs.readFileSync(file, "utf8"), section), {
      parser: "markdown",
      printWidth: 110,
    });
    fs.writeFileSync(file, markdown);
    process.stdout.write(`${section}\n`);
    return;
  }
  const sizes: SizeResult[] = [];
  for (const n of SIZES) {
    log(`N = ${n} ...`);
    sizes.push(await runChild<SizeResult>([], "child.ts", [n, PER_DESKTOP_MAX, PER_DESKTOP_LIMITED_MAX]));
  }
  const memory: MemoryResult[] = [];
  for (const n of SIZES) {
    log(`memory, N = ${n} ...`);
    memory.push(await runChild<MemoryResult>(["--expose-gc"], "memory.ts", [n]));
  }
  const [big, many, each] = quick ? [100, 10, 10] : [1000, 20, 50];
  log(`batches side by side: 1 x ${big}, ${many} x ${each} ...`);
  const parallel: ParallelRun[] = [
    await runParallel(`1 x ${big}`, 1, big, false),
    await runParallel(`${many} x ${each}, one provider process (one pacing budget)`, many, each, false),
    await runParallel(`${many} x ${each}, ${many} independent clients`, many, each, true),
    await runParallel(
      `${many} x ${each}, one provider process, quotas known (PULUMI_ECD_QPS)`,
      many,
      each,
      false,
      parseQps(KNOWN_QPS_TEXT),
    ),
  ];
  const fleet = await runFleet();
  let cli: CliRow[] | undefined;
  let cliSkipped: string | undefined = withCli ? undefined : "`--quick` or `--no-cli`";
  if (withCli) {
    try {
      const cliDir = locatePulumiCli({ quiet: true });
      log("building the SDK for the CLI stacks ...");
      buildForCli();
      log("Pulumi CLI stacks ...");
      cli = await runCliBench(cliDir, CLI_COUNTS, log);
    } catch (error) {
      cliSkipped = `the Pulumi CLI run failed: ${(error as Error).message.split("\n")[0]}`;
      log(cliSkipped);
    }
  }
  const results: BenchResults = {
    quick,
    sizes,
    memory,
    parallel,
    fleet,
    cli,
    cliSkipped,
    parallelism:
      `${ENGINE_PARALLEL} resources at a time: the engine's default \`--parallel\`, which \`pulumi up --help\` ` +
      `of v3.274.1 gives as 4 × the CPUs (${ENGINE_PARALLEL} on a 2-CPU machine; older CLIs: unbounded).`,
    machine: machine(),
    date: `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, commit ${revision()}`,
    perDesktopMax: PER_DESKTOP_MAX,
    perDesktopLimitedMax: PER_DESKTOP_LIMITED_MAX,
    knownQps: KNOWN_QPS_TEXT,
  };
  const raw = path.join(os.tmpdir(), "pulumi-ecd-bench.json");
  fs.writeFileSync(raw, `${JSON.stringify(results, null, 1)}\n`);
  log(`raw figures: ${raw} (npm run bench -- --render ${raw} re-renders the docs from them)`);
  await write(results);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
