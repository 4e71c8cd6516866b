/**
 * Found by an adversarial review: each test is a way a user broke the provider, asserting the behaviour they
 * should get. Every one failed before its fix (main at 4c26d7c).
 */
import { killedCreate, laterRun } from "../support/processes";
import { withHarness, baseInputs, Harness, AD_SITE, REGION, newToken } from "../support/harness";
import type { DesktopBatchInputs, DesktopBatchOutputs } from "../../provider";
import { sweepCommand } from "../../cli/sweep";

/** The invariant after every up: the next preview is empty and refresh reads the same outputs. */
async function expectSettled(h: Harness, id: string, outs: DesktopBatchOutputs, inputs: DesktopBatchInputs) {
  expect((await h.provider.diff(id, outs, inputs)).changes).toBe(false);
  const read = await h.provider.read(id, outs);
  expect(read.props!.desktopIds).toEqual(outs.desktopIds);
  expect((await h.provider.diff(id, read.props as DesktopBatchOutputs, inputs)).changes).toBe(false);
}

const byId = (h: Harness) => new Map(h.live().map((d) => [d.DesktopId, d]));

describe("review: ownership after an interrupted run", () => {
  it("a create with adoptDesktopIds killed after CreateDesktops is finished by the rerun, not refused", async () => {
    await withHarness(async (h) => {
      const [console] = await h.unmanaged(1);
      const inputs = await h.checked(
        baseInputs({ amount: 3, adoptDesktopIds: [console], lineage: newToken() }),
      );
      await killedCreate(h, inputs, 3);
      const orphans = h.live().map((d) => d.DesktopId);
      h.emu.calls.reset();
      const rerun = laterRun(h);
      const { id, outs } = await rerun.provider.create(inputs);
      expect(new Set(outs!.desktopIds)).toEqual(new Set(orphans));
      expect(h.count("CreateDesktops")).toBe(0);
      expect(h.live()).toHaveLength(3);
      expect(
        h.live().every((d) => d.Tags?.find((t) => t.Key === "pulumi-ecd:batch")?.Value === id.slice(10)),
      ).toBe(true);
    });
  });

  it("a create whose adoption met lost TagResources answers leaves the desktop adoptable by the next up", async () => {
    await withHarness(async (h) => {
      const [console] = await h.unmanaged(1);
      const inputs = await h.checked(
        baseInputs({ amount: 2, adoptDesktopIds: [console], lineage: newToken() }),
      );
      // Applied, answer lost, on every retry: the create fails before it tracks anything, so Pulumi records nothing.
      h.emu.faults.script({ action: "TagResources", kind: "responseLost", times: 20 });
      await expect(h.provider.create(inputs)).rejects.toThrow(/TagResources/);
      h.emu.faults.reset();
      const { outs } = await h.provider.create(inputs);
      expect(outs!.desktopIds).toContain(console);
    });
  });

  it("a rerun that adopts a desktop besides taking over a killed create ends with amount desktops", async () => {
    await withHarness(async (h) => {
      const inputs = await h.checked(baseInputs({ amount: 3, lineage: newToken() }));
      await killedCreate(h, inputs, 3);
      const [console] = await h.unmanaged(1);
      const withAdoption = await h.checked({ ...inputs, adoptDesktopIds: [console] });
      const rerun = laterRun(h);
      const { id, outs } = await rerun.provider.create(withAdoption);
      expect(outs!.desktopIds).toHaveLength(3);
      expect(outs!.desktopIds).toContain(console);
      expect(h.live()).toHaveLength(3);
      await expectSettled(h, id, outs as DesktopBatchOutputs, withAdoption);
    });
  });

  it("a rerun does not take over desktops of a killed create whose hostname the edited inputs no longer give", async () => {
    await withHarness(async (h) => {
      const inputs = await h.checked(
        baseInputs({ officeSiteId: AD_SITE, amount: 2, hostname: "pc-[1,3]", lineage: newToken() }),
      );
      await killedCreate(h, inputs, 2);
      const edited = await h.checked({ ...inputs, hostname: "ws-[1,3]" });
      const rerun = laterRun(h);
      const { id, outs } = await rerun.provider.create(edited);
      const live = byId(h);
      expect(outs!.desktopIds.map((desktopId) => live.get(desktopId)!.HostName).sort()).toEqual([
        "ws-001",
        "ws-002",
      ]);
      expect(h.live()).toHaveLength(2);
      await expectSettled(h, id, outs as DesktopBatchOutputs, edited);
    });
  });

  it("the way out the adoption refusal names (retainOnDelete) lets another batch adopt the desktop", async () => {
    await withHarness(async (h) => {
      const old = await h.createBatch(baseInputs({ amount: 1, desktopName: "old" }));
      // retainOnDelete (or pulumi stack rm): Pulumi forgets the batch and never calls delete.
      const adopted = old.outs.desktopIds[0];
      const wanted = baseInputs({ amount: 1, desktopName: "new", adoptDesktopIds: [adopted] });
      const refused = (await h.createBatch(wanted).catch((e: unknown) => e)) as Error;
      expect(refused.message).toContain(`npx pulumi-ecd sweep --desktop ${adopted} --disown`);
      expect(refused.message).not.toContain("scale it down");
      const out: string[] = [];
      const io = {
        stdout: { write: (text: string) => out.push(text) } as unknown as NodeJS.WritableStream,
        stderr: { write: (text: string) => out.push(text) } as unknown as NodeJS.WritableStream,
        stdin: process.stdin,
        env: {
          ALIBABA_CLOUD_ACCESS_KEY_ID: h.emu.credentials[0].accessKeyId,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: h.emu.credentials[0].accessKeySecret,
        },
        isTTY: false,
      };
      const code = await sweepCommand(
        ["--desktop", adopted, "--disown", "--yes", "--region", REGION, "--endpoint", h.emu.url],
        io,
      );
      expect(out.join("")).toContain("Disowned 1 desktop(s)");
      expect(code).toBe(0);
      expect(h.live()).toHaveLength(1);
      const { id, outs, inputs } = await h.createBatch(wanted);
      expect(outs.desktopIds).toEqual([adopted]);
      await expectSettled(h, id, outs, inputs);
    });
  });
});

