/**
 * The YAML, Python and Go examples (examples/yaml, examples/python, examples/go) through the real Pulumi CLI and
 * the `ecd` resource plugin, against the emulator: one life of a batch, step by step, each step checked in the
 * emulator's own state and followed by an empty plan. The plugin gets its credentials from the stack's secret
 * config and the desktops an `owner` tag from a secret: neither may show in plain text in a state or in anything
 * the CLI printed.
 */
import * as path from "path";
import { startEmulator, type RunningEmulator, type WireDesktop } from "../../emulator";
import { REPO_ROOT } from "../../scripts/lib/pulumiCli";
import { E2E_DURATIONS, findCliOrSkip } from "./cli";
import { findPluginOrSkip } from "./languages/plugin";
import { Language, LanguageProgram, REGION, runnableLanguages } from "./languages/program";

const cliDir = findCliOrSkip();
const pluginDir = cliDir ? findPluginOrSkip() : undefined;
const languages = cliDir && pluginDir ? runnableLanguages(cliDir) : [];
const describeEach =
  languages.length > 0 ? describe.each(languages) : describe.skip.each<Language>(["yaml", "python", "go"]);

jest.setTimeout(300_000);

const ids = (desktops: WireDesktop[]): string[] => desktops.map((d) => d.DesktopId).sort();
const tag = (desktop: WireDesktop, key: string) => desktop.Tags?.find((t) => t.Key === key)?.Value;

