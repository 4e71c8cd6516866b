/**
 * The examples of examples/yaml, examples/python and examples/go run through the real Pulumi CLI and the `ecd`
 * resource plugin against the emulator, each behind one interface so that one scenario checks all three: the YAML
 * and Python programs with `pulumi` in a throwaway copy (the Python one with its virtualenv active, as the old
 * Python host needs), the Go one through the Automation API (its compiled example). State-only commands (`stack
 * export`, `state delete`) go to the CLI for every language.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { RunningEmulator } from "../../../emulator";
import { CliResult, PulumiStack, REPO_ROOT, tempDir } from "../../../scripts/lib/pulumiCli";
import { REQUIRE_E2E } from "../cli";
import { kill, processTree } from "../fleet";

export const LANGUAGES = ["yaml", "python", "go"] as const;
export type Language = (typeof LANGUAGES)[number];
export const REGION = "cn-hangzhou";
export const STACK = "e2e";
const EXAMPLES = path.join(REPO_ROOT, "examples");

/** A step of the plan, in the shape `pulumi preview --json` prints it. */
export interface PlannedStep {
  op: string;
  urn: string;
  replaceReasons?: string[];
  detailedDiff?: Record<string, { kind?: string; diffKind?: string }> | null;
}

export interface Step {
  command: string;
  code: number | null;
  output: string;
}

/** The language host scripts/get-pulumi.sh puts beside `pulumi` (Go programs need none). */
const HOSTS: Record<Language, string | undefined> = {
  yaml: "pulumi-language-yaml",
  python: "pulumi-language-python",
  go: undefined,
};

/** What this machine lacks to run a language's programs, if anything. */
function toolchainProblem(language: Language, cliDir: string): string | undefined {
  const host = HOSTS[language];
  if (host && !fs.existsSync(path.join(cliDir, host))) return `no ${host} beside pulumi in ${cliDir}`;
  const probe = (command: string, args: string[]) =>
    spawnSync(command, args, { encoding: "utf8" }).status === 0;
  if (language === "python" && !probe("python3", ["-m", "venv", "--help"]))
    return "python3 with the venv module is not on PATH";
  if (language === "go" && !probe("go", ["version"])) return "go is not on PATH";
  return undefined;
}

/** The languages this machine can run; a missing toolchain fails the suite where the end-to-end tests must run. */
export function runnableLanguages(cliDir: string): Language[] {
  return LANGUAGES.filter((language) => {
    const problem = toolchainProblem(language, cliDir);
    if (problem === undefined) return true;
    if (REQUIRE_E2E) throw new Error(`the ${language} end-to-end tests cannot run: ${problem}`);
    console.warn(`SKIPPING the ${language} end-to-end tests: ${problem}`);
    return false;
  });
}

