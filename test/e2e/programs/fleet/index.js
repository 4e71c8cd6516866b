// A batch whose inputs all come from stack config (`pulumi up -c key=value`); credentials, region and endpoint
// come from the environment (ALIBABA_CLOUD_*), so a test needs no `pulumi config set`.
"use strict";
const pulumi = require("@pulumi/pulumi");
const { DesktopBatch } = require("pulumi-ecd");

const config = new pulumi.Config();
// A rename with an alias: `-c name=team -c alias=fleet`.
const alias = config.get("alias");
const createTimeout = config.get("createTimeout");

const batch = new DesktopBatch(
  config.get("name") ?? "fleet",
  {
    regionId: config.get("regionId"),
    officeSiteId: config.get("officeSiteId") ?? "cn-hangzhou+dir-0000000001",
    bundleId: config.get("bundleId") ?? "b-win-office-4c8g",
    desktopName: config.get("desktopName") ?? "fleet",
    hostname: config.get("hostname"),
    amount: config.getNumber("amount") ?? 3,
    endUserIds: ["alice"],
    tags: { suite: "e2e" },
    adoptDesktopIds: config.get("adopt")?.split(","),
    timeouts: createTimeout ? { create: createTimeout } : undefined,
  },
  alias ? { aliases: [{ name: alias }] } : undefined,
);

exports.batchId = batch.id;
exports.urn = batch.urn;
exports.desktopIds = batch.desktopIds;
exports.lineage = batch.lineage;
