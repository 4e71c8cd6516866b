/**
 * The fault paths the seeded runs meet only by chance, each forced on purpose: desktops that end in Failed
 * (during create and during scale-up), a create that fails before anything is recorded, and operation timeouts.
 * Same emulator and provider set-up as the seeded runs (test/faults/scenario.ts), random faults off.
 */
import { PartialBatchError, type DesktopBatchOutputs } from "../../provider";
import { expectExactly, hasCreatingTag, ownerOf, partial, withRig } from "./rig";

describe("desktops that end in Failed are recorded in state and healed by the next update", () => {
  it("during create: the create fails recording all of them, Failed ones included; the rerun replaces the Failed", async () => {
    await withRig(async (rig) => {
      const inputs = await rig.inputs({ amount: 4 });
      rig.failNext(false, true, false, true);
      const error = await partial(rig.process().create(inputs));
      const failed = Object.entries(rig.statuses())
        .filter(([, status]) => status === "Failed")
        .map(([id]) => id);
      expect(failed).toHaveLength(2);
      expect(error.message).toContain("2 desktop(s) ended in Failed");
      expect([...error.properties.desktopIds].sort()).toEqual(Object.keys(rig.statuses()).sort());
      expect(
        error.properties.desktops.filter((d) => d.desktopStatus === "Failed").map((d) => d.desktopId),
      ).toEqual(failed);
      const instance = error.id.replace("ecd-batch-", "");
      expect(rig.ecd.alive().every((d) => ownerOf(rig, d.DesktopId) === instance)).toBe(true);
      expect(hasCreatingTag(rig)).toBe(false);

      const { outs } = await rig.process().update(error.id, error.properties, inputs);
      const state = { id: error.id, outs: outs as DesktopBatchOutputs };
      expectExactly(rig, "the update", inputs, state);
      expect(state.outs.desktopIds.filter((id) => failed.includes(id))).toEqual([]);
      expect(rig.logs.join("\n")).toContain("replacing 2 Failed desktop(s)");
    });
  });

  it("during scale-up: the update fails recording the new desktops, Failed ones included; the rerun replaces the Failed", async () => {
    await withRig(async (rig) => {
      const first = await rig.inputs({ amount: 3 });
      const created = await rig.process().create(first);
      const bigger = await rig.inputs({ amount: 6 });
      rig.failNext(true, false, true);
      const error = await partial(
        rig.process().update(created.id, created.outs as DesktopBatchOutputs, bigger),
      );
      expect(error.id).toBe(created.id);
      expect(error.properties.desktopIds).toHaveLength(6);
      expect(error.properties.desktopIds.slice(0, 3)).toEqual(created.outs!.desktopIds);
      const failed = error.properties.desktops
        .filter((d) => d.desktopStatus === "Failed")
        .map((d) => d.desktopId);
      expect(failed).toHaveLength(2);
      expect(hasCreatingTag(rig)).toBe(false);

      const { outs } = await rig.process().update(error.id, error.properties, bigger);
      const state = { id: error.id, outs: outs as DesktopBatchOutputs };
      expectExactly(rig, "the update", bigger, state);
      expect(state.outs.desktopIds.slice(0, 3)).toEqual(created.outs!.desktopIds);
      expect(state.outs.desktopIds.filter((id) => failed.includes(id))).toEqual([]);
    });
  });
});

describe("a create that fails before anything is recorded", () => {
  it("says desktops may exist; the rerun, a new create with the same inputs, takes them over once the hold lapses", async () => {
    await withRig(async (rig) => {
      const inputs = await rig.inputs({ amount: 3 });
      // CreateDesktops is applied but its answer lost, and then looking for what it made fails every retry.
      const faults = rig.ecd.emu.faults;
      const apply = faults.apply.bind(faults);
      let armed = true;
      faults.apply = (action, run, stillCurrent) => {
        if (action === "CreateDesktops" && armed) {
          armed = false;
          // The lookup for what the lost call made (DescribeDesktops by the batch's tag) fails too.
          faults.script({ action: "DescribeDesktops", kind: "serverError", times: 6 });
        }
        return apply(action, run, stillCurrent);
      };
      rig.loseAnswerOnce("CreateDesktops");
      const error = await rig
        .process()
        .create(inputs)
        .then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(PartialBatchError);
      expect(error!.message).toContain("desktops may exist");
      const orphans = Object.keys(rig.statuses());
      expect(orphans).toHaveLength(3);
      expect(hasCreatingTag(rig)).toBe(true);

      const { id, outs } = await rig.process().create(inputs);
      const state = { id, outs: outs as DesktopBatchOutputs };
      expectExactly(rig, "the rerun", inputs, state);
      expect([...state.outs.desktopIds].sort()).toEqual([...orphans].sort());
      expect(rig.calls("CreateDesktops")).toBe(1);
      expect(rig.logs.join("\n")).toContain("took over 3 desktop(s)");
    });
  });
});

