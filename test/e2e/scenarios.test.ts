/**
 * The real Pulumi CLI against the real emulator, for each example: preview → up → no-change preview and
 * refresh → in-place edits → replace → out-of-band delete → refresh → heal → destroy. Every step is checked
 * in the emulator's state, and the state and CLI output are scanned for leaked secrets.
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { prepareExample, PulumiStack } from "../../scripts/lib/pulumiCli";
import { E2E_DURATIONS, findCliOrSkip } from "./cli";

const cliDir = findCliOrSkip();
const describeE2E = cliDir ? describe : describe.skip;
const REGION = "cn-hangzhou";
const SECRET = "e2e-secret-Zq8vN3kP";
/** How `pulumi stack export` marks a secret value. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE_SIG = "1b47061264138c4ac30d75fd1eb44270";

interface Scenario {
  example: string;
  resource: string;
  amount: number;
  /** Config edits that must all be in-place updates, the resulting diff keys, and the new amount. */
  edits: Record<string, string>;
  editedKeys: string[];
  editedAmount: number;
  replace: Record<string, string>;
  replaceKeys: string[];
  check?: (emu: RunningEmulator) => void;
  secretContent?: string;
}

const scenarios: Scenario[] = [
  {
    example: "quickstart",
    resource: "dev-desktops",
    amount: 3,
    edits: {
      amount: "4",
      desktopName: "dev2",
      policyGroupId: "pg-emu-custom-0001",
      tags: '{"team":"platform","env":"staging"}',
      endUserIds: '["alice","carol"]',
    },
    editedKeys: ["amount", "desktopName", "endUserIds", "policyGroupId", "tags"],
    editedAmount: 4,
    replace: { officeSiteId: "cn-hangzhou+dir-0000000002" },
    replaceKeys: ["officeSiteId"],
  },
  {
    example: "per-user-tags",
    resource: "team-desktops",
    amount: 6,
    edits: {
      perUser: "3",
      desktopName: "crew",
      policyGroupId: "system-all-enabled-policy",
      tags: '{"team":"data","costCenter":"cc-2001"}',
      endUserIds: '["alice","bob","carol","dave"]',
    },
    editedKeys: ["amount", "desktopName", "endUserIds", "policyGroupId", "tags"],
    editedAmount: 12,
    replace: { hostname: "crew-[1,3]" },
    replaceKeys: ["hostname"],
    secretContent: Buffer.from("New-Item -Path C:\\onboarding -ItemType Directory").toString("base64"),
    check: (emu) => {
      const desktops = emu.backend.describeDesktops(REGION);
      const perUser = new Map<string, number>();
      for (const d of desktops) for (const u of d.EndUserIds ?? []) perUser.set(u, (perUser.get(u) ?? 0) + 1);
      expect(Object.fromEntries(perUser)).toEqual({ alice: 3, bob: 3, carol: 3, dave: 3 });
    },
  },
  {
    example: "large-batch",
    resource: "classroom",
    amount: 320,
    edits: {
      amount: "330",
      desktopName: "pupil",
      policyGroupId: "pg-emu-custom-0001",
      tags: '{"course":"cs102"}',
      endUserIds: '["alice"]',
    },
    editedKeys: ["amount", "desktopName", "endUserIds", "policyGroupId", "tags"],
    editedAmount: 330,
    replace: { officeSiteId: "cn-hangzhou+dir-0000000002" },
    replaceKeys: ["officeSiteId"],
  },
];

/** Every text file below a folder (state files, stack config), to scan for leaked secrets. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.parentPath.includes("node_modules"))
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8"));
}

/**
 * What a preview plans for the resource: the step it shows (`update`, or `replace` for the +- line of a
 * replacement) and the keys in `[diff: ...]`.
 */
