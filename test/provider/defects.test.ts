/**
 * Regression tests for the defects a review reproduced (adoption, updates that broke or never converged,
 * spurious plans, reconciliation). Each states the behaviour that must hold and shows it in the emulator.
 */
import { withHarness, baseInputs, AD_SITE, Harness } from "../support/harness";
import type { DesktopBatchInputs, DesktopBatchOutputs } from "../../provider";
import { PartialBatchError } from "../../provider";
import { EcdOutcomeUnknownError } from "../../provider/ecd/errors";
import { inputsOf } from "../../provider/desktopBatch/outputs";

const PREPAID = { chargeType: "PrePaid", period: 1, periodUnit: "Month" } as const;
/** A batch without a template: its spec is the desktopAttachment (which ECD refuses beside a bundleId). */
const TEMPLATELESS = {
  bundleId: undefined,
  desktopAttachment: { desktopType: "eds.enterprise_office.4c8g", imageId: "m-win2019-emu" },
};

async function updateTo(h: Harness, id: string, outs: DesktopBatchOutputs, patch: DesktopBatchInputs) {
  const olds = { ...outs };
  const news = await h.checked({ ...inputsOf(olds as unknown as Record<string, unknown>), ...patch });
  const diff = await h.provider.diff(id, olds, news);
  const result = await h.provider.update(id, olds, news);
  return { diff, outs: result.outs as DesktopBatchOutputs, news };
}

async function expectClean(h: Harness, id: string, outs: DesktopBatchOutputs, inputs: DesktopBatchInputs) {
  const read = await h.provider.read(id, outs);
  const diff = await h.provider.diff(id, read.props as DesktopBatchOutputs, inputs);
  expect(diff).toMatchObject({ changes: false });
}

describe("adoption", () => {
  it("check refuses more adopted desktops than amount, naming the property", async () => {
    await withHarness(async (h) => {
      const { failures } = await h.provider.check(
        {},
        baseInputs({ amount: 1, adoptDesktopIds: ["ecd-aaaa1", "ecd-aaaa2"] }),
      );
      expect(failures).toEqual([
        expect.objectContaining({
          property: "adoptDesktopIds",
          reason: expect.stringMatching(/at most amount/),
        }),
      ]);
    });
  });

  it("adopting without raising amount never releases the adopted desktop, and the preview says who goes", async () => {
    await withHarness(async (h) => {
      const [stray] = await h.unmanaged(1, "stray");
      const { id, outs } = await h.createBatch(baseInputs({ amount: 2 }));
      const { diff, outs: after } = await updateTo(h, id, outs, { adoptDesktopIds: [stray] });
      expect(diff.changes).toBe(true);
      expect(h.logs.join("\n")).toMatch(
        new RegExp(
          `${stray} will be adopted.*1 desktop\\(s\\) more than amount; ${outs.desktopIds[1]} will be released`,
        ),
      );
      expect(after.desktopIds).toEqual([outs.desktopIds[0], stray]);
      expect(
        h
          .live()
          .map((d) => d.DesktopId)
          .sort(),
      ).toEqual([outs.desktopIds[0], stray].sort());
    });
  });

  it("refuses a desktop another DesktopBatch owns, naming that batch, and leaves it where it is", async () => {
    await withHarness(async (h) => {
      const owner = await h.createBatch(baseInputs({ amount: 1 }));
      const taken = owner.outs.desktopIds[0];
      const error = (await h
        .createBatch(baseInputs({ amount: 1, adoptDesktopIds: [taken] }))
        .catch((e: unknown) => e)) as Error;
      expect(error.message).toContain(`${taken} belongs to DesktopBatch ${owner.id}`);
      const tag = h
        .live()
        .find((d) => d.DesktopId === taken)!
        .Tags!.find((t) => t.Key === "pulumi-ecd:batch");
      expect(`ecd-batch-${tag!.Value}`).toBe(owner.id);
    });
  });

  it("an adopted desktop deleted later is a missing desktop, not an error: the next update replaces it", async () => {
    await withHarness(async (h) => {
      const adopted = await h.unmanaged(1, "dev");
      const { id, outs } = await h.createBatch(baseInputs({ amount: 2, adoptDesktopIds: adopted }));
      h.emu.backend.removeDesktops(adopted);
      const read = await h.provider.read(id, outs);
      const { outs: after } = await updateTo(h, id, read.props as DesktopBatchOutputs, {});
      expect(after.desktopIds).toHaveLength(2);
      expect(h.live()).toHaveLength(2);
      expect(after.desktopIds).not.toContain(adopted[0]);
    });
  });

  it("create does not wait for an adopted Stopped desktop to run: it keeps its power state", async () => {
    await withHarness(async (h) => {
      const adopted = await h.unmanaged(1, "dev");
      await h.client.stopDesktops(adopted);
      for (let i = 0; i < 200 && h.live()[0].DesktopStatus !== "Stopped"; i++)
        await new Promise((r) => setTimeout(r, 10));
      const { outs } = await h.createBatch(
        baseInputs({ amount: 2, adoptDesktopIds: adopted, timeouts: { create: "20s" } }),
      );
      expect(outs.desktops.map((d) => d.desktopStatus).sort()).toEqual(["Running", "Stopped"]);
    });
  });

  it("new desktops of a create with adoption continue the hostname sequence and fill the users' shares", async () => {
    await withHarness(async (h) => {
      const adopted = await h.unmanaged(2, "lab", {
        officeSiteId: AD_SITE,
        hostname: "lab-[1,3]",
        endUserIds: ["alice"],
        userAssignMode: "PER_USER",
      });
      await h.createBatch(
        baseInputs({
          officeSiteId: AD_SITE,
          amount: 4,
          hostname: "lab-[1,3]",
          endUserIds: ["alice", "bob"],
          userAssignMode: "PER_USER",
          adoptDesktopIds: adopted,
        }),
      );
      const live = h.live();
      expect(live.map((d) => d.HostName).sort()).toEqual(["lab-001", "lab-002", "lab-003", "lab-004"]);
      const byUser = (user: string) => live.filter((d) => d.EndUserIds?.includes(user)).length;
      expect([byUser("alice"), byUser("bob")]).toEqual([2, 2]);
    });
  });
});

