import { startHarness, withHarness, Harness, baseInputs, AD_SITE, REGION } from "../support/harness";
import { EcdClient } from "../../provider/ecd/client";
import { PartialBatchError, DesktopBatchInputs } from "../../provider";

describe("DesktopBatch lifecycle against the emulator", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  it("creates N desktops, all Running and tagged with their owner (the ID's instance) and lineage, and read/diff after create are clean", async () => {
    const { id, outs, inputs } = await h.createBatch(
      baseInputs({ amount: 4, endUserIds: ["alice", "bob"], tags: { team: "platform" } }),
    );
    const live = h.live();
    expect(live).toHaveLength(4);
    expect(outs.desktopIds).toEqual(
      live.map((d) => d.DesktopId).sort((a, b) => outs.desktopIds.indexOf(a) - outs.desktopIds.indexOf(b)),
    );
    for (const desktop of live) {
      expect(desktop.DesktopStatus).toBe("Running");
      expect(new Set(desktop.EndUserIds)).toEqual(new Set(["alice", "bob"]));
      expect(desktop.Tags).toEqual(
        expect.arrayContaining([
          { Key: "team", Value: "platform" },
          { Key: "pulumi-ecd:batch", Value: id.replace(/^ecd-batch-/, "") },
          { Key: "pulumi-ecd:lineage", Value: inputs.lineage },
        ]),
      );
    }
    expect(outs.desktops.map((d) => d.desktopStatus)).toEqual(["Running", "Running", "Running", "Running"]);
    const read = await h.provider.read(id, outs);
    expect(read.id).toBe(id);
    expect(read.props).toEqual(outs);
    const diff = await h.provider.diff(id, outs, inputs);
    expect(diff.changes).toBe(false);
    expect(diff.replaces).toEqual([]);
  });

  it("splits a batch above 300 into calls that keep PER_USER blocks and the hostname sequence", async () => {
    const users = Array.from(
      { length: 13 },
      (_, i) => ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"][i % 10],
    );
    const distinct = [...new Set(users)];
    const amount = distinct.length * 65; // 650 desktops, 65 per user
    const { outs } = await h.createBatch(
      baseInputs({
        officeSiteId: AD_SITE,
        amount,
        endUserIds: distinct,
        userAssignMode: "PER_USER",
        hostname: "lab-[1,4]",
      }),
    );
    expect(h.count("CreateDesktops")).toBe(3);
    const byId = new Map(h.live().map((d) => [d.DesktopId, d]));
    expect(outs.desktopIds).toHaveLength(amount);
    outs.desktopIds.forEach((desktopId, index) => {
      const desktop = byId.get(desktopId)!;
      expect(desktop.EndUserIds).toEqual([distinct[Math.floor(index / 65)]]);
      expect(desktop.HostName).toBe(`lab-${String(index + 1).padStart(4, "0")}`);
    });
  });

  it("adopts what a CreateDesktops with a lost response created instead of creating it again", async () => {
    h.emu.faults.script({ action: "CreateDesktops", kind: "responseLost", times: 1 });
    const { outs } = await h.createBatch(baseInputs({ amount: 3 }));
    expect(h.count("CreateDesktops")).toBe(1);
    expect(h.live()).toHaveLength(3);
    expect(new Set(outs.desktopIds)).toEqual(new Set(h.live().map((d) => d.DesktopId)));
  });

  it("creates again when a dropped CreateDesktops turns out not to have been applied", async () => {
    h.emu.faults.script({ action: "CreateDesktops", kind: "drop", times: 1 });
    await h.createBatch(baseInputs({ amount: 2 }));
    expect(h.count("CreateDesktops")).toBe(2);
    expect(h.live()).toHaveLength(2);
  });

  it("records Failed desktops in the error instead of leaking them, and the next update replaces them", async () => {
    h.emu.faults.set({ failedDesktopRate: 1 });
    let error: unknown;
    const inputs = await h.checked(baseInputs({ amount: 2, lineage: "f".repeat(32) }));
    try {
      await h.provider.create(inputs);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PartialBatchError);
    const partial = error as PartialBatchError;
    expect(partial.id).toMatch(/^ecd-batch-[0-9a-f]{32}$/);
    expect(new Set(partial.properties.desktopIds)).toEqual(new Set(h.live().map((d) => d.DesktopId)));
    expect(partial.properties.desktops.every((d) => d.desktopStatus === "Failed")).toBe(true);

    h.emu.faults.set({ failedDesktopRate: 0 });
    const diff = await h.provider.diff(partial.id, partial.properties, inputs);
    expect(diff.changes).toBe(true);
    expect(diff.replaces).toEqual([]);
    const { outs } = await h.provider.update(partial.id, partial.properties, inputs);
    expect(h.live().map((d) => d.DesktopStatus)).toEqual(["Running", "Running"]);
    expect(outs!.desktopIds).toHaveLength(2);
    expect(outs!.desktopIds.some((id) => partial.properties.desktopIds.includes(id))).toBe(false);
  });

  it("notices desktops deleted behind its back and creates replacements on update", async () => {
    const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 3 }));
    h.emu.backend.removeDesktops([outs.desktopIds[1]]);
    const read = await h.provider.read(id, outs);
    expect(read.props!.desktopIds).toEqual([outs.desktopIds[0], outs.desktopIds[2]]);
    const diff = await h.provider.diff(id, read.props!, inputs);
    expect(diff.changes).toBe(true);
    const updated = await h.provider.update(id, read.props!, inputs);
    expect(updated.outs!.desktopIds.slice(0, 2)).toEqual([outs.desktopIds[0], outs.desktopIds[2]]);
    expect(h.live()).toHaveLength(3);
    expect((await h.provider.diff(id, updated.outs!, inputs)).changes).toBe(false);
  });

  it("deletes everything, waits until gone, and deleting again succeeds", async () => {
    const { id, outs } = await h.createBatch(baseInputs({ amount: 3 }));
    await h.provider.delete(id, outs);
    expect(h.live()).toHaveLength(0);
    await h.provider.delete(id, outs);
    expect(h.live()).toHaveLength(0);
  });

  it("refuses to delete unexpired subscription desktops, listing them and the ways out, and deletes nothing", async () => {
    const { id, outs, inputs } = await h.createBatch(
      baseInputs({ amount: 2, chargeType: "PrePaid", period: 1, periodUnit: "Month" }),
    );
    expect(outs.orderId).toBeTruthy();
    await expect(h.provider.delete(id, outs)).rejects.toThrow(
      /subscription \(PrePaid\).*retainOnDelete.*releaseSubscriptionOnDelete/s,
    );
    const message = await h.provider.delete(id, outs).catch((e: Error) => e.message);
    for (const desktopId of outs.desktopIds) expect(message).toContain(desktopId);
    expect(message).toMatch(/expires \d{4}-/);
    expect(h.live()).toHaveLength(2);
    expect(h.count("DeleteDesktops")).toBe(0);

    const optIn = { ...inputs, releaseSubscriptionOnDelete: true };
    const updated = await h.provider.update(id, outs, optIn);
    await h.provider.delete(id, updated.outs!);
    expect(h.live()).toHaveLength(0);
    expect(h.count("ModifyDesktopChargeType")).toBe(1);
  });

  it("rides out injected throttling and server errors", async () => {
    h.emu.faults.script(
      { action: "CreateDesktops", kind: "throttle", times: 2 },
      { action: "DescribeDesktops", kind: "serverError", times: 2 },
    );
    const { outs } = await h.createBatch(baseInputs({ amount: 2 }));
    expect(outs.desktops.map((d) => d.desktopStatus)).toEqual(["Running", "Running"]);
    expect(h.live()).toHaveLength(2);
  });

  it("adopts existing desktops by ID", async () => {
    const existing = await h.unmanaged(2, "old");
    const adopted = await h.createBatch(
      baseInputs({ amount: 3, desktopName: "old", adoptDesktopIds: existing }),
    );
    expect(adopted.outs.desktopIds.slice(0, 2)).toEqual(existing);
    expect(h.live()).toHaveLength(3);
    const owner = adopted.id.replace(/^ecd-batch-/, "");
    expect(
      h.live().every((d) => d.Tags?.some((t) => t.Key === "pulumi-ecd:batch" && t.Value === owner)),
    ).toBe(true);
  });

  it("uses the region from config when inputs leave it out", async () => {
    const inputs = await h.checked(baseInputs());
    expect(inputs.regionId).toBe(REGION);
  });
});

