/**
 * docs/from-alicloud.md's migration, through the real Pulumi CLI: desktops managed one resource each (as
 * alicloud.eds.Desktop manages them) move under one DesktopBatch — `pulumi state delete` of each, then
 * `adoptDesktopIds` — and the preview shows, before anything runs, that no desktop is created or released.
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { linkNodeModules, PulumiStack, REPO_ROOT, tempDir } from "../../scripts/lib/pulumiCli";
import { E2E_DURATIONS, findCliOrSkip } from "./cli";

const cliDir = findCliOrSkip();
const describeE2E = cliDir ? describe : describe.skip;
const REGION = "cn-hangzhou";
const PROGRAM = path.join(REPO_ROOT, "test", "e2e", "programs", "migration");

interface PreviewJson {
  steps: { op: string; urn: string }[];
  diagnostics?: { message: string }[];
}

describeE2E("moving desktops managed one by one under one DesktopBatch", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ durations: E2E_DURATIONS });
  });
  afterAll(async () => emu?.close());

  it("adopts three desktops without creating, releasing or recreating any, as the preview says first", async () => {
    const root = tempDir("ecd-migration-");
    const programDir = path.join(root, "migration");
    fs.cpSync(PROGRAM, programDir, { recursive: true });
    linkNodeModules(root);
    const [credential] = emu.credentials;
    const stack = new PulumiStack({
      cliDir: cliDir!,
      programDir,
      stack: "e2e",
      backendDir: path.join(root, "state"),
      env: {
        ALIBABA_CLOUD_ACCESS_KEY_ID: credential.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: credential.accessKeySecret,
        ALIBABA_CLOUD_REGION_ID: REGION,
        ALIBABA_CLOUD_ECD_ENDPOINT: emu.url,
        PULUMI_ECD_POLL_INTERVAL_MS: "100",
      },
    });
    const live = () => emu.backend.describeDesktops(REGION).filter((d) => d.DesktopStatus !== "Deleted");
    const calls = (action: string) => emu.calls.counts()[action] ?? 0;
    try {
      await stack.init();
      await stack.setConfig("phase", "one-by-one");
      await stack.run(["up", "--yes", "--skip-preview"]);
      const before = (await stack.outputs()) as { desktopIds: string[]; urns: string[] };
      const names = () => Object.fromEntries(live().map((d) => [d.DesktopId, d.DesktopName]));
      const named = names();
      expect(named).toEqual(Object.fromEntries(before.desktopIds.map((id, i) => [id, `ws-${i + 1}`])));

      // Step 1 of the guide: Pulumi forgets each one-by-one resource; the desktops keep running.
      for (const urn of before.urns) await stack.run(["state", "delete", urn, "--yes"]);
      // Step 2: the program declares the batch with their IDs.
      await stack.setConfig("phase", "batch");
      await stack.setConfig("adoptIds", JSON.stringify(before.desktopIds));

      emu.calls.reset();
      const preview = JSON.parse((await stack.run(["preview", "--json"])).stdout) as PreviewJson;
      const changes = preview.steps.filter((step) => step.op !== "same");
      expect(changes.map((step) => [step.op, step.urn.split("::").pop()])).toEqual([["create", "ws"]]);
      const said = (preview.diagnostics ?? []).map((d) => d.message.trim());
      expect(said).toContainEqual(
        `[pulumi-ecd] ws (new batch): ${before.desktopIds.join(", ")} will be adopted into the batch; ` +
          "no desktop is created or released",
      );
      expect([calls("CreateDesktops"), calls("DeleteDesktops")]).toEqual([0, 0]);

      // Step 3: the update does what the preview said.
      await stack.run(["up", "--yes", "--skip-preview"]);
      expect([calls("CreateDesktops"), calls("DeleteDesktops")]).toEqual([0, 0]);
      const after = (await stack.outputs()) as { desktopIds: string[] };
      expect([...after.desktopIds].sort()).toEqual([...before.desktopIds].sort());
      expect(names()).toEqual(named);
      expect(live().map((d) => d.DesktopStatus)).toEqual(["Running", "Running", "Running"]);
      expect(live().every((d) => d.Tags?.some((t) => t.Key === "pulumi-ecd:batch"))).toBe(true);
      await stack.run(["preview", "--expect-no-changes"]);

      // From now on the batch owns them: a destroy releases exactly these three.
      await stack.run(["destroy", "--yes", "--skip-preview"]);
      expect(live()).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 300_000);
});