describe("updates that must not strand or loop", () => {
  it("a failed ModifyDesktopSpec starts again what it stopped and records the spec that is really there", async () => {
    await withHarness(async (h) => {
      const { id, outs } = await h.createBatch(baseInputs({ amount: 2, ...TEMPLATELESS }));
      h.emu.faults.script({ action: "ModifyDesktopSpec", kind: "serverError", times: 100 });
      const error = await updateTo(h, id, outs, {
        desktopAttachment: { ...TEMPLATELESS.desktopAttachment, desktopType: "eds.enterprise_office.8c16g" },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PartialBatchError);
      h.emu.faults.set({});
      expect(h.live().map((d) => d.DesktopStatus)).toEqual(["Running", "Running"]);
      const recorded = (error as PartialBatchError).properties;
      expect(recorded.desktops.map((d) => d.desktopType)).toEqual([
        "eds.enterprise_office.4c8g",
        "eds.enterprise_office.4c8g",
      ]);
      const again = await h.provider.diff(
        id,
        recorded,
        await h.checked({
          ...inputsOf(recorded as unknown as Record<string, unknown>),
          desktopAttachment: {
            ...TEMPLATELESS.desktopAttachment,
            desktopType: "eds.enterprise_office.8c16g",
          },
        }),
      );
      expect(again.changes).toBe(true);
    });
  });

  it("a desktopType change ModifyDesktopSpec refuses (another family) is a replacement, never an update", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 1, ...TEMPLATELESS }));
      const news = await h.checked({
        ...inputs,
        desktopAttachment: { ...inputs.desktopAttachment, desktopType: "eds.graphics.16c64g" },
      });
      const diff = await h.provider.diff(id, outs, news);
      expect(diff.replaces).toContain("desktopAttachment.desktopType");
      const sameFamily = await h.checked({
        ...inputs,
        desktopAttachment: { ...inputs.desktopAttachment, desktopType: "eds.enterprise_office.8c16g" },
      });
      expect((await h.provider.diff(id, outs, sameFamily)).replaces).toEqual([]);
    });
  });

  it("bundle models keep their own users and names after create, and a preview after create is empty", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(
        baseInputs({
          bundleId: undefined,
          desktopName: "team",
          bundleModels: [
            { bundleId: "b-win-office-4c8g", amount: 2, endUserIds: ["alice"], desktopName: "win" },
            { bundleId: "b-ubuntu-office-4c8g", amount: 1, endUserIds: ["bob"], desktopName: "linux" },
          ],
        }),
      );
      const live = new Map(h.live().map((d) => [d.DesktopId, d]));
      const shown = outs.desktopIds.map((desktopId) => {
        const d = live.get(desktopId)!;
        return [d.DesktopName, d.EndUserIds];
      });
      expect(shown).toEqual([
        ["win-1", ["alice"]],
        ["win-2", ["alice"]],
        ["linux", ["bob"]],
      ]);
      await expectClean(h, id, outs, inputs);
    });
  });

  it("PrePaid to PostPaid together with a scale-down is one update", async () => {
    await withHarness(async (h) => {
      const { id, outs } = await h.createBatch(baseInputs({ ...PREPAID, amount: 3 }));
      const { outs: after } = await updateTo(h, id, outs, {
        chargeType: "PostPaid",
        period: undefined,
        periodUnit: undefined,
        amount: 2,
      });
      expect(after.desktopIds).toHaveLength(2);
      expect(h.live().map((d) => d.ChargeType)).toEqual(["PostPaid", "PostPaid"]);
    });
  });

  it("a desktop with the batch's policy and another one besides is not drift", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 1 }));
      const withSecond: DesktopBatchOutputs = {
        ...outs,
        desktops: outs.desktops.map((d) => ({
          ...d,
          policyGroupId: "pg-emu-custom-0001",
          policyGroupIds: ["pg-emu-custom-0001", inputs.policyGroupId!],
        })),
      };
      expect((await h.provider.diff(id, withSecond, inputs)).changes).toBe(false);
    });
  });

  it("check leaves room for the -N suffix the provider adds to names", async () => {
    await withHarness(async (h) => {
      const name = (n: number) => "d".repeat(n);
      const fails = async (inputs: DesktopBatchInputs) =>
        (await h.provider.check({}, baseInputs(inputs))).failures;
      expect(await fails({ desktopName: name(63), amount: 3 })).toEqual([
        expect.objectContaining({ property: "desktopName", reason: expect.stringMatching(/suffix -3/) }),
      ]);
      expect(await fails({ desktopName: name(62), amount: 9 })).toEqual([]);
      expect(await fails({ desktopName: name(62), amount: 10 })).toHaveLength(1);
      expect(await fails({ desktopName: name(64), amount: 1 })).toEqual([]);
      expect(await fails({ desktopName: name(64), amount: 3, desktopNameSuffix: false })).toEqual([]);
    });
  });

  it("healing reuses the hostname of a lost desktop when the sequence is used up", async () => {
    await withHarness(async (h) => {
      const { id, outs } = await h.createBatch(
        baseInputs({ officeSiteId: AD_SITE, amount: 3, hostname: "pc-[7,1]" }),
      );
      expect(
        h
          .live()
          .map((d) => d.HostName)
          .sort(),
      ).toEqual(["pc-7", "pc-8", "pc-9"]);
      const lost = h.live().find((d) => d.HostName === "pc-8")!.DesktopId;
      h.emu.backend.removeDesktops([lost]);
      const read = await h.provider.read(id, outs);
      await updateTo(h, id, read.props as DesktopBatchOutputs, {});
      expect(
        h
          .live()
          .map((d) => d.HostName)
          .sort(),
      ).toEqual(["pc-7", "pc-8", "pc-9"]);
    });
  });

  it("per-model hostnames replace delete-before-create, like the top-level hostname", async () => {
    await withHarness(async (h) => {
      const models = [{ bundleId: "b-win-office-4c8g", amount: 2, hostname: "m-[1,2]" }];
      const { id, outs, inputs } = await h.createBatch(
        baseInputs({ officeSiteId: AD_SITE, bundleId: undefined, bundleModels: models }),
      );
      const news = await h.checked({
        ...inputs,
        bundleModels: [{ ...models[0], hostname: "n-[1,2]" }],
      });
      const diff = await h.provider.diff(id, outs, news);
      expect(diff.replaces!.length).toBeGreaterThan(0);
      expect(diff.deleteBeforeReplace).toBe(true);
    });
  });
});

