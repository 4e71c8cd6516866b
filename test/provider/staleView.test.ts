/**
 * An in-place update planned from the stored state meets a batch changed outside Pulumi: whatever was changed,
 * the update ends where a listing update would have (nothing lost, nothing started against the user's will, no
 * wait that cannot end), and its outputs are what a refresh then shows.
 */
import { Harness, SHORT_DURATIONS, SIMPLE_SITE, startHarness } from "../support/harness";
import type { DesktopBatchInputs, DesktopBatchOutputs } from "../../provider";

const ATTACHMENT = {
  desktopType: "eds.enterprise_office.2c4g",
  imageId: "m-ubuntu2204-emu",
  systemDiskSize: 80,
  dataDiskSize: 40,
};

describe("updates from a stored state the batch no longer matches", () => {
  let h: Harness;
  let id: string;
  let outs: DesktopBatchOutputs;
  let inputs: DesktopBatchInputs;
  let a: string;

  beforeEach(async () => {
    h = await startHarness({ durations: { ...SHORT_DURATIONS, specIntervalMs: 0 } });
    ({ id, outs, inputs } = await h.createBatch({
      officeSiteId: SIMPLE_SITE,
      policyGroupId: "system-all-enabled-policy",
      desktopName: "dev",
      desktopAttachment: ATTACHMENT,
      amount: 3,
      endUserIds: ["alice"],
      tags: { team: "platform" },
      // A wait that cannot end fails within seconds instead of the default half hour.
      timeouts: { update: "5s" },
    }));
    a = outs.desktopIds[0];
    h.emu.calls.reset();
  });
  afterEach(async () => h.close());

  const update = (patch: DesktopBatchInputs, olds: DesktopBatchOutputs = outs) =>
    h.updateBatch({ id, outs, inputs }, patch, olds);
  const refreshed = (after: DesktopBatchOutputs) => h.refresh(id, after);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
  const live = (desktopId: string) => h.live().find((d) => d.DesktopId === desktopId);

  it("a spec change leaves a desktop stopped outside Pulumi stopped", async () => {
    await h.client.stopDesktops({ desktopIds: [a] });
    await settle();
    const after = await update({
      desktopAttachment: { ...ATTACHMENT, desktopType: "eds.enterprise_office.4c8g" },
    });
    expect(h.live().map((d) => d.DesktopType)).toEqual(Array(3).fill("eds.enterprise_office.4c8g"));
    expect(live(a)?.DesktopStatus).toBe("Stopped");
    expect((await refreshed(after)).desktops).toEqual(after.desktops);
  });

  it("a billing change finds a desktop already converted outside Pulumi", async () => {
    await h.client.modifyDesktopChargeType({
      desktopIds: [a],
      chargeType: "PrePaid",
      period: 1,
      periodUnit: "Month",
    });
    await settle();
    const after = await update({ chargeType: "PrePaid", period: 1, periodUnit: "Month" });
    expect(h.live().map((d) => d.ChargeType)).toEqual(Array(3).fill("PrePaid"));
    expect((await refreshed(after)).desktops).toEqual(after.desktops);
  });

  it("a spec change finds a desktop already changed outside Pulumi", async () => {
    await h.client.stopDesktops({ desktopIds: [a] });
    await settle();
    await h.client.modifyDesktopSpec({ desktopId: a, desktopType: "eds.enterprise_office.4c8g" });
    await h.client.startDesktops([a]);
    await settle();
    h.emu.calls.reset();
    const after = await update({
      desktopAttachment: { ...ATTACHMENT, desktopType: "eds.enterprise_office.4c8g" },
    });
    expect(h.live().map((d) => d.DesktopType)).toEqual(Array(3).fill("eds.enterprise_office.4c8g"));
    expect(h.count("ModifyDesktopSpec")).toBe(2);
    expect((await refreshed(after)).desktops).toEqual(after.desktops);
  });

  it("a user change (ALL) on a desktop whose users were changed outside Pulumi ends, records them, and the next update finishes it", async () => {
    await h.client.modifyEntitlement(a, ["carol"]);
    await settle();
    const after = await update({ endUserIds: ["bob"] });
    // Planned from the state, carol was not revoked: the outputs say so, and the next update (planned from them) does.
    expect(after.desktops.map((d) => d.endUserIds)).toEqual([["bob", "carol"], ["bob"], ["bob"]]);
    expect((await refreshed(after)).desktops).toEqual(after.desktops);
    const next = await update({ endUserIds: ["bob"] }, after);
    expect(h.live().map((d) => d.EndUserIds)).toEqual([["bob"], ["bob"], ["bob"]]);
    expect((await refreshed(next)).desktops).toEqual(next.desktops);
  });

  it("a user grant (ALL) on a desktop given another user outside Pulumi ends and records it", async () => {
    await h.client.modifyEntitlement(a, ["alice", "carol"]);
    await settle();
    const after = await update({ endUserIds: ["alice", "bob"] });
    expect(after.desktops.map((d) => d.endUserIds)).toEqual([
      ["alice", "bob", "carol"],
      ["alice", "bob"],
      ["alice", "bob"],
    ]);
    expect((await refreshed(after)).desktops).toEqual(after.desktops);
  });

  it("a rebuild of a desktop stopped outside Pulumi: outputs are what a refresh shows", async () => {
    await h.client.stopDesktops({ desktopIds: [a] });
    await settle();
    const after = await update({ desktopAttachment: { ...ATTACHMENT, imageId: "m-win2019-emu" } });
    expect((await refreshed(after)).desktops).toEqual(after.desktops);
  });

  it("a policy change on a desktop hibernated outside Pulumi fails as a listing update would, recording the live batch", async () => {
    h.emu.backend.forceStatus(a, "Hibernated");
    const failure = await update({ policyGroupId: "pg-emu-custom-0001" }).then(
      () => undefined,
      (e: unknown) => e as { properties?: DesktopBatchOutputs },
    );
    expect(failure?.properties?.unfinished).toBeDefined();
    expect(failure?.properties?.desktops.find((d) => d.desktopId === a)?.desktopStatus).toBe("Hibernated");
  });

  it("a billing change on a desktop whose billing is changing outside Pulumi", async () => {
    await h.client.modifyDesktopChargeType({
      desktopIds: [a],
      chargeType: "PrePaid",
      period: 1,
      periodUnit: "Month",
    });
    const after = await update({ chargeType: "PrePaid", period: 1, periodUnit: "Month" });
    expect(h.live().map((d) => d.ChargeType)).toEqual(Array(3).fill("PrePaid"));
    expect((await refreshed(after)).desktops).toEqual(after.desktops);
  });

  it("a spec change on a desktop whose billing is changing outside Pulumi", async () => {
    await h.client.modifyDesktopChargeType({
      desktopIds: [a],
      chargeType: "PrePaid",
      period: 1,
      periodUnit: "Month",
    });
    const after = await update({
      desktopAttachment: { ...ATTACHMENT, desktopType: "eds.enterprise_office.4c8g" },
    });
    expect(h.live().map((d) => d.DesktopType)).toEqual(Array(3).fill("eds.enterprise_office.4c8g"));
    expect(h.live().map((d) => d.DesktopStatus)).toEqual(Array(3).fill("Running"));
    expect((await refreshed(after)).desktops).toEqual(after.desktops);
  });

  it("powerState Stopped with a desktop started outside Pulumi and a user change", async () => {
    const stopped = await update({ powerState: "Stopped" });
    await h.client.startDesktops([a]);
    await settle();
    h.emu.calls.reset();
    const after = await update({ powerState: "Stopped", endUserIds: ["bob"] }, stopped);
    expect(h.live().map((d) => d.DesktopStatus)).toEqual(Array(3).fill("Stopped"));
    expect(h.live().map((d) => d.EndUserIds)).toEqual([["bob"], ["bob"], ["bob"]]);
    expect((await refreshed(after)).desktops).toEqual(after.desktops);
  });

  it("a non-stale failure records the live batch and unfinished; the next update lists and finishes", async () => {
    h.emu.faults.script({ action: "ModifyDesktopsPolicyGroup", kind: "serverError", times: 100 });
    const failure = await update({ policyGroupId: "pg-emu-custom-0001", desktopName: "ops" }).then(
      () => undefined,
      (e: unknown) => e as { properties: DesktopBatchOutputs },
    );
    expect(failure?.properties.unfinished).toBeDefined();
    expect(failure?.properties.desktops.map((d) => d.desktopName).sort()).toEqual([
      "ops-1",
      "ops-2",
      "ops-3",
    ]);
    h.emu.faults.reset();
    h.emu.calls.reset();
    const after = await update(
      { policyGroupId: "pg-emu-custom-0001", desktopName: "ops" },
      failure!.properties,
    );
    expect(h.count("DescribeDesktops")).toBeGreaterThan(0);
    expect(after.unfinished).toBeUndefined();
    expect((await refreshed(after)).desktops).toEqual(after.desktops);
  });

  it("a scale-down whose victim is starting outside Pulumi waits for it instead of for its deletion that never came", async () => {
    const victim = outs.desktopIds[2];
    await h.client.stopDesktops({ desktopIds: [victim] });
    await settle();
    // Starting for a while (the harness's start takes 30 ms): DeleteDesktops refuses it meanwhile.
    h.emu.backend.forceStatus(victim, "Starting");
    setTimeout(() => h.emu.backend.forceStatus(victim, "Running"), 300);
    const after = await update({ amount: 2 });
    expect(h.live().map((d) => d.DesktopId)).toEqual(outs.desktopIds.slice(0, 2));
    expect((await refreshed(after)).desktops).toEqual(after.desktops);
  });

  it.each<[string, DesktopBatchInputs]>([
    ["a policy change", { policyGroupId: "pg-emu-custom-0001" }],
    ["a billing change", { chargeType: "PrePaid", period: 1, periodUnit: "Month" }],
  ])("%s waits for a desktop starting outside Pulumi", async (_, patch) => {
    h.emu.backend.forceStatus(a, "Starting");
    setTimeout(() => h.emu.backend.forceStatus(a, "Running"), 300);
    const after = await update(patch);
    expect((await refreshed(after)).desktops).toEqual(after.desktops);
    expect(after.desktops.map((d) => [d.policyGroupId, d.chargeType])).toEqual(
      Array(3).fill([patch.policyGroupId ?? "system-all-enabled-policy", patch.chargeType ?? "PostPaid"]),
    );
  });
});
