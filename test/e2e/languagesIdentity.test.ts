/**
 * The identity guarantees of test/e2e/identity.test.ts, held through the `ecd` resource plugin for a YAML program
 * (examples/yaml): a replacement forced from the command line, the same stack in two backends, and a CLI killed
 * (SIGKILL, with its language host and the plugin) in the middle of a create. Every check is made in the
 * emulator's own state.
 */
import { startEmulator, type RunningEmulator, type WireDesktop } from "../../emulator";
import { CREATING_TAG } from "../../provider/desktopBatch/identity";
import { E2E_DURATIONS, findCliOrSkip } from "./cli";
import { isAlive, nextArrival, until } from "./fleet";
import { findPluginOrSkip } from "./languages/plugin";
import { LanguageProgram, REGION, runnableLanguages } from "./languages/program";

const cliDir = findCliOrSkip();
const pluginDir = cliDir ? findPluginOrSkip() : undefined;
const describeE2E =
  cliDir && pluginDir && runnableLanguages(cliDir).includes("yaml") ? describe : describe.skip;

/** A rerun takes over what a killed create left once this hold has lapsed (300 s by default). */
const HOLD = { PULUMI_ECD_CREATE_HOLD_SECONDS: "3" };

jest.setTimeout(240_000);

const ids = (desktops: WireDesktop[]): string[] => desktops.map((d) => d.DesktopId).sort();
const live = (emu: RunningEmulator): WireDesktop[] =>
  emu.backend.describeDesktops(REGION).filter((d) => d.DesktopStatus !== "Deleted");

/** What must not change on a desktop that nothing should touch. */
function fingerprint(desktops: WireDesktop[]) {
  return desktops
    .map((d) => ({
      id: d.DesktopId,
      name: d.DesktopName,
      status: d.DesktopStatus,
      tags: [...(d.Tags ?? [])].sort((a, b) => a.Key.localeCompare(b.Key)),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The YAML example with 3 desktops, in a backend of its own. */
async function yamlStack(emu: RunningEmulator, env: Record<string, string> = {}): Promise<LanguageProgram> {
  const program = new LanguageProgram("yaml", { cliDir: cliDir!, pluginDir: pluginDir!, emu, env });
  await program.init();
  program.setConfig("amount", "3");
  return program;
}

/** Runs a test body; a failure carries what every CLI run printed. */
async function narrated(programs: Record<string, LanguageProgram>, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const transcript = Object.entries(programs)
      .map(([name, program]) => `##### ${name}\n${program.describe()}`)
      .join("\n\n");
    (error as Error).message += `\n\nCLI transcript:\n${transcript}`;
    throw error;
  }
}

describeE2E("a YAML program on the ecd plugin: pulumi up --replace", () => {
  let emu: RunningEmulator;
  let program: LanguageProgram;
  beforeAll(async () => {
    emu = await startEmulator({ durations: E2E_DURATIONS });
    program = await yamlStack(emu);
  });
  afterAll(async () => {
    program?.dispose();
    await emu?.close();
  });

  it("swaps the 3 desktops for 3 new ones and leaves nothing to change", () =>
    narrated({ program }, async () => {
      await program.up();
      const first = ids(live(emu));
      expect(first).toHaveLength(3);
      await program.cli("up", "--yes", "--skip-preview", "--replace", await program.batchUrn());
      const after = ids(live(emu));
      expect(after).toHaveLength(3);
      expect(after.filter((id) => first.includes(id))).toEqual([]);
      expect([...(await program.outputs()).desktopIds].sort()).toEqual(after);
      await program.preview({ expectNoChanges: true });
      await program.destroy();
      expect(live(emu)).toEqual([]);
    }));
});

describeE2E("a YAML program on the ecd plugin: the same project, stack and names in two backends", () => {
  let emu: RunningEmulator;
  let east: LanguageProgram;
  let west: LanguageProgram;
  beforeAll(async () => {
    emu = await startEmulator({ durations: E2E_DURATIONS });
    [east, west] = await Promise.all([yamlStack(emu), yamlStack(emu)]);
  });
  afterAll(async () => {
    east?.dispose();
    west?.dispose();
    await emu?.close();
  });

  it("each owns its 3 desktops: destroying one leaves the other's untouched", () =>
    narrated({ east, west }, async () => {
      await east.up();
      await west.up();
      const all = live(emu);
      expect(all).toHaveLength(6);
      const eastIds = [...(await east.outputs()).desktopIds].sort();
      const westIds = [...(await west.outputs()).desktopIds].sort();
      expect(eastIds).toHaveLength(3);
      expect(westIds).toHaveLength(3);
      expect([...eastIds, ...westIds].sort()).toEqual(ids(all));
      const westBefore = fingerprint(all.filter((d) => westIds.includes(d.DesktopId)));

      await east.destroy();
      expect(fingerprint(live(emu))).toEqual(westBefore);
      await west.destroy();
      expect(live(emu)).toEqual([]);
    }));
});

describeE2E("a YAML program on the ecd plugin: the CLI killed while CreateDesktops is in flight", () => {
  let emu: RunningEmulator;
  let program: LanguageProgram;
  /** The same program and stack in another backend, with its desktops: must stay intact. */
  let bystander: LanguageProgram;
  let bystanderBefore: ReturnType<typeof fingerprint>;
  beforeAll(async () => {
    emu = await startEmulator({ durations: E2E_DURATIONS });
    [program, bystander] = await Promise.all([yamlStack(emu, HOLD), yamlStack(emu, HOLD)]);
    await bystander.up();
    bystanderBefore = fingerprint(live(emu));
    expect(bystanderBefore).toHaveLength(3);
  });
  afterAll(async () => {
    program?.dispose();
    bystander?.dispose();
    await emu?.close();
  });

  it("the rerun, after the documented recovery, takes over the 3 desktops the killed run made", () =>
    narrated({ program, bystander }, async () => {
      const theirs = bystanderBefore.map((d) => d.id);
      const mine = () => live(emu).filter((d) => !theirs.includes(d.DesktopId));
      emu.faults.set({ latencyMs: 1500, actions: ["CreateDesktops"] });
      const run = await program.start("up", "--yes", "--skip-preview");
      await nextArrival(emu, "CreateDesktops");
      const killed = run.killAll();
      expect((await run.exited).code).toBeNull();
      const commands = killed.map((p) => p.args).join("\n");
      for (const part of [/bin\/pulumi up/, /pulumi-language-yaml/, /pulumi-resource-ecd/])
        expect(commands).toMatch(part);
      await until(() => killed.every((p) => !isAlive(p.pid)), "every killed process to be gone", 5_000);
      // The request had reached ECD: it is carried out although nobody waits for the answer.
      await until(() => mine().length === 3, "the killed run's CreateDesktops to be carried out");
      emu.faults.reset();

      await program.cli("cancel", "--yes");
      await program.cli("refresh", "--yes", "--skip-preview", "--clear-pending-creates");
      await program.up();

      const desktops = mine();
      expect(desktops).toHaveLength(3);
      expect([...(await program.outputs()).desktopIds].sort()).toEqual(ids(desktops));
      expect(desktops.filter((d) => d.DesktopStatus !== "Running")).toEqual([]);
      expect(desktops.filter((d) => d.Tags?.some((t) => t.Key === CREATING_TAG))).toEqual([]);
      expect(fingerprint(live(emu).filter((d) => theirs.includes(d.DesktopId)))).toEqual(bystanderBefore);
      await program.preview({ expectNoChanges: true });

      await program.destroy();
      expect(fingerprint(live(emu))).toEqual(bystanderBefore);
    }));
});
