/**
 * Ownership: a batch only ever touches the desktops its own instance created, adopted on purpose, or took over
 * from an interrupted create of the same resource that nobody recorded. Replacements, identically named stacks
 * and concurrent runs never share desktops.
 */
import { killedCreate, laterRun, otherProcess, until } from "../support/processes";
import { withHarness, baseInputs, newToken, AD_SITE, Harness, REGION } from "../support/harness";
import { DesktopBatchInputs, DesktopBatchOutputs, PartialBatchError } from "../../provider";
import { EcdServiceError } from "../../emulator/errors";
import { PassThrough, Readable } from "node:stream";
import { sweepCommand } from "../../cli/sweep";

const ownerOf = (h: Harness, desktopId: string) =>
  h
    .live()
    .find((d) => d.DesktopId === desktopId)
    ?.Tags?.find((t) => t.Key === "pulumi-ecd:batch")?.Value;

describe("identity: replacements and look-alike stacks", () => {
  it("pulumi up --replace on an unchanged batch creates a new batch and deleting the old one leaves it whole", async () => {
    await withHarness(async (h) => {
      const old = await h.createBatch(baseInputs({ amount: 3 }));
      // A replacement has the same inputs and lineage; Pulumi creates it before deleting the old resource.
      const replacement = await h.provider.create(old.inputs);
      expect(replacement.id).not.toBe(old.id);
      expect(h.live()).toHaveLength(6);
      await h.provider.delete(old.id, old.outs);
      const left = h.live().map((d) => d.DesktopId);
      expect(new Set(left)).toEqual(new Set(replacement.outs!.desktopIds));
      const read = await h.provider.read(replacement.id, replacement.outs as DesktopBatchOutputs);
      expect(read.props!.desktopIds).toEqual(replacement.outs!.desktopIds);
      expect((await h.provider.diff(replacement.id, read.props!, old.inputs)).changes).toBe(false);
    });
  });

  it("a delete-before-replace replacement (hostname) deletes the old desktops and creates its own", async () => {
    await withHarness(async (h) => {
      const old = await h.createBatch(baseInputs({ officeSiteId: AD_SITE, amount: 2, hostname: "pc-[1,3]" }));
      const news = await h.checked({ ...old.inputs, hostname: "ws-[1,3]" });
      const diff = await h.provider.diff(old.id, old.outs, news);
      expect(diff).toMatchObject({ replaces: ["hostname"], deleteBeforeReplace: true });
      await h.provider.delete(old.id, old.outs);
      const replacement = await h.provider.create(news);
      expect(
        h
          .live()
          .map((d) => d.HostName)
          .sort(),
      ).toEqual(["ws-001", "ws-002"]);
      expect(new Set(h.live().map((d) => d.DesktopId))).toEqual(new Set(replacement.outs!.desktopIds));
    });
  });

  it("two stacks with identical names (two backends, one account) never see or delete each other's desktops", async () => {
    await withHarness(async (h) => {
      const lineage = newToken();
      const laptop = otherProcess(h);
      const ci = otherProcess(h);
      const inputs = await h.checked(baseInputs({ amount: 3, lineage }));
      const a = await laptop.provider.create(inputs);
      const b = await ci.provider.create(inputs);
      expect(h.live()).toHaveLength(6);
      expect(new Set([...a.outs!.desktopIds, ...b.outs!.desktopIds]).size).toBe(6);
      const refreshed = await ci.provider.read(b.id, b.outs as DesktopBatchOutputs);
      expect(refreshed.props!.desktopIds).toEqual(b.outs!.desktopIds);
      await laptop.provider.delete(a.id, a.outs as DesktopBatchOutputs);
      expect(new Set(h.live().map((d) => d.DesktopId))).toEqual(new Set(b.outs!.desktopIds));
    });
  });

  it("a failed create is recorded and committed: a replacement of the same resource never takes its desktops", async () => {
    await withHarness(async (h) => {
      h.emu.faults.set({ failedDesktopRate: 1 });
      const inputs = await h.checked(baseInputs({ amount: 2, lineage: newToken() }));
      const error = await h.provider.create(inputs).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PartialBatchError);
      const failed = error as PartialBatchError;
      expect(h.live().every((d) => !d.Tags?.some((t) => t.Key === "pulumi-ecd:creating"))).toBe(true);
      h.emu.faults.set({ failedDesktopRate: 0 });
      const later = otherProcess(h, { lease: { now: () => Date.now() + 3_600_000 } });
      const replacement = await later.provider.create(inputs);
      expect(replacement.outs!.desktopIds.some((id) => failed.properties.desktopIds.includes(id))).toBe(
        false,
      );
      for (const id of failed.properties.desktopIds)
        expect(ownerOf(h, id)).toBe(failed.id.replace("ecd-batch-", ""));
    });
  });
});

