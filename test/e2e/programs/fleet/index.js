// A batch whose inputs all come from stack config (`pulumi up -c key=value`); credentials, region and endpoint
// come from the environment (ALIBABA_CLOUD_*), so a test needs no `pulumi config set`.
"use strict";
const pulumi = require("@pulumi/pulumi");
const { DesktopBatch } = require("pulumi-ecd");

const config = new pulumi.Config();

const batch = new DesktopBatch("fleet", {
  officeSiteId: config.get("officeSiteId") ?? "cn-hangzhou+dir-0000000001",
  bundleId: config.get("bundleId") ?? "b-win-office-4c8g",
  desktopName: config.get("desktopName") ?? "fleet",
  hostname: config.get("hostname"),
  amount: config.getNumber("amount") ?? 3,
  endUserIds: ["alice"],
  tags: { suite: "e2e" },
});

exports.batchId = batch.id;
exports.urn = batch.urn;
exports.desktopIds = batch.desktopIds;
