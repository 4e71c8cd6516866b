import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "../../emulator/cli";

const ROOT = join(__dirname, "..", "..");

/** Runs emulator/cli.ts from source in a child node process. */
function runCli(args: string[]): ChildProcess {
  return spawn(
    process.execPath,
    ["-r", join(__dirname, "support", "ts-register.js"), join(ROOT, "emulator", "cli.ts"), ...args],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
}

function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; got:\n${output}`)),
      15000,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}; got:\n${output}`));
    });
  });
}

describe("emulator CLI", () => {
  test("starts, prints its URL, credentials and env lines, serves, and stops on SIGTERM", async () => {
    const child = runCli([
      "--port",
      "0",
      "--credentials",
      "ci:ci-secret,other:x",
      "--create-ms",
      "10",
      "--seed",
      "4",
    ]);
    try {
      const output = await waitForOutput(child, /ALIBABA_CLOUD_REGION_ID=.*\n/);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      expect(url).toBeDefined();
      expect(output).toContain("Credentials: ci / ci-secret, other / x");
      expect(output).toContain(`export ALIBABA_CLOUD_ECD_ENDPOINT=${url}`);
      expect(output).toContain("export ALIBABA_CLOUD_ACCESS_KEY_ID=ci");
      expect(output).toContain("export ALIBABA_CLOUD_ACCESS_KEY_SECRET=ci-secret");
      expect(output).toContain("export ALIBABA_CLOUD_REGION_ID=cn-hangzhou");
      const health = (await (await fetch(`${url}/_emulator/health`)).json()) as { status: string };
      expect(health.status).toBe("ok");
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  test("parses every option", () => {
    const { help, options } = parseArgs([
      "--port=9000",
      "--credentials",
      "a:b:c",
      "--regions",
      "cn-beijing,eu-central-1",
      "--seed",
      "42",
      "--create-ms",
      "100",
      "--start-ms",
      "5",
      "--stop-ms",
      "6",
      "--delete-ms",
      "7",
      "--entitlement-ms",
      "8",
      "--charge-type-ms",
      "9",
      "--spec-ms",
      "10",
      "--spec-interval-ms",
      "11",
      "--rebuild-ms",
      "12",
      "--failed-rate",
      "0.1",
      "--throttle-rate",
      "0.2",
      "--server-error-rate",
      "0.3",
      "--drop-rate",
      "0.4",
      "--response-lost-rate",
      "0.5",
      "--latency-ms",
      "20",
      "--fault-actions",
      "CreateDesktops,DescribeDesktops",
      "--no-verify-signatures",
    ]);
    expect(help).toBe(false);
    expect(options).toEqual({
      port: 9000,
      credentials: [{ accessKeyId: "a", accessKeySecret: "b:c" }],
      regions: ["cn-beijing", "eu-central-1"],
      seed: 42,
      durations: {
        createMs: 100,
        startMs: 5,
        stopMs: 6,
        deleteMs: 7,
        entitlementMs: 8,
        chargeTypeMs: 9,
        specMs: 10,
        specIntervalMs: 11,
        rebuildMs: 12,
      },
      faults: {
        failedDesktopRate: 0.1,
        throttleRate: 0.2,
        serverErrorRate: 0.3,
        dropConnectionRate: 0.4,
        createResponseLostRate: 0.5,
        latencyMs: 20,
        actions: ["CreateDesktops", "DescribeDesktops"],
      },
      verifySignatures: false,
    });
    expect(parseArgs([]).options).toEqual({ port: 8912 });
    expect(() => parseArgs(["--port"])).toThrow("--port needs a value");
    expect(() => parseArgs(["--bogus"])).toThrow("unknown option --bogus");
    expect(() => parseArgs(["--credentials", "nosecret"])).toThrow("expected id:secret");
  });
});
