import { startHarness, withHarness, Harness, baseInputs, AD_SITE } from "../support/harness";
import type { DesktopBatchInputs, DesktopBatchOutputs } from "../../provider";

/** Every in-place change: the API it uses, the emulator's state after, and that no desktop was recreated. */
describe("DesktopBatch in-place updates", () => {
  let h: Harness;
  let id: string;
  let outs: DesktopBatchOutputs;
  let inputs: DesktopBatchInputs;
  const ids = () =>
    h
      .live()
      .map((d) => d.DesktopId)
      .sort();

  beforeEach(async () => {
    h = await startHarness();
    ({ id, outs, inputs } = await h.createBatch(
      baseInputs({
        amount: 3,
        endUserIds: ["alice", "bob"],
        tags: { team: "platform", env: "dev" },
        desktopAttachment: undefined,
      }),
    ));
    h.emu.calls.reset();
  });
  afterEach(async () => h.close());

  async function change(patch: DesktopBatchInputs) {
    const before = ids();
    const news = await h.checked({ ...inputs, ...patch });
    const diff = await h.provider.diff(id, outs, news);
    expect(diff.replaces).toEqual([]);
    expect(diff.changes).toBe(true);
    const result = await h.provider.update(id, outs, news);
    expect(h.count("CreateDesktops")).toBe(0);
    expect(h.count("DeleteDesktops")).toBe(0);
    expect(ids()).toEqual(before);
    const after = result.outs as DesktopBatchOutputs;
    expect((await h.provider.diff(id, after, news)).changes).toBe(false);
    return { news, after };
  }

  it("renames with ModifyDesktopName", async () => {
    await change({ desktopName: "renamed" });
    expect(h.count("ModifyDesktopName")).toBe(3);
    expect(
      h
        .live()
        .map((d) => d.DesktopName)
        .sort(),
    ).toEqual(["renamed-1", "renamed-2", "renamed-3"]);
  });

  it("moves to another policy with one ModifyDesktopsPolicyGroup call", async () => {
    await change({ policyGroupId: "pg-emu-custom-0001" });
    expect(h.count("ModifyDesktopsPolicyGroup")).toBe(1);
    expect(h.live().every((d) => d.PolicyGroupId === "pg-emu-custom-0001")).toBe(true);
  });

  it("adds, changes and removes tags with TagResources and UntagResources, keeping the provider's tags", async () => {
    await change({ tags: { team: "data", owner: "carol" } });
    expect(h.count("TagResources")).toBe(1);
    expect(h.count("UntagResources")).toBe(1);
    for (const desktop of h.live()) {
      const tags = Object.fromEntries((desktop.Tags ?? []).map((t) => [t.Key, t.Value]));
      expect(tags).toEqual({
        team: "data",
        owner: "carol",
        "pulumi-ecd:batch": id.replace(/^ecd-batch-/, ""),
        "pulumi-ecd:lineage": inputs.lineage,
      });
    }
  });

  it("grants and revokes users on every desktop (ALL) with ModifyUserEntitlement", async () => {
    await change({ endUserIds: ["bob", "carol"] });
    expect(h.count("ModifyUserEntitlement")).toBe(2);
    expect(h.live().every((d) => [...(d.EndUserIds ?? [])].sort().join() === "bob,carol")).toBe(true);
  });

  it("switches to PER_USER with ModifyEntitlement per desktop", async () => {
    await change({ endUserIds: ["alice", "bob", "carol"], userAssignMode: "PER_USER" });
    expect(h.count("ModifyEntitlement")).toBe(3);
    const byId = new Map(h.live().map((d) => [d.DesktopId, d.EndUserIds]));
    expect(outs.desktopIds.map((desktopId) => byId.get(desktopId))).toEqual([["alice"], ["bob"], ["carol"]]);
  });

  it("converts pay-as-you-go to subscription with ModifyDesktopChargeType", async () => {
    await change({ chargeType: "PrePaid", period: 1, periodUnit: "Month" });
    expect(h.count("ModifyDesktopChargeType")).toBe(1);
    expect(h.live().every((d) => d.ChargeType === "PrePaid" && d.ExpiredTime)).toBe(true);
  });

  it("records creation-only changes without any write call", async () => {
    const news = await h.checked({
      ...inputs,
      userCommands: [{ content: "echo hi", contentEncoding: "PlainText", contentType: "RunShellScript" }],
      promotionId: "p-1",
    });
    const diff = await h.provider.diff(id, outs, news);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const result = await h.provider.update(id, outs, news);
    const writes = Object.keys(h.emu.calls.counts()).filter((action) => !/^(Describe|List)/.test(action));
    expect(writes).toEqual([]);
    expect(result.outs!.userCommands).toEqual(news.userCommands);
  });

  it("scales up by creating the delta with the current parameters", async () => {
    const { after } = await (async () => {
      const news = await h.checked({ ...inputs, amount: 5, tags: { team: "platform", env: "dev" } });
      const result = await h.provider.update(id, outs, news);
      return { after: result.outs as DesktopBatchOutputs };
    })();
    expect(h.count("CreateDesktops")).toBe(1);
    expect(after.desktopIds.slice(0, 3)).toEqual(outs.desktopIds);
    expect(h.live()).toHaveLength(5);
  });

  it("scales down by releasing Failed, then Stopped, then the newest desktops", async () => {
    const [first, second, third] = outs.desktopIds;
    h.emu.backend.forceStatus(first, "Stopped");
    // Refreshed first (pulumi up --refresh): the update plans from what the state records.
    const refreshed = (await h.provider.read(id, outs)).props as DesktopBatchOutputs;
    const news = await h.checked({ ...inputs, amount: 1 });
    const result = await h.provider.update(id, refreshed, news);
    // first is Stopped → released first; then the newest of the rest (third); second stays.
    expect(result.outs!.desktopIds).toEqual([second]);
    expect(h.live().map((d) => d.DesktopId)).toEqual([second]);
    expect(third).toBeDefined();
  });

  it("without a refresh, scales down as the preview showed, from the stored desktops", async () => {
    const [first, second, third] = outs.desktopIds;
    h.emu.backend.forceStatus(first, "Stopped");
    const news = await h.checked({ ...inputs, amount: 1 });
    const diff = await h.provider.diff(id, outs, news);
    expect(diff.changes).toBe(true);
    const result = await h.provider.update(id, outs, news);
    // The state shows all three Running: the newest two go, as the preview said.
    expect(result.outs!.desktopIds).toEqual([first]);
    expect(h.live().map((d) => d.DesktopId)).toEqual([first]);
    expect(outs.desktopIds).toEqual([first, second, third]);
  });
});

