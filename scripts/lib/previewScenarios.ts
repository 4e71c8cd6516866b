/**
 * Plans a reviewer meets, produced by the real Pulumi CLI against the emulator: each scenario brings an example
 * to a state (optionally `up`, then config edits and out-of-band changes) and returns `pulumi preview --json`.
 * scripts/capture-preview-fixtures.ts stores them as test fixtures; the end-to-end suite runs one afresh.
 */
import * as fs from "fs";
import * as path from "path";
import type { RunningEmulator } from "../../emulator";
import { PulumiStack, prepareExample } from "./pulumiCli";

export const REGION = "cn-hangzhou";

/** The emulator's lifecycle while capturing previews: short, so a capture takes seconds. */
export const CAPTURE_DURATIONS = {
  createMs: 300,
  startMs: 150,
  stopMs: 150,
  deleteMs: 150,
  entitlementMs: 150,
  chargeTypeMs: 150,
};

export interface PreviewScenario {
  readonly name: string;
  readonly example: string;
  /** Run `pulumi up` before the edits. */
  readonly up: boolean;
  /** Stack config set after `up`, before the preview. */
  readonly edits?: Readonly<Record<string, string>>;
  /** Changes made behind Pulumi's back after `up`. */
  readonly outOfBand?: (emulator: RunningEmulator) => void;
  /** `pulumi preview --refresh`: drift becomes visible in the plan. */
  readonly refresh?: boolean;
  /** The preview itself fails (its JSON then carries the errors). */
  readonly fails?: boolean;
}

const firstDesktops = (emulator: RunningEmulator, n: number): string[] =>
  emulator.backend
    .describeDesktops(REGION)
    .map((d) => d.DesktopId)
    .sort()
    .slice(0, n);

export const PREVIEW_SCENARIOS: readonly PreviewScenario[] = [
  { name: "create", example: "quickstart", up: false },
  { name: "scale-up", example: "quickstart", up: true, edits: { amount: "5" } },
  { name: "scale-down", example: "quickstart", up: true, edits: { amount: "1" } },
  { name: "rename", example: "quickstart", up: true, edits: { desktopName: "review" } },
  { name: "replace", example: "quickstart", up: true, edits: { officeSiteId: "cn-hangzhou+dir-0000000002" } },
  {
    name: "drift",
    example: "quickstart",
    up: true,
    refresh: true,
    outOfBand: (emulator) => {
      const [gone, broken] = firstDesktops(emulator, 2);
      emulator.backend.removeDesktops([gone]);
      emulator.backend.forceStatus(broken, "Failed");
    },
  },
  { name: "subscription-create", example: "subscription", up: false },
  {
    name: "subscription-replace",
    example: "subscription",
    up: true,
    edits: { officeSiteId: "cn-hangzhou+dir-0000000002" },
  },
  {
    name: "invalid",
    example: "quickstart",
    up: true,
    edits: { desktopName: "9-starts-with-a-digit" },
    fails: true,
  },
  {
    name: "resize-secret",
    example: "encrypted",
    up: true,
    edits: { desktopType: "eds.enterprise_office.8c16g", dataDiskSize: "60" },
  },
];

/** Brings the scenario's stack to its state and returns the preview's JSON text (the emulator is reset first). */
export async function capturePreview(
  scenario: PreviewScenario,
  emulator: RunningEmulator,
  cliDir: string,
): Promise<string> {
  emulator.reset();
  const workspace = prepareExample(scenario.example);
  const [credential] = emulator.credentials;
  const stack = new PulumiStack({
    cliDir,
    programDir: workspace.programDir,
    stack: "review",
    backendDir: path.join(workspace.root, "state"),
    env: {
      PULUMI_ECD_POLL_INTERVAL_MS: "100",
      ALIBABA_CLOUD_ECD_ENDPOINT: "",
      ALIBABA_CLOUD_ACCESS_KEY_ID: "",
    },
  });
  try {
    await stack.init();
    await stack.setConfig("alicloud:region", REGION);
    await stack.setConfig("alicloud:accessKey", credential.accessKeyId);
    await stack.setConfig("alicloud:secretKey", credential.accessKeySecret, { secret: true });
    await stack.setConfig("ecd:endpoint", emulator.url);
    if (scenario.up) await stack.run(["up", "--yes", "--skip-preview"]);
    for (const [key, value] of Object.entries(scenario.edits ?? {})) await stack.setConfig(key, value);
    scenario.outOfBand?.(emulator);
    const result = await stack.run(["preview", "--json", ...(scenario.refresh ? ["--refresh"] : [])], {
      allowFailure: scenario.fails,
    });
    if (scenario.fails && result.code === 0)
      throw new Error(`${scenario.name}: the preview was expected to fail`);
    if (scenario.up) await stack.run(["destroy", "--yes", "--skip-preview"], { allowFailure: true });
    return result.stdout;
  } finally {
    fs.rmSync(workspace.root, { recursive: true, force: true });
  }
}
