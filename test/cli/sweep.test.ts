/** `pulumi-ecd sweep` against the emulator: what it lists, what it releases, and when it refuses. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { sweepCommand } from "../../cli/sweep";
import { EcdClient } from "../../provider/ecd/client";
import { ManualClock, startEmulator, RunningEmulator } from "../../emulator";

const REGION = "cn-hangzhou";
const SITE = `${REGION}+dir-0000000001`;
const BATCH = "pulumi-ecd:batch";
const A = "aaaaaaaaaaaaaaaa-111111111111";
const B = "bbbbbbbbbbbbbbbb-222222222222";
const LOST = "cccccccccccccccc-333333333333";

describe("pulumi-ecd sweep", () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  let client: EcdClient;
  let dir: string;
  const ids: Record<string, string[]> = {};

  const create = async (name: string, batch: string | undefined, extra: object = {}, amount = 1) => {
    const tags = batch
      ? [
          { key: BATCH, value: batch },
          { key: "pulumi-ecd:lineage", value: `lineage-${name}` },
        ]
      : [{ key: "team", value: "not-ours" }];
    const { desktopId } = await client.createDesktops({
      officeSiteId: SITE,
      bundleId: "b-win-office-4c8g",
      desktopName: name,
      amount,
      ...extra,
      tags: [...tags, ...((extra as { tags?: [] }).tags ?? [])],
    });
    ids[name] = desktopId;
    return desktopId;
  };

  /** What `pulumi stack export` writes for a stack whose DesktopBatch tracks these desktops. */
  const stackExport = (file: string, instance: string, desktopIds: string[]) => {
    const path = join(dir, file);
    writeFileSync(
      path,
      JSON.stringify({
        version: 3,
        deployment: {
          manifest: { time: "2026-01-01T00:00:00Z", magic: "x", version: "v3.248.0" },
          resources: [
            {
              urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev",
              custom: false,
              type: "pulumi:pulumi:Stack",
            },
            {
              urn: "urn:pulumi:dev::p::pulumi-nodejs:dynamic:Resource::batch",
              custom: true,
              id: `ecd-batch-${instance}`,
              type: "pulumi-nodejs:dynamic:Resource",
              inputs: { officeSiteId: SITE },
              outputs: { regionId: REGION, desktopIds, amount: desktopIds.length },
            },
          ],
        },
      }),
    );
    return path;
  };

  const run = async (argv: string[], options: { tty?: boolean; input?: string } = {}) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = "";
    let err = "";
    stdout.on("data", (chunk) => (out += String(chunk)));
    stderr.on("data", (chunk) => (err += String(chunk)));
    const code = await sweepCommand(argv, {
      stdout,
      stderr,
      stdin: Readable.from(options.input === undefined ? [] : [options.input]),
      isTTY: options.tty ?? false,
      env: {
        ALIBABA_CLOUD_ACCESS_KEY_ID: emu.credentials[0].accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: emu.credentials[0].accessKeySecret,
        ALIBABA_CLOUD_ECD_ENDPOINT: emu.url,
      },
    });
    return { code, out, err };
  };
  const live = () => emu.backend.describeDesktops(REGION).map((d) => d.DesktopId);

  let exportA: string;
  let exportB: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ecd-sweep-"));
    clock = new ManualClock();
    emu = await startEmulator({ clock, durations: { createMs: 10, deleteMs: 10 } });
    client = new EcdClient({
      regionId: REGION,
      endpoint: emu.url,
      credentials: emu.credentials[0],
      notice: () => undefined,
    });
  });
  afterAll(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    emu.reset();
    clock.set(Date.UTC(2026, 0, 1));
    await create("stackA", A, {}, 2);
    await create("stackAlost", A); // the same batch, from a create whose answer was lost: tracked by its tag
    await create("stackB", B);
    await create("orphan", LOST, {}, 2);
    await create("halfmade", LOST, { tags: [{ key: "pulumi-ecd:creating", value: "1" }] });
    await create("foreign", undefined);
    // Bought now, so that it has not expired by the real clock the sweeper reads.
    clock.set(Date.now() - 2 * 60 * 60_000);
    await create("prepaid", LOST, { chargeType: "PrePaid", period: 1, periodUnit: "Month" });
    clock.advance(60_000);
    exportA = stackExport("a.json", A, ids.stackA);
    exportB = stackExport("b.json", B, ids.stackB);
    emu.calls.reset();
  });

  const untracked = () => [...ids.orphan, ...ids.halfmade, ...ids.prepaid];

  it("lists the desktops no given stack tracks, with their batch, lineage and creating mark", async () => {
    const { code, out } = await run(["--stack-export", exportA, "--stack-export", exportB]);
    expect(code).toBe(0);
    const listed = out.match(/^ecd-\S+/gm) ?? [];
    expect(listed.sort()).toEqual(untracked().sort());
    expect(out).toMatch(/^DesktopId\s+Name\s+Status\s+batch\s+lineage\s+creating\?\s+created$/m);
    expect(out).toMatch(
      new RegExp(
        `^${ids.halfmade[0]}\\s+halfmade\\s+Running\\s+${LOST}\\s+lineage-halfmade\\s+yes\\s+2026-01-01`,
        "m",
      ),
    );
    expect(out).toMatch(
      new RegExp(`^${ids.orphan[0]}\\s+orphan-1\\s+Running\\s+${LOST}\\s+lineage-orphan\\s+no\\s+`, "m"),
    );
    expect(out).toContain("4 pulumi-ecd desktop(s) that none of the 2 stack export(s) (2 batch(es)) tracks");
    expect(out).toMatch(
      new RegExp(
        `not released: ${ids.prepaid[0]}: subscription \\(PrePaid\\) desktop, expires .*: ECD does not release subscription desktops before they expire`,
      ),
    );
    expect(out).toContain("Run again with --release to release 3 of them.");
    expect(emu.calls.counts()).toEqual({ DescribeDesktops: 1 });
  });

  it("lists a tracked stack's desktops when that stack's export is not given", async () => {
    const { out } = await run(["--stack-export", exportA]);
    expect((out.match(/^ecd-\S+/gm) ?? []).sort()).toEqual([...untracked(), ...ids.stackB].sort());
  });

  it("--all lists every pulumi-ecd desktop and no other", async () => {
    expect(await run(["--all"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("no region: pass --region"),
    });
    const { code, out } = await run(["--all", "--region", REGION]);
    expect(code).toBe(0);
    const ours = Object.entries(ids)
      .filter(([name]) => name !== "foreign")
      .flatMap(([, list]) => list);
    expect((out.match(/^ecd-\S+/gm) ?? []).sort()).toEqual(ours.sort());
  });

  it("--release --yes releases exactly the untracked ones, nothing of another stack, no subscription", async () => {
    const before = live();
    const { code, out } = await run([
      "--stack-export",
      exportA,
      "--stack-export",
      exportB,
      "--release",
      "--yes",
    ]);
    expect(code).toBe(0);
    const released = [...ids.orphan, ...ids.halfmade];
    expect(out).toContain(`Released 3 desktop(s) in ${REGION}: ${released.join(", ")}`);
    clock.advance(60_000);
    expect(live().sort()).toEqual(before.filter((id) => !released.includes(id)).sort());
    expect(emu.calls.entries("DeleteDesktops")).toHaveLength(1);
  });

  it("refuses without confirmation: no terminal, or the wrong count typed", async () => {
    const before = live();
    const piped = await run(["--stack-export", exportA, "--stack-export", exportB, "--release"]);
    expect(piped.code).toBe(1);
    expect(piped.err).toContain(
      "refusing to release 3 desktop(s) without confirmation: run it in a terminal and type the count, or pass --yes",
    );
    const wrong = await run(["--stack-export", exportA, "--stack-export", exportB, "--release"], {
      tty: true,
      input: "yes\n",
    });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain("Type 3 to confirm:");
    expect(wrong.err).toContain("Not confirmed: nothing was released.");
    const closed = await run(["--stack-export", exportA, "--stack-export", exportB, "--release"], {
      tty: true,
    });
    expect(closed.code).toBe(1);
    expect(emu.calls.entries("DeleteDesktops")).toHaveLength(0);
    expect(live()).toEqual(before);
  });

  it("releases after the count is typed", async () => {
    const { code } = await run(["--stack-export", exportA, "--stack-export", exportB, "--release"], {
      tty: true,
      input: "3\n",
    });
    expect(code).toBe(0);
    expect(emu.calls.entries("DeleteDesktops")).toHaveLength(1);
  });

  it("keeps a desktop marked creating that is younger than an hour: a pulumi up may be creating it", async () => {
    clock.set(Date.now());
    await create("fresh", LOST, { tags: [{ key: "pulumi-ecd:creating", value: "1" }] });
    clock.advance(60_000);
    const { out } = await run(["--stack-export", exportA, "--stack-export", exportB, "--release", "--yes"]);
    expect(out).toMatch(
      new RegExp(
        `not released: ${ids.fresh[0]}: still marked pulumi-ecd:creating and created less than an hour ago`,
      ),
    );
    expect(live()).toContain(ids.fresh[0]);
  });

  it("describes and releases in calls of 100", async () => {
    await create("many", LOST, {}, 250);
    clock.advance(60_000);
    emu.calls.reset();
    const { code, out } = await run([
      "--stack-export",
      exportA,
      "--stack-export",
      exportB,
      "--release",
      "--yes",
    ]);
    expect(code).toBe(0);
    expect(out).toContain("Released 253 desktop(s)");
    expect(emu.calls.counts()).toMatchObject({ DescribeDesktops: 3, DeleteDesktops: 3 });
    expect(emu.calls.counts().ListTagResources).toBeUndefined();
  });

  it("says what is wrong with the command line or the exports", async () => {
    expect(await run([])).toMatchObject({
      code: 2,
      err: expect.stringContaining("give --stack-export FILE (once per stack) or --all"),
    });
    expect(await run(["--all", "--yes"])).toMatchObject({
      code: 2,
      err: expect.stringContaining("--yes only goes with --release or --disown"),
    });
    expect(await run(["--stack-export", join(dir, "missing.json")])).toMatchObject({
      code: 2,
      err: expect.stringContaining("missing.json does not exist"),
    });
    writeFileSync(join(dir, "bad.json"), "{}");
    expect(await run(["--stack-export", join(dir, "bad.json")])).toMatchObject({
      code: 2,
      err: expect.stringContaining(
        "bad.json has no deployment.resources: give the output of pulumi stack export",
      ),
    });
    expect(await run(["--help"])).toMatchObject({
      code: 0,
      out: expect.stringContaining("Usage: pulumi-ecd sweep"),
    });
  });
});
