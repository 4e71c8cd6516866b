/**
 * A fleet on one account (issue 22): `n` stacks, each a DesktopBatch of `perBatch` desktops taken through
 * create → policy → users → delete, all at once against one rate-limited emulator and one access key.
 *
 * - independent: each stack in a real child process of its own (fleetChild.ts), its own provider and budget,
 *   as N CI jobs are. The processes share the emulator's virtual time: each reports when all its work sleeps,
 *   and the clock jumps once every process sleeps (a discrete-event simulation across processes), so minutes of
 *   provisioning pass in seconds and the figures do not depend on how busy the machine is.
 * - one process: every stack served from this process with one pacing budget (scenarios.ts' virtual time).
 */
import { fork, type ChildProcess } from "child_process";
import * as path from "path";
import { performance } from "perf_hooks";
import { ManualClock, startEmulator, type RunningEmulator } from "../../emulator";
import { qpsFor } from "../../emulator/rateLimit";
import { Pacer } from "../../provider/ecd/pacing";
import type { ChildMessage } from "./fleetChild";
import { runStack, type StackResult } from "./fleetJob";
import { REALISTIC_DURATIONS } from "./scenarios";
import { VirtualTime } from "./virtualTime";

export interface FleetRun {
  mode: "independent processes" | "one process";
  stacks: number;
  perBatch: number;
  failedSteps: number;
  /** The first failures, for the report. */
  errors: string[];
  calls: number;
  throttled: number;
  throttledBy: Record<string, number>;
  /** Emulated ms from the start to the last stack's end. */
  totalMs: number;
  /** Calls that passed, per action, over that action's quota: the least time the quota allows. */
  quotaBoundMs: number;
  /** The action that sets the bound. */
  boundBy: string;
  fastestMs: number;
  slowestMs: number;
  wallMs: number;
}

async function emulator(): Promise<{ emu: RunningEmulator; clock: ManualClock }> {
  const clock = new ManualClock(0);
  const emu = await startEmulator({ clock, durations: REALISTIC_DURATIONS, faults: { rateLimit: true } });
  return { emu, clock };
}

function summarize(
  mode: FleetRun["mode"],
  perBatch: number,
  emu: RunningEmulator,
  stacks: StackResult[],
  totalMs: number,
  wallMs: number,
): FleetRun {
  const entries = emu.calls.entries();
  const passed: Record<string, number> = {};
  const throttledBy: Record<string, number> = {};
  for (const c of entries) {
    if (c.fault === "rateLimit") throttledBy[c.action] = (throttledBy[c.action] ?? 0) + 1;
    else passed[c.action] = (passed[c.action] ?? 0) + 1;
  }
  let quotaBoundMs = 0;
  let boundBy = "";
  for (const [action, k] of Object.entries(passed)) {
    const ms = (k / qpsFor(action)) * 1000;
    if (ms > quotaBoundMs) [quotaBoundMs, boundBy] = [ms, action];
  }
  const failed = stacks.flatMap((s) => s.steps.filter((step) => step.error));
  const times = stacks.map((s) => s.finishedMs);
  return {
    mode,
    stacks: stacks.length,
    perBatch,
    failedSteps: failed.length,
    errors: failed.slice(0, 3).map((f) => `${f.step}: ${f.error}`),
    calls: entries.length,
    throttled: entries.length - Object.values(passed).reduce((a, b) => a + b, 0),
    throttledBy,
    totalMs,
    quotaBoundMs,
    boundBy,
    fastestMs: Math.min(...times),
    slowestMs: Math.max(...times),
    wallMs,
  };
}

/** Every stack in a child process of its own, started together. */
export async function runIndependent(
  n: number,
  perBatch: number,
  log: (line: string) => void,
): Promise<FleetRun> {
  const { emu, clock } = await emulator();
  const children: ChildProcess[] = [];
  const stderr = new Map<ChildProcess, string>();
  try {
    log(`  starting ${n} processes ...`);
    const ready = Array.from({ length: n }, () => {
      const child = fork(path.join(__dirname, "fleetChild.ts"), [], {
        execArgv: ["--import", "tsx"],
        stdio: ["ignore", "ignore", "pipe", "ipc"],
      });
      children.push(child);
      // Kept for an error: each process would otherwise print its plain-http notice.
      child.stderr!.on("data", (chunk: Buffer) => stderr.set(child, (stderr.get(child) ?? "") + chunk));
      return new Promise<void>((resolve, reject) => {
        child.once("message", () => resolve());
        child.once("error", reject);
      });
    });
    await Promise.all(ready);
    log(`  ${n} processes ready; running ...`);
    const wall0 = performance.now();
    // Each child: busy (undefined), asleep until a time, or done.
    const asleep = new Map<ChildProcess, number>();
    const results: StackResult[] = [];
    await new Promise<void>((resolve, reject) => {
      const step = (): void => {
        if (results.length === n) return resolve();
        if (asleep.size + results.length < n) return;
        const next = Math.min(...asleep.values());
        if (!Number.isFinite(next)) return reject(new Error("every process waits for nothing"));
        if (next > clock.now()) clock.set(next);
        for (const [child, at] of asleep) {
          if (at > next) continue;
          asleep.delete(child);
          child.send({ now: clock.now() });
        }
      };
      children.forEach((child, stack) => {
        child.on("message", (m: ChildMessage) => {
          if ("quiet" in m) asleep.set(child, m.quiet);
          if ("done" in m) results.push(m.done as StackResult);
          step();
        });
        child.on("exit", (code) => {
          if (code !== 0)
            reject(new Error(`stack ${stack}'s process exited ${code}: ${stderr.get(child)?.slice(-2000)}`));
        });
        child.send({
          start: { url: emu.url, credentials: emu.credentials[0], stack, perBatch, now: clock.now() },
        });
      });
    });
    return summarize("independent processes", perBatch, emu, results, clock.now(), performance.now() - wall0);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
    await emu.close();
  }
}

/** Every stack served from this process, one pacing budget for all (what one provider process does). */
export async function runOneProcess(n: number, perBatch: number): Promise<FleetRun> {
  const { emu, clock } = await emulator();
  try {
    const vt = new VirtualTime(clock);
    const world = { url: emu.url, credentials: emu.credentials[0], clock, vt, close: async () => undefined };
    const shared = new Pacer({ clock: vt });
    const wall0 = performance.now();
    const results = await Promise.all(
      Array.from({ length: n }, (_, stack) => runStack(world, stack, perBatch, () => shared)),
    );
    return summarize("one process", perBatch, emu, results, clock.now(), performance.now() - wall0);
  } finally {
    await emu.close();
  }
}

if (require.main === module) {
  const [n = "5", perBatch = "50", mode = "independent"] = process.argv.slice(2);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  (mode === "one"
    ? runOneProcess(Number(n), Number(perBatch))
    : runIndependent(Number(n), Number(perBatch), log)
  )
    .then((run) => process.stdout.write(`${JSON.stringify(run)}\n`))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