describe("equivalent inputs plan no change", () => {
  it("bundleModels: [] and dataDiskSize: 0 mean the same as leaving them out", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(
        baseInputs({
          bundleId: undefined,
          desktopAttachment: {
            desktopType: "eds.enterprise_office.4c8g",
            imageId: "m-win2019-emu",
            dataDiskSize: 0,
          },
        }),
      );
      const { desktopAttachment, ...rest } = inputs;
      const { dataDiskSize: _zero, ...attachment } = desktopAttachment!;
      const news = await h.checked({ ...rest, desktopAttachment: attachment, bundleModels: [] });
      expect(await h.provider.diff(id, outs, news)).toMatchObject({ changes: false, replaces: [] });
      const withEmpty = { ...outs, bundleModels: [] } as unknown as DesktopBatchOutputs;
      expect(await h.provider.diff(id, withEmpty, news)).toMatchObject({ changes: false });
    });
  });

  it("reordering endUserIds in ALL mode plans nothing", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(
        baseInputs({ amount: 2, endUserIds: ["alice", "bob"] }),
      );
      const news = await h.checked({ ...inputs, endUserIds: ["bob", "alice"] });
      expect((await h.provider.diff(id, outs, news)).changes).toBe(false);
    });
  });

  it("tags: {} and endUserIds: [] pass check and mean none", async () => {
    await withHarness(async (h) => {
      const result = await h.provider.check({}, baseInputs({ tags: {}, endUserIds: [] }));
      expect(result.failures).toEqual([]);
      expect(result.inputs).not.toHaveProperty("tags");
      expect(result.inputs).not.toHaveProperty("endUserIds");
    });
  });

  it("a numbered name duplicated out of band is drift in the preview, and the update renames exactly it", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 3 }));
      await h.client.modifyDesktopName(outs.desktopIds[1], "dev-1");
      const read = (await h.provider.read(id, outs)).props as DesktopBatchOutputs;
      const diff = await h.provider.diff(id, read, inputs);
      expect(diff.changes).toBe(true);
      expect(h.logs.join("\n")).toContain(`${outs.desktopIds[1]} is named "dev-1" (will be renamed dev-2)`);
      h.emu.calls.reset();
      const after = (await h.provider.update(id, read, inputs)).outs as DesktopBatchOutputs;
      expect(h.count("ModifyDesktopName")).toBe(1);
      expect(after.desktops.map((d) => d.desktopName)).toEqual(["dev-1", "dev-2", "dev-3"]);
      await expectClean(h, id, after, inputs);
    });
  });
});