describe("review: healing and naming", () => {
  it("a bundle model with a hostname template heals a lost desktop with a free hostname", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(
        baseInputs({
          officeSiteId: AD_SITE,
          bundleId: undefined,
          desktopName: undefined,
          bundleModels: [
            { bundleId: "b-win-office-4c8g", amount: 3, hostname: "m-[1,2]", desktopName: "win" },
          ],
        }),
      );
      h.emu.backend.removeDesktops([outs.desktopIds[1]]);
      const seen = (await h.provider.read(id, outs)).props as DesktopBatchOutputs;
      const healed = (await h.provider.update(id, seen, inputs)).outs as DesktopBatchOutputs;
      expect(
        h
          .live()
          .map((d) => d.HostName)
          .sort(),
      ).toEqual(["m-01", "m-02", "m-03"]);
      await expectSettled(h, id, healed, inputs);
    });
  });

  it("amount 1 to 2: the preview's rename is the rename the update makes", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 1 }));
      const [first] = outs.desktopIds;
      const news = await h.checked({ ...inputs, amount: 2 });
      const preview = (await h.provider.diff(id, outs, news)) as { drift: string[] };
      expect(preview.drift).toContain(`${first} is named "dev" (will be renamed dev-1)`);
      const after = (await h.provider.update(id, outs, news)).outs as DesktopBatchOutputs;
      expect(byId(h).get(first)!.DesktopName).toBe("dev-1");
      await expectSettled(h, id, after, news);
    });
  });

  it("amount 2 to 1: the preview does not promise to rename the desktop it releases", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 2 }));
      const news = await h.checked({ ...inputs, amount: 1 });
      const preview = (await h.provider.diff(id, outs, news)) as { drift: string[] };
      const released = outs.desktopIds[1];
      expect(preview.drift.filter((line) => line.startsWith(`${released} is named`))).toEqual([]);
      const after = (await h.provider.update(id, outs, news)).outs as DesktopBatchOutputs;
      expect(h.live().map((d) => d.DesktopName)).toEqual(["dev"]);
      await expectSettled(h, id, after, news);
    });
  });

  it("the preview of an adoption shows what the update does to the adopted desktop", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 1, endUserIds: ["bob"] }));
      const [console] = await h.unmanaged(1, "console", { endUserIds: ["carol"] });
      const news = await h.checked({ ...inputs, amount: 2, adoptDesktopIds: [console] });
      const preview = (await h.provider.diff(id, outs, news)) as { drift: string[] };
      const after = (await h.provider.update(id, outs, news)).outs as DesktopBatchOutputs;
      const adopted = byId(h).get(console)!;
      expect(adopted.EndUserIds).toEqual(["bob"]);
      expect(preview.drift).toContain(`${console} has carol (will have bob)`);
      expect(preview.drift.some((line) => line.startsWith(`${console} is named "console"`))).toBe(true);
      await expectSettled(h, id, after, news);
    });
  });

  it("a PER_USER scale-down preview names the desktops the update releases", async () => {
    await withHarness(async (h) => {
      const users = ["alice", "bob", "carol"];
      const { id, outs, inputs } = await h.createBatch(
        baseInputs({ amount: 6, endUserIds: users, userAssignMode: "PER_USER" }),
      );
      const news = await h.checked({ ...inputs, amount: 3 });
      const preview = (await h.provider.diff(id, outs, news)) as { drift: string[] };
      const line = preview.drift.find((entry) => entry.includes("will be released")) ?? "";
      const promised = line
        .replace(/^.*than amount; (.*) will be released$/, "$1")
        .split(", ")
        .sort();
      const before = h.live().map((d) => d.DesktopId);
      const after = (await h.provider.update(id, outs, news)).outs as DesktopBatchOutputs;
      const released = before.filter((desktopId) => !after.desktopIds.includes(desktopId)).sort();
      expect(promised).toEqual(released);
      await expectSettled(h, id, after, news);
    });
  });

  it("DesktopBatch.get of a batch that was scaled up finds the name stem it was given", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 3 }));
      const news = await h.checked({ ...inputs, amount: 5 });
      await h.provider.update(id, outs, news);
      // Names are dev-1..dev-3 and dev-4-1, dev-4-2 (a later call's group).
      const got = await h.provider.read(id, {} as DesktopBatchOutputs);
      expect(got.props!.desktopName).toBe("dev");
      expect(got.props!.amount).toBe(5);
    });
  });
});