describe("desktop names across several CreateDesktops calls", () => {
  it("keeps numbered names unique when a batch is created in several calls or scaled up", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 305, desktopName: "lab" }));
      const names = h.live().map((d) => d.DesktopName);
      expect(new Set(names).size).toBe(305);
      // The second call is its own group: lab-1..lab-300, then lab-301-1..lab-301-5, with no rename at all.
      expect(names.filter((name) => /^lab-\d+$/.test(name ?? ""))).toHaveLength(300);
      expect(names.filter((name) => /^lab-301-[1-5]$/.test(name ?? ""))).toHaveLength(5);
      expect(h.count("ModifyDesktopName")).toBe(0);
      h.emu.calls.reset();
      const scaled = (await h.provider.update(id, outs, await h.checked({ ...inputs, amount: 330 }))).outs!;
      expect(new Set(h.live().map((d) => d.DesktopName)).size).toBe(330);
      expect(h.count("ModifyDesktopName")).toBe(0);
      const one = await h.provider.update(id, scaled, await h.checked({ ...inputs, amount: 331 }));
      expect(new Set(h.live().map((d) => d.DesktopName)).size).toBe(331);
      expect(h.count("ModifyDesktopName")).toBe(0);
      expect(
        (await h.provider.diff(id, one.outs!, await h.checked({ ...inputs, amount: 331 }))).changes,
      ).toBe(false);
    });
  });
});

