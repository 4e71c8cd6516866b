/**
 * The ecd resource plugin through the real Pulumi CLI against the emulator: installed from the archive
 * `npm run package:plugin` builds (nothing on PATH), its schema bound against Pulumi's metaschema, and a
 * TypeScript stack moved from the dynamic provider to the plugin by `pulumi import` without recreating a
 * desktop — then scaled, with a secret tag, and destroyed through the plugin. Builds dist/ and the archive first.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { startEmulator, RunningEmulator } from "../../emulator";
import { linkNodeModules, PulumiStack, REPO_ROOT, tempDir } from "../../scripts/lib/pulumiCli";
import { E2E_DURATIONS, findCliOrSkip } from "./cli";

const cliDir = findCliOrSkip();
const describeE2E = cliDir ? describe : describe.skip;
const REGION = "cn-hangzhou";
const SECRET = "owner-Xk7pQ2vR";
const SCHEMA = path.join(REPO_ROOT, "provider/cmd/pulumi-resource-ecd/schema.json");
const VERSION = (JSON.parse(fs.readFileSync(SCHEMA, "utf8")) as { version: string }).version;
const ARCHIVE = path.join(REPO_ROOT, `pulumi-resource-ecd-v${VERSION}-linux-amd64.tar.gz`);

jest.setTimeout(600_000);

/** dist/ and the archive from this checkout (the package script itself, so what is tested is what ships). */
function packagedPlugin(): string {
  execFileSync("npm", ["run", "package:plugin"], { cwd: REPO_ROOT, stdio: "pipe" });
  return ARCHIVE;
}

