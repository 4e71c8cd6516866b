import { SpawnSyncReturns, spawnSync } from "child_process";
import { createHash } from "crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { PROGRAM, RUN_WITH_MOCKS, SUBPATHS } from "./consumer";
import { brokenLinks } from "./links";

const ROOT = join(__dirname, "..", "..");
const SOURCES = ["sdk", "schema", "provider", "emulator", "cli"];

// Child npm processes must not inherit the npm_* settings of an enclosing `npm test`.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_")),
);

function run(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: "utf8", timeout: 120_000 });
}

function succeed(command: string, args: readonly string[], cwd: string): string {
  const result = run(command, args, cwd);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

/** `npm test` builds first; a bare `jest` run rebuilds only when dist/ is older than the sources. */
function ensureBuilt(): void {
  const built = newestMtime(join(ROOT, "dist", "sdk", "index.js"));
  if (built === 0 || SOURCES.some((dir) => newestMtime(join(ROOT, dir)) > built)) {
    succeed("npm", ["run", "build"], ROOT);
  }
}

function installedVersion(name: string): string {
  return (
    JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }
  ).version;
}

interface PackResult {
  filename: string;
  files: { path: string }[];
}

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

describe("the packed pulumi-ecd tarball in a fresh project", () => {
  let work: string;
  let consumer: string;
  let pack: PackResult;
  let typeCheck: SpawnSyncReturns<string>;

  beforeAll(() => {
    // Built here (or by `npm test`), so the pack skips its own prepack build and prints only its JSON.
    ensureBuilt();
    work = mkdtempSync(join(tmpdir(), "ecd-tarball-"));
    pack = (
      JSON.parse(
        succeed("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], ROOT),
      ) as PackResult[]
    )[0];
    consumer = join(work, "consumer");
    const dependencies = {
      "pulumi-ecd": `file:${join(work, pack.filename)}`,
      "@pulumi/pulumi": installedVersion("@pulumi/pulumi"),
      typescript: installedVersion("typescript"),
      "@types/node": installedVersion("@types/node"),
    };
    mkdirSync(consumer);
    writeFileSync(
      join(consumer, "package.json"),
      JSON.stringify({ name: "consumer", private: true, dependencies }),
    );
    // Lifecycle scripts are checked on their own below, so that one broken script does not hide the rest.
    succeed("npm", ["install", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund"], consumer);
    writeFileSync(join(consumer, "program.ts"), PROGRAM);
    writeFileSync(join(consumer, "run-with-mocks.js"), RUN_WITH_MOCKS);
    const files = ["program.ts"];
    for (const subpath of SUBPATHS.filter((s) => existsSync(join(ROOT, s.source)))) {
      writeFileSync(join(consumer, `${subpath.name}.ts`), subpath.program);
      files.push(`${subpath.name}.ts`);
    }
    const tsc = join(consumer, "node_modules", "typescript", "bin", "tsc");
    const flags = [
      "--noEmit",
      "--strict",
      "--module",
      "node16",
      "--moduleResolution",
      "node16",
      "--target",
      "es2022",
    ];
    typeCheck = run(process.execPath, [tsc, ...flags, "--types", "node", ...files], consumer);
  }, 180_000);

  afterAll(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  /** tsc's diagnostics (first lines only) whose file is, or is not, one of `files`. */
  function diagnostics(files: readonly string[], matching = true): string[] {
    return typeCheck.stdout
      .split("\n")
      .filter((line) => /^\S.*\(\d+,\d+\): error/.test(line))
      .filter((line) => files.some((file) => line.startsWith(`${file}(`)) === matching);
  }

  it("packs the SDK, provider, emulator and schema, and no tests", () => {
    const paths = pack.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "dist/sdk/index.js",
        "dist/sdk/index.d.ts",
        "dist/sdk/providerProxy.js",
        "schema/desktop-batch.schema.json",
      ]),
    );
    expect(paths.filter((p) => p.startsWith("test/") || p.includes(".test."))).toEqual([]);
  });

  it("ships compiled code and declarations only: no TypeScript sources, source maps or scripts", () => {
    const paths = pack.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["dist/cli/main.js", "CHANGELOG.md", "package.json"]));
    expect(paths.filter((p) => (p.endsWith(".ts") && !p.endsWith(".d.ts")) || p.endsWith(".map"))).toEqual(
      [],
    );
    expect(
      paths.filter(
        (p) =>
          !/^(dist\/|schema\/desktop-batch\.schema\.json$|[A-Z]+\.md$|docs\/[\w-]+\.md$|emulator\/README\.md$|package\.json$)/.test(
            p,
          ),
      ),
    ).toEqual([]);
  });

  it("ships the documentation its README links to: every link in the packed Markdown resolves inside it", () => {
    const installed = join(consumer, "node_modules", "pulumi-ecd");
    const markdown = pack.files.map((f) => f.path).filter((p) => p.endsWith(".md"));
    expect(markdown).toEqual(
      expect.arrayContaining([
        "README.md",
        "docs/installation.md",
        "docs/reference.md",
        "emulator/README.md",
      ]),
    );
    expect(brokenLinks(installed, markdown)).toEqual([]);
  });

  it("has no lifecycle scripts that would run (or warn) in a user's install", () => {
    const scripts =
      (
        JSON.parse(readFileSync(join(consumer, "node_modules", "pulumi-ecd", "package.json"), "utf8")) as {
          scripts?: Record<string, string>;
        }
      ).scripts ?? {};
    expect(Object.keys(scripts).filter((name) => /^(pre|post)?(install|prepare)$/.test(name))).toEqual([]);
  });

  it("runs `npx pulumi-ecd --help` from the installed tarball", () => {
    const help = run("npx", ["--no-install", "pulumi-ecd", "--help"], consumer);
    expect(help.stderr).toBe("");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("pr-summary");
  });

  it("runs pr-summary from the installed tarball on a preview captured from the real CLI", () => {
    const fixture = join(ROOT, "test", "cli", "fixtures", "replace.json");
    const summary = run(
      "npx",
      ["--no-install", "pulumi-ecd", "pr-summary", "--no-cost", "--fail-on-replace", fixture],
      consumer,
    );
    // Only the reason for the exit status, on stderr (a CI log shows why the job failed).
    expect(summary.stderr).toBe(
      "pulumi-ecd pr-summary: exit 3 (--fail-on-replace): the plan replaces dev-desktops, destroying its 3 desktops (officeSiteId changed)\n",
    );
    expect(summary.stdout).toContain("3 desktops of dev-desktops will be destroyed: users lose their data");
    expect(summary.status).toBe(3);
  });

  it("installs a single @pulumi/pulumi, so the SDK registers through the program's runtime", () => {
    expect(
      existsSync(join(consumer, "node_modules", "pulumi-ecd", "node_modules", "@pulumi", "pulumi")),
    ).toBe(false);
  });

  it("has install scripts that work from the packed files, as a user's npm install runs them", () => {
    const installed = join(consumer, "node_modules", "pulumi-ecd");
    const scripts =
      (
        JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as {
          scripts?: Record<string, string>;
        }
      ).scripts ?? {};
    const failures = ["preinstall", "install", "postinstall"]
      .filter((name) => scripts[name] !== undefined)
      .map((name) => ({ name, script: scripts[name], result: run("npm", ["run", name], installed) }))
      .filter(({ result }) => result.status !== 0)
      .map(
        ({ name, script, result }) =>
          `${name} (${script}): ${result.stderr.split("\n").slice(0, 8).join("\n")}`,
      );
    expect(failures).toEqual([]);
  });

  it("type-checks a program using every kind of input with tsc --noEmit --strict", () => {
    // Everything but the subpath files' own errors: program.ts and the packed declarations it pulls in.
    expect(
      diagnostics(
        SUBPATHS.map((s) => `${s.name}.ts`),
        false,
      ),
    ).toEqual([]);
  });

  it("registers the program's inputs under Pulumi's runtime mocks", () => {
    const { registered, firstStatus } = JSON.parse(succeed("node", ["run-with-mocks.js"], consumer)) as {
      registered: Registration[];
      firstStatus: string;
    };
    expect(registered.map((r) => [r.type, r.name])).toEqual([
      ["pulumi-nodejs:dynamic/ecd:DesktopBatch", "batch"],
    ]);
    const { __provider, ...inputs } = registered[0].inputs;
    expect(inputs).toEqual({
      officeSiteId: "cn-hangzhou+dir-1",
      regionId: "cn-hangzhou",
      amount: 2,
      desktopName: "packed",
      chargeType: "PrePaid",
      period: 1,
      periodUnit: "Month",
      autoPay: true,
      userAssignMode: "PER_USER",
      endUserIds: ["alice", "bob"],
      tags: { team: "eng", cost: "42" },
      userCommands: {
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
        value: [{ content: "ZWNobw==", contentEncoding: "Base64" }],
      },
      bundleModels: [{ bundleId: "b-1", amount: 2, endUserIds: ["alice"] }],
      desktopAttachment: { desktopType: "eds.enterprise_office.4c8g", imageId: "m-1", systemDiskSize: 80 },
      desktopTimers: [{ timerType: "NoConnect", interval: 30, operationType: "Hibernate" }],
      monthDesktopSetting: { useDuration: 1 },
      timeouts: { create: "45m" },
      releaseSubscriptionOnDelete: false,
      desktopNameSuffix: true,
      volumeEncryptionEnabled: false,
      stoppedMode: "StopCharging",
      dataDiskOnRebuild: "keep",
      // organization/project/stack/name; the mocks give no organization.
      lineage: createHash("sha256").update("/consumer/dev/batch").digest("hex").slice(0, 32),
    });
    expect(__provider).toEqual(expect.stringContaining('require("pulumi-ecd/provider")'));
    expect(firstStatus).toBe("Running");
  });

  it("resolves the ./schema export to the schema JSON", () => {
    const code =
      'console.log(require("pulumi-ecd/schema").resources["pulumi-ecd:index:DesktopBatch"] !== undefined)';
    expect(succeed(process.execPath, ["-e", code], consumer).trim()).toBe("true");
  });

  for (const subpath of SUBPATHS) {
    const written = existsSync(join(ROOT, subpath.source));
    const title = `resolves pulumi-ecd/${subpath.name} with types`;
    (written ? it : it.skip)(
      written ? title : `${title} (skipped: ${subpath.source} does not exist yet)`,
      () => {
        expect(diagnostics([`${subpath.name}.ts`])).toEqual([]);
        expect(succeed(process.execPath, ["-e", subpath.loads], consumer).trim()).toBe("true");
      },
    );
  }
});
