/**
 * `pulumi preview` and `pulumi up` wall time with the real CLI, for stacks of K DesktopBatches (one desktop each)
 * and for the same stacks made of a trivial dynamic resource: what the engine, the Node.js host and the dynamic
 * provider cost per resource, apart from ECD. The emulator runs on the real clock with short lifecycles.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { startEmulator } from "../../emulator";
import { linkNodeModules, PulumiStack, REPO_ROOT, tempDir } from "../lib/pulumiCli";

export interface CliRow {
  resources: number;
  kind: "DesktopBatch" | "trivial dynamic resource";
  previewMs: number;
  upMs: number;
}

const PROGRAMS: Record<CliRow["kind"], string> = {
  DesktopBatch: `import * as pulumi from "@pulumi/pulumi";
import { DesktopBatch } from "pulumi-ecd";

const count = new pulumi.Config().requireNumber("count");
for (let i = 0; i < count; i++) {
  new DesktopBatch(\`b\${i}\`, {
    officeSiteId: "cn-hangzhou+dir-0000000001",
    bundleId: "b-win-office-4c8g",
    desktopName: \`b\${i}\`,
    amount: 1,
  });
}
`,
  "trivial dynamic resource": `import * as pulumi from "@pulumi/pulumi";

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: inputs.name, outs: inputs };
  },
};

class Trivial extends pulumi.dynamic.Resource {
  constructor(name: string) {
    super(provider, name, { name }, {});
  }
}

const count = new pulumi.Config().requireNumber("count");
for (let i = 0; i < count; i++) new Trivial(\`t\${i}\`);
`,
};

function program(kind: CliRow["kind"]): { root: string; programDir: string } {
  const root = tempDir("ecd-bench-cli-");
  const programDir = path.join(root, "program");
  fs.mkdirSync(programDir);
  fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), "name: ecd-bench\nruntime: nodejs\n");
  fs.writeFileSync(path.join(programDir, "index.ts"), PROGRAMS[kind]);
  fs.writeFileSync(path.join(programDir, "package.json"), '{ "name": "ecd-bench", "main": "index.ts" }\n');
  fs.copyFileSync(path.join(REPO_ROOT, "examples", "tsconfig.json"), path.join(root, "tsconfig.json"));
  fs.copyFileSync(path.join(REPO_ROOT, "examples", "tsconfig.json"), path.join(programDir, "tsconfig.json"));
  linkNodeModules(root);
  return { root, programDir };
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** The SDK the programs import is the built one (dist/); build it from this checkout first. */
export function buildForCli(): void {
  const built = spawnSync("npm", ["run", "build"], { cwd: REPO_ROOT, stdio: "inherit" });
  if (built.status !== 0) throw new Error("npm run build failed");
}

export async function runCliBench(cliDir: string, counts: number[], log: (line: string) => void) {
  const emu = await startEmulator({
    credentials: [{ accessKeyId: "bench", accessKeySecret: "bench-secret" }],
    durations: {
      createMs: 200,
      startMs: 100,
      stopMs: 100,
      deleteMs: 100,
      entitlementMs: 100,
      chargeTypeMs: 100,
    },
  });
  const rows: CliRow[] = [];
  try {
    for (const kind of ["DesktopBatch", "trivial dynamic resource"] as const) {
      for (const count of counts) {
        emu.reset();
        const { root, programDir } = program(kind);
        const stack = new PulumiStack({
          cliDir,
          programDir,
          stack: "bench",
          backendDir: path.join(root, "state"),
          env: {
            PULUMI_ECD_POLL_INTERVAL_MS: "100",
            ALIBABA_CLOUD_ACCESS_KEY_ID: "",
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: "",
            ALIBABA_CLOUD_ECD_ENDPOINT: "",
          },
        });
        try {
          await stack.init();
          await stack.setConfig("count", String(count));
          await stack.setConfig("alicloud:region", "cn-hangzhou");
          await stack.setConfig("alicloud:accessKey", "bench");
          await stack.setConfig("alicloud:secretKey", "bench-secret", { secret: true });
          await stack.setConfig("ecd:endpoint", emu.url);
          const previewMs = await timed(() => stack.run(["preview"]));
          const upMs = await timed(() => stack.run(["up", "--yes", "--skip-preview"]));
          await stack.run(["destroy", "--yes", "--skip-preview"]);
          rows.push({ resources: count, kind, previewMs, upMs });
          log(
            `  ${kind} x ${count}: preview ${(previewMs / 1000).toFixed(1)} s, up ${(upMs / 1000).toFixed(1)} s`,
          );
        } finally {
          fs.rmSync(root, { recursive: true, force: true });
        }
      }
    }
  } finally {
    await emu.close();
  }
  return rows;
}
