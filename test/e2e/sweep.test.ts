/**
 * `pulumi-ecd sweep --stack-export` with exports the real Pulumi CLI writes (`pulumi stack export` after a real
 * `pulumi up` against the emulator): it never touches a desktop a given stack tracks, refuses to run on an export
 * that holds no batch while live batches exist, and releases what a killed first create left once its hold lapsed.
 */
import * as fs from "fs";
import * as path from "path";
import { PassThrough, Readable } from "stream";
import { sweepCommand } from "../../cli/sweep";
import { startEmulator, type RunningEmulator, type WireDesktop } from "../../emulator";
import { CREATING_TAG } from "../../provider/desktopBatch/identity";
import { E2E_DURATIONS, findCliOrSkip } from "./cli";
import { Fleet, isAlive, liveDesktops, nextArrival, tagOf, until } from "./fleet";

const cliDir = findCliOrSkip();
const describeE2E = cliDir ? describe : describe.skip;

const UP = ["up", "--yes", "--skip-preview"];
/** The killed create's hold, short so that the test need not wait five minutes for it to lapse. */
const HOLD = { PULUMI_ECD_CREATE_HOLD_SECONDS: "3" };

jest.setTimeout(240_000);

/** Everything about the desktops that a sweep must leave as it was. */
const fingerprint = (desktops: WireDesktop[]) =>
  desktops
    .map((d) => ({
      id: d.DesktopId,
      status: d.DesktopStatus,
      tags: [...(d.Tags ?? [])].sort((a, b) => a.Key.localeCompare(b.Key)),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));

describeE2E("pulumi-ecd sweep with exports of the real CLI", () => {
  let emu: RunningEmulator;
  let east: Fleet;
  let west: Fleet;
  let exportsDir: string;

  beforeAll(async () => {
    emu = await startEmulator({ durations: E2E_DURATIONS });
    east = new Fleet(cliDir!, emu, { ...HOLD }, "east");
    west = new Fleet(cliDir!, emu, { ...HOLD }, "west");
    exportsDir = fs.mkdtempSync(path.join(east.root, "exports-"));
    try {
      await Promise.all([east.init(), west.init()]);
      await east.run(...UP, "-c", "amount=2");
      await west.run(...UP, "-c", "amount=2");
    } catch (error) {
      (error as Error).message += `\n\n${east.describe()}\n\n${west.describe()}`;
      throw error;
    }
  });
  afterAll(async () => {
    east?.dispose();
    west?.dispose();
    await emu?.close();
  });

  async function exportOf(fleet: Fleet, name: string): Promise<string> {
    const file = path.join(exportsDir, `${name}.json`);
    fs.writeFileSync(file, await fleet.stack.exportState());
    return file;
  }

  async function sweep(argv: string[]) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = "";
    let err = "";
    stdout.on("data", (chunk) => (out += String(chunk)));
    stderr.on("data", (chunk) => (err += String(chunk)));
    const code = await sweepCommand(argv, {
      stdout,
      stderr,
      stdin: Readable.from([]),
      isTTY: false,
      env: {
        ALIBABA_CLOUD_ACCESS_KEY_ID: emu.credentials[0].accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: emu.credentials[0].accessKeySecret,
        ALIBABA_CLOUD_ECD_ENDPOINT: emu.url,
        ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
      },
    });
    return { code, out, err, listed: (out.match(/^ecd-\S+/gm) ?? []).sort() };
  }

  it("touches no desktop of the stacks whose exports it is given, with --release --yes or --disown --yes", async () => {
    const before = fingerprint(liveDesktops(emu));
    expect(before).toHaveLength(4);
    const files = [await exportOf(east, "east"), await exportOf(west, "west")];
    const given = files.flatMap((file) => ["--stack-export", file]);
    emu.calls.reset();
    for (const mode of [[], ["--release", "--yes"], ["--disown", "--yes"]]) {
      const { code, out, listed } = await sweep([...given, ...mode]);
      expect({ code, listed }).toEqual({ code: 0, listed: [] });
      expect(out).toContain(
        "0 pulumi-ecd desktop(s) that none of the 2 stack export(s) (2 batch(es)) tracks",
      );
    }
    expect(emu.calls.entries("DeleteDesktops")).toEqual([]);
    expect(emu.calls.entries("UntagResources")).toEqual([]);
    expect(fingerprint(liveDesktops(emu))).toEqual(before);

    // Without west's export, its desktops are listed (dry run: nothing changes).
    const { listed } = await sweep(["--stack-export", files[0]]);
    expect(listed).toEqual([...(await west.outputs()).desktopIds].sort());
    expect(fingerprint(liveDesktops(emu))).toEqual(before);
  });

  it("refuses to run when an export holds no batch while batches of other stacks are alive", async () => {
    const before = fingerprint(liveDesktops(emu));
    const empty = new Fleet(cliDir!, emu, {}, "empty");
    try {
      await empty.init();
      const file = await exportOf(empty, "empty");
      const { code, out, err } = await sweep(["--stack-export", file, "--release", "--yes"]);
      expect({ code, out }).toEqual({ code: 1, out: "" });
      expect(err).toContain(
        `refusing to run: ${file} holds no DesktopBatch, yet 4 desktop(s) of 2 batch(es) that no export tracks look alive`,
      );
      expect(fingerprint(liveDesktops(emu))).toEqual(before);
    } finally {
      empty.dispose();
    }
  });

  it("releases what a killed first create left, after cancel, refresh and destroy, once its hold has lapsed", async () => {
    const others = liveDesktops(emu).map((d) => d.DesktopId);
    const killed = new Fleet(cliDir!, emu, { ...HOLD }, "killed");
    try {
      await killed.init();
      emu.faults.set({ latencyMs: 1500, actions: ["CreateDesktops"] });
      const run = killed.start(...UP, "-c", "amount=3");
      await nextArrival(emu, "CreateDesktops");
      const processes = run.killAll();
      await run.exited;
      await until(() => processes.every((p) => !isAlive(p.pid)), "the killed run to be gone", 5_000);
      const left = (): WireDesktop[] => liveDesktops(emu).filter((d) => !others.includes(d.DesktopId));
      await until(() => left().length === 3, "the killed run's CreateDesktops to be carried out");
      emu.faults.reset();
      // The documented recovery, then a destroy: the stack's resources are gone, its desktops are not.
      await killed.run("cancel", "--yes");
      await killed.run("refresh", "--yes", "--skip-preview", "--clear-pending-creates");
      await killed.run("destroy", "--yes", "--skip-preview");
      expect(left()).toHaveLength(3);
      const leftIds = left()
        .map((d) => d.DesktopId)
        .sort();
      const holdEnds = Math.max(...left().map((d) => Number(tagOf(d, CREATING_TAG))));
      await until(() => Date.now() > holdEnds, "the killed create's hold to lapse");

      const files = [
        await exportOf(east, "east"),
        await exportOf(west, "west"),
        await exportOf(killed, "killed"),
      ];
      const bystanders = fingerprint(liveDesktops(emu).filter((d) => others.includes(d.DesktopId)));
      const { code, out, listed } = await sweep([
        ...files.flatMap((file) => ["--stack-export", file]),
        "--release",
        "--yes",
      ]);
      expect(code).toBe(0);
      expect(listed).toEqual(leftIds);
      expect(out).toContain(`Released 3 desktop(s) in cn-hangzhou: `);
      await until(() => left().length === 0, "the released desktops to be gone");
      expect(fingerprint(liveDesktops(emu))).toEqual(bystanders);
    } finally {
      emu.faults.reset();
      killed.dispose();
    }
  });
});
