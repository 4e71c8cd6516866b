// Two phases of one project, chosen by stack config `phase`:
//  - "one-by-one": each desktop is its own resource, as alicloud.eds.Desktop manages them (one CreateDesktops
//    of one desktop per resource, DeleteDesktops on delete). A small dynamic resource stands in for the AliCloud
//    provider, which this machine cannot install.
//  - "batch": the same desktops under one DesktopBatch, adopted by ID (`adoptIds`, a JSON list).
// Credentials, region and endpoint come from the environment (ALIBABA_CLOUD_*).
"use strict";
const pulumi = require("@pulumi/pulumi");
const { DesktopBatch } = require("pulumi-ecd");

const config = new pulumi.Config();
const site = "cn-hangzhou+dir-0000000001";

const oneDesktop = {
  async create(inputs) {
    const { EcdClient } = require("pulumi-ecd/provider");
    const ecd = new EcdClient({ regionId: process.env.ALIBABA_CLOUD_REGION_ID });
    const created = await ecd.createDesktops({
      officeSiteId: inputs.officeSiteId,
      bundleId: inputs.bundleId,
      policyGroupId: inputs.policyGroupId,
      desktopName: inputs.desktopName,
      endUserIds: inputs.endUserIds,
      amount: 1,
    });
    return { id: created.desktopId[0], outs: inputs };
  },
  async delete(id) {
    const { EcdClient } = require("pulumi-ecd/provider");
    await new EcdClient({ regionId: process.env.ALIBABA_CLOUD_REGION_ID }).deleteDesktops([id]);
  },
};

class Desktop extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(oneDesktop, name, args, opts, "alicloud-standin", "Desktop");
  }
}

if (config.require("phase") === "one-by-one") {
  const desktops = ["ws-1", "ws-2", "ws-3"].map(
    (name) =>
      new Desktop(name, {
        officeSiteId: site,
        bundleId: "b-win-office-4c8g",
        policyGroupId: "system-all-enabled-policy",
        desktopName: name,
        endUserIds: ["alice"],
      }),
  );
  exports.desktopIds = desktops.map((desktop) => desktop.id);
  exports.urns = desktops.map((desktop) => desktop.urn);
} else {
  const batch = new DesktopBatch("ws", {
    officeSiteId: site,
    bundleId: "b-win-office-4c8g",
    policyGroupId: "system-all-enabled-policy",
    desktopName: "ws",
    amount: 3,
    endUserIds: ["alice"],
    adoptDesktopIds: config.requireObject("adoptIds"),
  });
  exports.desktopIds = batch.desktopIds;
}
