/**
 * A new user's first project, outside this repository, as `pulumi new typescript` lays it out today (pulumi/templates
 * `typescript/`: @pulumi/pulumi ^3.113.0, typescript ^5.0.0, its tsconfig with module nodenext), on Node 24 from
 * scripts/get-node.sh: `npm install`, then `npm install` of the packed pulumi-ecd with no flags, then the real CLI
 * against the emulator — preview, `up --parallel` with two batches, stack outputs and secrets, a no-change preview
 * and refresh, destroy.
 */
import { spawn, spawnSync } from "child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { PulumiStack, tempDir } from "../../scripts/lib/pulumiCli";
import { E2E_DURATIONS, findCliOrSkip } from "../e2e/cli";

const ROOT = join(__dirname, "..", "..");
const REGION = "cn-hangzhou";
const OWNER = "owner-secret-Pz4kD9";
/** The Node.js the new user runs (scripts/get-node.sh's default, 24); PULUMI_ECD_NEW_USER_NODE tries another. */
const NODE_VERSION = process.env.PULUMI_ECD_NEW_USER_NODE ?? "";

const cliDir = findCliOrSkip();
const describeWithCli = cliDir ? describe : describe.skip;

// Child npm processes must not inherit the npm_* settings of an enclosing `npm test`.
const inherited = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_")),
);

const TEMPLATE = {
  "package.json": JSON.stringify(
    {
      name: "ecd-first-project",
      main: "index.ts",
      devDependencies: { "@types/node": "^18", typescript: "^5.0.0" },
      dependencies: { "@pulumi/pulumi": "^3.113.0" },
    },
    null,
    4,
  ),
  "tsconfig.json": JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        outDir: "bin",
        target: "es2020",
        module: "nodenext",
        moduleResolution: "nodenext",
        sourceMap: true,
        experimentalDecorators: true,
        pretty: true,
        noFallthroughCasesInSwitch: true,
        noImplicitReturns: true,
        forceConsistentCasingInFileNames: true,
      },
      files: ["index.ts"],
    },
    null,
    4,
  ),
  "Pulumi.yaml": [
    "name: ecd-first-project",
    "description: A new user's first pulumi-ecd project",
    "runtime: nodejs",
    "",
  ].join("\n"),
};

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { DesktopBatch } from "pulumi-ecd";

const config = new pulumi.Config();
const common = {
  officeSiteId: "cn-hangzhou+dir-0000000001",
  bundleId: "b-win-office-4c8g",
  endUserIds: ["alice"],
};

const developers = new DesktopBatch("developers", { ...common, desktopName: "dev", amount: 2 });
const designers = new DesktopBatch("designers", { ...common, desktopName: "design", amount: 1 });