describe("reconciliation and waits", () => {
  it("a CreateDesktops answered with a server error is never re-sent blindly", async () => {
    await withHarness(async (h) => {
      h.emu.faults.script({ action: "CreateDesktops", kind: "serverError", times: 1 });
      const error = await h.client
        .createDesktops({
          officeSiteId: baseInputs().officeSiteId,
          bundleId: baseInputs().bundleId,
          amount: 1,
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EcdOutcomeUnknownError);
      expect(h.count("CreateDesktops")).toBe(1);
      await h.createBatch(baseInputs({ amount: 2 }));
      expect(h.live()).toHaveLength(2);
    });
  });

  it("a lost CreateDesktops answer is looked for by the batch's own tag for the configured window, then sent again", async () => {
    await withHarness(async (h) => {
      h.emu.faults.script({ action: "CreateDesktops", kind: "drop", times: 1 });
      await h.createBatch(baseInputs({ amount: 2 }));
      expect(h.count("CreateDesktops")).toBe(2);
      expect(h.live()).toHaveLength(2);
      expect(h.logs.join("\n")).toMatch(
        /no desktop with this batch's tag after \d+ s: the call was not applied; sending it again/,
      );
    });
  });

  it("an order awaiting payment (autoPay: false) is recorded, not taken as 0 created, and its desktops join once paid", async () => {
    await withHarness(async (h) => {
      const inputs = await h.checked(
        baseInputs({ ...PREPAID, amount: 2, autoPay: false, lineage: "c".repeat(32) }),
      );
      const error = (await h.provider.create(inputs).catch((e: unknown) => e)) as PartialBatchError;
      expect(error).toBeInstanceOf(PartialBatchError);
      expect(error.message).toMatch(/order \S+ .*waiting for its payment/);
      expect(error.properties.unpaidOrderId).toBeDefined();
      const stillUnpaid = await h.provider
        .update(error.id, error.properties, inputs)
        .catch((e: unknown) => e);
      expect(stillUnpaid).toBeInstanceOf(PartialBatchError);
      expect(h.count("CreateDesktops")).toBe(1);
      h.emu.backend.payOrder(error.properties.unpaidOrderId!);
      const recorded = (stillUnpaid as PartialBatchError).properties;
      expect((await h.provider.diff(error.id, recorded, inputs)).changes).toBe(true);
      const done = (await h.provider.update(error.id, recorded, inputs)).outs as DesktopBatchOutputs;
      expect(done.desktopIds).toHaveLength(2);
      expect(done.unpaidOrderId).toBeUndefined();
      expect(h.count("CreateDesktops")).toBe(1);
    });
  });

  it("the service's own tags are not the user's: no drift, no UntagResources", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 1, tags: { team: "a" } }));
      const record = h.emu.backend as unknown as {
        locate(id: string): { desktop: { tags: Map<string, string> } };
      };
      record.locate(outs.desktopIds[0]).desktop.tags.set("acs:system", "1");
      const read = (await h.provider.read(id, outs)).props as DesktopBatchOutputs;
      expect(read.desktops[0].tags).toEqual({ team: "a" });
      h.emu.calls.reset();
      await h.provider.update(id, read, inputs);
      expect(h.count("UntagResources")).toBe(0);
    });
  });

  it("a desktop deleted out of band while the create waits for Running ends the wait with a clear message", async () => {
    await withHarness(
      async (h) => {
        const inputs = await h.checked(baseInputs({ amount: 2, timeouts: { create: "60s" } }));
        const started = Date.now();
        const pending = h.provider.create(inputs).catch((e: unknown) => e);
        for (let i = 0; i < 500 && h.live().length < 2; i++) await new Promise((r) => setTimeout(r, 5));
        h.emu.backend.removeDesktops([h.live()[0].DesktopId]);
        const error = (await pending) as Error;
        expect(error.message).toMatch(/disappeared while .*deleted outside Pulumi/);
        expect(Date.now() - started).toBeLessThan(30_000);
      },
      { durations: { createMs: 3000 } },
    );
  });
});

