// The same batch through either face: `face: dynamic` (the pulumi-ecd SDK) or `face: plugin` (the ecd resource
// plugin, declared as a plain CustomResource of type ecd:index:DesktopBatch, as every generated SDK does).
"use strict";
const pulumi = require("@pulumi/pulumi");

const config = new pulumi.Config();
const owner = config.get("owner");
const args = {
  officeSiteId: config.get("officeSiteId") ?? "cn-hangzhou+dir-0000000001",
  bundleId: "b-win-office-4c8g",
  policyGroupId: "system-all-enabled-policy",
  desktopName: "team",
  amount: config.getNumber("amount") ?? 2,
  tags: owner ? { team: "blue", owner: pulumi.secret(owner) } : { team: "blue" },
};

const batch =
  config.get("face") === "plugin"
    ? new pulumi.CustomResource("ecd:index:DesktopBatch", "team", {
        ...args,
        desktopIds: undefined,
        lineage: undefined,
      })
    : new (require("pulumi-ecd").DesktopBatch)("team", args);

exports.batchId = batch.id;
exports.urn = batch.urn;
exports.desktopIds = batch.desktopIds;
