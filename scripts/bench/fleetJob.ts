/**
 * One stack of a fleet: a DesktopBatch of `perBatch` desktops through create → update (policy) → update (users)
 * → delete, each step a Pulumi operation of its own and so a provider (and pacing budget) of its own, unless the
 * caller serves every stack from one process with one budget. Shared by the independent processes
 * (fleetChild.ts) and the one-process run (fleet.ts).
 */
import type { DesktopBatchInputs, DesktopBatchOutputs } from "../../provider/desktopBatch";
import { Pacer, type AttemptOutcome, type CallPacer } from "../../provider/ecd/pacing";
import { batchProvider, type World } from "./scenarios";

export const FLEET_STEPS = ["create", "policy", "users", "delete"] as const;
export type FleetStep = (typeof FLEET_STEPS)[number];

export interface StackResult {
  stack: number;
  steps: { step: FleetStep; ms: number; error?: string }[];
  /** Attempts this stack sent, and how many of them the service throttled. */
  calls: number;
  throttled: number;
  /** Emulated ms from the fleet's start to this stack's last step's end. */
  finishedMs: number;
}

const inputs = (stack: number, perBatch: number): DesktopBatchInputs => ({
  regionId: "cn-hangzhou",
  officeSiteId: "cn-hangzhou+dir-0000000001",
  bundleId: "b-win-office-4c8g",
  policyGroupId: "system-all-enabled-policy",
  desktopName: `fleet-${stack}`,
  amount: perBatch,
  endUserIds: ["alice", "bob"],
  tags: { team: `team-${stack}` },
  lineage: stack.toString(16).padStart(32, "f"),
});

/** Runs one stack's steps; a failed step is recorded and ends the stack (as a red CI job would). */
export async function runStack(
  w: World,
  stack: number,
  perBatch: number,
  budget: () => Pacer,
): Promise<StackResult> {
  const start = w.clock.now();
  const result: StackResult = { stack, steps: [], calls: 0, throttled: 0, finishedMs: 0 };
  const counted = (pacer: CallPacer): CallPacer => ({
    before: (scope, action) => {
      result.calls += 1;
      return pacer.before(scope, action);
    },
    after: (scope, action, outcome: AttemptOutcome) => {
      if (outcome === "throttled") result.throttled += 1;
      pacer.after(scope, action, outcome);
    },
  });
  let wanted = inputs(stack, perBatch);
  let id = "";
  let outs: DesktopBatchOutputs | undefined;
  for (const step of FLEET_STEPS) {
    const provider = batchProvider(w, budget(), counted);
    const t0 = w.clock.now();
    let error: string | undefined;
    try {
      if (step === "create") {
        const checked = await provider.check({}, wanted);
        if (checked.failures?.length) throw new Error(checked.failures.map((f) => f.reason).join("; "));
        wanted = checked.inputs as DesktopBatchInputs;
        const created = await provider.create(wanted);
        id = created.id;
        outs = created.outs as DesktopBatchOutputs;
      } else if (step === "delete") {
        await provider.delete(id, outs!);
      } else {
        const changed =
          step === "policy"
            ? { ...wanted, policyGroupId: "pg-emu-custom-0001" }
            : { ...wanted, endUserIds: ["alice", "carol"] };
        const checked = await provider.check(wanted, changed);
        if (checked.failures?.length) throw new Error(checked.failures.map((f) => f.reason).join("; "));
        const news = checked.inputs as DesktopBatchInputs;
        outs = (await provider.update(id, outs!, news)).outs as DesktopBatchOutputs;
        wanted = news;
      }
    } catch (thrown) {
      error = thrown instanceof Error ? thrown.message.split("\n")[0].slice(0, 200) : String(thrown);
    }
    result.steps.push({ step, ms: w.clock.now() - t0, error });
    if (error) break;
  }
  result.finishedMs = w.clock.now() - start;
  return result;
}
