/**
 * Many stacks from one machine: the Pulumi Automation API runs one stack per team in parallel, each an inline
 * program with one DesktopBatch. Stacks, state, locking and history stay Pulumi's; this file only says which
 * stacks exist and starts them together.
 *
 *   npx tsx examples/fleet/fleet.ts up        # create or update every stack in stacks.json
 *   npx tsx examples/fleet/fleet.ts destroy   # destroy them
 *
 * Needs the `pulumi` CLI on PATH and a backend (`PULUMI_BACKEND_URL`, e.g. file://~/.pulumi-fleet, or Pulumi
 * Cloud); credentials, region and endpoint come from the environment (ALIBABA_CLOUD_* variables), as for any
 * stack. FLEET_STACKS names another stacks file.
 */
import * as fs from "fs";
import * as path from "path";
import { LocalWorkspace, type PulumiFn } from "@pulumi/pulumi/automation";
import { DesktopBatch } from "pulumi-ecd";

/** One stack of the fleet: who it is for and what it holds. */
export interface FleetStack {
  name: string;
  amount: number;
  endUserIds: string[];
  policyGroupId?: string;
}

export interface StackOutcome {
  stack: string;
  result: "succeeded" | "failed";
  /** Resource operations by kind (create, update, delete, same), from Pulumi's summary. */
  changes?: Record<string, number>;
  desktops?: number;
  error?: string;
  /** How long the stack's run took. */
  ms: number;
}

const PROJECT = "ecd-fleet";

/** The program of one stack: one batch of desktops for one team. */
function program(team: FleetStack): PulumiFn {
  return async () => {
    const batch = new DesktopBatch(`${team.name}-desktops`, {
      officeSiteId: process.env.FLEET_OFFICE_SITE_ID ?? "cn-hangzhou+dir-0000000001",
      bundleId: process.env.FLEET_BUNDLE_ID ?? "b-win-office-4c8g",
      policyGroupId: team.policyGroupId ?? "system-all-enabled-policy",
      desktopName: team.name,
      amount: team.amount,
      endUserIds: team.endUserIds,
      tags: { team: team.name, fleet: PROJECT },
    });
    return { batchId: batch.id, desktopIds: batch.desktopIds };
  };
}

/** Runs `action` on every stack at once; a stack that fails does not stop the others. */
export async function runFleet(
  stacks: FleetStack[],
  action: "up" | "destroy",
  log: (line: string) => void = (line) => console.log(line),
): Promise<StackOutcome[]> {
  return Promise.all(
    stacks.map(async (team): Promise<StackOutcome> => {
      const started = Date.now();
      const ms = () => Date.now() - started;
      try {
        const stack = await LocalWorkspace.createOrSelectStack({
          stackName: team.name,
          projectName: PROJECT,
          program: program(team),
        });
        const onOutput = (out: string) => {
          for (const line of out.split("\n")) if (line.trim()) log(`[${team.name}] ${line}`);
        };
        if (action === "destroy") {
          const result = await stack.destroy({ onOutput });
          return { stack: team.name, result: "succeeded", changes: result.summary.resourceChanges, ms: ms() };
        }
        const result = await stack.up({ onOutput });
        const desktopIds = result.outputs.desktopIds?.value as string[] | undefined;
        return {
          stack: team.name,
          result: "succeeded",
          changes: result.summary.resourceChanges,
          desktops: desktopIds?.length,
          ms: ms(),
        };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return {
          stack: team.name,
          result: "failed",
          error: message.split("\n").slice(-5).join("\n"),
          ms: ms(),
        };
      }
    }),
  );
}

async function main(): Promise<void> {
  const action = process.argv[2];
  if (action !== "up" && action !== "destroy") throw new Error("usage: fleet.ts up|destroy");
  const file = process.env.FLEET_STACKS ?? path.join(__dirname, "stacks.json");
  const stacks = JSON.parse(fs.readFileSync(file, "utf8")) as FleetStack[];
  const outcomes = await runFleet(stacks, action);
  for (const o of outcomes) {
    console.log(
      `${o.stack}: ${o.result}${o.desktops !== undefined ? `, ${o.desktops} desktops` : ""}` +
        `${o.changes ? ` ${JSON.stringify(o.changes)}` : ""}${o.error ? `\n${o.error}` : ""}`,
    );
  }
  // The summary as the last line, for scripts (and the example's test) to read.
  console.log(JSON.stringify(outcomes));
  if (outcomes.some((o) => o.result === "failed")) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
