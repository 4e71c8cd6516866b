import * as pulumi from "@pulumi/pulumi";
import { DesktopBatch } from "pulumi-ecd";

// Every value can be changed with `pulumi config set <key> <value>`; the defaults match the local emulator's seed.
const config = new pulumi.Config();

const batch = new DesktopBatch("dev-desktops", {
  officeSiteId: config.get("officeSiteId") ?? "cn-hangzhou+dir-0000000001",
  bundleId: config.get("bundleId") ?? "b-win-office-4c8g",
  policyGroupId: config.get("policyGroupId") ?? "system-all-enabled-policy",
  desktopName: config.get("desktopName") ?? "dev",
  amount: config.getNumber("amount") ?? 3,
  endUserIds: config.getObject<string[]>("endUserIds") ?? ["alice", "bob"],
  tags: config.getObject<Record<string, string>>("tags") ?? { team: "platform", env: "dev" },
});

export const batchId = batch.id;
export const desktopIds = batch.desktopIds;
export const desktops = batch.desktops.apply((list) =>
  list.map((d) => ({
    id: d.desktopId,
    name: d.desktopName,
    status: d.desktopStatus,
    ip: d.networkInterfaceIp,
  })),
);