describe("identity: an interrupted create", () => {
  it("the next run takes over exactly what the killed run created, with edited inputs, and says so", async () => {
    await withHarness(async (h) => {
      const inputs = await h.checked(baseInputs({ amount: 3, lineage: newToken() }));
      await killedCreate(h, inputs, 3);
      const orphans = h.live().map((d) => d.DesktopId);
      const rerun = otherProcess(h, { lease: { now: () => Date.now() + 3_600_000 } });
      const edited = await h.checked({ ...inputs, amount: 4, desktopName: "team" });
      const { id, outs } = await rerun.provider.create(edited);
      expect(h.live()).toHaveLength(4);
      expect(outs!.desktopIds.slice(0, 3).sort()).toEqual([...orphans].sort());
      expect(
        h
          .live()
          .map((d) => d.DesktopName)
          .sort(),
      ).toEqual(["team-1", "team-2", "team-3", "team-4"]);
      expect(h.live().every((d) => ownerOf(h, d.DesktopId) === id.replace("ecd-batch-", ""))).toBe(true);
      expect(h.live().every((d) => !d.Tags?.some((t) => t.Key === "pulumi-ecd:creating"))).toBe(true);
      expect(rerun.logs.join("\n")).toContain(`took over 3 desktop(s)`);
    });
  });

  it("releases what the killed run created when the edited inputs cannot use it, and says so", async () => {
    await withHarness(async (h) => {
      const inputs = await h.checked(baseInputs({ amount: 2, lineage: newToken() }));
      await killedCreate(h, inputs, 2);
      const orphans = h.live().map((d) => d.DesktopId);
      const rerun = otherProcess(h, { lease: { now: () => Date.now() + 3_600_000 } });
      const moved = await h.checked({ ...inputs, officeSiteId: AD_SITE });
      const { outs } = await rerun.provider.create(moved);
      expect(h.live()).toHaveLength(2);
      expect(h.live().every((d) => d.OfficeSiteId === AD_SITE)).toBe(true);
      expect(outs!.desktopIds.some((id) => orphans.includes(id))).toBe(false);
      expect(rerun.logs.join("\n")).toMatch(
        /releasing 2 desktop\(s\) an interrupted create of this resource left/,
      );
    });
  });

  it("waits out the killed run's hold instead of taking desktops a live run may still be creating", async () => {
    await withHarness(async (h) => {
      const inputs = await h.checked(baseInputs({ amount: 2, lineage: newToken() }));
      await killedCreate(h, inputs, 2);
      let now = Date.now();
      const slept: number[] = [];
      const rerun = otherProcess(h, {
        lease: { now: () => now },
        poll: {
          maxIntervalMs: 60_000,
          sleep: async (ms) => {
            slept.push(ms);
            now += ms;
          },
        },
      });
      const { outs } = await rerun.provider.create(inputs);
      expect(h.live()).toHaveLength(2);
      expect(outs!.desktopIds).toHaveLength(2);
      expect(slept.reduce((total, ms) => total + ms, 0)).toBeGreaterThan(250_000);
      expect(rerun.logs.join("\n")).toMatch(
        /held until .*waiting to see whether the run that made them is alive/,
      );
    });
  });

  it("never takes desktops from a concurrent run of the same stack elsewhere that is still renewing its hold", async () => {
    await withHarness(
      async (h) => {
        const inputs = await h.checked(baseInputs({ amount: 2, lineage: newToken() }));
        const first = otherProcess(h, { lease: { ttlMs: 200 } });
        const firstCreate = first.provider.create(inputs);
        await until(() => h.live().length >= 2);
        const second = otherProcess(h, { lease: { ttlMs: 200 } });
        const b = await second.provider.create(inputs);
        const a = await firstCreate;
        expect(h.live()).toHaveLength(4);
        expect(new Set([...a.outs!.desktopIds, ...b.outs!.desktopIds]).size).toBe(4);
        expect(second.logs.join("\n")).toContain("another run is still creating 2 desktop(s)");
      },
      { durations: { createMs: 1500 } },
    );
  });

  it("never takes over a committed desktop of another batch of the same lineage", async () => {
    await withHarness(async (h) => {
      const done = await h.createBatch(baseInputs({ amount: 2 }));
      const later = otherProcess(h, { lease: { now: () => Date.now() + 3_600_000 } });
      const other = await later.provider.create(done.inputs);
      expect(h.live()).toHaveLength(4);
      expect(other.outs!.desktopIds.some((id) => done.outs.desktopIds.includes(id))).toBe(false);
    });
  });

  it("a provider left running after its CLI was killed does not commit: the rerun takes the desktops over", async () => {
    await withHarness(async (h) => {
      const inputs = await h.checked(baseInputs({ amount: 2, lineage: newToken() }));
      let engine = true;
      const orphaned = otherProcess(h, {
        lease: { engineAlive: async () => engine },
        poll: {
          sleep: async () => {
            engine = false;
          },
        },
      });
      const error = await orphaned.provider.create(inputs).catch((e: unknown) => e);
      expect((error as Error).name).toBe("EngineGoneError");
      expect(h.live()).toHaveLength(2);
      expect(h.live().every((d) => d.Tags?.some((t) => t.Key === "pulumi-ecd:creating"))).toBe(true);
      const rerun = otherProcess(h, { lease: { now: () => Date.now() + 3_600_000 } });
      const { outs } = await rerun.provider.create(inputs);
      expect(h.live()).toHaveLength(2);
      expect(new Set(outs!.desktopIds)).toEqual(new Set(h.live().map((d) => d.DesktopId)));
    });
  });

  it("a definite refusal of CreateDesktops does not claim desktops may exist", async () => {
    await withHarness(async (h) => {
      // Throttling is retried until the step's timeout: a short one, and throttling that outlasts it.
      const inputs = await h.checked(
        baseInputs({ amount: 1, lineage: newToken(), timeouts: { create: "1s" } }),
      );
      h.emu.faults.script({ action: "CreateDesktops", kind: "throttle", times: 100_000 });
      const { provider } = otherProcess(h, {
        client: { retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 100 } },
      });
      const error = (await provider.create(inputs).catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(/Throttling/);
      expect(error.message).not.toContain("desktops may exist");
    });
  });

  it("an error before anything was recorded says that desktops may exist and how they are found", async () => {
    await withHarness(async (h) => {
      h.emu.faults.script({ action: "CreateDesktops", kind: "serverError", times: 4 });
      const inputs = await h.checked(baseInputs({ amount: 1, lineage: newToken() }));
      const { provider } = otherProcess(h, { lease: { lostAnswerWindowMs: 30 } });
      const error = (await provider.create(inputs).catch((e: unknown) => e)) as Error;
      expect(error.message).toContain("desktops may exist");
      expect(error.message).toContain(`pulumi-ecd:lineage=${inputs.lineage}`);
    });
  });
});

