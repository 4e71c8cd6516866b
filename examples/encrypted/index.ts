import * as pulumi from "@pulumi/pulumi";
import { DesktopBatch } from "pulumi-ecd";

// Encrypted disks (a KMS key the ECD service role may use) and a start-up command kept secret: Pulumi encrypts
// it in state and masks it in every preview and log. The defaults match the local emulator's seed.
const config = new pulumi.Config();

// `pulumi config set --secret setupScript "<PowerShell>"`; without it, a harmless default (still a secret).
const script =
  config.getSecret("setupScript") ?? pulumi.secret("New-Item -Path C:\\secure -ItemType Directory");

const batch = new DesktopBatch("secure-desktops", {
  officeSiteId: config.get("officeSiteId") ?? "cn-hangzhou+dir-0000000001",
  // Template-less: the type, image and disks are given directly instead of a bundle.
  desktopAttachment: {
    desktopType: config.get("desktopType") ?? "eds.enterprise_office.4c8g",
    imageId: config.get("imageId") ?? "m-win2019-emu",
    systemDiskCategory: "cloud_auto",
    systemDiskSize: config.getNumber("systemDiskSize") ?? 80,
    dataDiskCategory: "cloud_auto",
    dataDiskSize: config.getNumber("dataDiskSize") ?? 40,
  },
  volumeEncryptionEnabled: true,
  volumeEncryptionKey: config.get("kmsKeyId") ?? "key-emu-0001",
  policyGroupId: config.get("policyGroupId") ?? "system-all-enabled-policy",
  desktopName: config.get("desktopName") ?? "secure",
  amount: config.getNumber("amount") ?? 2,
  endUserIds: config.getObject<string[]>("endUserIds") ?? ["alice"],
  userCommands: [
    {
      content: script.apply((text) => Buffer.from(text).toString("base64")),
      contentEncoding: "Base64",
      contentType: "RunPowerShellScript",
    },
  ],
});

export const desktopIds = batch.desktopIds;
