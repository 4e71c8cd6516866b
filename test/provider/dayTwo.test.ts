/**
 * Day-2 operations in place: the declared power state (powerState, stoppedMode) and image rebuilds
 * (desktopAttachment.imageId, a bundleId whose new template the desktops can reach in place), against the
 * emulator, with the calls they take.
 */
import { baseInputs, Harness, REGION, startHarness } from "../support/harness";
import type { DesktopBatchInputs, DesktopBatchOutputs } from "../../provider";

const attachment = {
  desktopType: "eds.enterprise_office.2c4g",
  imageId: "m-win2019-emu",
  systemDiskCategory: "cloud_auto",
  systemDiskSize: 80,
  dataDiskCategory: "cloud_auto",
  dataDiskSize: 40,
};
const disk = (size: number) => ({ size, category: "cloud_auto" as const, performanceLevel: "PL0" });

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  h.emu.backend.addImage(REGION, {
    id: "m-win2019-emu-v2",
    name: "Windows Server 2019, patched (custom)",
    osType: "Windows",
    platform: "Windows Server 2019",
    protocolType: "ASP",
    language: "en-US",
    status: "Available",
    versionSupported: true,
  });
});
afterEach(async () => h.close());

const statuses = () => [...new Set(h.live().map((d) => d.DesktopStatus))];
const writes = () => Object.keys(h.emu.calls.counts()).filter((action) => !/^(Describe|List)/.test(action));

/** diff then update, as `pulumi up` does; returns the diff and the new outputs. */
async function up(id: string, outs: DesktopBatchOutputs, patch: DesktopBatchInputs) {
  const news = await h.checked({ ...inputsOf(outs), ...patch });
  h.logs.length = 0;
  const diff = await h.provider.diff(id, outs, news);
  const result = await h.provider.update(id, outs, news);
  const after = result.outs as DesktopBatchOutputs;
  return { diff, after, news };
}
const inputsOf = (outs: DesktopBatchOutputs): DesktopBatchInputs => {
  const { desktopIds: _ids, desktops: _desktops, orderId: _order, ...inputs } = outs;
  return inputs;
};
async function settled(id: string, outs: DesktopBatchOutputs, news: DesktopBatchInputs) {
  expect((await h.provider.diff(id, outs, news)).changes).toBe(false);
}