/** `pulumi-ecd sweep --desktop <id> --disown --yes`, the way out the adoption refusal names. */
const disown = async (h: Harness, desktopId: string) => {
  const out = new PassThrough();
  const err = new PassThrough();
  const code = await sweepCommand(["--desktop", desktopId, "--disown", "--yes", "--region", REGION], {
    stdout: out,
    stderr: err,
    stdin: Readable.from([]),
    isTTY: false,
    env: {
      ALIBABA_CLOUD_ACCESS_KEY_ID: h.emu.credentials[0].accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: h.emu.credentials[0].accessKeySecret,
      ALIBABA_CLOUD_ECD_ENDPOINT: h.emu.url,
    },
  });
  expect(code).toBe(0);
};

const providerTags = (h: Harness, desktopId: string) =>
  (h.live().find((d) => d.DesktopId === desktopId)?.Tags ?? [])
    .filter((t) => t.Key.startsWith("pulumi-ecd:"))
    .map((t) => t.Key);

describe("identity: an interrupted create that adopted, timed out, was renamed or moved", () => {
  it("a desktop the killed create adopted goes back as it was when the rerun no longer adopts it: never released, never taken", async () => {
    await withHarness(async (h) => {
      const [mine] = await h.unmanaged(1, "reception");
      const inputs = await h.checked(baseInputs({ amount: 2, lineage: newToken(), adoptDesktopIds: [mine] }));
      await killedCreate(h, inputs, 2);
      expect(providerTags(h, mine)).toContain("pulumi-ecd:creating");
      const rerun = laterRun(h);
      const { outs } = await rerun.provider.create(
        await h.checked({ ...inputs, adoptDesktopIds: undefined }),
      );
      const desktop = h.live().find((d) => d.DesktopId === mine)!;
      expect(desktop.DesktopStatus).toBe("Running");
      expect(desktop.DesktopName).toBe("reception");
      expect(providerTags(h, mine)).toEqual([]);
      expect(outs!.desktopIds).not.toContain(mine);
      expect(outs!.desktopIds).toHaveLength(2);
      expect(h.live()).toHaveLength(3);
      expect(rerun.logs.join("\n")).toContain(`gave back 1 desktop(s) an interrupted create had adopted`);
    });
  });

  it("a desktop the killed create adopted is taken again, and committed, when the rerun still adopts it", async () => {
    await withHarness(async (h) => {
      const [mine] = await h.unmanaged(1, "reception");
      const inputs = await h.checked(baseInputs({ amount: 2, lineage: newToken(), adoptDesktopIds: [mine] }));
      await killedCreate(h, inputs, 2);
      const { id, outs } = await laterRun(h).provider.create(inputs);
      expect(outs!.desktopIds).toContain(mine);
      expect(outs!.desktopIds).toHaveLength(2);
      expect(h.live()).toHaveLength(2);
      expect(ownerOf(h, mine)).toBe(id.replace("ecd-batch-", ""));
      expect(providerTags(h, mine).sort()).toEqual(["pulumi-ecd:batch", "pulumi-ecd:lineage"]);
    });
  });

  it("a create whose timeout ends before the killed run's hold creates nothing and names the desktops and what to run", async () => {
    await withHarness(async (h) => {
      const inputs = await h.checked(baseInputs({ amount: 2, lineage: newToken() }));
      await killedCreate(h, inputs, 2);
      const orphans = h.live().map((d) => d.DesktopId);
      const rerun = otherProcess(h);
      const error = (await rerun.provider
        .create(await h.checked({ ...inputs, timeouts: { create: "2m" } }))
        .catch((e: unknown) => e)) as Error;
      expect(error.name).toBe("HeldTooLongError");
      for (const id of orphans) expect(error.message).toContain(id);
      expect(error.message).toMatch(/Nothing was created\. Run pulumi up again after \d{4}-/);
      expect(h.live().map((d) => d.DesktopId)).toEqual(orphans);
      expect(h.count("CreateDesktops")).toBe(1);
    });
  });

  it("while another run holds desktops of this resource, the create looks again every 5 s, not every minute", async () => {
    await withHarness(async (h) => {
      const inputs = await h.checked(baseInputs({ amount: 2, lineage: newToken() }));
      await killedCreate(h, inputs, 2);
      let now = Date.now();
      const slept: number[] = [];
      const rerun = otherProcess(h, {
        lease: { now: () => now },
        poll: {
          maxIntervalMs: 60_000,
          sleep: async (ms) => {
            slept.push(ms);
            now += ms;
          },
        },
      });
      await rerun.provider.create(inputs);
      let total = 0;
      const waits = slept.filter((ms) => (total += ms) <= 290_000);
      expect(waits.length).toBeGreaterThan(50);
      expect(Math.max(...waits)).toBeLessThanOrEqual(5_000);
    });
  });

  it("a resource renamed with aliases after an interrupted create takes over what that create left", async () => {
    await withHarness(async (h) => {
      const before = newToken();
      const inputs = await h.checked(baseInputs({ amount: 2, lineage: before }));
      await killedCreate(h, inputs, 2);
      const orphans = h.live().map((d) => d.DesktopId);
      const renamed = await h.checked({ ...inputs, lineage: newToken(), aliasLineages: [before] });
      const rerun = laterRun(h);
      const { outs } = await rerun.provider.create(renamed);
      expect([...outs!.desktopIds].sort()).toEqual([...orphans].sort());
      expect(h.live()).toHaveLength(2);
      expect(
        h.live().every((d) => d.Tags?.find((t) => t.Key === "pulumi-ecd:lineage")?.Value === renamed.lineage),
      ).toBe(true);
      expect(rerun.logs.join("\n")).toContain("took over 2 desktop(s)");
    });
  });

  it("renamed without an alias (a stack rename): the rerun says which desktops an interrupted create left and how to release them", async () => {
    await withHarness(async (h) => {
      const inputs = await h.checked(baseInputs({ amount: 2, lineage: newToken() }));
      await killedCreate(h, inputs, 2);
      const orphans = h.live().map((d) => d.DesktopId);
      const rerun = laterRun(h);
      await rerun.provider.create(await h.checked({ ...inputs, lineage: newToken() }));
      const said = rerun.logs.join("\n");
      expect(said).toContain(
        `2 desktop(s) in ${inputs.officeSiteId} were left by an interrupted create of another resource`,
      );
      for (const id of orphans) expect(said).toContain(id);
      expect(said).toContain("npx pulumi-ecd sweep");
      expect(h.live()).toHaveLength(4);
    });
  });

  it("moved to another region after an interrupted create: the old region's desktops are released, and the log says so", async () => {
    await withHarness(async (h) => {
      const inputs = await h.checked(baseInputs({ amount: 2, lineage: newToken() }));
      await killedCreate(h, inputs, 2);
      const orphans = h.live().map((d) => d.DesktopId);
      const moved = await h.checked({
        ...inputs,
        regionId: "cn-shanghai",
        officeSiteId: "cn-shanghai+dir-0000000001",
      });
      const rerun = laterRun(h);
      const { outs } = await rerun.provider.create(moved);
      expect(h.live()).toEqual([]);
      expect(
        h.emu.backend
          .describeDesktops("cn-shanghai")
          .map((d) => d.DesktopId)
          .sort(),
      ).toEqual([...outs!.desktopIds].sort());
      expect(rerun.logs.join("\n")).toContain(
        `releasing 2 desktop(s) in cn-hangzhou an interrupted create of this resource left that the inputs no longer want: ${orphans.join(", ")}`,
      );
    });
  });

  it("the recorded lineage is the batch's for good: a stack or project rename plans no change", async () => {
    await withHarness(async (h) => {
      const batch = await h.createBatch(baseInputs({ amount: 1 }));
      const renamed = await h.provider.check(batch.inputs, { ...batch.inputs, lineage: newToken() });
      expect(renamed.inputs!.lineage).toBe(batch.inputs.lineage);
      const diff = await h.provider.diff(batch.id, batch.outs, renamed.inputs!);
      expect(diff.changes).toBe(false);
      expect(h.live()[0].Tags?.find((t) => t.Key === "pulumi-ecd:lineage")?.Value).toBe(batch.outs.lineage);
    });
  });
});