/** A `pulumi` command that names no stack (plugin, package), in the stack's environment. */
function pulumi(stack: PulumiStack, args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(path.join(cliDir!, "pulumi"), args, { env: stack.env, encoding: "utf8" });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const owned = (emu: RunningEmulator, ids: readonly string[]) =>
  emu.backend.describeDesktops(REGION).filter((d) => ids.includes(d.DesktopId));

describeE2E("the ecd plugin with the real CLI", () => {
  let emu: RunningEmulator;
  let root: string;
  let stack: PulumiStack;
  // Plugins install outside the project: walking up from there, Node finds no node_modules but the archive's own.
  const home = tempDir("ecd-plugin-home-");

  beforeAll(async () => {
    emu = await startEmulator({ durations: E2E_DURATIONS });
    packagedPlugin();
    root = tempDir("ecd-plugin-");
    const programDir = path.join(root, "program");
    fs.cpSync(path.join(REPO_ROOT, "test/e2e/programs/plugin-migration"), programDir, { recursive: true });
    linkNodeModules(root);
    const [credential] = emu.credentials;
    stack = new PulumiStack({
      cliDir: cliDir!,
      programDir,
      stack: "dev",
      backendDir: path.join(root, "state"),
      // The dynamic provider reads the environment; the plugin gets its settings from ecd:* config (below).
      env: {
        ALIBABA_CLOUD_ACCESS_KEY_ID: credential.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: credential.accessKeySecret,
        ALIBABA_CLOUD_REGION_ID: REGION,
        ALIBABA_CLOUD_ECD_ENDPOINT: emu.url,
        PULUMI_ECD_POLL_INTERVAL_MS: "100",
        PULUMI_HOME: home,
      },
    });
    await stack.init();
  });

  afterAll(async () => {
    await emu?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  it("installs from the archive with nothing on PATH and serves a schema that binds against Pulumi's metaschema", async () => {
    const installed = pulumi(stack, ["plugin", "install", "resource", "ecd", VERSION, "--file", ARCHIVE]);
    expect(installed).toMatchObject({ code: 0 });
    expect(
      fs.existsSync(
        path.join(home, "plugins", `resource-ecd-v${VERSION}`, "node_modules", "@grpc", "grpc-js"),
      ),
    ).toBe(true);
    const served = pulumi(stack, ["package", "get-schema", "ecd"]);
    expect(JSON.parse(served.stdout)).toEqual(JSON.parse(fs.readFileSync(SCHEMA, "utf8")));
    // get-schema of a file binds it: the project's source schema fails (its tokens are not the package's), ours passes.
    expect(pulumi(stack, ["package", "get-schema", SCHEMA])).toMatchObject({ code: 0, stderr: "" });
    const source = pulumi(stack, [
      "package",
      "get-schema",
      path.join(REPO_ROOT, "schema/desktop-batch.schema.json"),
    ]);
    expect(source.code).not.toBe(0);
    expect(source.stderr).toMatch(/failed to bind schema/);
  });

  it("moves a stack from the dynamic provider to the plugin by import, without recreating a desktop", async () => {
    await stack.run(["up", "--yes", "--skip-preview"]);
    const before = await stack.outputs();
    const ids = before.desktopIds as string[];
    expect(owned(emu, ids).map((d) => d.DesktopStatus)).toEqual(["Running", "Running"]);

    await stack.run(["state", "delete", before.urn as string, "--yes"]);
    await stack.setConfig("face", "plugin");
    await stack.setConfig("ecd:region", REGION);
    await stack.setConfig("ecd:endpoint", emu.url);
    await stack.setConfig("ecd:accessKeyId", emu.credentials[0].accessKeyId);
    await stack.setConfig("ecd:accessKeySecret", emu.credentials[0].accessKeySecret, { secret: true });
    const imported = await stack.run([
      "import",
      "ecd:index:DesktopBatch",
      "team",
      before.batchId as string,
      "--yes",
      "--generate-code=false",
    ]);
    expect(imported.stdout).toMatch(/= .*ecd:index:DesktopBatch.*team.*imported/);
    await stack.run(["preview", "--expect-no-changes"]);
    await stack.run(["refresh", "--yes", "--expect-no-changes"]);
    const loose = await stack.run(
      ["import", "ecd:index:DesktopBatch", "loose", ids.join(","), "--yes", "--generate-code=false"],
      { allowFailure: true },
    );
    expect(loose.code).not.toBe(0);
    expect(loose.stdout + loose.stderr).toMatch(
      /not imported one by one\..*declare a DesktopBatch with adoptDesktopIds/s,
    );

    await stack.setConfig("amount", "3");
    await stack.setConfig("owner", SECRET, { secret: true });
    await stack.run(["up", "--yes", "--skip-preview"]);
    const after = await stack.outputs();
    expect(after.batchId).toBe(before.batchId);
    const grown = after.desktopIds as string[];
    expect(grown.slice(0, 2)).toEqual(ids);
    expect(owned(emu, grown).map((d) => d.DesktopStatus)).toEqual(["Running", "Running", "Running"]);
    const state = await stack.exportState();
    expect(state).toContain("ecd:index:DesktopBatch");
    expect(state).not.toContain(SECRET);
    await stack.run(["preview", "--expect-no-changes"]);

    await stack.run(["destroy", "--yes", "--skip-preview"]);
    expect(owned(emu, grown)).toEqual([]);
  });

  it("runs the checkout's plugin from Pulumi.yaml plugins.providers, naming the property that forces a replacement", async () => {
    const local = tempDir("ecd-plugin-local-");
    try {
      const programDir = path.join(local, "program");
      fs.cpSync(path.join(REPO_ROOT, "test/e2e/programs/plugin-migration"), programDir, { recursive: true });
      fs.appendFileSync(
        path.join(programDir, "Pulumi.yaml"),
        `plugins:\n  providers:\n    - name: ecd\n      path: ${path.join(REPO_ROOT, "provider/cmd/pulumi-resource-ecd")}\n`,
      );
      linkNodeModules(local);
      const dev = new PulumiStack({
        cliDir: cliDir!,
        programDir,
        stack: "local",
        backendDir: path.join(local, "state"),
        env: { PULUMI_ECD_POLL_INTERVAL_MS: "100" },
      });
      await dev.init();
      await dev.setConfig("face", "plugin");
      await dev.setConfig("ecd:region", REGION);
      await dev.setConfig("ecd:endpoint", emu.url);
      await dev.setConfig("ecd:accessKeyId", emu.credentials[0].accessKeyId);
      await dev.setConfig("ecd:accessKeySecret", emu.credentials[0].accessKeySecret, { secret: true });
      const up = await dev.run(["up", "--yes", "--skip-preview"]);
      expect(up.stdout + up.stderr).not.toMatch(/from \$PATH/);
      const { desktopIds } = await dev.outputs();
      expect(owned(emu, desktopIds as string[])).toHaveLength(2);
      await dev.run(["preview", "--expect-no-changes"]);

      await dev.setConfig("officeSiteId", "cn-hangzhou+dir-0000000002");
      const preview = await dev.run(["preview", "--diff"]);
      expect(preview.stdout).toMatch(/\+-\s*ecd:index:DesktopBatch: \(replace\)/);
      expect(preview.stdout).toMatch(
        /~ officeSiteId\s*: "cn-hangzhou\+dir-0000000001" => "cn-hangzhou\+dir-0000000002"/,
      );

      const summary = await dev.run(["preview"]);
      expect(summary.stdout).toMatch(
        /\+-\s+ecd:index:DesktopBatch\s+team\s+replace\s+\[diff: ~officeSiteId\]/,
      );

      await dev.run(["destroy", "--yes", "--skip-preview"]);
      expect(owned(emu, desktopIds as string[])).toEqual([]);
    } finally {
      fs.rmSync(local, { recursive: true, force: true });
    }
  });
});
