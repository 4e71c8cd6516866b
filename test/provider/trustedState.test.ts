/**
 * An in-place update plans from the stored state instead of listing the batch (the lower bound's assumption,
 * scripts/bench/lowerBound.ts): the change's own calls only, outputs patched from what was applied. A batch
 * changed outside Pulumi meanwhile is listed and planned again; a state written by a step that stopped early is
 * never trusted.
 */
import { baseInputs, Harness, startHarness } from "../support/harness";
import type { DesktopBatchInputs, DesktopBatchOutputs } from "../../provider";
import { PartialBatchError } from "../../provider/desktopBatch/provider";
import { CREATING_TAG } from "../../provider/desktopBatch/identity";

describe("updates from the stored state", () => {
  let h: Harness;
  let id: string;
  let outs: DesktopBatchOutputs;
  let inputs: DesktopBatchInputs;

  beforeEach(async () => {
    h = await startHarness();
    ({ id, outs, inputs } = await h.createBatch(
      baseInputs({ amount: 3, endUserIds: ["alice"], tags: { team: "platform" } }),
    ));
    h.emu.calls.reset();
  });
  afterEach(async () => h.close());

  const update = (patch: DesktopBatchInputs, olds: DesktopBatchOutputs = outs) =>
    h.updateBatch({ id, outs, inputs }, patch, olds);

  /** What a refresh right after the update records: the update's outputs must already say the same. */
  const refreshed = (after: DesktopBatchOutputs) => h.refresh(id, after);

  it.each([
    ["a rename", { desktopName: "ops" }, { ModifyDesktopName: 3 }],
    [
      "a policy",
      { policyGroupId: "pg-emu-custom-0001" },
      { DescribePolicyGroups: 1, ModifyDesktopsPolicyGroup: 1 },
    ],
    ["a tag", { tags: { team: "platform", env: "dev" } }, { TagResources: 1 }],
    ["a removed tag", { tags: undefined }, { UntagResources: 1 }],
  ])(
    "%s costs the change's calls only, and its outputs are what a refresh then shows",
    async (_, patch, calls) => {
      const after = await update(patch as DesktopBatchInputs);
      expect(h.emu.calls.counts()).toEqual(calls);
      expect((await refreshed(after)).desktops).toEqual(after.desktops);
    },
  );

  it("one desktop's users change with one ModifyEntitlement, and the wait sees it done", async () => {
    const single = await h.createBatch(baseInputs({ amount: 1, desktopName: "solo", endUserIds: ["alice"] }));
    h.emu.calls.reset();
    const news = await h.checked({ ...single.inputs, endUserIds: ["bob"] });
    const after = (await h.provider.update(single.id, single.outs, news)).outs as DesktopBatchOutputs;
    const { DescribeDesktops, ...writes } = h.emu.calls.counts();
    expect(writes).toEqual({ ModifyEntitlement: 1 });
    expect(DescribeDesktops).toBeGreaterThan(0);
    expect(after.desktops[0].endUserIds).toEqual(["bob"]);
  });

  it("a desktop deleted outside Pulumi: the batch is listed, planned again and made whole", async () => {
    h.emu.backend.removeDesktops([outs.desktopIds[1]]);
    const after = await update({ desktopName: "ops" });
    expect(h.logs.some((line) => line.includes("changed outside Pulumi"))).toBe(true);
    expect(after.desktopIds).toHaveLength(3);
    expect(after.desktopIds).not.toContain(outs.desktopIds[1]);
    expect(
      h
        .live()
        .map((d) => d.DesktopName)
        .sort(),
    ).toEqual(["ops-1", "ops-2", "ops-3"]);
    expect((await refreshed(after)).desktops).toEqual(after.desktops);
  });

  it("a desktop stopped outside Pulumi: the user change lists the batch and wakes it as usual", async () => {
    h.emu.backend.forceStatus(outs.desktopIds[0], "Stopped");
    const after = await update({ endUserIds: ["bob"] });
    expect(h.count("StartDesktops")).toBe(1);
    expect(h.live().map((d) => d.EndUserIds)).toEqual([["bob"], ["bob"], ["bob"]]);
    expect(after.desktops.map((d) => d.endUserIds)).toEqual([["bob"], ["bob"], ["bob"]]);
  });

  it("a desktop stopped outside Pulumi: the policy change it refuses lists the batch and wakes it as usual", async () => {
    h.emu.backend.forceStatus(outs.desktopIds[2], "Stopped");
    const after = await update({ policyGroupId: "pg-emu-custom-0001" });
    expect(h.logs.some((line) => line.includes("changed outside Pulumi"))).toBe(true);
    expect(h.live().map((d) => d.PolicyGroupId)).toEqual(Array(3).fill("pg-emu-custom-0001"));
    expect(after.desktops.map((d) => d.policyGroupId)).toEqual(Array(3).fill("pg-emu-custom-0001"));
  });

  it("a create whose creating mark could not be removed records why, and the next update lists and removes it", async () => {
    h.emu.faults.script({ action: "UntagResources", kind: "serverError", times: 100 });
    const fresh = await h.checked({
      ...baseInputs({ amount: 2, desktopName: "late" }),
      lineage: "f".repeat(64),
    });
    const failure = await h.provider.create(fresh).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PartialBatchError);
    const partial = failure as PartialBatchError;
    expect(partial.properties.unfinished).toMatch(/creating tag could not be removed/);
    h.emu.faults.reset();
    h.emu.calls.reset();
    const after = (await h.provider.update(partial.id, partial.properties, fresh))
      .outs as DesktopBatchOutputs;
    expect(h.count("DescribeDesktops")).toBeGreaterThan(0);
    expect(h.count("UntagResources")).toBe(1);
    const marked = h
      .live()
      .filter((d) => (d.Tags ?? []).some((tag: { Key: string }) => tag.Key === CREATING_TAG));
    expect(marked).toEqual([]);
    expect(after.unfinished).toBeUndefined();
  });

  it("a refresh that finds a desktop still marked as being created says so, so the next update lists", async () => {
    await h.client.tagResources([outs.desktopIds[0]], [{ key: CREATING_TAG, value: "0" }]);
    const props = await refreshed(outs);
    expect(props.unfinished).toContain(outs.desktopIds[0]);
    // Nothing else differs: the preview still plans the update that removes the mark.
    const diff = await h.provider.diff(id, props, await h.checked(inputs));
    expect(diff.changes).toBe(true);
    expect(h.logs.some((line) => line.includes("stopped before it finished"))).toBe(true);
    h.emu.calls.reset();
    await update({ desktopName: "ops" }, props);
    expect(h.count("DescribeDesktops")).toBeGreaterThan(0);
    expect(h.count("UntagResources")).toBe(1);
  });
});

describe("a scale-down whose victim changes outside Pulumi meanwhile", () => {
  it("waits until the victim settles, then releases it (instead of waiting for a release never sent)", async () => {
    const h = await startHarness({
      durations: { createMs: 60, startMs: 30, stopMs: 1500, deleteMs: 30, entitlementMs: 30 },
    });
    try {
      const { id, outs, inputs } = await h.createBatch(
        baseInputs({ amount: 3, timeouts: { update: "10s" } }),
      );
      const victim = outs.desktopIds[2];
      await h.client.stopDesktops({ desktopIds: [victim] });
      const news = await h.checked({ ...inputs, amount: 2 });
      const after = (await h.provider.update(id, outs, news)).outs as DesktopBatchOutputs;
      expect(after.desktopIds).toEqual(outs.desktopIds.slice(0, 2));
      expect(h.live().map((d) => d.DesktopId)).toEqual(outs.desktopIds.slice(0, 2));
    } finally {
      await h.close();
    }
  });
});