describe("powerState", () => {
  it("stops a batch of 145 desktops in place, 100 a call, and starts it again", async () => {
    const { id, outs } = await h.createBatch(baseInputs({ amount: 145 }));
    h.emu.calls.reset();
    const stop = await up(id, outs, { powerState: "Stopped", stoppedMode: "KeepCharging" });
    expect(stop.diff).toMatchObject({ changes: true, replaces: [] });
    expect(stop.diff).toMatchObject({ updates: expect.arrayContaining(["powerState", "stoppedMode"]) });
    expect(h.count("StopDesktops")).toBe(Math.ceil(145 / 100));
    expect(h.count("CreateDesktops") + h.count("DeleteDesktops") + h.count("StartDesktops")).toBe(0);
    expect(statuses()).toEqual(["Stopped"]);
    expect(outs.desktopIds.map((desktopId) => h.emu.backend.getDesktop(desktopId)!.stoppedMode)).toEqual(
      outs.desktopIds.map(() => "KeepCharging"),
    );
    expect(stop.after.desktopIds).toEqual(outs.desktopIds);
    await settled(id, stop.after, stop.news);

    h.emu.calls.reset();
    const start = await up(id, stop.after, { powerState: "Running" });
    expect(start.diff).toMatchObject({ changes: true, replaces: [], updates: ["powerState"] });
    expect(h.count("StartDesktops")).toBe(Math.ceil(145 / 100));
    expect(h.count("CreateDesktops") + h.count("DeleteDesktops") + h.count("StopDesktops")).toBe(0);
    expect(statuses()).toEqual(["Running"]);
    await settled(id, start.after, start.news);
  });

  it("shows a desktop its user started as drift on refresh, and the next update stops it again", async () => {
    const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 3, powerState: "Stopped" }));
    expect(statuses()).toEqual(["Stopped"]);
    const [first] = outs.desktopIds;
    await h.client.startDesktops([first]);
    const refreshed = (await h.provider.read(id, outs)).props as DesktopBatchOutputs;
    expect(refreshed.desktops.find((d) => d.desktopId === first)!.desktopStatus).toMatch(/Starting|Running/);
    const diff = await h.provider.diff(id, refreshed, inputs);
    expect(diff).toMatchObject({ changes: true, replaces: [], updates: [] });
    expect((diff as { drift: string[] }).drift).toEqual([
      expect.stringMatching(
        new RegExp(`^${first} is (Starting|Running) \\(will be stopped: powerState Stopped\\)`),
      ),
    ]);
    h.emu.calls.reset();
    const result = await h.provider.update(id, refreshed, inputs);
    expect(h.count("StopDesktops")).toBe(1);
    expect(statuses()).toEqual(["Stopped"]);
    await settled(id, result.outs as DesktopBatchOutputs, inputs);
  });

  it("without powerState, desktops their users start or stop are nobody's drift", async () => {
    const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 2 }));
    await h.client.stopDesktops([outs.desktopIds[0]]);
    const refreshed = (await h.provider.read(id, outs)).props as DesktopBatchOutputs;
    expect((await h.provider.diff(id, refreshed, inputs)).changes).toBe(false);
  });

  it("a Stopped batch that scales up or heals creates the new desktops and then stops them", async () => {
    const { id, outs } = await h.createBatch(baseInputs({ amount: 2, powerState: "Stopped" }));
    h.emu.backend.forceStatus(outs.desktopIds[0], "Failed");
    h.emu.calls.reset();
    const { after, news } = await up(id, outs, { amount: 4 });
    expect(h.count("CreateDesktops")).toBe(1);
    expect(h.count("StopDesktops")).toBe(1);
    expect(after.desktopIds).toHaveLength(4);
    expect(after.desktopIds).toContain(outs.desktopIds[1]);
    expect(statuses()).toEqual(["Stopped"]);
    await settled(id, after, news);
  });

  it("a spec change of a Stopped batch leaves it Stopped", async () => {
    const { id, outs } = await h.createBatch(
      baseInputs({ bundleId: undefined, desktopAttachment: attachment, amount: 2, powerState: "Stopped" }),
    );
    h.emu.calls.reset();
    const { after, news } = await up(id, outs, {
      desktopAttachment: { ...attachment, desktopType: "eds.enterprise_office.4c8g" },
    });
    expect(h.count("ModifyDesktopSpec")).toBe(2);
    expect(h.count("StartDesktops")).toBe(0);
    expect(h.live().map((d) => [d.DesktopType, d.DesktopStatus])).toEqual([
      ["eds.enterprise_office.4c8g", "Stopped"],
      ["eds.enterprise_office.4c8g", "Stopped"],
    ]);
    await settled(id, after, news);
  });

  it("a user and policy change of a Stopped batch starts those desktops, makes it and stops them again", async () => {
    const { id, outs } = await h.createBatch(
      baseInputs({ amount: 2, endUserIds: ["alice"], powerState: "Stopped" }),
    );
    h.emu.calls.reset();
    const { diff, after, news } = await up(id, outs, {
      endUserIds: ["bob"],
      policyGroupId: "pg-emu-custom-0001",
    });
    expect((diff as { drift: string[] }).drift).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/is Stopped \(runs while its policy or users change, then is stopped again\)/),
      ]),
    );
    expect([h.count("StartDesktops"), h.count("StopDesktops")]).toEqual([1, 1]);
    expect(h.live().map((d) => [d.EndUserIds, d.PolicyGroupId, d.DesktopStatus])).toEqual([
      [["bob"], "pg-emu-custom-0001", "Stopped"],
      [["bob"], "pg-emu-custom-0001", "Stopped"],
    ]);
    await settled(id, after, news);
  });

  it("without powerState, a user change of a desktop its user stopped puts it back to Stopped", async () => {
    const { id, outs } = await h.createBatch(baseInputs({ amount: 2, endUserIds: ["alice"] }));
    const [first, second] = outs.desktopIds;
    await h.client.stopDesktops([first]);
    const refreshed = (await h.provider.read(id, outs)).props as DesktopBatchOutputs;
    const { after, news } = await up(id, refreshed, { endUserIds: ["bob"] });
    const byId = new Map(h.live().map((d) => [d.DesktopId, d]));
    expect([byId.get(first)!.DesktopStatus, byId.get(second)!.DesktopStatus]).toEqual(["Stopped", "Running"]);
    expect([byId.get(first)!.EndUserIds, byId.get(second)!.EndUserIds]).toEqual([["bob"], ["bob"]]);
    await settled(id, after, news);
  });

  it("deleting a Stopped batch releases it without starting it", async () => {
    const { id, outs } = await h.createBatch(baseInputs({ amount: 3, powerState: "Stopped" }));
    h.emu.calls.reset();
    await h.provider.delete(id, outs);
    expect(h.count("StartDesktops")).toBe(0);
    expect(statuses()).toEqual([]);
  });
});

