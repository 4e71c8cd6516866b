/**
 * The fleet through the Automation API (examples/fleet/fleet.ts) with the real Pulumi CLI: `n` stacks of
 * `perBatch` desktops, created at once, updated (policy, then users), destroyed, against the emulator's rate limit
 * in real time with lifecycles of seconds (the CLI cannot run on virtual time). Each stack's `up` is an engine
 * and a provider process of its own. Needs `npm run build` (the program loads pulumi-ecd from dist).
 *
 *   node --import tsx scripts/bench/fleetAutomation.ts <n> <perBatch> <cliDir>
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { qpsFor } from "../../emulator/rateLimit";
import type { FleetStack, StackOutcome } from "../../examples/fleet/fleet";
import { REPO_ROOT, tempDir } from "../lib/pulumiCli";

/** Seconds-long lifecycles: the CLI runs in real time. */
const DURATIONS = { createMs: 4_000, startMs: 1_000, stopMs: 1_000, deleteMs: 2_000, entitlementMs: 2_000 };

export interface AutomationRun {
  stacks: number;
  perBatch: number;
  failedSteps: number;
  errors: string[];
  calls: number;
  throttled: number;
  throttledBy: Record<string, number>;
  quotaBoundMs: number;
  boundBy: string;
  /** Real ms of the whole fleet (every phase), and of the fastest and slowest stack. */
  totalMs: number;
  fastestMs: number;
  slowestMs: number;
}

function fleet(
  emu: RunningEmulator,
  root: string,
  cliDir: string,
  action: "up" | "destroy",
): Promise<StackOutcome[]> {
  return new Promise((resolve, reject) => {
    const credential = emu.credentials[0];
    const child = spawn(process.execPath, ["--import", "tsx", "examples/fleet/fleet.ts", action], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PATH: `${cliDir}${path.delimiter}${process.env.PATH ?? ""}`,
        PULUMI_BACKEND_URL: `file://${path.join(root, "state")}`,
        PULUMI_HOME: path.join(root, ".pulumi-home"),
        PULUMI_CONFIG_PASSPHRASE: "fleet",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        FLEET_STACKS: path.join(root, "stacks.json"),
        ALIBABA_CLOUD_ACCESS_KEY_ID: credential.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: credential.accessKeySecret,
        ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
        ALIBABA_CLOUD_ECD_ENDPOINT: emu.url,
        PULUMI_ECD_POLL_INTERVAL_MS: "500",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    child.on("error", reject);
    child.on("close", () => {
      try {
        resolve(JSON.parse(output.trim().split("\n").pop() ?? "") as StackOutcome[]);
      } catch {
        reject(new Error(`examples/fleet ${action} printed no summary:\n${output.slice(-3000)}`));
      }
    });
  });
}

export async function runAutomation(n: number, perBatch: number, cliDir: string): Promise<AutomationRun> {
  const emu = await startEmulator({ durations: DURATIONS, faults: { rateLimit: true } });
  const root = tempDir("ecd-fleet-bench-");
  fs.mkdirSync(path.join(root, "state"));
  const write = (change: Partial<FleetStack>) =>
    fs.writeFileSync(
      path.join(root, "stacks.json"),
      JSON.stringify(
        Array.from({ length: n }, (_, i) => ({
          name: `team-${i}`,
          amount: perBatch,
          endUserIds: ["alice", "bob"],
          ...change,
        })),
      ),
    );
  const phases: [string, Partial<FleetStack>, "up" | "destroy"][] = [
    ["create", {}, "up"],
    ["policy", { policyGroupId: "pg-emu-custom-0001" }, "up"],
    ["users", { policyGroupId: "pg-emu-custom-0001", endUserIds: ["alice", "carol"] }, "up"],
    ["delete", { policyGroupId: "pg-emu-custom-0001", endUserIds: ["alice", "carol"] }, "destroy"],
  ];
  const perStack = new Map<string, number>();
  const errors: string[] = [];
  let failedSteps = 0;
  const t0 = performance.now();
  try {
    for (const [phase, change, action] of phases) {
      write(change);
      process.stderr.write(`  automation ${n} x ${perBatch}: ${phase} ...\n`);
      for (const o of await fleet(emu, root, cliDir, action)) {
        perStack.set(o.stack, (perStack.get(o.stack) ?? 0) + o.ms);
        if (o.result === "failed") {
          failedSteps += 1;
          if (errors.length < 3) errors.push(`${phase} ${o.stack}: ${o.error?.split("\n").pop()}`);
        }
      }
    }
    const totalMs = performance.now() - t0;
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
    const times = [...perStack.values()];
    return {
      stacks: n,
      perBatch,
      failedSteps,
      errors,
      calls: entries.length,
      throttled: Object.values(throttledBy).reduce((a, b) => a + b, 0),
      throttledBy,
      quotaBoundMs,
      boundBy,
      totalMs,
      fastestMs: Math.min(...times),
      slowestMs: Math.max(...times),
    };
  } finally {
    await emu.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [n, perBatch, cliDir] = process.argv.slice(2);
  runAutomation(Number(n), Number(perBatch), cliDir)
    .then((run) => process.stdout.write(`${JSON.stringify(run)}\n`))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