describe("replacement under the same resource name", () => {
  const attachment = {
    desktopType: "eds.enterprise_office.2c4g",
    imageId: "m-ubuntu2204-emu",
    systemDiskSize: 80,
    dataDiskSize: 40,
  };
  const cases: [string, DesktopBatchInputs, DesktopBatchInputs][] = [
    ["another office site", baseInputs({ amount: 2 }), { officeSiteId: AD_SITE }],
    [
      "a smaller system disk",
      baseInputs({ amount: 2, bundleId: undefined, desktopAttachment: attachment }),
      { desktopAttachment: { ...attachment, systemDiskSize: 60 } },
    ],
    [
      "a data disk removed",
      baseInputs({ amount: 2, bundleId: undefined, desktopAttachment: attachment }),
      { desktopAttachment: { ...attachment, dataDiskSize: undefined } },
    ],
    [
      "a template swapped for an attachment",
      baseInputs({ amount: 2 }),
      { bundleId: undefined, desktopAttachment: attachment },
    ],
  ];
  it.each(cases)(
    "%s: the new batch is created beside the old one, and deleting the old leaves the new",
    async (_name, base, patch) => {
      await withHarness(async (h) => {
        const old = await h.createBatch({ ...base, lineage: "c".repeat(32) });
        const news = await h.checked({ ...old.inputs, ...patch });
        expect((await h.provider.diff(old.id, old.outs, news)).replaces!.length).toBeGreaterThan(0);
        const replacement = await h.provider.create(news);
        expect(replacement.id).not.toBe(old.id);
        const newIds = replacement.outs!.desktopIds;
        expect(newIds.some((id) => old.outs.desktopIds.includes(id))).toBe(false);
        expect(h.live()).toHaveLength(4);
        await h.provider.delete(old.id, old.outs);
        expect(
          h
            .live()
            .map((d) => d.DesktopId)
            .sort(),
        ).toEqual([...newIds].sort());
        const reread = await h.provider.read(replacement.id, replacement.outs!);
        expect(reread.props!.desktopIds).toEqual(newIds);
      });
    },
  );
});