describe("image rebuilds", () => {
  it("a new image rebuilds 45 desktops in place, 20 a call, keeping IDs, names, users and tags", async () => {
    const { id, outs } = await h.createBatch(
      baseInputs({
        bundleId: undefined,
        desktopAttachment: attachment,
        amount: 45,
        endUserIds: ["alice"],
        tags: { team: "data" },
      }),
    );
    const before = h.live().map((d) => [d.DesktopId, d.DesktopName, d.EndUserIds, d.Tags]);
    const dataDisks = outs.desktopIds.map((desktopId) => h.emu.backend.getDesktop(desktopId)!.dataDisk!.id);
    h.emu.calls.reset();
    const { diff, after, news } = await up(id, outs, {
      desktopAttachment: { ...attachment, imageId: "m-win2019-emu-v2" },
    });
    expect(diff).toMatchObject({ changes: true, replaces: [], updates: ["desktopAttachment.imageId"] });
    expect((diff as { drift: string[] }).drift).toEqual([
      `45 desktops, each runs image m-win2019-emu (will be rebuilt to m-win2019-emu-v2; its data disk is ` +
        `kept if the new image has the same operating system, and CLEARED if not): ` +
        `${outs.desktopIds.slice(0, 5).join(", ")} and 40 more`,
    ]);
    expect(h.count("RebuildDesktops")).toBe(Math.ceil(45 / 20));
    expect(writes().sort()).toEqual(["RebuildDesktops"]);
    expect(h.live().map((d) => [d.DesktopId, d.DesktopName, d.EndUserIds, d.Tags])).toEqual(before);
    expect(statuses()).toEqual(["Running"]);
    expect(new Set(h.live().map((d) => d.ImageId))).toEqual(new Set(["m-win2019-emu-v2"]));
    expect(outs.desktopIds.map((desktopId) => h.emu.backend.getDesktop(desktopId)!.dataDisk!.id)).toEqual(
      dataDisks,
    );
    expect(after.desktopIds).toEqual(outs.desktopIds);
    await settled(id, after, news);
  });

  it("dataDiskOnRebuild replace replaces the data disk, and a Stopped batch stays Stopped", async () => {
    const { id, outs } = await h.createBatch(
      baseInputs({ bundleId: undefined, desktopAttachment: attachment, amount: 2, powerState: "Stopped" }),
    );
    const dataDisks = outs.desktopIds.map((desktopId) => h.emu.backend.getDesktop(desktopId)!.dataDisk!.id);
    h.emu.calls.reset();
    const { diff, after, news } = await up(id, outs, {
      dataDiskOnRebuild: "replace",
      desktopAttachment: { ...attachment, imageId: "m-win2019-emu-v2" },
    });
    expect((diff as { drift: string[] }).drift).toEqual(
      expect.arrayContaining([
        expect.stringContaining("its data disk is replaced (dataDiskOnRebuild: replace)"),
      ]),
    );
    expect(h.count("RebuildDesktops")).toBe(1);
    expect(h.count("StartDesktops")).toBe(0);
    expect(statuses()).toEqual(["Stopped"]);
    const now = outs.desktopIds.map((desktopId) => h.emu.backend.getDesktop(desktopId)!.dataDisk!.id);
    expect(now.every((diskId, i) => diskId !== dataDisks[i])).toBe(true);
    await settled(id, after, news);
  });
});

