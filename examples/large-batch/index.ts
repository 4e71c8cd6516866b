import * as pulumi from "@pulumi/pulumi";
import { DesktopBatch } from "pulumi-ecd";

const config = new pulumi.Config();

// 320 desktops need two CreateDesktops calls (at most 300 each); the provider splits and tracks them as one batch.
const batch = new DesktopBatch("classroom", {
  officeSiteId: config.get("officeSiteId") ?? "cn-hangzhou+dir-0000000001",
  desktopAttachment: {
    desktopType: config.get("desktopType") ?? "eds.enterprise_office.2c4g",
    imageId: config.get("imageId") ?? "m-ubuntu2204-emu",
    systemDiskCategory: "cloud_auto",
    systemDiskSize: 80,
    dataDiskCategory: "cloud_auto",
    dataDiskSize: 40,
  },
  policyGroupId: config.get("policyGroupId") ?? "system-all-enabled-policy",
  desktopName: config.get("desktopName") ?? "student",
  amount: config.getNumber("amount") ?? 320,
  endUserIds: config.getObject<string[]>("endUserIds"),
  tags: config.getObject<Record<string, string>>("tags") ?? { course: "cs101" },
  timeouts: { create: "20m", delete: "20m" },
});

export const count = batch.desktopIds.apply((ids) => ids.length);
export const firstDesktops = batch.desktopIds.apply((ids) => ids.slice(0, 5));