function planned(output: string, resource: string): { op: string; keys: string[] } | undefined {
  const lines = output
    .split("\n")
    .filter((l) => l.includes(`DesktopBatch ${resource} `) && /\[diff: /.test(l));
  const line = lines.find((l) => / (update|replace) \[diff/.test(l));
  if (!line) return undefined;
  const op = / (update|replace) \[diff/.exec(line)![1];
  // Pulumi groups keys by kind: `[diff: +added~changed,changed2-removed]`.
  const keys = (/\[diff: ([^\]]*)\]/.exec(line)?.[1] ?? "")
    .split(/[,~+-]/)
    .map((k) => k.trim())
    .filter(Boolean);
  return { op, keys: keys.sort() };
}

describeE2E("pulumi CLI end to end against the emulator", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({
      credentials: [{ accessKeyId: "e2e-key", accessKeySecret: SECRET }],
      durations: E2E_DURATIONS,
    });
  });
  afterAll(async () => emu?.close());

  it.each(scenarios.map((s) => [s.example, s] as const))("%s", async (_name, scenario) => {
    emu.reset();
    const transcript: string[] = [];
    const workspace = prepareExample(scenario.example);
    const backendDir = path.join(workspace.root, "state");
    const stack = new PulumiStack({
      cliDir: cliDir!,
      programDir: workspace.programDir,
      stack: "e2e",
      backendDir,
      env: {
        PULUMI_ECD_POLL_INTERVAL_MS: "100",
        ALIBABA_CLOUD_ACCESS_KEY_ID: "",
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: "",
        ALIBABA_CLOUD_ECD_ENDPOINT: "",
      },
    });
    const run = async (...args: string[]) => {
      const result = await stack.run(args);
      transcript.push(result.stdout, result.stderr);
      return result.stdout;
    };
    const live = () => emu.backend.describeDesktops(REGION);
    const liveIds = () =>
      live()
        .map((d) => d.DesktopId)
        .sort();
    try {
      await stack.init();
      // Credentials and endpoint only as stack config (the secret encrypted), so configure() is what finds them.
      await stack.setConfig("alicloud:region", REGION);
      await stack.setConfig("alicloud:accessKey", "e2e-key");
      await stack.setConfig("alicloud:secretKey", SECRET, { secret: true });
      await stack.setConfig("ecd:endpoint", emu.url);

      const preview = await run("preview");
      expect(preview).toMatch(
        new RegExp(`\\+\\s+pulumi-nodejs:dynamic/ecd:DesktopBatch ${scenario.resource} create`),
      );
      expect(live()).toHaveLength(0);

      await run("up", "--yes", "--skip-preview");
      expect(live()).toHaveLength(scenario.amount);
      expect(live().every((d) => d.DesktopStatus === "Running")).toBe(true);
      const created = liveIds();

      await run("preview", "--expect-no-changes");
      await run("refresh", "--yes", "--expect-no-changes", "--skip-preview");

      for (const [key, value] of Object.entries(scenario.edits)) await stack.setConfig(key, value);
      const editPreview = await run("preview");
      expect(planned(editPreview, scenario.resource)).toEqual({ op: "update", keys: scenario.editedKeys });
      await run("up", "--yes", "--skip-preview");
      expect(live()).toHaveLength(scenario.editedAmount);
      expect(created.every((id) => liveIds().includes(id))).toBe(true);
      const names = live().map((d) => d.DesktopName ?? "");
      expect(names.every((n) => n.startsWith(scenario.edits.desktopName))).toBe(true);
      expect(live().every((d) => d.PolicyGroupId === scenario.edits.policyGroupId)).toBe(true);
      const wantedTags = JSON.parse(scenario.edits.tags) as Record<string, string>;
      for (const d of live()) {
        const tags = Object.fromEntries(
          (d.Tags ?? []).filter((t) => !t.Key.startsWith("pulumi-ecd:")).map((t) => [t.Key, t.Value]),
        );
        expect(tags).toEqual(wantedTags);
      }
      scenario.check?.(emu);
      await run("preview", "--expect-no-changes");

      for (const [key, value] of Object.entries(scenario.replace)) await stack.setConfig(key, value);
      const replacePreview = await run("preview");
      expect(planned(replacePreview, scenario.resource)).toEqual({
        op: "replace",
        keys: scenario.replaceKeys,
      });
      const beforeReplace = liveIds();
      await run("up", "--yes", "--skip-preview");
      expect(live()).toHaveLength(scenario.editedAmount);
      expect(liveIds().some((id) => beforeReplace.includes(id))).toBe(false);

      const [victim] = liveIds();
      emu.backend.removeDesktops([victim]);
      const refresh = await run("refresh", "--yes", "--skip-preview");
      expect(refresh).toMatch(/~\s+pulumi-nodejs:dynamic\/ecd:DesktopBatch .* (updated|update)/);
      const state = JSON.parse(await stack.exportState());
      const batchState = state.deployment.resources.find((r: { type: string }) =>
        r.type.endsWith("DesktopBatch"),
      );
      expect(batchState.outputs.desktopIds).toHaveLength(scenario.editedAmount - 1);
      if (scenario.secretContent) {
        // Present, but only as Pulumi secrets (encrypted with the stack's passphrase) in inputs and outputs.
        for (const bag of [batchState.inputs, batchState.outputs]) {
          expect(bag.userCommands).toMatchObject({
            [SECRET_SIG]: SECRET_VALUE_SIG,
            ciphertext: expect.any(String),
          });
        }
      }
      expect(batchState.outputs.desktopIds).not.toContain(victim);
      await run("up", "--yes", "--skip-preview");
      expect(live()).toHaveLength(scenario.editedAmount);
      await run("preview", "--expect-no-changes");

      await run("destroy", "--yes", "--skip-preview");
      expect(live()).toHaveLength(0);

      const everything = [
        ...transcript,
        await stack.exportState(),
        ...filesUnder(backendDir),
        ...filesUnder(workspace.programDir),
      ].join("\n");
      expect(everything).not.toContain(SECRET);
      if (scenario.secretContent) expect(everything).not.toContain(scenario.secretContent);
    } finally {
      fs.rmSync(workspace.root, { recursive: true, force: true });
    }
  });
});