describe("identity: two creates adopting the same desktop at the same moment", () => {
  it("one gets it; the other is refused naming that batch, as when they come one after the other", async () => {
    await withHarness(async (h) => {
      const [wanted] = await h.unmanaged(1, "reception");
      const inputs = await h.checked(baseInputs({ amount: 1, adoptDesktopIds: [wanted] }));
      const a = otherProcess(h);
      const b = otherProcess(h);
      const results = await Promise.allSettled([
        a.provider.create({ ...inputs, lineage: newToken() }),
        b.provider.create({ ...inputs, lineage: newToken() }),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      const winner = (won[0] as PromiseFulfilledResult<{ id: string }>).value.id;
      expect((lost[0].reason as Error).message).toContain(`${wanted} belongs to DesktopBatch ${winner}`);
      expect(ownerOf(h, wanted)).toBe(winner.replace("ecd-batch-", ""));
      expect(h.live()).toHaveLength(1);
    });
  });

  it("a claim a killed adopter left does not block the next adoption for good, and is cleared", async () => {
    await withHarness(async (h) => {
      const [wanted] = await h.unmanaged(1, "reception");
      await h.client.tagResources([wanted], [{ key: `pulumi-ecd:claim:${"0".repeat(32)}`, value: "1" }]);
      const { id, outs } = await h.createBatch(baseInputs({ amount: 1, adoptDesktopIds: [wanted] }));
      expect(outs.desktopIds).toEqual([wanted]);
      expect(ownerOf(h, wanted)).toBe(id.replace("ecd-batch-", ""));
      expect(providerTags(h, wanted).sort()).toEqual(["pulumi-ecd:batch", "pulumi-ecd:lineage"]);
    });
  });
});

describe("identity: adopting within ECD's 20 tags a desktop", () => {
  const tagsOf = (n: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`team-${i}`, `v${i}`]));

  it("refuses 16 tags with adoptDesktopIds before any call: an adopting create keeps up to five tags of its own", async () => {
    await withHarness(async (h) => {
      const [wanted] = await h.unmanaged(1, "reception");
      h.emu.calls.reset();
      const { failures } = await h.provider.check(
        {},
        baseInputs({ amount: 2, tags: tagsOf(16), adoptDesktopIds: [wanted] }),
      );
      expect(failures).toEqual([
        {
          property: "tags",
          reason: expect.stringMatching(
            /^tags has 16 tags, but a batch with adoptDesktopIds can have at most 15: /,
          ),
        },
      ]);
    });
  });

  it("adopts a desktop into a batch with 15 tags, the most adoptDesktopIds allows", async () => {
    await withHarness(async (h) => {
      const [wanted] = await h.unmanaged(1, "reception");
      const { outs } = await h.createBatch(
        baseInputs({ amount: 2, tags: tagsOf(15), adoptDesktopIds: [wanted] }),
      );
      expect(outs.desktopIds).toContain(wanted);
      const onIt = h.live().find((d) => d.DesktopId === wanted)!.Tags ?? [];
      expect(onIt.filter((t) => t.Key.startsWith("team-"))).toHaveLength(15);
    });
  });
});

