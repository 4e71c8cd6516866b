/**
 * The provider against the real service's rules, as the official SDK models state them and the emulator enforces
 * them: ModifyDesktopSpec (ResourceType for subscriptions, five minutes between changes, asynchronous), paid
 * conversions, the Updating lock, and deletes that wait until desktops are really gone.
 */
import { withHarness, baseInputs, Harness, SHORT_DURATIONS } from "../support/harness";
import type { DesktopBatchInputs, DesktopBatchOutputs } from "../../provider";
import { PartialBatchError } from "../../provider";
import type { DiffPlan } from "../../provider/desktopBatch/diff";
import { inputsOf } from "../../provider/desktopBatch/outputs";
import { otherProcess, until } from "../support/processes";

const TEMPLATELESS = {
  bundleId: undefined,
  desktopAttachment: { desktopType: "eds.enterprise_office.4c8g", imageId: "m-win2019-emu" },
};
const PREPAID = { chargeType: "PrePaid", period: 1, periodUnit: "Month" } as const;

async function update(h: Harness, id: string, outs: DesktopBatchOutputs, patch: DesktopBatchInputs) {
  const news = await h.checked({ ...inputsOf(outs as unknown as Record<string, unknown>), ...patch });
  return (await h.provider.update(id, outs, news)).outs as DesktopBatchOutputs;
}

const typed = (desktopType: string) => ({
  desktopAttachment: { ...TEMPLATELESS.desktopAttachment, desktopType },
});

describe("ModifyDesktopSpec as the service runs it", () => {
  it("sends ResourceType for subscription desktops, which the service requires", async () => {
    await withHarness(async (h) => {
      const { id, outs } = await h.createBatch(baseInputs({ ...PREPAID, ...TEMPLATELESS, amount: 2 }));
      const after = await update(h, id, outs, typed("eds.enterprise_office.8c16g"));
      expect(after.desktops.map((d) => d.desktopType)).toEqual([
        "eds.enterprise_office.8c16g",
        "eds.enterprise_office.8c16g",
      ]);
    });
  });

  it("names an hour-plan subscription (subPayType monthPackage) DesktopMonthPackage, which the service requires", async () => {
    await withHarness(async (h) => {
      const { id, outs } = await h.createBatch(
        baseInputs({ ...PREPAID, subPayType: "monthPackage", ...TEMPLATELESS, amount: 1 }),
      );
      const after = await update(h, id, outs, typed("eds.enterprise_office.8c16g"));
      expect(after.desktops.map((d) => d.desktopType)).toEqual(["eds.enterprise_office.8c16g"]);
    });
  });

  it("waits until DescribeDesktops shows the new type (the change is asynchronous) and starts the desktops again", async () => {
    await withHarness(
      async (h) => {
        const { id, outs } = await h.createBatch(baseInputs({ ...TEMPLATELESS, amount: 2 }));
        h.emu.calls.reset();
        const after = await update(h, id, outs, typed("eds.enterprise_office.8c16g"));
        expect(h.count("ModifyDesktopSpec")).toBe(2);
        expect(after.desktops.map((d) => [d.desktopType, d.desktopStatus])).toEqual([
          ["eds.enterprise_office.8c16g", "Running"],
          ["eds.enterprise_office.8c16g", "Running"],
        ]);
      },
      { durations: { createMs: 30, startMs: 30, stopMs: 30, deleteMs: 30, specMs: 400 } },
    );
  });

  it("one call carries every change of a desktop; a second change within five minutes fails with when to retry, desktops running", async () => {
    await withHarness(async (h) => {
      const { id, outs } = await h.createBatch(baseInputs({ ...TEMPLATELESS, amount: 1 }));
      h.emu.calls.reset();
      const first = await update(h, id, outs, {
        desktopAttachment: {
          ...TEMPLATELESS.desktopAttachment,
          desktopType: "eds.enterprise_office.8c16g",
          systemDiskSize: 120,
        },
      });
      expect(h.count("ModifyDesktopSpec")).toBe(1);
      const error = (await update(h, id, first, {
        desktopAttachment: {
          ...TEMPLATELESS.desktopAttachment,
          desktopType: "eds.enterprise_office.2c4g",
          systemDiskSize: 120,
        },
      }).catch((e: unknown) => e)) as PartialBatchError;
      expect(error).toBeInstanceOf(PartialBatchError);
      expect(error.message).toMatch(
        /one configuration change of a desktop every five minutes.*run pulumi up again in a few minutes/,
      );
      expect(h.live().map((d) => d.DesktopStatus)).toEqual(["Running"]);
      expect(error.properties.desktops[0].desktopType).toBe("eds.enterprise_office.8c16g");
    });
  });
});