describe("operation timeouts are honoured and never lose track of created desktops", () => {
  // Desktops stay Pending until the test moves the emulator's clock; the provider polls in real time.
  const slow = { createMs: 3_600_000, deleteMs: 20 };

  it("timeouts.create: gives up with the created desktops recorded; the rerun finishes them without creating more", async () => {
    await withRig(async (rig) => {
      const inputs = await rig.inputs({ amount: 3, timeouts: { create: "300ms" } });
      const error = await partial(rig.process({ realSleep: true }).create(inputs));
      expect(error.reasons[0]).toMatch(/^timed out waiting for 3 desktop\(s\) Running/);
      expect(Object.values(rig.statuses())).toEqual(["Pending", "Pending", "Pending"]);
      expect([...error.properties.desktopIds].sort()).toEqual(Object.keys(rig.statuses()).sort());
      expect(hasCreatingTag(rig)).toBe(false);

      rig.settle();
      const { outs } = await rig.process().update(error.id, error.properties, inputs);
      const state = { id: error.id, outs: outs as DesktopBatchOutputs };
      expectExactly(rig, "the rerun", inputs, state);
      expect(state.outs.desktopIds).toEqual(error.properties.desktopIds);
      expect(rig.calls("CreateDesktops")).toBe(1);
    }, slow);
  });

  it("timeouts.update: a scale-up that times out records the old and the new desktops", async () => {
    await withRig(async (rig) => {
      const first = await rig.inputs({ amount: 2 });
      rig.ecd.emu.backend.durations.createMs = 20;
      const created = await rig.process().create(first);
      rig.ecd.emu.backend.durations.createMs = slow.createMs;
      const bigger = await rig.inputs({ amount: 5, timeouts: { update: "300ms" } });
      const error = await partial(
        rig.process({ realSleep: true }).update(created.id, created.outs as DesktopBatchOutputs, bigger),
      );
      expect(error.reasons[0]).toMatch(/^timed out waiting for 3 new desktop\(s\) Running/);
      expect(error.properties.desktopIds).toHaveLength(5);
      expect(error.properties.desktopIds.slice(0, 2)).toEqual(created.outs!.desktopIds);
      expect([...error.properties.desktopIds].sort()).toEqual(Object.keys(rig.statuses()).sort());

      rig.settle();
      const { outs } = await rig.process().update(error.id, error.properties, bigger);
      expectExactly(rig, "the rerun", bigger, { id: error.id, outs: outs as DesktopBatchOutputs });
      expect(rig.calls("CreateDesktops")).toBe(2);
    }, slow);
  });

  it("timeouts.delete: a delete that times out releases nothing it did not finish; the rerun deletes everything", async () => {
    await withRig(async (rig) => {
      const inputs = await rig.inputs({ amount: 3, timeouts: { create: "300ms", delete: "300ms" } });
      const error = await partial(rig.process({ realSleep: true }).create(inputs));
      const failure = await rig
        .process({ realSleep: true })
        .delete(error.id, error.properties)
        .then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      expect(failure?.message).toMatch(/timed out waiting for releasing 3 desktop\(s\)/);
      expect(Object.values(rig.statuses())).toEqual(["Pending", "Pending", "Pending"]);

      rig.settle();
      await rig.process().delete(error.id, error.properties);
      expect(rig.ecd.alive()).toEqual([]);
    }, slow);
  });
});
