/**
 * Which desktops a DesktopBatch owns, through the real Pulumi CLI against the emulator: replacements forced from
 * the command line or by a diff, the same program and stack in two backends, and a CLI killed (SIGKILL, with
 * everything it started) in the middle of `pulumi up`, followed by the recovery docs/recovery.md describes.
 * Every check is made in the emulator's own state.
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator, type RunningEmulator, type WireDesktop } from "../../emulator";
import { CREATING_TAG } from "../../provider/desktopBatch/identity";
import { E2E_DURATIONS, findCliOrSkip } from "./cli";
import { Fleet, isAlive, kill, liveDesktops, nextArrival, tagOf, until } from "./fleet";

const cliDir = findCliOrSkip();
const describeE2E = cliDir ? describe : describe.skip;

const AD_SITE = "cn-hangzhou+dir-0000000002";
/** A rerun takes over what a killed create left once this hold has lapsed (300 s by default). */
const HOLD = { PULUMI_ECD_CREATE_HOLD_SECONDS: "3" };
const UP = ["up", "--yes", "--skip-preview"];

jest.setTimeout(240_000);

const ids = (desktops: WireDesktop[]): string[] => desktops.map((d) => d.DesktopId).sort();

/** What must not change on a desktop that nothing should touch. */
function fingerprint(desktops: WireDesktop[]) {
  return desktops
    .map((d) => ({
      id: d.DesktopId,
      name: d.DesktopName,
      hostName: d.HostName,
      status: d.DesktopStatus,
      tags: [...(d.Tags ?? [])].sort((a, b) => a.Key.localeCompare(b.Key)),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Runs a test body; a failure carries what every CLI run printed. Transcripts are kept when asked for. */
async function narrated(fleets: Record<string, Fleet>, body: () => Promise<void>): Promise<void> {
  const keep = process.env.PULUMI_ECD_E2E_TRANSCRIPTS;
  const dump = (): string =>
    Object.entries(fleets)
      .map(([name, fleet]) => `##### ${name}\n${fleet.describe()}`)
      .join("\n\n");
  try {
    await body();
  } catch (error) {
    (error as Error).message += `\n\nCLI transcript:\n${dump()}`;
    throw error;
  } finally {
    if (keep) {
      fs.mkdirSync(keep, { recursive: true });
      const name = (expect.getState().currentTestName ?? "test").replace(/[^\w-]+/g, "_");
      fs.writeFileSync(path.join(keep, `${name.slice(0, 40)}-${name.slice(-40)}.txt`), dump());
    }
  }
}

describeE2E("replacing a batch (pulumi up --replace, --target-replace, a replacing diff)", () => {
  let emu: RunningEmulator;
  let fleet: Fleet;
  beforeAll(async () => {
    // A released desktop shows Deleted, and keeps its hostname, for 5 s before it vanishes.
    emu = await startEmulator({ durations: { ...E2E_DURATIONS, deleteMs: 5_000 } });
    fleet = new Fleet(cliDir!, emu);
    await fleet.init();
  });
  afterAll(async () => {
    fleet?.dispose();
    await emu?.close();
  });

  /** The emulator holds exactly the stack's desktops, none of `before`, and nothing is left to change. */
  async function expectFreshBatch(before: string[], amount = 3): Promise<string[]> {
    const live = ids(liveDesktops(emu));
    expect(live).toHaveLength(amount);
    expect(live.filter((id) => before.includes(id))).toEqual([]);
    expect([...(await fleet.outputs()).desktopIds].sort()).toEqual(live);
    await fleet.run("preview", "--expect-no-changes");
    return live;
  }

  it("`pulumi up --replace <urn>` swaps the 3 desktops for 3 new ones and leaves nothing to change", () =>
    narrated({ fleet }, async () => {
      await fleet.run(...UP, "-c", `officeSiteId=${AD_SITE}`);
      const first = ids(liveDesktops(emu));
      expect(first).toHaveLength(3);
      const { urn } = await fleet.outputs();
      await fleet.run(...UP, "--replace", urn);
      await expectFreshBatch(first);
    }));

  it("`pulumi up --target-replace <urn>` does the same", () =>
    narrated({ fleet }, async () => {
      const before = ids(liveDesktops(emu));
      const { urn } = await fleet.outputs();
      await fleet.run(...UP, "--target-replace", urn);
      await expectFreshBatch(before);
    }));

  it("a hostname change on an AD office site replaces delete-before-replace: the old desktops go first", () =>
    narrated({ fleet }, async () => {
      const before = ids(liveDesktops(emu));
      emu.calls.reset();
      const out = await fleet.run(...UP, "-c", "hostname=fleet-[1,3]");
      expect(out).toMatch(/replaced because hostname cannot change in place/);
      const order = emu.calls
        .entries()
        .filter((c) => c.action === "DeleteDesktops" || c.action === "CreateDesktops")
        .map((c) => c.action);
      expect(order).toEqual(["DeleteDesktops", "CreateDesktops"]);
      await expectFreshBatch(before);
      expect(
        liveDesktops(emu)
          .map((d) => d.HostName)
          .sort(),
      ).toEqual(["fleet-001", "fleet-002", "fleet-003"]);
    }));

  // A targeted replace never calls the provider's diff (the engine answers "replace" itself), so the provider
  // cannot ask for delete-before-replace there: the SDK sets it on a batch with hostnames (schema `collides`).
  it("`pulumi up --replace <urn>` of a batch with hostnames gets 3 new desktops with the same names", () =>
    narrated({ fleet }, async () => {
      const before = ids(liveDesktops(emu));
      const { urn } = await fleet.outputs();
      await fleet.run(...UP, "--replace", urn);
      await expectFreshBatch(before);
    }));

  // A desktop shown as Deleted still exists, and keeps its hostname, until it vanishes from DescribeDesktops:
  // the release waits for that before the replacement is created.
  it("a hostname change to names the old desktops had (fleet-[1,3] to fleet-[2,3]) replaces them", () =>
    narrated({ fleet }, async () => {
      const before = ids(liveDesktops(emu));
      await fleet.run(...UP, "-c", "hostname=fleet-[2,3]");
      await expectFreshBatch(before);
      expect(
        liveDesktops(emu)
          .map((d) => d.HostName)
          .sort(),
      ).toEqual(["fleet-002", "fleet-003", "fleet-004"]);
    }));
});

describeE2E("the same program, project, stack and names in two backends", () => {
  let emu: RunningEmulator;
  let east: Fleet;
  let west: Fleet;
  beforeAll(async () => {
    emu = await startEmulator({ durations: E2E_DURATIONS });
    east = new Fleet(cliDir!, emu);
    west = new Fleet(cliDir!, emu);
    await Promise.all([east.init(), west.init()]);
  });
  afterAll(async () => {
    east?.dispose();
    west?.dispose();
    await emu?.close();
  });

  it("each owns its 3 desktops: destroying one leaves the other's untouched", () =>
    narrated({ east, west }, async () => {
      await east.run(...UP);
      await west.run(...UP);
      const all = liveDesktops(emu);
      expect(all).toHaveLength(6);
      const eastIds = [...(await east.outputs()).desktopIds].sort();
      const westIds = [...(await west.outputs()).desktopIds].sort();
      expect(eastIds).toHaveLength(3);
      expect(westIds).toHaveLength(3);
      expect([...eastIds, ...westIds].sort()).toEqual(ids(all));
      const westBefore = fingerprint(all.filter((d) => westIds.includes(d.DesktopId)));

      await east.run("destroy", "--yes", "--skip-preview");
      expect(fingerprint(liveDesktops(emu))).toEqual(westBefore);

      await west.run("destroy", "--yes", "--skip-preview");
      expect(liveDesktops(emu)).toEqual([]);
    }));
});

describeE2E("a CLI killed in the middle of pulumi up, then recovered", () => {
  let emu: RunningEmulator;
  /** The stack whose runs are killed. */
  let fleet: Fleet;
  /** The same project, stack and resource name in another backend (so the same lineage): must stay intact. */
  let bystander: Fleet;
  let bystanderBefore: ReturnType<typeof fingerprint>;

  beforeAll(async () => {
    emu = await startEmulator({ durations: E2E_DURATIONS });
    fleet = new Fleet(cliDir!, emu, HOLD);
    bystander = new Fleet(cliDir!, emu, HOLD);
    await Promise.all([fleet.init(), bystander.init()]);
    await bystander.run(...UP);
    bystanderBefore = fingerprint(liveDesktops(emu));
    expect(bystanderBefore).toHaveLength(3);
  });
  afterAll(async () => {
    fleet?.dispose();
    bystander?.dispose();
    await emu?.close();
  });

  const bystanderIds = (): string[] => bystanderBefore.map((d) => d.id);
  const mine = (): WireDesktop[] => liveDesktops(emu).filter((d) => !bystanderIds().includes(d.DesktopId));

  /** Starts `pulumi <args>`, waits for `moment`, kills the CLI and everything it started, and checks they died. */
  async function killDuring(args: string[], moment: () => Promise<void>): Promise<void> {
    const run = fleet.start(...args);
    await moment();
    const killed = run.killAll();
    const exit = await run.exited;
    expect(exit.code).toBeNull();
    // The CLI, the language host, the program, and the dynamic provider doing the create.
    const commands = killed.map((p) => p.args).join("\n");
    for (const part of [/bin\/pulumi up/, /pulumi-language-nodejs/, /cmd\/run/, /cmd\/dynamic-provider/])
      expect(commands).toMatch(part);
    await until(() => killed.every((p) => !isAlive(p.pid)), "every killed process to be gone", 5_000);
  }

  /** The documented recovery: unlock the stack, forget the unfinished create, run up again. */
  async function recover(): Promise<void> {
    const pending = (await fleet.state()).deployment.pending_operations ?? [];
    expect(pending.length).toBeGreaterThan(0);
    const locked = await fleet.runAllowingFailure("up", "--yes", "--skip-preview");
    expect(locked.code).not.toBe(0);
    expect(locked.stderr).toMatch(/the stack is currently locked/);
    await fleet.run("cancel", "--yes");
    await fleet.run("refresh", "--yes", "--skip-preview", "--clear-pending-creates");
    expect((await fleet.state()).deployment.pending_operations ?? []).toEqual([]);
    await fleet.run(...UP);
  }

  /** Exactly `amount` desktops of this stack, all in its outputs, all committed, and the bystander's intact. */
  async function expectRecovered(amount: number): Promise<void> {
    const desktops = mine();
    expect(desktops).toHaveLength(amount);
    expect([...(await fleet.outputs()).desktopIds].sort()).toEqual(ids(desktops));
    expect(desktops.every((d) => d.DesktopStatus === "Running")).toBe(true);
    expect(desktops.filter((d) => tagOf(d, CREATING_TAG) !== undefined)).toEqual([]);
    expect(fingerprint(liveDesktops(emu).filter((d) => bystanderIds().includes(d.DesktopId)))).toEqual(
      bystanderBefore,
    );
    expect(liveDesktops(emu)).toHaveLength(amount + bystanderBefore.length);
  }

  it("(i) killed while CreateDesktops is in flight: the rerun takes over the 3 desktops it made", () =>
    narrated({ fleet, bystander }, async () => {
      emu.faults.set({ latencyMs: 1500, actions: ["CreateDesktops"] });
      await killDuring(UP, () => nextArrival(emu, "CreateDesktops"));
      expect(mine()).toHaveLength(0);
      // The request had reached ECD: it is carried out although nobody waits for the answer.
      await until(() => mine().length === 3, "the killed run's CreateDesktops to be carried out");
      emu.faults.reset();

      await recover();
      await expectRecovered(3);

      await fleet.run("destroy", "--yes", "--skip-preview");
      expect(mine()).toHaveLength(0);
      expect(fingerprint(liveDesktops(emu))).toEqual(bystanderBefore);
    }));

  it("(ii) killed while waiting for the desktops to be Running: the rerun takes them over", () =>
    narrated({ fleet, bystander }, async () => {
      emu.backend.durations.createMs = 5_000;
      try {
        const creates = emu.calls.entries("CreateDesktops").length;
        await killDuring(UP, async () => {
          await until(() => emu.calls.entries("CreateDesktops").length > creates, "CreateDesktops");
          const created = emu.calls.entries("CreateDesktops").at(-1)!.at;
          await until(
            () => emu.calls.entries("DescribeDesktops").some((c) => c.at > created),
            "the provider to poll for Running",
          );
        });
      } finally {
        emu.backend.durations.createMs = E2E_DURATIONS.createMs;
      }
      expect(mine().every((d) => d.DesktopStatus === "Pending")).toBe(true);

      await recover();
      await expectRecovered(3);
    }));

  it("(iii) killed while scaling up from 3 to 5: refresh records the new desktops, up finishes the update", () =>
    narrated({ fleet, bystander }, async () => {
      const before = ids(mine());
      emu.faults.set({ latencyMs: 1500, actions: ["CreateDesktops"] });
      await killDuring([...UP, "-c", "amount=5"], () => nextArrival(emu, "CreateDesktops"));
      expect(mine()).toHaveLength(3);
      await until(() => mine().length === 5, "the killed run's CreateDesktops to be carried out");
      emu.faults.reset();

      await recover();
      await expectRecovered(5);
      expect(ids(mine()).filter((id) => before.includes(id))).toEqual(before);
      // The scale-up's CreateDesktops named its desktops as a group of their own: no rename was needed.
      const names = mine().map((d) => d.DesktopName ?? "");
      expect(names.filter((name) => /^fleet-[123]$/.test(name)).sort()).toEqual([
        "fleet-1",
        "fleet-2",
        "fleet-3",
      ]);
      expect(names.filter((name) => /^fleet-\d+-[12]$/.test(name))).toHaveLength(2);
      expect(new Set(names).size).toBe(5);
      await fleet.run("preview", "--expect-no-changes");
    }));

  // The CLI starts the dynamic provider in a process group of its own, so a kill of the CLI alone (`kill -9
  // <pid>`, an OOM kill) leaves the provider running. It notices that its engine is gone (its parent changed)
  // and neither renews its hold nor commits: the rerun takes those desktops over.
  it("(iv) only the CLI killed, its provider living on: the rerun still ends with exactly 3 desktops", () => {
    const orphaned = new Fleet(cliDir!, emu, HOLD);
    let survivors: { pid: number; args: string }[] = [];
    return narrated({ orphaned, bystander }, async () => {
      await orphaned.init();
      const others = ids(liveDesktops(emu));
      const theirs = (): WireDesktop[] => liveDesktops(emu).filter((d) => !others.includes(d.DesktopId));
      const untags = emu.calls.entries("UntagResources").length;
      emu.backend.durations.createMs = 3_000;
      try {
        const creates = emu.calls.entries("CreateDesktops").length;
        const run = orphaned.start(...UP);
        await until(() => emu.calls.entries("CreateDesktops").length > creates, "CreateDesktops");
        survivors = run.killCli();
        await run.exited;
      } finally {
        emu.backend.durations.createMs = E2E_DURATIONS.createMs;
      }
      expect(survivors.map((p) => p.args).join("\n")).toMatch(/cmd\/dynamic-provider/);
      // The orphaned provider sees its desktops Running and its engine gone: it must not commit them.
      await until(
        () => theirs().length === 3 && theirs().every((d) => d.DesktopStatus === "Running"),
        "the orphaned batch to be Running",
      );
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(emu.calls.entries("UntagResources").length).toBe(untags);
      expect(theirs().every((d) => d.Tags?.some((t) => t.Key === "pulumi-ecd:creating"))).toBe(true);

      await orphaned.run("cancel", "--yes");
      await orphaned.run("refresh", "--yes", "--skip-preview", "--clear-pending-creates");
      await orphaned.run(...UP);
      expect(theirs()).toHaveLength(3);
      expect(ids(theirs())).toEqual([...(await orphaned.outputs()).desktopIds].sort());
    }).finally(() => {
      for (const p of survivors) kill(p.pid);
      orphaned.dispose();
    });
  });
});

describeE2E("interrupted creates that adopted, timed out, were renamed or moved; renamed stacks", () => {
  let emu: RunningEmulator;
  const fleets: Fleet[] = [];
  beforeAll(async () => {
    emu = await startEmulator({ durations: E2E_DURATIONS });
  });
  afterAll(async () => {
    for (const fleet of fleets) fleet.dispose();
    await emu?.close();
  });

  async function newFleet(env: Record<string, string> = HOLD): Promise<Fleet> {
    const fleet = new Fleet(cliDir!, emu, env);
    fleets.push(fleet);
    await fleet.init();
    return fleet;
  }

  const inRegion = (regionId: string) =>
    emu.backend.describeDesktops(regionId).filter((d) => d.DesktopStatus !== "Deleted");

  /** `pulumi up` killed (with everything it started) while its CreateDesktops is on the way; then carried out. */
  async function killedUp(fleet: Fleet, args: string[], made: () => boolean): Promise<void> {
    emu.faults.set({ latencyMs: 1500, actions: ["CreateDesktops"] });
    try {
      const run = fleet.start(...args);
      await nextArrival(emu, "CreateDesktops");
      run.killAll();
      await run.exited;
      await until(made, "the killed run's CreateDesktops to be carried out");
    } finally {
      emu.faults.reset();
    }
    await fleet.run("cancel", "--yes");
    await fleet.run("refresh", "--yes", "--skip-preview", "--clear-pending-creates");
  }

  /** A desktop made in the console: no pulumi-ecd tag, its own name. */
  async function consoleDesktop(name: string): Promise<string> {
    const [id] = emu.backend.createDesktops("cn-hangzhou", {
      OfficeSiteId: "cn-hangzhou+dir-0000000001",
      BundleId: "b-win-office-4c8g",
      DesktopName: name,
    }).DesktopId;
    await until(
      () => liveDesktops(emu).some((d) => d.DesktopId === id && d.DesktopStatus === "Running"),
      "the console desktop to be Running",
    );
    return id;
  }

  it("`pulumi stack rename` plans no change, and the lineage output keeps matching the desktops' tag", () => {
    let fleet: Fleet;
    return newFleet().then((created) => {
      fleet = created;
      return narrated({ fleet }, async () => {
        await fleet.run(...UP, "-c", "amount=2");
        const { lineage, desktopIds } = (await fleet.outputs()) as unknown as {
          lineage: string;
          desktopIds: string[];
        };
        await fleet.renameStack("renamed");
        await fleet.run("preview", "--expect-no-changes");
        await fleet.run(...UP);
        expect(((await fleet.outputs()) as unknown as { lineage: string }).lineage).toBe(lineage);
        const mine = liveDesktops(emu).filter((d) => desktopIds.includes(d.DesktopId));
        expect(mine.map((d) => tagOf(d, "pulumi-ecd:lineage"))).toEqual([lineage, lineage]);
        await fleet.run("destroy", "--yes", "--skip-preview");
      });
    });
  });

  it("killed while adopting a console desktop, rerun without the adoption: that desktop is given back as it was", async () => {
    const fleet = await newFleet();
    await narrated({ fleet }, async () => {
      const reception = await consoleDesktop("reception");
      const others = ids(liveDesktops(emu));
      await killedUp(
        fleet,
        [...UP, "-c", "amount=2", "-c", `adopt=${reception}`],
        () => liveDesktops(emu).length === others.length + 1,
      );
      const marked = liveDesktops(emu).find((d) => d.DesktopId === reception)!;
      expect(tagOf(marked, "pulumi-ecd:creating")).toBeDefined();
      await fleet.run("config", "rm", "adopt");
      const out = await fleet.run(...UP);
      expect(out).toContain(`gave back 1 desktop(s) an interrupted create had adopted`);
      const after = liveDesktops(emu).find((d) => d.DesktopId === reception)!;
      expect(after.DesktopName).toBe("reception");
      expect(after.DesktopStatus).toBe("Running");
      expect((after.Tags ?? []).filter((t) => t.Key.startsWith("pulumi-ecd:"))).toEqual([]);
      const { desktopIds } = await fleet.outputs();
      expect(desktopIds).toHaveLength(2);
      expect(desktopIds).not.toContain(reception);
      await fleet.run("destroy", "--yes", "--skip-preview");
      expect(liveDesktops(emu).map((d) => d.DesktopId)).toContain(reception);
    });
  });

  it("a create timeout shorter than the killed run's hold: the rerun creates nothing and says what to run; after the hold it takes over", async () => {
    // A hold long enough that the rerun (after cancel and refresh, on a busy machine) starts well within it.
    const fleet = await newFleet({ PULUMI_ECD_CREATE_HOLD_SECONDS: "45" });
    await narrated({ fleet }, async () => {
      const others = ids(liveDesktops(emu));
      const mine = () => liveDesktops(emu).filter((d) => !others.includes(d.DesktopId));
      await killedUp(fleet, [...UP, "-c", "amount=2", "-c", "createTimeout=5s"], () => mine().length === 2);
      const left = ids(mine());
      const early = await fleet.runAllowingFailure(...UP);
      expect(early.code).not.toBe(0);
      const said = early.stdout + early.stderr;
      expect(said).toMatch(
        /2 desktop\(s\) of an unfinished create of this resource exist in cn-hangzhou and are held until/,
      );
      expect(said).toContain("Nothing was created. Run pulumi up again after");
      for (const id of left) expect(said).toContain(id);
      expect(ids(mine())).toEqual(left);
      const hold = Math.max(...mine().map((d) => Number(tagOf(d, CREATING_TAG))));
      await until(() => Date.now() > hold, "the killed run's hold to lapse", 60_000);
      const out = await fleet.run(...UP);
      expect(out).toContain("took over 2 desktop(s)");
      expect(ids(mine())).toEqual(left);
      expect([...(await fleet.outputs()).desktopIds].sort()).toEqual(left);
      await fleet.run("destroy", "--yes", "--skip-preview");
    });
  });

  it("killed, then renamed with an alias: the rerun takes over the 3 desktops the killed create made", async () => {
    const fleet = await newFleet();
    await narrated({ fleet }, async () => {
      const others = ids(liveDesktops(emu));
      const mine = () => liveDesktops(emu).filter((d) => !others.includes(d.DesktopId));
      await killedUp(fleet, UP, () => mine().length === 3);
      const left = ids(mine());
      const out = await fleet.run(...UP, "-c", "name=team", "-c", "alias=fleet");
      expect(out).toContain("took over 3 desktop(s)");
      expect(ids(mine())).toEqual(left);
      expect([...(await fleet.outputs()).desktopIds].sort()).toEqual(left);
      await fleet.run("preview", "--expect-no-changes");
      await fleet.run("destroy", "--yes", "--skip-preview");
      expect(mine()).toEqual([]);
    });
  });

  it("killed, then the stack renamed (no alias can say so): the rerun names the 3 desktops left and how to release them", async () => {
    const fleet = await newFleet();
    await narrated({ fleet }, async () => {
      const others = ids(liveDesktops(emu));
      const mine = () => liveDesktops(emu).filter((d) => !others.includes(d.DesktopId));
      await killedUp(fleet, UP, () => mine().length === 3);
      const left = ids(mine());
      await fleet.renameStack("renamed-after-kill");
      const out = await fleet.run(...UP);
      expect(out).toMatch(
        /3 desktop\(s\) in cn-hangzhou\+dir-0000000001 were left by an interrupted create of another resource/,
      );
      for (const id of left) expect(out).toContain(id);
      expect(out).toContain("npx pulumi-ecd sweep");
      await fleet.run("destroy", "--yes", "--skip-preview");
      expect(ids(mine())).toEqual(left);
      emu.backend.removeDesktops(left);
    });
  });

  it("killed, then moved to another region: the rerun releases the old region's desktops and says so", async () => {
    const fleet = await newFleet();
    await narrated({ fleet }, async () => {
      const others = ids(liveDesktops(emu));
      const mine = () => liveDesktops(emu).filter((d) => !others.includes(d.DesktopId));
      await killedUp(fleet, [...UP, "-c", "amount=2"], () => mine().length === 2);
      const left = ids(mine());
      const shanghai = ids(inRegion("cn-shanghai"));
      const out = await fleet.run(
        ...UP,
        "-c",
        "regionId=cn-shanghai",
        "-c",
        "officeSiteId=cn-shanghai+dir-0000000001",
      );
      expect(out).toContain(
        `releasing 2 desktop(s) in cn-hangzhou an interrupted create of this resource left`,
      );
      for (const id of left) expect(out).toContain(id);
      expect(mine()).toEqual([]);
      const moved = ids(inRegion("cn-shanghai")).filter((id) => !shanghai.includes(id));
      expect([...(await fleet.outputs()).desktopIds].sort()).toEqual(moved);
      expect(moved).toHaveLength(2);
      await fleet.run("destroy", "--yes", "--skip-preview");
    });
  });

  it("destroy after an interrupted first create does not see its desktops; `pulumi up` first finds them by lineage, then destroy releases them", async () => {
    const fleet = await newFleet();
    await narrated({ fleet }, async () => {
      const others = ids(liveDesktops(emu));
      const mine = () => liveDesktops(emu).filter((d) => !others.includes(d.DesktopId));
      await killedUp(fleet, [...UP, "-c", "amount=2"], () => mine().length === 2);
      const left = ids(mine());
      const destroyed = await fleet.run("destroy", "--yes", "--skip-preview");
      expect(destroyed).not.toContain("DesktopBatch");
      expect(ids(mine())).toEqual(left);
      const out = await fleet.run(...UP);
      expect(out).toContain("took over 2 desktop(s)");
      await fleet.run("destroy", "--yes", "--skip-preview");
      expect(mine()).toEqual([]);
    });
  });
});