describe("template changes", () => {
  beforeEach(() => {
    h.emu.backend.addBundle(REGION, {
      id: "b-ubuntu-office-8c16g",
      name: "Ubuntu Office 8C16G",
      description: "Ubuntu, 8 vCPU, 16 GiB (custom)",
      imageId: "m-ubuntu2204-emu",
      desktopType: "eds.enterprise_office.8c16g",
      systemDisk: disk(100),
      dataDisk: disk(100),
      createdAt: 0,
    });
    h.emu.backend.addBundle(REGION, {
      id: "b-win-general-4c16g",
      name: "Windows General 4C16G",
      description: "Windows, General Office (custom)",
      imageId: "m-win2019-emu",
      desktopType: "eds.general.4c16g",
      systemDisk: disk(80),
      dataDisk: disk(40),
      createdAt: 0,
    });
  });

  it("a template of the same family is reached in place: ModifyDesktopSpec and RebuildDesktops", async () => {
    const { id, outs } = await h.createBatch(baseInputs({ amount: 3, endUserIds: ["alice"] }));
    h.emu.calls.reset();
    const { diff, after, news } = await up(id, outs, { bundleId: "b-ubuntu-office-8c16g" });
    expect(diff).toMatchObject({ changes: true, replaces: [], updates: ["bundleId"] });
    expect((diff as { drift: string[] }).drift).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          "its data disk is CLEARED: the operating system changes from Windows to Linux, and a rebuild across operating systems clears the data disk",
        ),
      ]),
    );
    expect(h.logs.join("\n")).toContain("CLEARED");
    expect([h.count("RebuildDesktops"), h.count("ModifyDesktopSpec")]).toEqual([1, 3]);
    expect(h.count("CreateDesktops") + h.count("DeleteDesktops")).toBe(0);
    expect(after.desktopIds).toEqual(outs.desktopIds);
    for (const desktop of h.live()) {
      expect(desktop).toMatchObject({
        DesktopType: "eds.enterprise_office.8c16g",
        ImageId: "m-ubuntu2204-emu",
        DesktopStatus: "Running",
        EndUserIds: ["alice"],
      });
      expect(desktop.Disks?.map((d) => d.DiskSize)).toEqual([100, 100]);
    }
    await settled(id, after, news);
  });

  it("a template change that fails part-way keeps the old template recorded, and the next up finishes it", async () => {
    const { id, outs } = await h.createBatch(baseInputs({ amount: 3 }));
    const news = await h.checked({ ...inputsOf(outs), bundleId: "b-ubuntu-office-8c16g" });
    h.emu.faults.script({ action: "ModifyDesktopSpec", kind: "serverError", times: 100 });
    const failure = await h.provider.update(id, outs, news).then(
      () => undefined,
      (error: { properties?: DesktopBatchOutputs }) => error,
    );
    expect(failure?.properties?.bundleId).toBe("b-win-office-4c8g");
    expect(new Set(h.live().map((d) => d.ImageId))).toEqual(new Set(["m-ubuntu2204-emu"]));
    h.emu.faults.reset();
    h.emu.calls.reset();
    const recorded = failure!.properties!;
    expect(await h.provider.diff(id, recorded, news)).toMatchObject({ replaces: [], updates: ["bundleId"] });
    const result = await h.provider.update(id, recorded, news);
    expect([h.count("RebuildDesktops"), h.count("ModifyDesktopSpec")]).toEqual([0, 3]);
    expect(new Set(h.live().map((d) => d.DesktopType))).toEqual(new Set(["eds.enterprise_office.8c16g"]));
    await settled(id, result.outs as DesktopBatchOutputs, news);
  });

  it("a template changed upstream leaves the batch alone, and a preview without a template change reads none", async () => {
    const { id, outs, inputs } = await h.createBatch(
      baseInputs({ amount: 2, bundleId: "b-ubuntu-office-8c16g" }),
    );
    h.emu.backend.addBundle(REGION, {
      id: "b-ubuntu-office-8c16g",
      name: "Ubuntu Office 8C16G",
      description: "moved to another image upstream",
      imageId: "m-win2019-emu",
      desktopType: "eds.enterprise_office.4c8g",
      systemDisk: disk(120),
      createdAt: 0,
    });
    h.emu.calls.reset();
    expect((await h.provider.diff(id, outs, inputs)).changes).toBe(false);
    await h.provider.update(id, outs, { ...inputs, amount: 2 });
    expect(h.count("DescribeBundles")).toBe(0);
    expect(writes()).toEqual([]);
  });

  it.each([
    ["another family", "b-win-general-4c16g", /General Office family/],
    ["smaller disks", "b-win-office-4c8g", /system disk is 80 GiB, smaller than the 100 GiB/],
  ])("a template of %s replaces the batch and the preview says why", async (_name, bundleId, why) => {
    const start = _name === "smaller disks" ? "b-win-office-8c16g" : "b-win-office-4c8g";
    const { id, outs } = await h.createBatch(baseInputs({ amount: 1, bundleId: start }));
    h.emu.calls.reset();
    const news = await h.checked({ ...inputsOf(outs), bundleId });
    h.logs.length = 0;
    const diff = await h.provider.diff(id, outs, news);
    expect(diff.replaces).toEqual(["bundleId"]);
    expect((diff as { reasons: string[] }).reasons).toEqual([expect.stringMatching(why)]);
    expect(h.logs.join("\n")).toMatch(why);
    expect(writes()).toEqual([]);
  });
});