describe("identity: adoptDesktopIds with 17 tags on a batch that exists", () => {
  const tagsOf = (n: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`team-${i}`, `v${i}`]));

  it("an update adopts into a batch with 17 tags: only a create keeps the fourth (adopted) tag", async () => {
    await withHarness(async (h) => {
      const batch = await h.createBatch(baseInputs({ amount: 1, tags: tagsOf(17) }));
      const [wanted] = await h.unmanaged(1, "reception");
      const news = { ...batch.inputs, amount: 2, adoptDesktopIds: [wanted] };
      const checked = await h.provider.check(batch.inputs, news);
      expect(checked.failures).toEqual([]);
      const { outs } = await h.provider.update(batch.id, batch.outs, checked.inputs!);
      expect((outs as DesktopBatchOutputs).desktopIds).toContain(wanted);
      const onIt = h.live().find((d) => d.DesktopId === wanted)!.Tags ?? [];
      expect(onIt.filter((t) => t.Key.startsWith("team-"))).toHaveLength(17);
      // Every later preview of that stack checks the same inputs against the recorded ones.
      const again = await h.provider.check(checked.inputs!, checked.inputs!);
      expect(again.failures).toEqual([]);
    });
  });
});

describe("identity: a create whose last step, removing the adopted mark, failed", () => {
  it("is unfinished until that mark is gone: a refresh keeps saying so, and the next update removes it", async () => {
    await withHarness(async (h) => {
      const [wanted] = await h.unmanaged(1, "reception");
      const backend = h.emu.backend;
      const untag = backend.untagResources.bind(backend);
      backend.untagResources = (region, request) => {
        if (request.TagKey?.includes("pulumi-ecd:adopted"))
          throw new EcdServiceError("Forbidden.RAM", "not allowed to remove pulumi-ecd:adopted", 403);
        return untag(region, request);
      };
      const inputs = await h.checked(
        baseInputs({ amount: 2, adoptDesktopIds: [wanted], lineage: newToken() }),
      );
      const error = await h.provider.create(inputs).catch((e: unknown) => e);
      backend.untagResources = untag;
      expect(error).toBeInstanceOf(PartialBatchError);
      const recorded = error as PartialBatchError;
      expect(recorded.properties.desktopIds).toContain(wanted);
      const mark = () =>
        h
          .live()
          .find((d) => d.DesktopId === wanted)!
          .Tags?.find((t) => t.Key === "pulumi-ecd:adopted");
      expect(mark()).toBeDefined();
      const refreshed = await h.refresh(recorded.id, recorded.properties);
      expect(refreshed.unfinished).toContain(wanted);
      const outs = await h.updateBatch({ id: recorded.id, outs: refreshed, inputs }, {});
      expect(outs.unfinished).toBeUndefined();
      expect(mark()).toBeUndefined();
    });
  });
});

