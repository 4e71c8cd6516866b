/**
 * `npm run package:plugin`: the relocatable plugin archive `pulumi-resource-ecd-v<version>-linux-amd64.tar.gz`
 * that `pulumi plugin install resource ecd <version> --file <archive>` installs. It holds the executable
 * `pulumi-resource-ecd` (a shell script that execs node), the compiled provider and the node_modules closure
 * of what it requires at run time, so the machine needs nothing but `node`. Reads dist/ (run `npm run build`
 * first; the npm script does).
 */
import { spawnSync } from "child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { dirname, join, relative } from "path";
import { PLUGIN_SCHEMA_PATH } from "./gen/pluginSchema";

const ROOT = join(__dirname, "..");

/** Packages the plugin requires at run time; their own dependencies follow. */
const RUNTIME = [
  "@alicloud/credentials",
  "@alicloud/openapi-client",
  "@alicloud/tea-util",
  "@grpc/grpc-js",
  "google-protobuf",
];
/** Of @pulumi/pulumi the plugin needs only the generated gRPC stubs (which need grpc-js and google-protobuf). */
const PULUMI_PARTS = ["package.json", "proto"];

interface Manifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function packageDir(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dir === dirname(dir)) return undefined;
  }
}

/** Every package directory reachable from `names` by Node's resolution, each once. */
function closure(names: readonly string[]): string[] {
  const found = new Set<string>();
  const pending = names.map((name) => ({ name, from: ROOT, optional: false }));
  while (pending.length) {
    const { name, from, optional } = pending.pop()!;
    const dir = packageDir(name, from);
    if (!dir) {
      if (optional) continue;
      throw new Error(
        `${name} (needed by ${relative(ROOT, from) || "the plugin"}) is not installed: run npm ci`,
      );
    }
    if (found.has(dir)) continue;
    found.add(dir);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
    for (const dep of Object.keys(manifest.dependencies ?? {}))
      pending.push({ name: dep, from: dir, optional: false });
    for (const dep of Object.keys(manifest.optionalDependencies ?? {}))
      pending.push({ name: dep, from: dir, optional: true });
  }
  return [...found].sort();
}

function main(): void {
  const version = (JSON.parse(readFileSync(join(ROOT, PLUGIN_SCHEMA_PATH), "utf8")) as { version: string })
    .version;
  const entry = join(ROOT, "dist/provider/cmd/pulumi-resource-ecd/main.js");
  if (!existsSync(entry)) throw new Error("dist/ has no plugin entry point: run npm run build first");
  const stage = mkdtempSync(join(tmpdir(), "pulumi-resource-ecd-"));
  try {
    const executable = join(stage, "pulumi-resource-ecd");
    cpSync(join(ROOT, "provider/cmd/pulumi-resource-ecd/pulumi-resource-ecd"), executable);
    for (const part of ["provider", "schema"])
      cpSync(join(ROOT, "dist", part), join(stage, "dist", part), { recursive: true });
    const packages = closure(RUNTIME);
    for (const dir of packages) {
      const target = join(stage, relative(ROOT, dir));
      if (!existsSync(target)) cpSync(dir, target, { recursive: true, dereference: true });
    }
    const pulumi = join(ROOT, "node_modules/@pulumi/pulumi");
    for (const part of PULUMI_PARTS)
      cpSync(join(pulumi, part), join(stage, "node_modules/@pulumi/pulumi", part), { recursive: true });
    writeFileSync(
      join(stage, "package.json"),
      `${JSON.stringify({ name: "pulumi-resource-ecd", version, private: true, license: "Apache-2.0" }, null, 2)}\n`,
    );
    const archive = join(ROOT, `pulumi-resource-ecd-v${version}-linux-amd64.tar.gz`);
    rmSync(archive, { force: true });
    const tar = spawnSync("tar", ["-czf", archive, "-C", stage, "."], { stdio: "inherit" });
    if (tar.status !== 0) throw new Error(`tar failed (exit ${tar.status})`);
    mkdirSync(dirname(archive), { recursive: true });
    console.log(`${relative(ROOT, archive)}: ${packages.length + 1} packages; install with`);
    console.log(`  pulumi plugin install resource ecd ${version} --file ${relative(process.cwd(), archive)}`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

main();
