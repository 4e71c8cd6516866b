import * as pulumi from "@pulumi/pulumi";
import { DesktopBatch, PowerState, StoppedMode } from "pulumi-ecd";

// The weekend-savings case: a team's desktops stay declared, and their power follows stack config.
//   pulumi config set powerState Stopped && pulumi up   # Friday evening: stops every desktop (StopCharging)
//   pulumi config set powerState Running && pulumi up   # Monday morning: starts them again
// Nothing is created or released; desktop IDs, names, users and tags stay. While the batch is declared Stopped,
// `pulumi refresh` shows a desktop someone started as drift, and the next `pulumi up` stops it again. Without
// powerState the provider leaves power to the end users. The defaults match the local emulator's seed.
const config = new pulumi.Config();

const team = new DesktopBatch("team-desktops", {
  officeSiteId: config.get("officeSiteId") ?? "cn-hangzhou+dir-0000000001",
  bundleId: config.get("bundleId") ?? "b-win-office-4c8g",
  policyGroupId: config.get("policyGroupId") ?? "system-all-enabled-policy",
  desktopName: config.get("desktopName") ?? "team",
  amount: config.getNumber("amount") ?? 4,
  endUserIds: config.getObject<string[]>("endUserIds") ?? ["alice", "bob"],
  tags: { team: config.get("team") ?? "design", schedule: "weekdays" },
  powerState:
    config.get<PowerState>("powerState", { allowedValues: Object.values(PowerState) }) ?? PowerState.Running,
  // KeepCharging keeps the compute reserved (billed) for a faster start; StopCharging (default) stops its billing.
  stoppedMode:
    config.get<StoppedMode>("stoppedMode", { allowedValues: Object.values(StoppedMode) }) ??
    StoppedMode.StopCharging,
});

export const batchId = team.id;
export const powerState = team.powerState;
export const desktops = team.desktops.apply((list) =>
  list.map((d) => ({ id: d.desktopId, name: d.desktopName, status: d.desktopStatus })),
);