describe("identity: a desktop disowned from a live batch and adopted by another", () => {
  it("belongs to the adopter only: the batch that still lists it never scales it down, records or releases it", async () => {
    await withHarness(async (h) => {
      const old = await h.createBatch(baseInputs({ amount: 2, desktopName: "old" }));
      const [moved, kept] = old.outs.desktopIds;
      await disown(h, moved);
      const adopter = await h.createBatch(
        baseInputs({ amount: 1, desktopName: "new", adoptDesktopIds: [moved] }),
      );
      const owner = adopter.id.replace("ecd-batch-", "");
      expect(ownerOf(h, moved)).toBe(owner);
      const name = () => h.live().find((d) => d.DesktopId === moved)?.DesktopName;
      expect(name()).toBe("new");
      // The old batch's state still lists it: its scale-down, refresh and destroy must leave it to the adopter.
      const scaled = await h.updateBatch(old, { amount: 1 });
      expect(
        h
          .live()
          .map((d) => d.DesktopId)
          .sort(),
      ).toEqual([moved, kept].sort());
      expect(scaled.desktopIds).toEqual([kept]);
      const refreshed = await h.refresh(old.id, old.outs);
      expect(refreshed.desktopIds).toEqual([kept]);
      await h.provider.delete(old.id, old.outs);
      expect(h.live().map((d) => d.DesktopId)).toEqual([moved]);
      expect(h.live().map((d) => d.DesktopId)).not.toContain(kept);
      expect(ownerOf(h, moved)).toBe(owner);
      expect(name()).toBe("new");
    });
  });
});

