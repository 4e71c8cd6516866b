/**
 * Helpers for the identity and recovery end-to-end tests: a throwaway copy of the `fleet` program
 * (test/e2e/programs/fleet) with its own file:// backend, run through the real CLI — to completion, or started so
 * that a test can SIGKILL the CLI, its language host, the program and the dynamic provider at once, as a crashed
 * machine or a killed CI job would. The CLI starts each plugin in a process group of its own, so killing the
 * CLI's group alone would leave the provider alive, free to go on with the create.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { RunningEmulator } from "../../emulator";
import { CliResult, PulumiStack, REPO_ROOT, tempDir } from "../../scripts/lib/pulumiCli";

export const REGION = "cn-hangzhou";
const PROGRAM = path.join(REPO_ROOT, "test", "e2e", "programs", "fleet");

/** Links every installed package, and pulumi-ecd as this checkout, into `modules`. */
function linkModules(modules: string): void {
  fs.mkdirSync(modules, { recursive: true });
  for (const entry of fs.readdirSync(path.join(REPO_ROOT, "node_modules"))) {
    if (entry === "pulumi-ecd" || entry.startsWith(".")) continue;
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", entry), path.join(modules, entry), "dir");
  }
  fs.symlinkSync(REPO_ROOT, path.join(modules, "pulumi-ecd"), "dir");
}

/** What one CLI invocation printed, for the transcript a failing test shows. */
export interface Step {
  command: string;
  code: number | null;
  output: string;
}

/** A started CLI run that can be killed with everything it started. */
export interface KillableRun {
  pid: number;
  /** Resolves when the CLI has exited (whatever the cause). */
  exited: Promise<Step>;
  /**
   * SIGKILL to every process group of the run: the CLI's own, and those of the language host (with the program
   * under it) and the dynamic provider plugin, which the CLI starts in groups of their own. Returns the processes
   * killed.
   */
  killAll(): { pid: number; args: string }[];
  /** SIGKILL to the CLI's own process group only, as `kill -9 -<pid>` would; returns the processes that live on. */
  killCli(): { pid: number; args: string }[];
}

interface ProcessRow {
  pid: number;
  ppid: number;
  pgid: number;
  args: string;
}

function processTable(): ProcessRow[] {
  const out = execFileSync("ps", ["-eo", "pid=,ppid=,pgid=,args="], { encoding: "utf8" });
  return out
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), pgid: Number(m[3]), args: m[4] }));
}

/** The process and all its descendants. */
export function processTree(root: number): ProcessRow[] {
  const table = processTable();
  const tree = table.filter((row) => row.pid === root);
  for (let i = 0; i < tree.length; i++) tree.push(...table.filter((row) => row.ppid === tree[i].pid));
  return tree;
}

/** Whether a process still exists; a zombie (dead, not yet reaped) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** SIGKILL; a process (or group) that is already gone is fine. */
export function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

export class Fleet {
  readonly root: string;
  readonly programDir: string;
  readonly backendDir: string;
  stack: PulumiStack;
  readonly transcript: Step[] = [];

  constructor(
    private readonly cliDir: string,
    emu: RunningEmulator,
    env: Record<string, string> = {},
    private stackName = "e2e",
  ) {
    this.root = tempDir("ecd-fleet-");
    this.programDir = path.join(this.root, "fleet");
    this.backendDir = path.join(this.root, "state");
    fs.cpSync(PROGRAM, this.programDir, { recursive: true });
    linkModules(path.join(this.root, "node_modules"));
    const [credential] = emu.credentials;
    this.stack = new PulumiStack({
      cliDir,
      programDir: this.programDir,
      stack: this.stackName,
      backendDir: this.backendDir,
      env: {
        ALIBABA_CLOUD_ACCESS_KEY_ID: credential.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: credential.accessKeySecret,
        ALIBABA_CLOUD_REGION_ID: REGION,
        ALIBABA_CLOUD_ECD_ENDPOINT: emu.url,
        PULUMI_ECD_POLL_INTERVAL_MS: "100",
        ...env,
      },
    });
  }

