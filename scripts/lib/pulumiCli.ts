/**
 * Runs the real Pulumi CLI against a local file:// backend, with nothing that reaches the network. Used by the
 * main-job script (`npm start`) and the end-to-end tests.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The folder holding pulumi, pulumi-language-nodejs and pulumi-resource-pulumi-nodejs (built or found). */
export function locatePulumiCli(options: { quiet?: boolean } = {}): string {
  const result = spawnSync("bash", [path.join(REPO_ROOT, "scripts", "get-pulumi.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", options.quiet ? "pipe" : "inherit"],
  });
  if (result.status !== 0) {
    throw new Error(
      `scripts/get-pulumi.sh failed (exit ${result.status}):\n${result.stderr ?? ""}${result.stdout ?? ""}`,
    );
  }
  const lines = result.stdout.trim().split("\n");
  const dir = lines[lines.length - 1];
  if (!fs.existsSync(path.join(dir, "pulumi")))
    throw new Error(`scripts/get-pulumi.sh printed ${dir}, which has no pulumi`);
  return dir;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface StackOptions {
  cliDir: string;
  programDir: string;
  stack: string;
  /** Where the file:// backend keeps state; created if missing. */
  backendDir: string;
  passphrase?: string;
  env?: Record<string, string>;
  /** Echo the CLI's output while it runs. */
  echo?: boolean;
}

export class PulumiStack {
  constructor(private readonly options: StackOptions) {}

  /** The same program and backend, addressing the stack by another name (after `pulumi stack rename`). */
  renamed(stack: string): PulumiStack {
    return new PulumiStack({ ...this.options, stack });
  }

  get env(): NodeJS.ProcessEnv {
    const { cliDir, backendDir, passphrase, env } = this.options;
    return {
      ...process.env,
      PATH: `${cliDir}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_BACKEND_URL: `file://${backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: passphrase ?? "pulumi-ecd-local",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      PULUMI_HOME: path.join(backendDir, ".pulumi-home"),
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
      NO_COLOR: "1",
      ...env,
    };
  }

  async init(): Promise<void> {
    fs.mkdirSync(this.options.backendDir, { recursive: true });
    const selected = await this.run(["stack", "select", this.options.stack], {
      allowFailure: true,
      quiet: true,
    });
    if (selected.code !== 0) await this.run(["stack", "init", this.options.stack]);
  }

  /** Runs `pulumi <args>` in the program folder; rejects on a non-zero exit unless allowFailure. */
  run(args: string[], opts: { allowFailure?: boolean; quiet?: boolean } = {}): Promise<CliResult> {
    const echo = this.options.echo && !opts.quiet;
    const fullArgs = [...args, "--non-interactive", "--color", "never"];
    const namesStackItself = args[0] === "stack" && (args[1] === "init" || args[1] === "select");
    if (!namesStackItself) fullArgs.push("--stack", this.options.stack);
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(this.options.cliDir, "pulumi"), fullArgs, {
        cwd: this.options.programDir,
        env: this.env,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk;
        if (echo) process.stdout.write(chunk);
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk;
        if (echo) process.stderr.write(chunk);
      });
      child.on("error", reject);
      child.on("close", (code) => {
        const result = { code: code ?? -1, stdout, stderr };
        if (result.code !== 0 && !opts.allowFailure) {
          reject(
            new Error(
              `pulumi ${args.join(" ")} exited ${result.code}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
            ),
          );
        } else {
          resolve(result);
        }
      });
    });
  }

  async setConfig(
    key: string,
    value: string,
    opts: { secret?: boolean; json?: boolean } = {},
  ): Promise<void> {
    const args = ["config", "set", key, value];
    if (opts.secret) args.push("--secret");
    if (opts.json) args.push("--path");
    await this.run(args);
  }

  async outputs(): Promise<Record<string, unknown>> {
    const result = await this.run(["stack", "output", "--json", "--show-secrets"], { quiet: true });
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  async exportState(): Promise<string> {
    return (await this.run(["stack", "export"], { quiet: true })).stdout;
  }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A throwaway copy of an example, laid out like a user's project: the program, the shared tsconfig, and a
 * node_modules that resolves @pulumi/pulumi and pulumi-ecd from this checkout. Stack files stay out of the repo.
 */
export function prepareExample(example: string): { root: string; programDir: string } {
  const root = tempDir(`ecd-${example}-`);
  const programDir = path.join(root, example);
  fs.cpSync(path.join(REPO_ROOT, "examples", example), programDir, {
    recursive: true,
    filter: (source) => !/Pulumi\.[^/]+\.yaml$/.test(source) || source.endsWith("Pulumi.yaml"),
  });
  fs.copyFileSync(path.join(REPO_ROOT, "examples", "tsconfig.json"), path.join(root, "tsconfig.json"));
  linkNodeModules(root);
  return { root, programDir };
}

/** Every installed package by link into `root`/node_modules, and pulumi-ecd as this checkout. */
export function linkNodeModules(root: string): void {
  // Whatever npm last did to node_modules, pulumi-ecd is this checkout.
  const modules = path.join(root, "node_modules");
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(REPO_ROOT, "node_modules"))) {
    if (entry === "pulumi-ecd" || entry.startsWith(".")) continue;
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", entry), path.join(modules, entry), "dir");
  }
  fs.symlinkSync(REPO_ROOT, path.join(modules, "pulumi-ecd"), "dir");
}
