/**
 * The power-schedule example through the real Pulumi CLI against the emulator: stopping a team's desktops by
 * stack config (the weekend-savings case) is an in-place update of powerState, a desktop started behind the
 * stack's back is drift that refresh shows and up heals, starting them again is another in-place update, and
 * destroying a Stopped batch starts nothing.
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { prepareExample, PulumiStack } from "../../scripts/lib/pulumiCli";
import { findCliOrSkip } from "./cli";

const cliDir = findCliOrSkip();
const describeE2E = cliDir ? describe : describe.skip;
const REGION = "cn-hangzhou";
const RESOURCE = "team-desktops";

describeE2E("power-schedule example through the pulumi CLI", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({
      credentials: [{ accessKeyId: "e2e-key", accessKeySecret: "e2e-secret-power" }],
      durations: { createMs: 400, startMs: 200, stopMs: 200, deleteMs: 200, entitlementMs: 200 },
    });
  });
  afterAll(async () => emu?.close());

  it("stops and starts the team's desktops by stack config, in place, and heals power drift", async () => {
    const workspace = prepareExample("power-schedule");
    const stack = new PulumiStack({
      cliDir: cliDir!,
      programDir: workspace.programDir,
      stack: "e2e",
      backendDir: path.join(workspace.root, "state"),
      env: {
        PULUMI_ECD_POLL_INTERVAL_MS: "100",
        ALIBABA_CLOUD_ACCESS_KEY_ID: "",
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: "",
        ALIBABA_CLOUD_ECD_ENDPOINT: "",
      },
    });
    const run = async (...args: string[]) => (await stack.run(args)).stdout;
    const live = () => emu.backend.describeDesktops(REGION).filter((d) => d.DesktopStatus !== "Deleted");
    const statuses = () => [...new Set(live().map((d) => d.DesktopStatus))];
    const ids = () =>
      live()
        .map((d) => d.DesktopId)
        .sort();
    const calls = (action: string) => emu.calls.counts()[action] ?? 0;
    try {
      await stack.init();
      await stack.setConfig("alicloud:region", REGION);
      await stack.setConfig("alicloud:accessKey", "e2e-key");
      await stack.setConfig("alicloud:secretKey", "e2e-secret-power", { secret: true });
      await stack.setConfig("ecd:endpoint", emu.url);

      await run("up", "--yes", "--skip-preview");
      expect(live()).toHaveLength(4);
      expect(statuses()).toEqual(["Running"]);
      const team = ids();
      await run("preview", "--expect-no-changes");

      await stack.setConfig("powerState", "Stopped");
      const preview = await run("preview");
      expect(preview).toMatch(new RegExp(`DesktopBatch ${RESOURCE} update \\[diff: ~powerState\\]`));
      expect(preview).toMatch(/will be stopped: powerState Stopped/);
      emu.calls.reset();
      await run("up", "--yes", "--skip-preview");
      expect(statuses()).toEqual(["Stopped"]);
      expect(ids()).toEqual(team);
      expect([calls("StopDesktops"), calls("CreateDesktops"), calls("DeleteDesktops")]).toEqual([1, 0, 0]);
      await run("preview", "--expect-no-changes");

      // Someone starts a desktop in the console over the weekend: refresh shows it, the next up stops it again.
      emu.backend.forceStatus(team[0], "Running");
      // The workflow previews with --refresh: the engine diffs the batch for the refresh and again for the plan,
      // and the change note shows once (its diagnostics line included).
      const refreshed = await run("preview", "--refresh");
      expect(refreshed).toMatch(/Stack ecd-power-schedule-e2e\s+1 message/);
      const diagnostics = refreshed.slice(refreshed.indexOf("Diagnostics:"));
      expect(diagnostics.match(new RegExp(`${team[0]} is Running \\(will be stopped`, "g"))).toHaveLength(1);
      const refresh = await run("refresh", "--yes", "--skip-preview");
      expect(refresh).toMatch(
        new RegExp(`~\\s+pulumi-nodejs:dynamic/ecd:DesktopBatch ${RESOURCE} (updated|update)`),
      );
      expect(await run("preview")).toMatch(
        new RegExp(`${team[0]} is Running \\(will be stopped: powerState Stopped\\)`),
      );
      await run("up", "--yes", "--skip-preview");
      expect(statuses()).toEqual(["Stopped"]);
      await run("preview", "--expect-no-changes");

      await stack.setConfig("powerState", "Running");
      emu.calls.reset();
      await run("up", "--yes", "--skip-preview");
      expect(statuses()).toEqual(["Running"]);
      expect(ids()).toEqual(team);
      expect([calls("StartDesktops"), calls("CreateDesktops"), calls("DeleteDesktops")]).toEqual([1, 0, 0]);

      await stack.setConfig("powerState", "Stopped");
      await run("up", "--yes", "--skip-preview");
      emu.calls.reset();
      await run("destroy", "--yes", "--skip-preview");
      expect(live()).toHaveLength(0);
      expect(calls("StartDesktops")).toBe(0);
    } finally {
      fs.rmSync(workspace.root, { recursive: true, force: true });
    }
  }, 600_000);
});