describe("the five-minute interval between spec changes", () => {
  it("is explained whatever code the service refuses the second change with (the code is not documented)", async () => {
    await withHarness(async (h) => {
      h.emu.backend.variants.specIntervalCode = "InvalidOperation.SpecChangeInterval";
      const { id, outs } = await h.createBatch(baseInputs({ ...TEMPLATELESS, amount: 1 }));
      const first = await update(h, id, outs, typed("eds.enterprise_office.8c16g"));
      const error = (await update(h, id, first, typed("eds.enterprise_office.2c4g")).catch(
        (e: unknown) => e,
      )) as PartialBatchError;
      expect(error).toBeInstanceOf(PartialBatchError);
      expect(error.message).toMatch(/InvalidOperation\.SpecChangeInterval/);
      expect(error.message).toMatch(
        /one configuration change of a desktop every five minutes.*run pulumi up again in a few minutes/,
      );
      expect(h.live().map((d) => d.DesktopStatus)).toEqual(["Running"]);
    });
  });
});

describe("billing conversions", () => {
  it("sends AutoPay explicitly, and with autoPay: false reports the order instead of waiting out the timeout", async () => {
    await withHarness(async (h) => {
      const { id, outs } = await h.createBatch(baseInputs({ amount: 2, timeouts: { update: "5m" } }));
      const started = Date.now();
      const error = (await update(h, id, outs, { ...PREPAID, autoPay: false }).catch(
        (e: unknown) => e,
      )) as PartialBatchError;
      expect(error).toBeInstanceOf(PartialBatchError);
      expect(error.message).toMatch(/awaits payment of order\(s\) \S+ \(autoPay: false\)/);
      expect(Date.now() - started).toBeLessThan(60_000);
      const paid = await update(h, id, error.properties, { ...PREPAID, autoPay: true });
      expect(paid.desktops.map((d) => d.chargeType)).toEqual(["PrePaid", "PrePaid"]);
    });
  });

  it("waits for a billing change in progress (Updating) before releasing: a delete never cancels it", async () => {
    await withHarness(
      async (h) => {
        const { id, outs } = await h.createBatch(
          baseInputs({ ...PREPAID, amount: 1, releaseSubscriptionOnDelete: true }),
        );
        await h.client.modifyDesktopChargeType({ desktopIds: outs.desktopIds, chargeType: "PostPaid" });
        await h.provider.delete(id, outs);
        expect(h.live()).toHaveLength(0);
      },
      { durations: { createMs: 30, startMs: 30, stopMs: 30, deleteMs: 30, chargeTypeMs: 500 } },
    );
  });
});

describe("deletion as the service shows it", () => {
  it("a rerun of an interrupted destroy waits until desktops already being deleted are gone", async () => {
    await withHarness(
      async (h) => {
        const { id, outs } = await h.createBatch(baseInputs({ amount: 2 }));
        await h.client.deleteDesktops(outs.desktopIds);
        expect(h.live().map((d) => d.DesktopStatus)).toEqual(["Deleted", "Deleted"]);
        h.emu.calls.reset();
        await h.provider.delete(id, outs);
        expect(h.live()).toHaveLength(0);
        expect(h.count("DeleteDesktops")).toBe(0);
      },
      { durations: { createMs: 30, startMs: 30, stopMs: 30, deleteMs: 500 } },
    );
  });
});

describe("a spec change killed after StopDesktops (issue 17, item 7)", () => {
  const killedSpecChange = async (
    h: Harness,
    id: string,
    outs: DesktopBatchOutputs,
    patch: DesktopBatchInputs,
  ) => {
    const news = await h.checked({ ...inputsOf(outs as unknown as Record<string, unknown>), ...patch });
    // A provider process whose first sleep never ends: it dies waiting for the desktops to stop, as a SIGKILL of
    // the CLI leaves it.
    const { provider } = otherProcess(h, { poll: { sleep: () => new Promise<void>(() => undefined) } });
    void provider.update(id, outs, news).catch(() => undefined);
    await until(() => h.live().every((d) => d.DesktopStatus === "Stopping" || d.DesktopStatus === "Stopped"));
    await until(() => h.live().every((d) => d.DesktopStatus === "Stopped"));
  };

  it("the rerun of the change starts the desktops the killed run stopped", async () => {
    await withHarness(async (h) => {
      const { id, outs } = await h.createBatch(baseInputs({ ...TEMPLATELESS, amount: 2 }));
      const patch = typed("eds.enterprise_office.8c16g");
      await killedSpecChange(h, id, outs, patch);
      const after = await update(h, id, outs, patch);
      expect(after.desktops.map((d) => [d.desktopType, d.desktopStatus])).toEqual([
        ["eds.enterprise_office.8c16g", "Running"],
        ["eds.enterprise_office.8c16g", "Running"],
      ]);
      expect(h.live().map((d) => d.DesktopStatus)).toEqual(["Running", "Running"]);
    });
  });

  it("a refresh shows the stopped desktops as unfinished, and the next up starts them even with the change reverted", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(baseInputs({ ...TEMPLATELESS, amount: 2 }));
      await killedSpecChange(h, id, outs, typed("eds.enterprise_office.8c16g"));
      const refreshed = await h.refresh(id, outs);
      const diff = await h.provider.diff(id, refreshed, inputs);
      expect(diff.changes).toBe(true);
      expect(refreshed.unfinished).toMatch(/stopped for a spec change/);
      const after = await h.updateBatch({ id, outs: refreshed, inputs }, {});
      expect(after.desktops.map((d) => d.desktopStatus)).toEqual(["Running", "Running"]);
      expect(after.unfinished).toBeUndefined();
      expect((await h.provider.diff(id, await h.refresh(id, after), inputs)).changes).toBe(false);
    });
  });
});