describe("DesktopBatch spec changes", () => {
  it("changes the desktop type and grows disks with ModifyDesktopSpec: stop, modify, start", async () => {
    await withHarness(async (h) => {
      const attachment = {
        desktopType: "eds.enterprise_office.2c4g",
        imageId: "m-ubuntu2204-emu",
        systemDiskCategory: "cloud_auto",
        systemDiskSize: 80,
        dataDiskCategory: "cloud_auto",
        dataDiskSize: 40,
      };
      const { id, outs, inputs } = await h.createBatch(
        baseInputs({ bundleId: undefined, amount: 2, desktopAttachment: attachment }),
      );
      h.emu.calls.reset();
      const news = await h.checked({
        ...inputs,
        desktopAttachment: { ...attachment, desktopType: "eds.enterprise_office.4c8g", dataDiskSize: 100 },
      });
      const diff = await h.provider.diff(id, outs, news);
      expect(diff).toMatchObject({ changes: true, replaces: [] });
      const result = await h.provider.update(id, outs, news);
      expect(h.count("StopDesktops")).toBe(1);
      expect(h.count("ModifyDesktopSpec")).toBe(2);
      expect(h.count("StartDesktops")).toBe(1);
      for (const desktop of h.live()) {
        expect(desktop.DesktopType).toBe("eds.enterprise_office.4c8g");
        expect(desktop.DesktopStatus).toBe("Running");
        expect(desktop.Disks?.find((d) => d.DiskType === "DATA")?.DiskSize).toBe(100);
      }
      expect(result.outs!.desktopIds).toEqual(outs.desktopIds);
    });
  });
});

