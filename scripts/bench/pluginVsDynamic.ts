/**
 * `npm run bench:plugin`: `pulumi preview` and `pulumi up` of N DesktopBatches (one desktop each, default 50)
 * through the dynamic provider and through the ecd plugin, side by side in one run, with the real CLI against the
 * emulator: wall time, the peak memory of everything the CLI started (sum of RSS over its process tree) and the
 * peak of the provider process alone. Needs dist/ (it builds first) and the CLI (scripts/get-pulumi.sh).
 */
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { startEmulator } from "../../emulator";
import { linkNodeModules, locatePulumiCli, PulumiStack, REPO_ROOT, tempDir } from "../lib/pulumiCli";

type Face = "dynamic" | "plugin";

const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const config = new pulumi.Config();
const count = config.requireNumber("count");
const plugin = config.require("face") === "plugin";
for (let i = 0; i < count; i++) {
  const args = { officeSiteId: "cn-hangzhou+dir-0000000001", bundleId: "b-win-office-4c8g", desktopName: "b" + i, amount: 1 };
  if (plugin) new pulumi.CustomResource("ecd:index:DesktopBatch", "b" + i, args);
  else new (require("pulumi-ecd").DesktopBatch)("b" + i, args);
}
`;

interface Row {
  face: Face;
  step: "preview" | "up";
  wallMs: number;
  treeMb: number;
  providerMb: number;
}

interface ProcessRow {
  pid: number;
  ppid: number;
  rssKb: number;
  args: string;
}

function processes(): ProcessRow[] {
  return execFileSync("ps", ["-eo", "pid=,ppid=,rss=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), rssKb: Number(m[3]), args: m[4] }));
}

function tree(root: number, table: ProcessRow[]): ProcessRow[] {
  const found = table.filter((row) => row.pid === root);
  for (let i = 0; i < found.length; i++) found.push(...table.filter((row) => row.ppid === found[i].pid));
  return found;
}

const isProvider = (face: Face, args: string): boolean =>
  face === "plugin" ? /pulumi-resource-ecd\/main\.js/.test(args) : /dynamic-provider/.test(args);

/** Runs `pulumi <args>` and samples the memory of its process tree every 100 ms. */
function measured(
  stack: PulumiStack,
  programDir: string,
  cliDir: string,
  face: Face,
  args: string[],
): Promise<Omit<Row, "face" | "step">> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(
      path.join(cliDir, "pulumi"),
      [...args, "--stack", "bench", "--non-interactive", "--color", "never"],
      { cwd: programDir, env: stack.env },
    );
    let treeKb = 0;
    let providerKb = 0;
    let output = "";
    const sample = setInterval(() => {
      const rows = tree(child.pid!, processes());
      treeKb = Math.max(
        treeKb,
        rows.reduce((sum, row) => sum + row.rssKb, 0),
      );
      const provider = rows
        .filter((row) => isProvider(face, row.args))
        .reduce((sum, row) => sum + row.rssKb, 0);
      providerKb = Math.max(providerKb, provider);
    }, 100);
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(sample);
      if (code !== 0) return reject(new Error(`pulumi ${args.join(" ")} exited ${code}\n${output}`));
      resolve({ wallMs: performance.now() - start, treeMb: treeKb / 1024, providerMb: providerKb / 1024 });
    });
  });
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 50);
  const built = spawnSync("npm", ["run", "build"], { cwd: REPO_ROOT, stdio: "inherit" });
  if (built.status !== 0) throw new Error("npm run build failed");
  const cliDir = locatePulumiCli({ quiet: true });
  const emu = await startEmulator({
    durations: {
      createMs: 200,
      startMs: 100,
      stopMs: 100,
      deleteMs: 100,
      entitlementMs: 100,
      chargeTypeMs: 100,
    },
  });
  const rows: Row[] = [];
  try {
    for (const face of ["dynamic", "plugin"] as const) {
      emu.reset();
      const root = tempDir("ecd-bench-plugin-");
      try {
        const programDir = path.join(root, "program");
        fs.mkdirSync(programDir);
        const plugins = `plugins:\n  providers:\n    - name: ecd\n      path: ${path.join(REPO_ROOT, "provider/cmd/pulumi-resource-ecd")}\n`;
        fs.writeFileSync(
          path.join(programDir, "Pulumi.yaml"),
          `name: ecd-bench-plugin\nruntime: nodejs\n${plugins}`,
        );
        fs.writeFileSync(path.join(programDir, "index.js"), PROGRAM);
        fs.writeFileSync(
          path.join(programDir, "package.json"),
          '{ "name": "ecd-bench-plugin", "main": "index.js" }\n',
        );
        linkNodeModules(root);
        const [credential] = emu.credentials;
        const stack = new PulumiStack({
          cliDir,
          programDir,
          stack: "bench",
          backendDir: path.join(root, "state"),
          env: {
            PULUMI_ECD_POLL_INTERVAL_MS: "100",
            ALIBABA_CLOUD_ACCESS_KEY_ID: credential.accessKeyId,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: credential.accessKeySecret,
            ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
            ALIBABA_CLOUD_ECD_ENDPOINT: emu.url,
          },
        });
        await stack.init();
        await stack.setConfig("count", String(count));
        await stack.setConfig("face", face);
        for (const step of ["preview", "up"] as const) {
          const args = step === "up" ? ["up", "--yes", "--skip-preview"] : ["preview"];
          const row = { face, step, ...(await measured(stack, programDir, cliDir, face, args)) };
          rows.push(row);
          console.error(`${face} ${step}: ${(row.wallMs / 1000).toFixed(1)} s`);
        }
        await stack.run(["destroy", "--yes", "--skip-preview"]);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    }
  } finally {
    await emu.close();
  }
  console.log(
    `\n${count} DesktopBatches of one desktop each, real CLI against the emulator (2 shared cores)\n`,
  );
  console.log("| step | face | wall time | peak memory, all processes | peak memory, provider |");
  console.log("| --- | --- | ---: | ---: | ---: |");
  for (const step of ["preview", "up"] as const) {
    for (const row of rows.filter((r) => r.step === step)) {
      console.log(
        `| ${step} | ${row.face} | ${(row.wallMs / 1000).toFixed(1)} s | ${row.treeMb.toFixed(0)} MB | ${row.providerMb.toFixed(0)} MB |`,
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