describe("review: equivalent inputs plan nothing", () => {
  it("reordering bundle models of different templates is no replacement", async () => {
    await withHarness(async (h) => {
      const models = [
        { bundleId: "b-win-office-4c8g", amount: 1, desktopName: "w" },
        { bundleId: "b-ubuntu-office-4c8g", amount: 1, desktopName: "l" },
      ];
      const { id, outs, inputs } = await h.createBatch(
        baseInputs({ bundleId: undefined, desktopName: undefined, bundleModels: models }),
      );
      const reordered = await h.checked({ ...inputs, bundleModels: [models[1], models[0]] });
      const diff = await h.provider.diff(id, outs, reordered);
      expect(diff.replaces).toEqual([]);
      expect(diff.changes).toBe(false);
    });
  });

  it("stating autoPay's default or an empty timeouts block plans nothing", async () => {
    await withHarness(async (h) => {
      const { id, outs, inputs } = await h.createBatch(baseInputs({ amount: 1 }));
      for (const patch of [{ autoPay: true }, { timeouts: {} }]) {
        const news = await h.checked({ ...inputs, ...patch });
        expect((await h.provider.diff(id, outs, news)).changes).toBe(false);
      }
    });
  });
});

describe("review: check() against a failing cloud", () => {
  it("one bad DescribeOfficeSites answer does not switch reference checks off for the rest of the process", async () => {
    await withHarness(async (h) => {
      h.emu.faults.script({ action: "DescribeOfficeSites", kind: "serverError", times: 20 });
      expect((await h.provider.check({}, baseInputs({ amount: 1 }))).failures).toEqual([]);
      h.emu.faults.reset();
      // The cloud answers again; a later batch of the same run names IDs that do not exist.
      const later = await h.provider.check(
        {},
        baseInputs({ officeSiteId: `${REGION}+dir-9999999999`, policyGroupId: "pg-does-not-exist" }),
      );
      expect(later.failures!.map((failure) => failure.property).sort()).toEqual([
        "officeSiteId",
        "policyGroupId",
      ]);
    });
  });
});