describe("DesktopBatch replacement triggers", () => {
  const attachment = {
    desktopType: "eds.enterprise_office.2c4g",
    imageId: "m-ubuntu2204-emu",
    systemDiskSize: 80,
    dataDiskSize: 40,
  };
  const cases: [string, DesktopBatchInputs, string[], boolean][] = [
    ["office site", { officeSiteId: AD_SITE }, ["officeSiteId"], false],
    [
      "region",
      { regionId: "cn-shanghai", officeSiteId: "cn-shanghai+dir-0000000001" },
      ["regionId", "officeSiteId"],
      false,
    ],
    [
      "encryption",
      { volumeEncryptionEnabled: true, volumeEncryptionKey: "key-emu-0001" },
      ["volumeEncryptionEnabled", "volumeEncryptionKey"],
      false,
    ],
    ["member IP", { desktopMemberIp: "172.16.0.99", amount: 1 }, ["desktopMemberIp"], true],
    ["hostname", { officeSiteId: AD_SITE, hostname: "h-[1,3]" }, ["officeSiteId", "hostname"], true],
    [
      "system disk shrink",
      { bundleId: undefined, desktopAttachment: { ...attachment, systemDiskSize: 70 } },
      ["desktopAttachment.systemDiskSize"],
      false,
    ],
  ];
  it.each(cases)("%s is a replace", async (_name, patch, replaces, deleteFirst) => {
    await withHarness(async (h) => {
      const base = baseInputs({
        amount: 2,
        ...(patch.desktopAttachment ? { bundleId: undefined, desktopAttachment: attachment } : {}),
      });
      const olds = await h.checked(base);
      const news = await h.checked({ ...olds, ...patch });
      const diff = await h.provider.diff(
        "x",
        { ...olds, desktopIds: [], desktops: [] } as DesktopBatchOutputs,
        news,
      );
      expect(diff.replaces).toEqual(replaces);
      expect(diff.deleteBeforeReplace ?? false).toBe(deleteFirst);
      expect(h.count("DescribeDesktops")).toBe(0);
    });
  });
  it("growing the system disk is in place", async () => {
    await withHarness(async (h) => {
      const olds = await h.checked(baseInputs({ bundleId: undefined, desktopAttachment: attachment }));
      const news = await h.checked({ ...olds, desktopAttachment: { ...attachment, systemDiskSize: 120 } });
      const diff = await h.provider.diff(
        "x",
        { ...olds, desktopIds: [], desktops: [] } as DesktopBatchOutputs,
        news,
      );
      expect(diff.replaces).toEqual([]);
      expect(diff.changes).toBe(true);
    });
  });
});

describe("PER_USER scale-down", () => {
  it("takes desktops beyond each user's new share, so nobody's desktop is handed to someone else", async () => {
    await withHarness(async (h) => {
      const users = ["alice", "bob", "carol"];
      const { id, outs, inputs } = await h.createBatch(
        baseInputs({ amount: 6, endUserIds: users, userAssignMode: "PER_USER" }),
      );
      const ownerBefore = new Map(h.live().map((d) => [d.DesktopId, d.EndUserIds]));
      h.emu.calls.reset();
      const news = await h.checked({ ...inputs, amount: 3 });
      const result = await h.provider.update(id, outs, news);
      expect(h.count("ModifyEntitlement")).toBe(0);
      expect(h.count("ModifyUserEntitlement")).toBe(0);
      const after = h.live();
      expect(after.map((d) => d.EndUserIds![0]).sort()).toEqual(users);
      for (const d of after) expect(d.EndUserIds).toEqual(ownerBefore.get(d.DesktopId));
      expect((await h.provider.diff(id, result.outs!, news)).changes).toBe(false);
    });
  });
});

describe("adopting more desktops later", () => {
  it("takes over desktops added to adoptDesktopIds, counting them toward amount", async () => {
    await withHarness(async (h) => {
      const stray = await h.unmanaged(1, "stray");
      const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 2 }));
      h.emu.calls.reset();
      const news = await h.checked({ ...inputs, amount: 3, adoptDesktopIds: stray });
      expect(await h.provider.diff(id, outs, news)).toMatchObject({ changes: true, replaces: [] });
      const result = await h.provider.update(id, outs, news);
      expect(h.count("CreateDesktops")).toBe(0);
      expect(result.outs!.desktopIds).toEqual([...outs.desktopIds, ...stray]);
      expect(h.live().find((d) => d.DesktopId === stray[0])!.DesktopName).toMatch(/^dev-\d+$/);
    });
  });
});
