/**
 * The main job (`npm start`): start the embedded ECD emulator, `pulumi up` the quick-start example on a local
 * backend, show the desktops it created and the stack outputs, and say how to preview a change and destroy.
 *
 *   npm start                  emulator, then keep it running for your own preview/destroy (Ctrl-C ends it)
 *   npm start -- --destroy     also destroy at the end and exit (what CI and non-interactive shells do)
 *   npm start -- --cloud       (or --no-emulator) provision in Alibaba Cloud with the credentials in your environment
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator } from "../emulator";
import { EMULATOR_POLL_INTERVAL_MS } from "../emulator/cli";
import { locatePulumiCli, PulumiStack, REPO_ROOT } from "./lib/pulumiCli";

const args = new Set(process.argv.slice(2));
const cloud = args.has("--cloud") || args.has("--no-emulator");
const destroyAtEnd = args.has("--destroy") || (!cloud && !process.stdin.isTTY);
// The repository's own Pulumi.yaml runs examples/quickstart, so the printed commands work from the clone's root.
const programDir = REPO_ROOT;
const stateDir = path.join(REPO_ROOT, ".pulumi-state", cloud ? "cloud" : "emulator");

function say(line = ""): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  // The program loads pulumi-ecd by name; make sure this checkout answers to it (npm may have pruned the link).
  (require("./link-self.js") as { linkSelf(): void }).linkSelf();
  say("==> Locating the Pulumi CLI (built from the Go module proxy on first use; cached afterwards)");
  const cliDir = locatePulumiCli();
  let env: Record<string, string> = {
    PULUMI_ECD_POLL_INTERVAL_MS: cloud ? "5000" : String(EMULATOR_POLL_INTERVAL_MS),
  };
  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  if (!cloud) {
    // Each emulator run starts clean: the emulator's desktops died with its last run, so do its state and config.
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(path.join(programDir, "Pulumi.demo.yaml"), { force: true });
    emulator = await startEmulator({
      port: Number(process.env.ECD_EMULATOR_PORT ?? 0),
      durations: { createMs: 3000, deleteMs: 1500 },
    });
    const [credential] = emulator.credentials;
    env = {
      ...env,
      ALIBABA_CLOUD_ECD_ENDPOINT: emulator.url,
      ALIBABA_CLOUD_ACCESS_KEY_ID: credential.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: credential.accessKeySecret,
      ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
    };
    say(`==> Local ECD emulator listening on ${emulator.url} (AccessKeyId ${credential.accessKeyId})`);
  } else if (!process.env.ALIBABA_CLOUD_REGION_ID && !process.env.ALICLOUD_REGION) {
    throw new Error(
      '--cloud needs ALIBABA_CLOUD_REGION_ID and credentials in the environment, and ECD_OFFICE_SITE_ID / ECD_BUNDLE_ID (see docs/installation.md, "Alibaba Cloud: what to set up")',
    );
  }
  const stackName = cloud ? "cloud" : "demo";
  const stack = new PulumiStack({
    cliDir,
    programDir,
    stack: stackName,
    backendDir: stateDir,
    env,
    echo: true,
  });
  try {
    await stack.init();
    if (cloud) await configureForCloud(stack);
    say("==> pulumi up");
    await stack.run(["up", "--yes", "--skip-preview"]);
    if (emulator) {
      say("\n==> Desktops in the emulator");
      const rows = emulator.backend.describeDesktops("cn-hangzhou");
      say(
        table(
          ["DesktopId", "Name", "Status", "IP", "Users", "Tags"],
          rows.map((d) => [
            d.DesktopId,
            d.DesktopName ?? "",
            d.DesktopStatus,
            d.NetworkInterfaceIp ?? "",
            (d.EndUserIds ?? []).join(","),
            (d.Tags ?? [])
              .filter((t) => !t.Key.startsWith("pulumi-ecd:"))
              .map((t) => `${t.Key}=${t.Value}`)
              .join(","),
          ]),
        ),
      );
    }
    say("\n==> Stack outputs");
    say(JSON.stringify(await stack.outputs(), null, 2));
    if (destroyAtEnd && emulator) {
      say(
        `\nThis run destroys the stack now (${args.has("--destroy") ? "--destroy given" : "not a terminal"}) and its emulator stops with it.` +
          "\nTo try a change yourself, run `npm start` in a terminal: it keeps the emulator running, and from another" +
          "\nterminal these commands (with the URL it prints) preview a change and clean up:",
      );
    } else if (destroyAtEnd) {
      say(
        "\nThis run destroys the stack now (--destroy given). Without --destroy, these preview a change and clean up:",
      );
    } else if (emulator) {
      say("\nTry a change and review it, then clean up, from another terminal while this one runs:");
    } else {
      say("\nTry a change and review it, then clean up:");
    }
    say(
      `  export PATH=${cliDir}:$PATH PULUMI_BACKEND_URL=file://${stateDir} PULUMI_CONFIG_PASSPHRASE=pulumi-ecd-local PULUMI_SKIP_UPDATE_CHECK=true`,
    );
    for (const [key, value] of Object.entries(env)) say(`  export ${key}=${value}`);
    say(`  cd ${programDir}`);
    say(`  pulumi config set amount 5 --stack ${stackName} && pulumi preview --stack ${stackName}`);
    say(`  pulumi destroy --yes --stack ${stackName}`);
    if (destroyAtEnd) {
      say("\n==> pulumi destroy");
      await stack.run(["destroy", "--yes", "--skip-preview"]);
      if (emulator)
        say(`==> Desktops left in the emulator: ${emulator.backend.describeDesktops("cn-hangzhou").length}`);
    } else if (emulator) {
      say("\nThe emulator keeps running for that; press Ctrl-C to stop it (its desktops vanish with it).");
      await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
    }
  } finally {
    await emulator?.close();
  }
}

/** Real IDs from your account, given as ECD_* environment variables, become the program's stack config. */
async function configureForCloud(stack: PulumiStack): Promise<void> {
  const settings: [string, string, boolean][] = [
    ["officeSiteId", "ECD_OFFICE_SITE_ID", true],
    ["bundleId", "ECD_BUNDLE_ID", true],
    ["policyGroupId", "ECD_POLICY_GROUP_ID", false],
  ];
  for (const [key, variable, required] of settings) {
    const value = process.env[variable];
    if (value) await stack.setConfig(key, value);
    else if (required)
      throw new Error(
        `--cloud needs ${variable} (see docs/installation.md, "Alibaba Cloud: what to set up")`,
      );
  }
  if (process.env.ECD_END_USER_IDS) {
    await stack.setConfig("endUserIds", JSON.stringify(process.env.ECD_END_USER_IDS.split(",")));
  }
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