  /** `pulumi stack rename <name>`; later commands address the stack by its new name. */
  async renameStack(name: string): Promise<void> {
    await this.run("stack", "rename", name);
    this.stackName = name;
    this.stack = this.stack.renamed(name);
  }

  async init(): Promise<void> {
    fs.mkdirSync(this.backendDir, { recursive: true });
    await this.run("stack", "init", this.stackName);
  }

  /** `pulumi <args>`; rejects on a non-zero exit (what the CLI printed is in the transcript). */
  async run(...args: string[]): Promise<string> {
    const result = await this.runAllowingFailure(...args);
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}`);
    return result.stdout + result.stderr;
  }

  async runAllowingFailure(...args: string[]): Promise<CliResult> {
    const result = await this.stack.run(args, { allowFailure: true });
    this.record(args, result);
    return result;
  }

  private record(args: string[], result: CliResult): void {
    this.transcript.push({
      command: `pulumi ${args.join(" ")}`,
      code: result.code,
      output: result.stdout + result.stderr,
    });
  }

  /** Starts `pulumi <args>` in a process group of its own (never the test runner's), to be killed with killAll. */
  start(...args: string[]): KillableRun {
    const fullArgs = [...args, "--non-interactive", "--color", "never", "--stack", this.stackName];
    const child = spawn(path.join(this.cliDir, "pulumi"), fullArgs, {
      cwd: this.programDir,
      env: this.stack.env,
      detached: true,
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    const exited = new Promise<Step>((resolve) =>
      child.on("close", (code, signal) => {
        const step = { command: `pulumi ${args.join(" ")} (killed: ${signal ?? "no"})`, code, output };
        this.transcript.push(step);
        resolve(step);
      }),
    );
    return {
      pid: child.pid!,
      exited,
      killAll: () => {
        const tree = processTree(child.pid!);
        // Only groups led by a process of the run: never one the test runner belongs to.
        const leaders = tree.filter((row) => row.pgid === row.pid);
        for (const leader of leaders) kill(-leader.pgid);
        for (const row of tree) kill(row.pid);
        return tree.map(({ pid, args }) => ({ pid, args }));
      },
      killCli: () => {
        const tree = processTree(child.pid!);
        kill(-child.pid!);
        return tree.filter((row) => row.pgid !== child.pid).map(({ pid, args }) => ({ pid, args }));
      },
    };
  }

  async outputs(): Promise<{ batchId: string; urn: string; desktopIds: string[] }> {
    return (await this.stack.outputs()) as { batchId: string; urn: string; desktopIds: string[] };
  }

  /** The stack's checkpoint, as `pulumi stack export` shows it. */
  async state(): Promise<{ deployment: { resources?: unknown[]; pending_operations?: unknown[] } }> {
    return JSON.parse(await this.stack.exportState());
  }

  /** The transcript, each command followed by its output trimmed to the last `lines` lines. */
  describe(lines = 40): string {
    return this.transcript
      .map((step) => {
        const tail = step.output.trimEnd().split("\n").slice(-lines).join("\n");
        return `$ ${step.command}  [exit ${step.code}]\n${tail}`;
      })
      .join("\n\n");
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** The emulator's desktops that are not Deleted. */
export function liveDesktops(emu: RunningEmulator) {
  return emu.backend.describeDesktops(REGION).filter((d) => d.DesktopStatus !== "Deleted");
}

export function tagOf(desktop: { Tags?: { Key: string; Value: string }[] }, key: string): string | undefined {
  return desktop.Tags?.find((tag) => tag.Key === key)?.Value;
}

/**
 * Resolves with the first call to `action` the emulator receives, when it arrives (before latency, before it is
 * applied) — the emulator's call log only records calls once answered.
 */
export function nextArrival(emu: RunningEmulator, action: string): Promise<void> {
  const faults = emu.faults;
  const original = faults.apply.bind(faults);
  return new Promise((resolve) => {
    faults.apply = (name, run, ...rest) => {
      if (name === action) {
        faults.apply = original;
        resolve();
      }
      return original(name, run, ...rest);
    };
  });
}

/** Polls `condition` every 50 ms until it holds; rejects with `what` after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
