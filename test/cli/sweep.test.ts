/** `pulumi-ecd sweep` against the emulator: what it lists, what it releases, and when it refuses. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { PassThrough, Readable } from "node:stream";
import { BATCH_TYPES } from "../../cli/prSummary/recognise";
import { sweepCommand } from "../../cli/sweep";
import { DesktopBatch } from "../../sdk/desktopBatch";
import { EcdClient } from "../../provider/ecd/client";
import { ManualClock, startEmulator, RunningEmulator } from "../../emulator";
import { EcdServiceError } from "../../emulator/errors";

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

  /** The serialized provider the SDK records in every dynamic batch's inputs and outputs (abridged). */
  const PROVIDER =
    'exports.handler = __f0;\nfunction __f0() { return require("pulumi-ecd/provider").desktopBatchProvider(); }';

  /** The shape of a `pulumi stack export`, around the given resources. */
  const writeExport = (file: string, resources: object[], extra: object = {}) => {
    const path = join(dir, file);
    const stack = {
      urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev",
      custom: false,
      type: "pulumi:pulumi:Stack",
    };
    writeFileSync(
      path,
      JSON.stringify({
        version: 3,
        deployment: {
          manifest: { time: "2026-01-01T00:00:00Z", magic: "x", version: "v3.274.1" },
          resources: [stack, ...resources],
          ...extra,
        },
      }),
    );
    return path;
  };

  /** A DesktopBatch as a stack export records it: by default as the SDK registers it. */
  const batchResource = (
    instance: string,
    desktopIds: unknown,
    type = "pulumi-nodejs:dynamic/ecd:DesktopBatch",
  ) => ({
    urn: `urn:pulumi:dev::p::${type}::batch`,
    custom: true,
    id: `ecd-batch-${instance}`,
    type,
    inputs: { __provider: PROVIDER, officeSiteId: SITE },
    outputs: { __provider: PROVIDER, regionId: REGION, officeSiteId: SITE, desktopIds, amount: 1 },
  });

  const stackExport = (file: string, instance: string, desktopIds: string[]) =>
    writeExport(file, [batchResource(instance, desktopIds)]);

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

  it.each([
    ["the SDK's type", "pulumi-nodejs:dynamic/ecd:DesktopBatch"],
    ["a dynamic resource's generic type, with pulumi-ecd's provider", "pulumi-nodejs:dynamic:Resource"],
    ["the resource plugin's token", "ecd:index:DesktopBatch"],
  ])("never lists or releases a desktop of a batch recorded with %s (%s)", async (_, type) => {
    const before = live();
    const exportTyped = writeExport("typed.json", [batchResource(A, ids.stackA, type)]);
    const { code, out } = await run([
      "--stack-export",
      exportTyped,
      "--stack-export",
      exportB,
      "--release",
      "--yes",
    ]);
    expect(code).toBe(0);
    expect(out).toContain("(2 batch(es))");
    expect((out.match(/^ecd-\S+/gm) ?? []).sort()).toEqual(untracked().sort());
    clock.advance(60_000);
    expect(live()).toEqual(expect.arrayContaining([...ids.stackA, ...ids.stackAlost, ...ids.stackB]));
    expect(live().length).toBe(before.length - 3);
  });

  it("tracks a batch by its ID when its desktopIds are secret, and a batch an unfinished update holds", async () => {
    const secret = {
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      ciphertext: "x",
    };
    const exportSecret = writeExport("secret.json", [batchResource(A, secret)]);
    const pending = writeExport("pending.json", [], {
      pending_operations: [{ resource: batchResource(B, ids.stackB), type: "updating" }],
    });
    const { out } = await run(["--stack-export", exportSecret, "--stack-export", pending]);
    expect((out.match(/^ecd-\S+/gm) ?? []).sort()).toEqual(untracked().sort());
  });

  it("refuses to run when an export holds no batch while desktops of live batches exist", async () => {
    const empty = writeExport("empty.json", []);
    // A stack that was never updated: its export has no resources at all.
    const fresh = join(dir, "fresh.json");
    writeFileSync(
      fresh,
      JSON.stringify({ version: 3, deployment: { manifest: { time: "t", magic: "", version: "" } } }),
    );
    for (const file of [empty, fresh]) {
      for (const mode of [[], ["--release", "--yes"], ["--disown", "--yes"]]) {
        const { code, out, err } = await run(["--stack-export", file, "--stack-export", exportB, ...mode]);
        expect({ code, out }).toEqual({ code: 1, out: "" });
        expect(err).toContain(
          `${file} holds no DesktopBatch, yet 7 desktop(s) of 2 batch(es) that no export tracks look alive (committed, or held by a running create)`,
        );
      }
    }
    expect(emu.calls.counts()).toEqual({ DescribeDesktops: 6 });
  });

  it("runs with an export that holds no batch when every untracked batch is a create whose hold lapsed", async () => {
    await client.tagResources(untracked(), [
      { key: "pulumi-ecd:creating", value: String(Date.now() - 1_000) },
    ]);
    const empty = writeExport("destroyed.json", []);
    const { code, out } = await run([
      "--stack-export",
      empty,
      "--stack-export",
      exportA,
      "--stack-export",
      exportB,
    ]);
    expect(code).toBe(0);
    expect((out.match(/^ecd-\S+/gm) ?? []).sort()).toEqual(untracked().sort());
    expect(out).toContain("Run again with --release to release 3 of them.");
  });

  /** Batch "renewed": a running create renews its hold on the first desktop; the second one's mark lapsed. */
  const heldOnItsFirstDesktop = async (now: number) => {
    await create("renewed", "dddddddddddddddd-444444444444", {}, 2);
    await client.tagResources(
      [ids.renewed[0]],
      [{ key: "pulumi-ecd:creating", value: String(now + 4 * 60_000) }],
    );
    await client.tagResources(
      [ids.renewed[1]],
      [{ key: "pulumi-ecd:creating", value: String(now - 60_000) }],
    );
  };

  it("releases what an interrupted create left once its hold lapsed; keeps a batch whose hold is renewed", async () => {
    const now = Date.now();
    // A running create renews its hold on one desktop of the batch only.
    await heldOnItsFirstDesktop(now);
    // Killed two minutes ago, its five-minute hold ran out a second ago: nobody renews it any more.
    await create("lapsed", "eeeeeeeeeeeeeeee-555555555555", {
      tags: [{ key: "pulumi-ecd:creating", value: String(now - 1_000) }],
    });
    clock.advance(60_000);
    const { out } = await run(["--stack-export", exportA, "--stack-export", exportB, "--release", "--yes"]);
    for (const id of ids.renewed) {
      expect(out).toMatch(
        new RegExp(
          `not released: ${id}: a pulumi up holds its batch until \\S+ \\(pulumi-ecd:creating\\): it may be creating it right now`,
        ),
      );
    }
    expect(out).toContain(
      `Released 4 desktop(s) in ${REGION}: ${[...ids.orphan, ...ids.halfmade, ...ids.lapsed].join(", ")}`,
    );
    clock.advance(60_000);
    expect(live()).toEqual(expect.arrayContaining(ids.renewed));
    expect(live()).not.toContain(ids.lapsed[0]);
  });

  /** A desktop made in the console that a create (killed since, its hold lapsed) had adopted and renamed. */
  const adoptedByKilledCreate = async (instance: string) => {
    const [desktopId] = await create("finance-01", undefined);
    await client.tagResources(
      [desktopId],
      [
        { key: BATCH, value: instance },
        { key: "pulumi-ecd:lineage", value: "lineage-adopter" },
        { key: "pulumi-ecd:creating", value: String(Date.now() - 1_000) },
        { key: "pulumi-ecd:adopted", value: "finance-01" },
        { key: `pulumi-ecd:claim:${instance}`, value: String(Date.now() - 60_000) },
      ],
    );
    await client.modifyDesktopName(desktopId, "web");
    // The desktops that create made itself, beside it.
    await create("web", instance, {
      tags: [{ key: "pulumi-ecd:creating", value: String(Date.now() - 1_000) }],
    });
    return desktopId;
  };

  it("never releases a desktop an interrupted create had adopted: Pulumi did not make it", async () => {
    const adopted = await adoptedByKilledCreate("9999999999999999-777777777777");
    clock.advance(60_000);
    const { out } = await run(["--stack-export", exportA, "--stack-export", exportB, "--release", "--yes"]);
    expect(out).toMatch(
      new RegExp(
        `not released: ${adopted}: adopted \\(pulumi-ecd:adopted\\) by a create that did not finish`,
      ),
    );
    expect(out).toContain("--disown");
    expect(out).toContain(
      `Released 4 desktop(s) in ${REGION}: ${[...ids.orphan, ...ids.halfmade, ...ids.web].join(", ")}`,
    );
    clock.advance(60_000);
    expect(live()).toContain(adopted);
    expect(live()).not.toContain(ids.web[0]);
  });

  it("--disown gives an adopted desktop back: its own name, and no pulumi-ecd tag (claims included)", async () => {
    const adopted = await adoptedByKilledCreate("9999999999999999-777777777777");
    const { code, out } = await run([
      "--stack-export",
      exportA,
      "--stack-export",
      exportB,
      "--disown",
      "--yes",
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(
      new RegExp(`Disowned 6 desktop\\(s\\) in ${REGION}: .*${adopted} \\("finance-01"\\)`),
    );
    expect(out).not.toContain("not released");
    const [desktop] = await client.describeAllDesktops({ desktopIds: [adopted] });
    expect(desktop.desktopName).toBe("finance-01");
    expect((desktop.tags ?? []).filter((t) => t.key.startsWith("pulumi-ecd:"))).toEqual([]);
    expect(desktop.tags).toContainEqual({ key: "team", value: "not-ours" });
    const [made] = await client.describeAllDesktops({ desktopIds: ids.web });
    expect(made.desktopName).toBe("web");
    expect((made.tags ?? []).filter((t) => t.key.startsWith("pulumi-ecd:"))).toEqual([]);
  });

  it("says a desktop a running create is adopting right now is held, not that --disown would give it back", async () => {
    const adopted = await adoptedByKilledCreate("9999999999999999-777777777777");
    // That create is alive after all: it renewed its hold on the desktop it made.
    await client.tagResources(ids.web, [
      { key: "pulumi-ecd:creating", value: String(Date.now() + 4 * 60_000) },
    ]);
    const { code, out } = await run(["--desktop", adopted, "--disown", "--yes", "--region", REGION]);
    expect(code).toBe(0);
    expect(out).toMatch(
      new RegExp(
        `not disowned: ${adopted}: a pulumi up holds its batch until \\S+ \\(pulumi-ecd:creating\\)`,
      ),
    );
    expect(out).toContain("Nothing to disown.");
    expect(emu.calls.entries("UntagResources")).toHaveLength(0);
  });

  it("a --disown stopped between its UntagResources calls (more than 20 keys) leaves the owner tag for the rerun", async () => {
    // Killed adopters left claims: 2 desktops with 15 claim keys each, 30 distinct keys besides the batch's own.
    const claims = (from: number) =>
      Array.from({ length: 15 }, (_, i) => ({
        key: `pulumi-ecd:claim:${String(from + i).padStart(16, "0")}`,
        value: "1",
      }));
    await client.tagResources([ids.orphan[0]], claims(0));
    await client.tagResources([ids.orphan[1]], claims(100));
    const backend = emu.backend;
    const untag = backend.untagResources.bind(backend);
    let calls = 0;
    backend.untagResources = (region, request) => {
      if (++calls === 2) throw new EcdServiceError("Forbidden.RAM", "not now", 403);
      return untag(region, request);
    };
    const args = [
      "--desktop",
      ids.orphan[0],
      "--desktop",
      ids.orphan[1],
      "--disown",
      "--yes",
      "--region",
      REGION,
    ];
    try {
      const stopped = await run(args);
      expect(stopped.code).toBe(1);
      expect(stopped.err).toContain(`not disowned: 2 desktop(s) in ${REGION}`);
    } finally {
      backend.untagResources = untag;
    }
    const half = await client.describeAllDesktops({ desktopIds: ids.orphan });
    for (const desktop of half) expect(desktop.tags).toContainEqual({ key: BATCH, value: LOST });
    const again = await run(args);
    expect(again.code).toBe(0);
    expect(again.out).toContain(`Disowned 2 desktop(s) in ${REGION}`);
    for (const desktop of await client.describeAllDesktops({ desktopIds: ids.orphan }))
      expect((desktop.tags ?? []).filter((t) => t.key.startsWith("pulumi-ecd:"))).toEqual([]);
  });

  it("--desktop without exports disowns only the named desktop (a forgotten batch's, for adoption), never releases", async () => {
    const region = ["--region", REGION];
    const [named] = ids.stackA;
    const { code, out } = await run([
      "--desktop",
      named,
      "--desktop",
      "ecd-nosuchdesktop",
      "--disown",
      "--yes",
      ...region,
    ]);
    expect(code).toBe(0);
    expect(out).toContain(`1 pulumi-ecd desktop(s) of the 2 named, in ${REGION}.`);
    expect(out).toContain("not listed: ecd-nosuchdesktop: not a pulumi-ecd desktop");
    expect(out).toContain(`Disowned 1 desktop(s) in ${REGION}: ${named};`);
    const after = await client.describeAllDesktops({ desktopIds: [...ids.stackA, ...ids.orphan] });
    const owned = after.filter((d) => d.tags?.some((t) => t.key === BATCH)).map((d) => d.desktopId);
    expect(owned.sort()).toEqual([ids.stackA[1], ...ids.orphan].sort());
    const release = await run(["--desktop", named, "--release", "--yes", ...region]);
    expect(release.code).toBe(2);
    expect(release.err).toContain("--desktop without --stack-export goes with --disown only");
  });

  it("--desktop narrows what is listed, not the hold: a desktop whose own mark lapsed stays with a batch a running create holds", async () => {
    const now = Date.now();
    // A running create renews its hold on its first desktop only; the second one's mark lapsed long ago.
    await heldOnItsFirstDesktop(now);
    clock.advance(60_000);
    const exports = ["--stack-export", exportA, "--stack-export", exportB];
    const released = await run([...exports, "--desktop", ids.renewed[1], "--release", "--yes"]);
    expect(released.out).toMatch(
      new RegExp(
        `not released: ${ids.renewed[1]}: a pulumi up holds its batch until \\S+ \\(pulumi-ecd:creating\\)`,
      ),
    );
    const disowned = await run(["--desktop", ids.renewed[1], "--disown", "--yes", "--region", REGION]);
    expect(disowned.out).toMatch(
      new RegExp(
        `not disowned: ${ids.renewed[1]}: a pulumi up holds its batch until \\S+ \\(pulumi-ecd:creating\\)`,
      ),
    );
    expect(emu.calls.entries("DeleteDesktops")).toHaveLength(0);
    expect(emu.calls.entries("UntagResources")).toHaveLength(0);
    clock.advance(60_000);
    expect(live()).toEqual(expect.arrayContaining(ids.renewed));
  });

  it("finds every desktop when ECD's tag filter by key alone matches no value", async () => {
    const backend = emu.backend;
    const original = backend.describeDesktopsPage.bind(backend);
    const seen: object[] = [];
    backend.describeDesktopsPage = (region, request) => {
      seen.push(request.Tag ?? []);
      return request.Tag?.some((tag) => tag.Value === undefined)
        ? { Desktops: [], TotalCount: 0 }
        : original(region, request);
    };
    try {
      const { out } = await run(["--stack-export", exportA, "--stack-export", exportB]);
      expect((out.match(/^ecd-\S+/gm) ?? []).sort()).toEqual(untracked().sort());
      expect(seen).toEqual([[]]);
    } finally {
      backend.describeDesktopsPage = original;
    }
  });

  it("recognises the type the SDK registers a batch with", () => {
    expect(BATCH_TYPES.has(DesktopBatch.__pulumiType)).toBe(true);
  });

  it("ends quietly when the reader stops early (pulumi-ecd sweep ... | head -n 1)", async () => {
    // More than a pipe holds, so that most of the list is written after head has gone.
    for (let i = 0; i < 4; i++) await create(`many${i}`, LOST, {}, 250);
    clock.advance(60_000);
    const root = join(__dirname, "..", "..");
    const tsx = join(root, "node_modules", ".bin", "tsx");
    const child = spawn(
      "bash",
      [
        "-c",
        `"${tsx}" cli/main.ts sweep --all --region ${REGION} | head -n 1; echo "sweep exited \${PIPESTATUS[0]}" >&2`,
      ],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          PATH: process.env.PATH,
          ALIBABA_CLOUD_ACCESS_KEY_ID: emu.credentials[0].accessKeyId,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: emu.credentials[0].accessKeySecret,
          ALIBABA_CLOUD_ECD_ENDPOINT: emu.url,
        },
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += String(chunk)));
    child.stderr.on("data", (chunk) => (err += String(chunk)));
    await new Promise((resolve) => child.on("close", resolve));
    expect(out).toBe(`1008 pulumi-ecd desktop(s), in ${REGION}.\n`);
    expect(err).not.toMatch(/EPIPE|Error/);
    expect(err).toMatch(/sweep exited 0\n$/);
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
    // Listed once to show, once more just before releasing (what was confirmed may have changed meanwhile).
    expect(emu.calls.counts()).toMatchObject({ DescribeDesktops: 6, DeleteDesktops: 3 });
    expect(emu.calls.counts().ListTagResources).toBeUndefined();
  });

  it("says what is wrong with the command line or the exports", async () => {
    expect(await run([])).toMatchObject({
      code: 2,
      err: expect.stringContaining("give --stack-export FILE (once per stack), --all or --desktop ID"),
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
      err: expect.stringContaining("bad.json has no deployment: give the output of pulumi stack export"),
    });
    expect(await run(["--help"])).toMatchObject({
      code: 0,
      out: expect.stringContaining("Usage: pulumi-ecd sweep"),
    });
  });
  it("--all only lists: it refuses --release and --disown, since it counts no stack's desktops as tracked", async () => {
    const before = live();
    for (const mode of ["--release", "--disown"]) {
      expect(await run(["--all", "--region", REGION, mode, "--yes"])).toMatchObject({
        code: 2,
        err: expect.stringContaining(`--all only lists: ${mode} needs the export of every stack`),
      });
    }
    expect(emu.calls.counts()).toEqual({});
    expect(live()).toEqual(before);
  });

  it("keeps a committed desktop whose lineage a given batch has: the export may predate that batch's replacement", async () => {
    // Stack A was replaced after its export was taken: the new instance carries A's lineage.
    const before = ids.stackA;
    const replaced = await create("stackA", "ffffffffffffffff-666666666666");
    ids.stackA = before;
    const stale = writeExport("stale.json", [
      {
        ...batchResource(A, ids.stackA),
        inputs: { __provider: PROVIDER, officeSiteId: SITE, lineage: "lineage-stackA" },
      },
    ]);
    const { code, out } = await run([
      "--stack-export",
      stale,
      "--stack-export",
      exportB,
      "--release",
      "--yes",
    ]);
    expect(code).toBe(0);
    expect(out).toContain(
      `not released: ${replaced[0]}: committed, with the lineage (pulumi-ecd:lineage) of a batch an export tracks: ` +
        "that export may be older than the batch's last replacement; export that stack again",
    );
    expect(out).toContain(
      `Released 3 desktop(s) in ${REGION}: ${[...ids.orphan, ...ids.halfmade].join(", ")}`,
    );
    clock.advance(60_000);
    expect(live()).toContain(replaced[0]);
  });

  it("does not disown a committed desktop whose lineage a given batch has: it may be the batch's own", async () => {
    const before = ids.stackA;
    const replaced = await create("stackA", "ffffffffffffffff-666666666666");
    ids.stackA = before;
    const stale = writeExport("stale.json", [
      {
        ...batchResource(A, ids.stackA),
        inputs: { __provider: PROVIDER, officeSiteId: SITE, lineage: "lineage-stackA" },
      },
    ]);
    const { code } = await run(["--stack-export", stale, "--stack-export", exportB, "--disown", "--yes"]);
    expect(code).toBe(0);
    const [desktop] = await client.describeAllDesktops({ desktopIds: replaced });
    expect(desktop.tags).toContainEqual({ key: BATCH, value: "ffffffffffffffff-666666666666" });
  });

  it("looks again after the count is typed, and leaves alone a batch a pulumi up took hold of meanwhile", async () => {
    const stdout = new PassThrough();
    const stdin = new PassThrough();
    let out = "";
    let err = "";
    const asked = new Promise<void>((resolve) =>
      stdout.on("data", (chunk) => {
        out += String(chunk);
        if (out.includes("Type 3 to confirm")) resolve();
      }),
    );
    const stderr = new PassThrough().on("data", (chunk) => (err += String(chunk)));
    const running = sweepCommand(["--stack-export", exportA, "--stack-export", exportB, "--release"], {
      stdout,
      stderr,
      stdin,
      isTTY: true,
      env: {
        ALIBABA_CLOUD_ACCESS_KEY_ID: emu.credentials[0].accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: emu.credentials[0].accessKeySecret,
        ALIBABA_CLOUD_ECD_ENDPOINT: emu.url,
      },
    });
    await asked;
    // While the user reads the list, a pulumi up takes over the interrupted create's batch and holds it.
    await client.tagResources(
      [ids.halfmade[0]],
      [{ key: "pulumi-ecd:creating", value: String(Date.now() + 5 * 60_000) }],
    );
    stdin.end("3\n");
    expect(await running).toBe(1);
    for (const id of [...ids.orphan, ...ids.halfmade]) {
      expect(err).toMatch(
        new RegExp(`not released: ${id}: since it was listed, a pulumi up holds its batch until`),
      );
    }
    expect(emu.calls.entries("DeleteDesktops")).toHaveLength(0);
    clock.advance(60_000);
    expect(live()).toEqual(expect.arrayContaining(untracked()));
  });
  it("keeps, and does not stumble on, a batch whose creating mark was edited by hand to a time past year 275760", async () => {
    await client.tagResources([ids.orphan[0]], [{ key: "pulumi-ecd:creating", value: "9000000000000000" }]);
    const { code, out, err } = await run([
      "--stack-export",
      exportA,
      "--stack-export",
      exportB,
      "--release",
      "--yes",
    ]);
    expect(err).not.toContain("Invalid time value");
    expect(code).toBe(0);
    for (const id of [...ids.orphan, ...ids.halfmade]) {
      expect(out).toContain(
        `not released: ${id}: a pulumi up holds its batch until 9000000000000000 (epoch ms, pulumi-ecd:creating)`,
      );
    }
    expect(emu.calls.entries("DeleteDesktops")).toHaveLength(0);
  });
  it("counts a release whose answer was lost as done, once ECD shows the desktops being deleted", async () => {
    // The first DeleteDesktops is applied but its answer never arrives; the retry meets desktops already Deleted.
    emu.faults.script({ action: "DeleteDesktops", kind: "responseLost", times: 1 });
    const { code, out, err } = await run([
      "--stack-export",
      exportA,
      "--stack-export",
      exportB,
      "--release",
      "--yes",
    ]);
    expect(err).not.toContain("IncorrectDesktopStatus");
    expect(code).toBe(0);
    expect(out).toContain(
      `Released 3 desktop(s) in ${REGION}: ${[...ids.orphan, ...ids.halfmade].join(", ")}`,
    );
  });
  it("reads an export saved with a byte-order mark, or as UTF-16 by Windows PowerShell's >", async () => {
    const json = JSON.stringify({ version: 3, deployment: { resources: [batchResource(A, ids.stackA)] } });
    writeFileSync(join(dir, "bom.json"), `\uFEFF${json}`);
    writeFileSync(join(dir, "utf16.json"), Buffer.from(`\uFEFF${json}`, "utf16le"));
    for (const file of ["bom.json", "utf16.json"]) {
      const { code, out } = await run(["--stack-export", join(dir, file), "--stack-export", exportB]);
      expect(code).toBe(0);
      expect((out.match(/^ecd-\S+/gm) ?? []).sort()).toEqual(untracked().sort());
    }
  });
});