describe("identity: a desktop disowned from a live batch, adopted by another, and an update from the old state", () => {
  it("is never rebuilt, stopped or resized by the batch whose state still lists it", async () => {
    await withHarness(async (h) => {
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
      const attachment = { desktopType: "eds.enterprise_office.4c8g", imageId: "m-win2019-emu" };
      const old = await h.createBatch(
        baseInputs({ amount: 2, desktopName: "old", bundleId: undefined, desktopAttachment: attachment }),
      );
      const [moved, kept] = old.outs.desktopIds;
      await disown(h, moved);
      await h.createBatch(baseInputs({ amount: 1, desktopName: "new", adoptDesktopIds: [moved] }));
      h.emu.calls.reset();
      const after = await h.updateBatch(old, {
        desktopAttachment: { desktopType: "eds.enterprise_office.8c16g", imageId: "m-win2019-emu-v2" },
      });
      const desktop = (id: string) => h.live().find((d) => d.DesktopId === id)!;
      expect([desktop(moved).ImageId, desktop(moved).DesktopType, desktop(moved).DesktopStatus]).toEqual([
        "m-win2019-emu",
        "eds.enterprise_office.4c8g",
        "Running",
      ]);
      expect([desktop(kept).ImageId, desktop(kept).DesktopType]).toEqual([
        "m-win2019-emu-v2",
        "eds.enterprise_office.8c16g",
      ]);
      expect(after.desktopIds).not.toContain(moved);
    });
  });
});

describe("identity: an adopting create that changes the adopted desktop's spec", () => {
  it("stays within ECD's 20 tags with 15 of the user's: the stopped-for mark joins the four of an adopting create", async () => {
    await withHarness(async (h) => {
      const [wanted] = await h.unmanaged(1, "reception");
      const tags = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`team-${i}`, `v${i}`]));
      const { outs } = await h.createBatch(
        baseInputs({
          amount: 1,
          bundleId: undefined,
          desktopAttachment: { desktopType: "eds.enterprise_office.8c16g", imageId: "m-win2019-emu" },
          tags,
          adoptDesktopIds: [wanted],
        }),
      );
      expect(outs.desktopIds).toEqual([wanted]);
      expect(h.count("ModifyDesktopSpec")).toBe(1);
      const desktop = h.live().find((d) => d.DesktopId === wanted)!;
      expect(desktop.DesktopType).toBe("eds.enterprise_office.8c16g");
      expect(desktop.DesktopStatus).toBe("Running");
      expect(providerTags(h, wanted).sort()).toEqual(["pulumi-ecd:batch", "pulumi-ecd:lineage"]);
    });
  });
});

