/**
 * examples/fleet: the Automation API runs several stacks at once, each its own engine and provider process, on
 * one access key whose quota is small enough to throttle them; every stack still finishes, then is destroyed.
 * Real CLI, real emulator over HTTP; needs `npm run build` (the program loads pulumi-ecd from dist).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { REPO_ROOT, tempDir } from "../../scripts/lib/pulumiCli";
import type { FleetStack, StackOutcome } from "../../examples/fleet/fleet";
import { E2E_DURATIONS, findCliOrSkip } from "../e2e/cli";

const cliDir = findCliOrSkip();
const describeE2E = cliDir ? describe : describe.skip;
const REGION = "cn-hangzhou";
const STACKS: FleetStack[] = [
  { name: "design", amount: 3, endUserIds: ["alice", "bob"] },
  { name: "sales", amount: 2, endUserIds: ["carol"] },
  { name: "support", amount: 4, endUserIds: ["dave", "erin"] },
];

describeE2E("examples/fleet through the Automation API", () => {
  let emu: RunningEmulator;
  let root: string;
  beforeAll(async () => {
    emu = await startEmulator({
      durations: E2E_DURATIONS,
      // A quota the three stacks' first calls exceed at once.
      faults: {
        rateLimit: true,
        rateLimitQps: { DescribeDesktops: 2, CreateDesktops: 1, ListTagResources: 2 },
      },
    });
    root = tempDir("ecd-fleet-");
    fs.writeFileSync(path.join(root, "stacks.json"), JSON.stringify(STACKS));
  });
  afterAll(async () => emu?.close());

  /** Runs the example's driver as a user would; returns its summary line and everything it printed. */
  const fleet = (action: "up" | "destroy"): Promise<{ outcomes: StackOutcome[]; output: string }> =>
    new Promise((resolve, reject) => {
      const credential = emu.credentials[0];
      const child = spawn(process.execPath, ["--import", "tsx", "examples/fleet/fleet.ts", action], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          PATH: `${cliDir}${path.delimiter}${process.env.PATH ?? ""}`,
          PULUMI_BACKEND_URL: `file://${path.join(root, "state")}`,
          PULUMI_HOME: path.join(root, ".pulumi-home"),
          PULUMI_CONFIG_PASSPHRASE: "fleet",
          PULUMI_SKIP_UPDATE_CHECK: "true",
          PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
          PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
          FLEET_STACKS: path.join(root, "stacks.json"),
          ALIBABA_CLOUD_ACCESS_KEY_ID: credential.accessKeyId,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: credential.accessKeySecret,
          ALIBABA_CLOUD_REGION_ID: REGION,
          ALIBABA_CLOUD_ECD_ENDPOINT: emu.url,
          PULUMI_ECD_POLL_INTERVAL_MS: "100",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk));
      child.on("error", reject);
      child.on("close", () => {
        const last = output.trim().split("\n").pop() ?? "";
        try {
          resolve({ outcomes: JSON.parse(last) as StackOutcome[], output });
        } catch {
          reject(new Error(`no summary from examples/fleet/fleet.ts ${action}:\n${output.slice(-4000)}`));
        }
      });
    });

  it("creates every stack's batch at once, through throttling, and destroys them all", async () => {
    fs.mkdirSync(path.join(root, "state"), { recursive: true });
    const up = await fleet("up");
    expect(up.outcomes.map((o) => [o.stack, o.result, o.desktops])).toEqual(
      STACKS.map((s) => [s.name, "succeeded", s.amount]),
    );
    const live = emu.backend.describeDesktops(REGION).filter((d) => d.DesktopStatus !== "Deleted");
    const team = (name: string) =>
      live.filter((d) => d.Tags?.some((t) => t.Key === "team" && t.Value === name));
    for (const s of STACKS) {
      expect(team(s.name)).toHaveLength(s.amount);
      expect(team(s.name).every((d) => d.DesktopStatus === "Running")).toBe(true);
    }
    expect(live).toHaveLength(STACKS.reduce((a, s) => a + s.amount, 0));
    const throttled = emu.calls.entries().filter((c) => c.fault === "rateLimit").length;
    expect(throttled).toBeGreaterThan(0);

    const down = await fleet("destroy");
    expect(down.outcomes.map((o) => [o.stack, o.result])).toEqual(STACKS.map((s) => [s.name, "succeeded"]));
    expect(emu.backend.describeDesktops(REGION).filter((d) => d.DesktopStatus !== "Deleted")).toEqual([]);
  }, 600_000);
});