describe("drift in attributes and failures part-way", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  it("shows renames, re-tags and re-assignments made elsewhere as drift, and update puts them back", async () => {
    const { id, outs, inputs } = await h.createBatch(
      baseInputs({ amount: 2, endUserIds: ["alice"], tags: { team: "platform" } }),
    );
    const [first, second] = outs.desktopIds;
    const client = new EcdClient({
      regionId: REGION,
      endpoint: h.emu.url,
      credentials: h.emu.credentials[0],
    });
    await client.modifyDesktopName(first, "hijacked");
    await client.tagResources([second], [{ key: "team", value: "other" }]);
    await client.modifyEntitlement(second, ["bob"]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const read = await h.provider.read(id, outs);
    const seen = new Map(read.props!.desktops.map((d) => [d.desktopId, d]));
    expect(seen.get(first)!.desktopName).toBe("hijacked");
    expect(seen.get(second)!.tags).toEqual({ team: "other" });
    expect(seen.get(second)!.endUserIds).toEqual(["bob"]);
    const diff = await h.provider.diff(id, read.props!, inputs);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const healed = await h.provider.update(id, read.props!, inputs);
    expect(healed.outs!.desktopIds).toEqual(outs.desktopIds);
    expect((await h.provider.diff(id, healed.outs!, inputs)).changes).toBe(false);
    const live = new Map(h.live().map((d) => [d.DesktopId, d]));
    expect(live.get(first)!.DesktopName).toMatch(/^dev-\d+$/);
    expect(live.get(second)!.EndUserIds).toEqual(["alice"]);
    expect(live.get(second)!.Tags).toEqual(expect.arrayContaining([{ Key: "team", Value: "platform" }]));
  });

  it("an update that fails part-way reports the batch as it now is, so state stays true", async () => {
    const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 2, endUserIds: ["alice"] }));
    h.emu.faults.script({ action: "ModifyUserEntitlement", kind: "serverError", times: 100 });
    const news = await h.checked({ ...inputs, desktopName: "renamed", endUserIds: ["bob"] });
    const error = await h.provider.update(id, outs, news).catch((e: unknown) => e);
    h.emu.faults.set({});
    expect(error).toBeInstanceOf(PartialBatchError);
    const partial = error as PartialBatchError;
    expect(partial.message).toMatch(/ModifyUserEntitlement/);
    expect(partial.id).toBe(id);
    expect(partial.properties.desktopIds).toEqual(outs.desktopIds);
    expect(partial.properties.desktops.map((d) => d.desktopName).sort()).toEqual(["renamed-1", "renamed-2"]);
    expect(partial.properties.desktops.map((d) => d.endUserIds)).toEqual([["alice"], ["alice"]]);
  });

  it("a create that runs out of time records what it created", async () => {
    await h.close();
    h = await startHarness({ durations: { createMs: 60_000 } });
    const inputs = await h.checked(
      baseInputs({ amount: 2, lineage: "d".repeat(32), timeouts: { create: "300ms" } }),
    );
    const error = await h.provider.create(inputs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialBatchError);
    const partial = error as PartialBatchError;
    expect(partial.message).toMatch(/timed out waiting/);
    expect(new Set(partial.properties.desktopIds)).toEqual(new Set(h.live().map((d) => d.DesktopId)));
    expect(partial.properties.desktops.map((d) => d.desktopStatus)).toEqual(["Pending", "Pending"]);
  });
});

describe("looking a batch up by its ID alone (DesktopBatch.get)", () => {
  it("finds the desktops through the batch tag recorded in the ID, and reports an unknown ID as missing", async () => {
    await withHarness(async (h) => {
      const { id, outs } = await h.createBatch(baseInputs({ amount: 2 }));
      const found = await h.provider.read(id, {} as never);
      expect(found.id).toBe(id);
      expect(found.props!.desktopIds).toEqual(outs.desktopIds);
      expect(found.props).toMatchObject({
        regionId: outs.regionId,
        officeSiteId: outs.officeSiteId,
        bundleId: outs.bundleId,
        policyGroupId: outs.policyGroupId,
        chargeType: "PostPaid",
        desktopName: "dev",
        amount: 2,
        lineage: outs.lineage,
      });
      expect(found.props!.desktops.every((d) => d.desktopStatus === "Running")).toBe(true);
      const missing = await h.provider.read(`ecd-batch-${"e".repeat(32)}`, {} as never);
      expect(missing.id).toBeUndefined();
    });
  });
});