describe("rebuilds the desktops cannot take are found at preview (RebuildDesktops' limits)", () => {
  const SINGAPORE = "ap-southeast-1";
  const inRegion = (regionId: string) =>
    baseInputs({ ...TEMPLATELESS, regionId, officeSiteId: `${regionId}+dir-0000000001`, amount: 1 });
  const imaged = (imageId: string) => ({ desktopAttachment: { ...TEMPLATELESS.desktopAttachment, imageId } });
  const preview = async (h: Harness, id: string, outs: DesktopBatchOutputs, patch: DesktopBatchInputs) =>
    h.provider.diff(
      id,
      outs,
      await h.checked({ ...inputsOf(outs as unknown as Record<string, unknown>), ...patch }),
    );

  it("another operating system outside the Chinese mainland is a replacement, named with its reason", async () => {
    await withHarness(async (h) => {
      const { id, outs } = await h.createBatch(inRegion(SINGAPORE));
      const diff = (await preview(h, id, outs, imaged("m-ubuntu2204-emu"))) as DiffPlan;
      expect(diff.replaces).toEqual(["desktopAttachment.imageId"]);
      expect(diff.reasons.join()).toMatch(
        /Windows to Linux.*ap-southeast-1.*RebuildDesktops cannot change the operating system/,
      );
      expect(h.logs.join("\n")).toMatch(/replaced because desktopAttachment\.imageId cannot change in place/);
    });
  });

  it("in the Chinese mainland the same change is a rebuild in place, previewed as a rebuild to the new image", async () => {
    await withHarness(async (h) => {
      const { id, outs } = await h.createBatch(inRegion("cn-hangzhou"));
      const diff = (await preview(h, id, outs, imaged("m-ubuntu2204-emu"))) as DiffPlan;
      expect(diff.replaces).toEqual([]);
      expect(diff.drift[0]).toBe(
        `${outs.desktopIds[0]} runs image m-win2019-emu (will be rebuilt to m-ubuntu2204-emu; it has no data disk)`,
      );
    });
  });

  it("an image of another protocol, or a GPU image for desktops without GPUs, is refused with the way out", async () => {
    await withHarness(async (h) => {
      const { id, outs } = await h.createBatch(inRegion("cn-hangzhou"));
      h.emu.calls.reset();
      await expect(preview(h, id, outs, imaged("m-hdx-emu"))).rejects.toThrow(
        /desktopAttachment\.imageId: image m-hdx-emu uses the HDX protocol.*ASP.*choose an image whose ProtocolType is ASP/,
      );
      await expect(preview(h, id, outs, imaged("m-win2019-gpu-emu"))).rejects.toThrow(
        /desktopAttachment\.imageId: image m-win2019-gpu-emu is a GPU image.*non-GPU.*graphics desktopType.*replaces the batch/,
      );
      expect(h.count("RebuildDesktops")).toBe(0);
    });
  });
});

describe("what no source settles: the client copes with either behaviour", () => {
  it("where ModifyUserEntitlement needs both desktop lists, users are set with ModifyEntitlement instead, none lost or doubled", async () => {
    await withHarness(async (h) => {
      h.emu.backend.variants.userEntitlementNeedsBothLists = true;
      const batch = await h.createBatch(baseInputs({ amount: 3, endUserIds: ["alice", "bob"] }));
      const after = await h.updateBatch(batch, { endUserIds: ["bob", "carol"] });
      expect(after.desktops.map((d) => [...(d.endUserIds ?? [])].sort())).toEqual([
        ["bob", "carol"],
        ["bob", "carol"],
        ["bob", "carol"],
      ]);
      expect(h.live().map((d) => [...d.EndUserIds].sort())).toEqual(
        after.desktops.map(() => ["bob", "carol"]),
      );
      expect(h.emu.calls.entries("ModifyUserEntitlement").map((c) => c.code)).toEqual([
        "MissingAuthorizeDesktopId",
      ]);
      expect(h.count("ModifyEntitlement")).toBe(3);
    });
  });

  it("a retried DeleteDesktops whose first answer was lost settles by describing the desktops, whatever the second answer's code", async () => {
    await withHarness(
      async (h) => {
        h.emu.backend.variants.deletedAgainCode = "InvalidDesktop.AlreadyReleased";
        const { id, outs } = await h.createBatch(baseInputs({ amount: 2 }));
        h.emu.faults.script({ action: "DeleteDesktops", kind: "responseLost" });
        await h.provider.delete(id, outs);
        expect(h.live()).toHaveLength(0);
        expect(h.emu.calls.entries("DeleteDesktops").map((c) => c.code ?? "ok")).toContain(
          "InvalidDesktop.AlreadyReleased",
        );
      },
      { durations: { ...SHORT_DURATIONS, deleteMs: 500 } },
    );
  });
});