function runChecked(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): void {
  const result = spawnSync(command, args, { ...options, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.status}\n${result.stdout}\n${result.stderr}`,
    );
}

/** A virtualenv with the pinned requirements and the generated SDK (sdk/python), as a user installs them. */
export function pythonVirtualenv(root: string): { bin: string; dir: string } {
  const dir = path.join(root, "venv");
  runChecked("python3", ["-m", "venv", dir], { cwd: root });
  const pip = path.join(dir, "bin", "pip");
  const install = ["install", "--disable-pip-version-check", "--quiet"];
  runChecked(pip, [...install, "-r", path.join(EXAMPLES, "python", "requirements.txt")], { cwd: root });
  // From a copy: building the package writes build/ and *.egg-info beside it.
  const sdk = path.join(root, "sdk-python");
  fs.cpSync(path.join(REPO_ROOT, "sdk", "python"), sdk, { recursive: true });
  runChecked(pip, [...install, "--no-deps", sdk], { cwd: root });
  return { bin: path.join(dir, "bin"), dir };
}

/** examples/go compiled (its go.mod points the SDK at sdk/go). */
export function buildGoExample(root: string): string {
  const binary = path.join(root, "ecd-go");
  runChecked("go", ["build", "-o", binary, "."], { cwd: path.join(EXAMPLES, "go") });
  return binary;
}

export interface ProgramOptions {
  cliDir: string;
  /** The folder holding the `pulumi-resource-ecd` executable, put on PATH. */
  pluginDir: string;
  emu: RunningEmulator;
  /** Extra environment for every run (PULUMI_ECD_* knobs). */
  env?: Record<string, string>;
  /** The example to copy (yaml, python); a test program of its own otherwise. */
  programSource?: string;
}

/** One example program with its own file:// backend and stack. */
export class LanguageProgram {
  readonly root: string;
  readonly programDir: string;
  readonly backendDir: string;
  readonly transcript: Step[] = [];
  private readonly config = new Map<string, { value: string; secret: boolean }>();
  private stack!: PulumiStack;
  private goBinary?: string;
  private extraPath: string[] = [];
  private extraEnv: Record<string, string> = {};

  constructor(
    readonly language: Language,
    private readonly options: ProgramOptions,
  ) {
    this.root = tempDir(`ecd-${language}-`);
    this.programDir = path.join(this.root, "program");
    this.backendDir = path.join(this.root, "state");
  }

  /** Copies or builds the program, makes its stack and sets the plugin's config (credentials as secrets). */
  async init(): Promise<void> {
    fs.mkdirSync(this.backendDir, { recursive: true });
    if (this.language === "go") {
      // The Automation API keeps the stack's settings here (and its Pulumi.yaml, which the CLI reads too).
      fs.mkdirSync(this.programDir);
      this.goBinary = buildGoExample(this.root);
    } else {
      const source = this.options.programSource ?? path.join(EXAMPLES, this.language);
      fs.cpSync(source, this.programDir, {
        recursive: true,
        filter: (file) => !/Pulumi\.[^/]+\.yaml$/.test(file) || file.endsWith("Pulumi.yaml"),
      });
    }
    if (this.language === "python") {
      const venv = pythonVirtualenv(this.root);
      // "Active": the venv's bin first on PATH and VIRTUAL_ENV set, as `source venv/bin/activate` does.
      this.extraPath = [venv.bin];
      this.extraEnv = { VIRTUAL_ENV: venv.dir };
    }
    const [credential] = this.options.emu.credentials;
    this.stack = new PulumiStack({
      cliDir: this.options.cliDir,
      programDir: this.programDir,
      stack: STACK,
      backendDir: this.backendDir,
      env: this.env(),
    });
    this.setConfig("ecd:region", REGION);
    this.setConfig("ecd:endpoint", this.options.emu.url);
    this.setConfig("ecd:accessKeyId", credential.accessKeyId, { secret: true });
    this.setConfig("ecd:accessKeySecret", credential.accessKeySecret, { secret: true });
    if (this.language === "go") {
      await this.go("outputs");
    } else {
      await this.cli("stack", "init", STACK);
      await this.flushConfig();
    }
  }

  private env(): Record<string, string> {
    const pathParts = [
      ...this.extraPath,
      this.options.pluginDir,
      this.options.cliDir,
      process.env.PATH ?? "",
    ];
    return {
      PATH: pathParts.join(path.delimiter),
      PULUMI_ECD_POLL_INTERVAL_MS: "100",
      // The plugin must get everything from the stack's config: nothing from the test runner's environment.
      ALIBABA_CLOUD_ACCESS_KEY_ID: "",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "",
      ...this.extraEnv,
      ...this.options.env,
    };
  }

  /** Stack config for the next run (`pulumi config set`, or -c/-secret of the Go example). */
  setConfig(key: string, value: string, opts: { secret?: boolean } = {}): void {
    this.config.set(key, { value, secret: opts.secret ?? false });
    this.pending.add(key);
  }

  private readonly pending = new Set<string>();

  private async flushConfig(): Promise<void> {
    for (const key of this.pending) {
      const { value, secret } = this.config.get(key)!;
      const args = ["config", "set", key, value];
      if (secret) args.push("--secret");
      await this.cli(...args);
    }
    this.pending.clear();
  }

  /** Every value set with setConfig, as the Go example's flags (it sets them on the stack each run). */
  private goConfigFlags(): string[] {
    return [...this.config].flatMap(([key, { value, secret }]) => [
      secret ? "-secret" : "-c",
      `${key}=${value}`,
    ]);
  }

  /** The Go example with `args` after its config flags; rejects on a non-zero exit. */
  private async go(...args: string[]): Promise<string> {
    const fullArgs = ["-stack", STACK, "-workdir", this.programDir, ...this.goConfigFlags(), ...args];
    const result = await this.spawn(this.goBinary!, fullArgs, `ecd-go ${args.join(" ")}`);
    if (result.code !== 0) throw new Error(`ecd-go ${args.join(" ")} exited ${result.code}`);
    this.pending.clear();
    return result.stdout;
  }

  private spawn(command: string, args: string[], label: string): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { cwd: this.programDir, env: this.stack.env });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (code) => {
        this.transcript.push({ command: label, code, output: stdout + stderr });
        resolve({ code: code ?? -1, stdout, stderr });
      });
    });
  }

  /** `pulumi <args>` in the program's folder; rejects on a non-zero exit. Returns stdout and stderr. */
  async cli(...args: string[]): Promise<string> {
    const result = await this.stack.run(args, { allowFailure: true });
    this.transcript.push({
      command: `pulumi ${args.join(" ")}`,
      code: result.code,
      output: result.stdout + result.stderr,
    });
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}`);
    return result.stdout + result.stderr;
  }

  async preview(opts: { expectNoChanges?: boolean } = {}): Promise<string> {
    const flag = opts.expectNoChanges ? ["--expect-no-changes"] : [];
    if (this.language === "go") return this.go("preview", ...flag.map((f) => f.slice(1)));
    await this.flushConfig();
    return this.cli("preview", "--diff", ...flag);
  }

  /** The plan's steps, as `pulumi preview --json` shows them. */
  async plannedSteps(): Promise<PlannedStep[]> {
    let json: string;
    if (this.language === "go") json = await this.go("preview", "-json");
    else {
      await this.flushConfig();
      const result = await this.stack.run(["preview", "--json"], { allowFailure: true, quiet: true });
      // The JSON (with the YAML host's source positions) is too long for a transcript: only what went to stderr.
      this.transcript.push({ command: "pulumi preview --json", code: result.code, output: result.stderr });
      if (result.code !== 0) throw new Error(`pulumi preview --json exited ${result.code}`);
      json = result.stdout;
    }
    return (JSON.parse(json) as { steps?: PlannedStep[] }).steps ?? [];
  }

  async up(): Promise<string> {
    if (this.language === "go") return this.go("up");
    await this.flushConfig();
    return this.cli("up", "--yes", "--skip-preview");
  }

  async refresh(opts: { expectNoChanges?: boolean } = {}): Promise<string> {
    if (this.language === "go")
      return this.go("refresh", ...(opts.expectNoChanges ? ["-expect-no-changes"] : []));
    await this.flushConfig();
    return this.cli("refresh", "--yes", ...(opts.expectNoChanges ? ["--expect-no-changes"] : []));
  }

  /** `pulumi import ecd:index:DesktopBatch desktops <id>` (the program's resource name). */
  async importBatch(batchId: string): Promise<string> {
    if (this.language === "go") return this.go("import", batchId);
    await this.flushConfig();
    return this.cli(
      "import",
      "ecd:index:DesktopBatch",
      "desktops",
      batchId,
      "--yes",
      "--protect=false",
      "--generate-code=false",
    );
  }

  async destroy(): Promise<string> {
    if (this.language === "go") return this.go("destroy");
    return this.cli("destroy", "--yes", "--skip-preview");
  }

  async outputs(): Promise<{ batchId: string; desktopIds: string[] }> {
    if (this.language === "go") return JSON.parse(await this.go("outputs"));
    return (await this.stack.outputs()) as { batchId: string; desktopIds: string[] };
  }

  /** The checkpoint as `pulumi stack export` prints it (secrets encrypted, as they are at rest). */
  async exportState(): Promise<string> {
    const text = await this.cli("stack", "export");
    return text;
  }

  /** The URN of the batch, from the state. */
  async batchUrn(): Promise<string> {
    const state = JSON.parse(await this.exportState()) as {
      deployment: { resources?: { urn: string; type: string }[] };
    };
    const batch = (state.deployment.resources ?? []).find((r) => r.type === "ecd:index:DesktopBatch");
    if (!batch) throw new Error("no ecd:index:DesktopBatch in the state");
    return batch.urn;
  }

  /** `pulumi state delete`: the stack forgets the batch, its desktops stay. */
  async forget(urn: string): Promise<void> {
    await this.cli("state", "delete", urn, "--yes");
  }

  /**
   * Starts `pulumi <args>` (YAML or Python) in a process group of its own, to be killed with everything it started
   * (the CLI starts the language host and each plugin in groups of their own), with the config set so far.
   * `killAll` returns what it killed.
   */
  async start(
    ...args: string[]
  ): Promise<{ exited: Promise<Step>; killAll(): { pid: number; args: string }[] }> {
    await this.flushConfig();
    const fullArgs = [...args, "--non-interactive", "--color", "never", "--stack", STACK];
    const child = spawn(path.join(this.options.cliDir, "pulumi"), fullArgs, {
      cwd: this.programDir,
      env: this.stack.env,
      detached: true,
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    const exited = new Promise<Step>((resolve) =>
      child.on("close", (code, signal) => {
        const step = { command: `pulumi ${args.join(" ")} (killed: ${signal ?? "no"})`, code, output };
        this.transcript.push(step);
        resolve(step);
      }),
    );
    return {
      exited,
      killAll: () => {
        const tree = processTree(child.pid!);
        for (const leader of tree.filter((row) => row.pgid === row.pid)) kill(-leader.pgid);
        for (const row of tree) kill(row.pid);
        return tree.map(({ pid, args }) => ({ pid, args }));
      },
    };
  }

  /** Everything every run printed, for a failing test's message. */
  describe(lines = 60): string {
    return this.transcript
      .map((step) => {
        const tail = step.output.trimEnd().split("\n").slice(-lines).join("\n");
        return `$ ${step.command}  [exit ${step.code}]\n${tail}`;
      })
      .join("\n\n");
  }

  /** Everything every run printed, in full, except the state dumps of `pulumi stack export`. */
  allOutput(): string {
    return this.transcript
      .filter((step) => step.command !== "pulumi stack export")
      .map((step) => step.output)
      .join("\n");
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