describe("without the SDK (a hand-written dynamic.Resource)", () => {
  it("records no made-up lineage, so a preview right after create shows no changes", async () => {
    await withHarness(async (h) => {
      const inputs = await h.checked(baseInputs({ amount: 1 }));
      delete inputs.lineage;
      const { id, outs } = await h.provider.create(inputs);
      expect(outs!.lineage).toBeUndefined();
      const again = await h.provider.check(outs!, { ...inputs });
      expect(again.inputs!.lineage).toBeUndefined();
      expect((await h.provider.diff(id, outs!, again.inputs!)).changes).toBe(false);
      expect((await h.provider.read(id, outs!)).props).toEqual(outs);
      await h.provider.delete(id, outs!);
      expect(h.live()).toHaveLength(0);
    });
  });
});

describe("subscription desktops beyond delete", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());
  const prePaid = () => baseInputs({ chargeType: "PrePaid", period: 1, periodUnit: "Month" });

  it("releases subscription desktops whose creation failed, which ECD allows", async () => {
    h.emu.faults.set({ failedDesktopRate: 1 });
    const inputs = await h.checked({ ...prePaid(), amount: 2, lineage: "9".repeat(32) });
    const partial = (await h.provider.create(inputs).catch((e: unknown) => e)) as PartialBatchError;
    expect(partial).toBeInstanceOf(PartialBatchError);
    await h.provider.delete(partial.id, partial.properties);
    expect(h.live()).toHaveLength(0);
  });

  it("refuses a scale-down that would need unexpired subscription desktops released, then does it on opt-in", async () => {
    const { id, outs, inputs } = await h.createBatch({ ...prePaid(), amount: 3 });
    h.emu.calls.reset();
    const smaller = await h.checked({ ...inputs, amount: 1 });
    const refusal = await h.provider.update(id, outs, smaller).catch((e: Error) => e);
    expect(refusal).toBeInstanceOf(PartialBatchError);
    expect((refusal as Error).message).toMatch(
      /was not scaled down to 1: .*subscription \(PrePaid\).*expires \d{4}-.*Nothing was released.*releaseSubscriptionOnDelete/s,
    );
    expect(h.count("DeleteDesktops")).toBe(0);
    expect(h.live()).toHaveLength(3);

    const optIn = await h.checked({ ...smaller, releaseSubscriptionOnDelete: true });
    const result = await h.provider.update(id, outs, optIn);
    expect(result.outs!.desktopIds).toHaveLength(1);
    expect(h.live()).toHaveLength(1);
    expect(h.live()[0].ChargeType).toBe("PrePaid");
  });
});

describe("the tag limit", () => {
  it("creates a batch with the most tags check allows, next to the provider's three", async () => {
    await withHarness(async (h) => {
      const tags = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, `v${i}`]));
      await h.createBatch(baseInputs({ amount: 1, tags }));
      // Created with 20 (ECD's limit, the creating tag included); 19 once the create is committed.
      expect(h.live()[0].Tags).toHaveLength(19);
    });
  });
});

describe("more desktops than amount", () => {
  it("shows a tagged straggler as drift, and update releases it", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 2 }));
      const tag = h.live()[0].Tags!.find((t) => t.Key === "pulumi-ecd:batch")!;
      const client = new EcdClient({
        regionId: REGION,
        endpoint: h.emu.url,
        credentials: h.emu.credentials[0],
      });
      await client.createDesktops({
        officeSiteId: inputs.officeSiteId,
        bundleId: inputs.bundleId,
        amount: 1,
        tags: [{ key: tag.Key, value: tag.Value }],
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const read = await h.provider.read(id, outs);
      expect(read.props!.desktopIds).toHaveLength(3);
      expect((await h.provider.diff(id, read.props!, inputs)).changes).toBe(true);
      const result = await h.provider.update(id, read.props!, inputs);
      expect(result.outs!.desktopIds).toEqual(outs.desktopIds);
      expect(h.live()).toHaveLength(2);
    });
  });
});