describe("identity: adopting a desktop that carries many tags of its own", () => {
  it("is refused naming adoptDesktopIds and the desktop, before anything is tagged: it has no room for the provider's tags", async () => {
    await withHarness(async (h) => {
      const own = Array.from({ length: 17 }, (_, i) => ({ key: `own-${i}`, value: `v${i}` }));
      const [wanted] = await h.unmanaged(1, "reception", { tags: own });
      h.emu.calls.reset();
      const inputs = await h.checked(
        baseInputs({ amount: 2, lineage: newToken(), adoptDesktopIds: [wanted] }),
      );
      const error = (await h.provider.create(inputs).catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(
        new RegExp(`^adoptDesktopIds: ${wanted} carries 17 tags; adopting it needs room for 5 more`),
      );
      expect(h.count("TagResources")).toBe(0);
      expect(h.count("CreateDesktops")).toBe(0);
      const desktop = h.live().find((d) => d.DesktopId === wanted)!;
      expect(desktop.Tags).toEqual(own.map((t) => ({ Key: t.key, Value: t.value })));
    });
  });

  it("a create whose tagging of an adopted desktop fails leaves no pulumi-ecd tag on it", async () => {
    await withHarness(async (h) => {
      const [wanted] = await h.unmanaged(1, "reception");
      const backend = h.emu.backend;
      const tag = backend.tagResources.bind(backend);
      backend.tagResources = (region, request) => {
        if (request.Tag?.some((t) => t.Key === "pulumi-ecd:adopted"))
          throw new EcdServiceError("Forbidden.RAM", "not allowed to tag", 403);
        return tag(region, request);
      };
      try {
        const inputs = await h.checked(
          baseInputs({ amount: 2, lineage: newToken(), adoptDesktopIds: [wanted] }),
        );
        const error = (await h.provider.create(inputs).catch((e: unknown) => e)) as Error;
        expect(error.message).toContain("Forbidden.RAM");
      } finally {
        backend.tagResources = tag;
      }
      expect(providerTags(h, wanted)).toEqual([]);
    });
  });
});

describe("identity: an update killed while it adopts a desktop", () => {
  const nameOf = (h: Harness, id: string) => h.live().find((d) => d.DesktopId === id)?.DesktopName;
  const providerKeys = (h: Harness, id: string) =>
    (h.live().find((d) => d.DesktopId === id)?.Tags ?? [])
      .map((t) => t.Key)
      .filter((k) => k.startsWith("pulumi-ecd:"))
      .sort();

  /**
   * An update that adopts desktops, killed once it has tagged and renamed them and before it finishes (its next
   * UntagResources never returns): Pulumi records nothing.
   */
  const killedAdoption = async (
    h: Harness,
    batch: { id: string; outs: DesktopBatchOutputs },
    inputs: object,
  ) => {
    const faults = h.emu.faults;
    const apply = faults.apply.bind(faults);
    let renamed = false;
    let stuck = false;
    faults.apply = (action, ...rest) => {
      if (action === "ModifyDesktopName") renamed = true;
      if (renamed && action === "UntagResources" && !stuck) {
        stuck = true;
        return new Promise(() => undefined);
      }
      return apply(action, ...rest);
    };
    const doomed = otherProcess(h, { poll: { sleep: () => new Promise<void>(() => undefined) } });
    void doomed.provider.update(batch.id, batch.outs, inputs as DesktopBatchInputs).catch(() => undefined);
    try {
      await until(() => stuck);
    } finally {
      faults.apply = apply;
    }
  };

  it("a rerun that no longer adopts it, then destroy: the desktop is never released, and goes back as it was", async () => {
    await withHarness(async (h) => {
      const batch = await h.createBatch(baseInputs({ amount: 1 }));
      const [reception] = await h.unmanaged(1, "reception");
      await killedAdoption(
        h,
        batch,
        await h.checked({ ...batch.inputs, amount: 2, adoptDesktopIds: [reception] }),
      );
      const rerun = laterRun(h);
      const { outs } = await rerun.provider.update(batch.id, batch.outs, batch.inputs);
      expect(outs!.desktopIds).toEqual(batch.outs.desktopIds);
      const read = await rerun.provider.read(batch.id, outs as DesktopBatchOutputs);
      expect(read.props!.desktopIds).toEqual(batch.outs.desktopIds);
      await rerun.provider.delete(batch.id, outs as DesktopBatchOutputs);
      expect(h.live().map((d) => d.DesktopId)).toEqual([reception]);
      expect(nameOf(h, reception)).toBe("reception");
      expect(providerKeys(h, reception)).toEqual([]);
    });
  });

  it("a rerun that lists the batch gives back what it no longer adopts at once, and keeps what it still adopts", async () => {
    await withHarness(async (h) => {
      const batch = await h.createBatch(baseInputs({ amount: 1 }));
      const [reception, lobby] = await h.unmanaged(2, "front");
      await killedAdoption(
        h,
        batch,
        await h.checked({ ...batch.inputs, amount: 3, adoptDesktopIds: [reception, lobby] }),
      );
      const rerun = laterRun(h);
      // amount grows: the rerun lists the batch.
      const inputs = await h.checked({ ...batch.inputs, amount: 3, adoptDesktopIds: [lobby] });
      const { outs } = await rerun.provider.update(batch.id, batch.outs, inputs);
      expect(outs!.desktopIds).toHaveLength(3);
      expect(outs!.desktopIds).toContain(lobby);
      expect(outs!.desktopIds).not.toContain(reception);
      expect(nameOf(h, reception)).toBe("front-1");
      expect(providerKeys(h, reception)).toEqual([]);
      expect(providerKeys(h, lobby)).toEqual(["pulumi-ecd:batch", "pulumi-ecd:lineage"]);
    });
  });
});