describeEach("a %s program on the ecd plugin", (language) => {
  const owner = `owner-${language}-5f3a9c`;
  let emu: RunningEmulator;
  let program: LanguageProgram;
  let secrets: string[];

  beforeAll(async () => {
    emu = await startEmulator({ durations: E2E_DURATIONS });
    program = new LanguageProgram(language, { cliDir: cliDir!, pluginDir: pluginDir!, emu });
    secrets = [owner, emu.credentials[0].accessKeySecret];
    await program.init();
    program.setConfig("owner", owner, { secret: true });
  });
  afterAll(async () => {
    program?.dispose();
    await emu?.close();
  });

  /** Runs a step; a failure carries what every run printed. */
  async function step(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      (error as Error).message += `\n\nTranscript:\n${program.describe()}`;
      throw error;
    }
  }

  const live = (): WireDesktop[] =>
    emu.backend.describeDesktops(REGION).filter((d) => d.DesktopStatus !== "Deleted");

  /**
   * The emulator holds exactly the stack's `amount` desktops, Running, named `<name>-…` (each name once) and
   * tagged; the stack's outputs list them; the state holds no secret in plain text; nothing is left to change.
   */
  async function expectBatch(amount: number, name: string): Promise<string[]> {
    const desktops = live();
    expect(desktops).toHaveLength(amount);
    expect(desktops.filter((d) => d.DesktopStatus !== "Running")).toEqual([]);
    const names = desktops.map((d) => d.DesktopName ?? "");
    expect(names.filter((n) => !n.startsWith(`${name}-`))).toEqual([]);
    expect(new Set(names).size).toBe(amount);
    expect(desktops.map((d) => [tag(d, "team"), tag(d, "owner")])).toEqual(
      desktops.map(() => [language, owner]),
    );
    expect([...(await program.outputs()).desktopIds].sort()).toEqual(ids(desktops));
    expectNoSecretIn(await program.exportState());
    await program.preview({ expectNoChanges: true });
    return ids(desktops);
  }

  function expectNoSecretIn(text: string): void {
    for (const secret of secrets)
      expect(text.includes(secret) ? `plain text ${secret}` : "none").toBe("none");
  }

  const successfulCreates = () =>
    emu.calls.entries("CreateDesktops").filter((c) => c.httpStatus === 200).length;

  it("preview plans the batch without creating anything; up makes 2 desktops; refresh finds nothing to change", () =>
    step(async () => {
      const planned = await program.plannedSteps();
      expect(planned.filter((s) => s.urn.includes("ecd:index:DesktopBatch")).map((s) => s.op)).toEqual([
        "create",
      ]);
      expect(emu.calls.entries("CreateDesktops")).toEqual([]);

      await program.up();
      await expectBatch(2, "team");
      await program.refresh({ expectNoChanges: true });
      expect(successfulCreates()).toBe(1);
    }));

  it("scales up to 3 and back down to 2, keeping the desktops it had", () =>
    step(async () => {
      const first = ids(live());
      program.setConfig("amount", "3");
      await program.up();
      const three = await expectBatch(3, "team");
      expect(three.filter((id) => first.includes(id))).toEqual(first);

      program.setConfig("amount", "2");
      await program.up();
      const two = await expectBatch(2, "team");
      expect(two.filter((id) => three.includes(id))).toEqual(two);
      expect(successfulCreates()).toBe(2);
    }));

  it("renames the desktops in place", () =>
    step(async () => {
      const before = ids(live());
      program.setConfig("desktopName", "crew");
      await program.up();
      expect(await expectBatch(2, "crew")).toEqual(before);
    }));

  it("a new office site replaces the batch, and the plan names officeSiteId as the property that forces it", () =>
    step(async () => {
      const before = ids(live());
      const deletes = emu.calls.entries("DeleteDesktops").length;
      program.setConfig("officeSiteId", "cn-hangzhou+dir-0000000002");
      const planned = (await program.plannedSteps()).filter((s) => s.urn.includes("ecd:index:DesktopBatch"));
      const replacing = planned.filter((s) => (s.replaceReasons ?? []).length > 0);
      expect(replacing.map((s) => s.replaceReasons)).toEqual(replacing.map(() => ["officeSiteId"]));
      expect(replacing.length).toBeGreaterThan(0);
      const kinds = replacing.map((s) => s.detailedDiff?.officeSiteId);
      expect(kinds.map((k) => k?.kind ?? k?.diffKind)).toEqual(replacing.map(() => "update-replace"));
      expect(emu.calls.entries("DeleteDesktops")).toHaveLength(deletes);

      await program.up();
      const after = await expectBatch(2, "crew");
      expect(after.filter((id) => before.includes(id))).toEqual([]);
      expect(successfulCreates()).toBe(3);
    }));

  it("pulumi import brings the batch back under management after the state forgot it; the plan is then empty", () =>
    step(async () => {
      const before = ids(live());
      const { batchId } = await program.outputs();
      await program.forget(await program.batchUrn());
      expect(ids(live())).toEqual(before);

      await program.importBatch(batchId);
      await program.preview({ expectNoChanges: true });
      expect((await program.outputs()).batchId ?? batchId).toBe(batchId);
      expect(ids(live())).toEqual(before);
      // An import cannot know which values the program marks secret (the owner tag): they are in plain text in
      // the state until the program's next up marks the inputs and a refresh the outputs (docs/languages.md).
      await program.up();
      await program.refresh();
      expect(await expectBatch(2, "crew")).toEqual(before);
      expect(successfulCreates()).toBe(3);
    }));

  it("destroy releases every desktop; no run ever printed a secret", () =>
    step(async () => {
      await program.destroy();
      expect(live()).toEqual([]);
      expectNoSecretIn(await program.exportState());
      expectNoSecretIn(program.allOutput());
      expect(successfulCreates()).toBe(3);
    }));
});

describe.each(languages.includes("yaml") ? ["yaml"] : [])(
  "a %s program that leaves policyGroupId unset",
  () => {
    let emu: RunningEmulator;
    let program: LanguageProgram;
    beforeAll(async () => {
      emu = await startEmulator({ durations: E2E_DURATIONS });
      program = new LanguageProgram("yaml", {
        cliDir: cliDir!,
        pluginDir: pluginDir!,
        emu,
        programSource: path.join(REPO_ROOT, "test", "e2e", "programs", "yaml-default-policy"),
      });
      await program.init();
    });
    afterAll(async () => {
      program?.dispose();
      await emu?.close();
    });

    // The imported inputs carry the policy ECD assigned by default (system-all-enabled-policy), which the program
    // does not name: leaving policyGroupId unset changes nothing on the desktops, so the preview is empty.
    it("is imported with an empty preview right after", async () => {
      await program.up();
      const { batchId } = await program.outputs();
      await program.forget(await program.batchUrn());
      await program.importBatch(batchId);
      await program.preview({ expectNoChanges: true });
    });
  },
);