export const developerDesktops = developers.desktopIds;
export const designerDesktops = designers.desktopIds;
export const owner = config.requireSecret("owner");
`;

interface Run {
  code: number | null;
  output: string;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

function installed(project: string, name: string): string {
  const file = join(project, "node_modules", name, "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

describeWithCli("a new user's `pulumi new typescript` project with the packed pulumi-ecd", () => {
  let work: string;
  let project: string;
  let env: NodeJS.ProcessEnv;
  let emulator: RunningEmulator;
  let stack: PulumiStack;
  const installs: Run[] = [];

  beforeAll(async () => {
    const node = spawnSync(
      "bash",
      [join(ROOT, "scripts", "get-node.sh"), ...(NODE_VERSION ? [NODE_VERSION] : [])],
      {
        encoding: "utf8",
      },
    );
    if (node.status !== 0) throw new Error(`scripts/get-node.sh failed:\n${node.stderr}`);
    const nodeDir = node.stdout.trim().split("\n").pop()!;
    env = { ...inherited, PATH: `${nodeDir}:${cliDir!}:${process.env.PATH ?? ""}` };

    // `npm test` builds first; a bare jest run on a fresh clone has no dist/ to pack yet.
    if (!existsSync(join(ROOT, "dist", "sdk", "index.js"))) {
      const built = spawnSync("npm", ["run", "build"], { cwd: ROOT, env, encoding: "utf8" });
      if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}${built.stderr}`);
    }
    work = tempDir("ecd-new-user-");
    const packed = spawnSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], {
      cwd: ROOT,
      env,
      encoding: "utf8",
    });
    if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
    const tarball = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0].filename);

    project = join(work, "ecd-first-project");
    mkdirSync(project);
    for (const [file, text] of Object.entries(TEMPLATE)) writeFileSync(join(project, file), text);
    writeFileSync(join(project, "index.ts"), PROGRAM);
    installs.push(await run("npm", ["install"], project, env));
    installs.push(await run("npm", ["install", tarball], project, env));

    emulator = await startEmulator({ durations: E2E_DURATIONS });
    stack = new PulumiStack({
      cliDir: cliDir!,
      programDir: project,
      stack: "dev",
      backendDir: join(work, "state"),
      env: {
        PATH: env.PATH!,
        PULUMI_ECD_POLL_INTERVAL_MS: "100",
        ALIBABA_CLOUD_ACCESS_KEY_ID: "",
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: "",
        ALIBABA_CLOUD_ECD_ENDPOINT: "",
      },
    });
  }, 600_000);

  afterAll(async () => {
    await emulator?.close();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it("installs with plain `npm install`, the tarball too, without a peer-dependency or engine complaint", () => {
    for (const install of installs) {
      expect({ code: install.code, output: install.output }).toEqual({ code: 0, output: install.output });
      expect(install.output).not.toMatch(/ERESOLVE|peer dep|conflicting peer|EBADENGINE|legacy-peer-deps/i);
    }
  });

  it(`gets today's toolchain: Node ${NODE_VERSION.split(".")[0] || 24}, the newest @pulumi/pulumi, TypeScript 5`, async () => {
    const newest = spawnSync("npm", ["view", "@pulumi/pulumi", "version"], { env, encoding: "utf8" });
    const nodeVersion = await run("node", ["--version"], project, env);
    expect({
      node: nodeVersion.output.trim().split(".")[0],
      pulumi: installed(project, "@pulumi/pulumi"),
      typescript: installed(project, "typescript").split(".")[0],
    }).toEqual({
      node: `v${NODE_VERSION.split(".")[0] || 24}`,
      pulumi: newest.stdout.trim(),
      typescript: "5",
    });
  });

  it("type-checks the program with the template's tsconfig (module nodenext)", async () => {
    const tsc = await run(
      "node",
      [join("node_modules", "typescript", "bin", "tsc"), "--noEmit"],
      project,
      env,
    );
    expect(tsc).toEqual({ code: 0, output: "" });
  });

  it("runs preview, up --parallel, outputs, a no-change preview and refresh, and destroy against the emulator", async () => {
    const live = () => emulator.backend.describeDesktops(REGION).filter((d) => d.DesktopStatus !== "Deleted");
    await stack.init();
    await stack.setConfig("alicloud:region", REGION);
    await stack.setConfig("alicloud:accessKey", emulator.credentials[0].accessKeyId);
    await stack.setConfig("alicloud:secretKey", emulator.credentials[0].accessKeySecret, { secret: true });
    await stack.setConfig("ecd:endpoint", emulator.url);
    await stack.setConfig("owner", OWNER, { secret: true });

    const preview = await stack.run(["preview"]);
    expect(preview.stdout).toMatch(/\+\s+pulumi-nodejs:dynamic\/ecd:DesktopBatch developers create/);
    expect(live()).toHaveLength(0);

    await stack.run(["up", "--yes", "--skip-preview", "--parallel", "8"]);
    expect(live().map((d) => d.DesktopStatus)).toEqual(["Running", "Running", "Running"]);
    const outputs = await stack.outputs();
    expect({ ...outputs, developerDesktops: [...(outputs.developerDesktops as string[])].sort() }).toEqual({
      developerDesktops: live()
        .filter((d) => d.DesktopName?.startsWith("dev"))
        .map((d) => d.DesktopId)
        .sort(),
      designerDesktops: live()
        .filter((d) => d.DesktopName?.startsWith("design"))
        .map((d) => d.DesktopId),
      owner: OWNER,
    });
    const masked = await stack.run(["stack", "output", "owner"]);
    expect(masked.stdout.trim()).toBe("[secret]");
    const state = await stack.exportState();
    expect(state).not.toContain(OWNER);
    expect(state).not.toContain(emulator.credentials[0].accessKeySecret);

    await stack.run(["preview", "--expect-no-changes"]);
    await stack.run(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);

    await stack.run(["destroy", "--yes", "--skip-preview"]);
    expect(live()).toEqual([]);
  }, 600_000);
});