describe("policyGroupId left unset: ECD's default policy stays, and that is no change", () => {
  it("a batch imported (inputs read from its desktops) previews no change for a program that names no policy", async () => {
    await withHarness(async (h) => {
      const made = await h.createBatch(baseInputs({ amount: 2, policyGroupId: undefined }));
      const read = await h.provider.read(made.id, {} as DesktopBatchOutputs);
      expect(read.props!.policyGroupId).toBe("system-all-enabled-policy");
      const news = await h.checked({
        ...inputsOf(read.props! as unknown as Record<string, unknown>),
        policyGroupId: undefined,
      });
      expect(await h.provider.diff(made.id, read.props as DesktopBatchOutputs, news)).toMatchObject({
        changes: false,
      });
    });
  });

  it("naming a policy is still an update, and unsetting it again changes nothing on the desktops", async () => {
    await withHarness(async (h) => {
      const made = await h.createBatch(baseInputs({ amount: 1, policyGroupId: undefined }));
      const named = await h.checked({ ...made.inputs, policyGroupId: "pg-emu-custom-0001" });
      expect(await h.provider.diff(made.id, made.outs, named)).toMatchObject({ changes: true });
      const updated = await h.provider.update(made.id, made.outs, named);
      const unset = await h.checked({ ...made.inputs, policyGroupId: undefined });
      expect(await h.provider.diff(made.id, updated.outs as DesktopBatchOutputs, unset)).toMatchObject({
        changes: false,
      });
    });
  });
});
