import * as pulumi from "@pulumi/pulumi";
import { DesktopBatch, UserAssignMode } from "pulumi-ecd";

const config = new pulumi.Config();
const users = config.getObject<string[]>("endUserIds") ?? ["alice", "bob", "carol"];
const perUser = config.getNumber("perUser") ?? 2;

// PER_USER spreads the desktops evenly: each user gets `perUser` desktops of their own.
const batch = new DesktopBatch("team-desktops", {
  officeSiteId: config.get("officeSiteId") ?? "cn-hangzhou+dir-0000000002",
  bundleId: config.get("bundleId") ?? "b-win-office-4c8g",
  policyGroupId: config.get("policyGroupId") ?? "pg-emu-custom-0001",
  desktopName: config.get("desktopName") ?? "team",
  hostname: config.get("hostname") ?? "team-[1,3]",
  amount: users.length * perUser,
  endUserIds: users,
  userAssignMode: UserAssignMode.PER_USER,
  tags: config.getObject<Record<string, string>>("tags") ?? { team: "data", costCenter: "cc-1042" },
  userCommands: [
    {
      content: Buffer.from("New-Item -Path C:\\onboarding -ItemType Directory").toString("base64"),
      contentEncoding: "Base64",
      contentType: "RunPowerShellScript",
    },
  ],
});

export const desktopIds = batch.desktopIds;
export const assignments = batch.desktops.apply((list) =>
  list.map((d) => `${d.hostName ?? d.desktopId}: ${d.endUserIds.join(",")}`),
);
