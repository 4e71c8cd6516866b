import { startEmulator, type RunningEmulator } from "./index";
import type { EmulatorCredential, EmulatorOptions, FaultConfig, LifecycleDurations } from "./types";

const USAGE = `Usage: node dist/emulator/cli.js [options]   (or: npm run emulator -- [options])

  --port N                      port on 127.0.0.1 (default 8912; 0 picks a free one)
  --credentials id:secret[,..]  accepted access keys (default emulator:emulator-secret)
  --regions r1,r2               regions (default cn-hangzhou,cn-shanghai,ap-southeast-1)
  --seed N                      seed for ids and fault rolls
  --create-ms N  --start-ms N  --stop-ms N  --delete-ms N  --entitlement-ms N  --charge-type-ms N
  --spec-ms N  --spec-interval-ms N  --rebuild-ms N
                                lifecycle durations in ms
  --failed-rate R               share of new desktops ending in Failed (0..1)
  --throttle-rate R  --server-error-rate R  --drop-rate R  --response-lost-rate R
                                fault rates (0..1)
  --latency-ms N                delay before each answer
  --fault-actions A,B           limit fault rates and latency to these actions
  --rate-limit                  per-user flow control: a token bucket per access key and action
  --rate-limit-qps A=N[,B=M]    QPS of these actions while --rate-limit is on (else the built-in table)
  --no-verify-signatures        accept unsigned or wrongly signed requests
  --help                        show this text
`;

export class UsageError extends Error {}

const DURATION_FLAGS: Record<string, keyof LifecycleDurations> = {
  "--create-ms": "createMs",
  "--start-ms": "startMs",
  "--stop-ms": "stopMs",
  "--delete-ms": "deleteMs",
  "--entitlement-ms": "entitlementMs",
  "--charge-type-ms": "chargeTypeMs",
  "--spec-ms": "specMs",
  "--spec-interval-ms": "specIntervalMs",
  "--rebuild-ms": "rebuildMs",
};

const FAULT_FLAGS: Record<string, keyof Omit<FaultConfig, "actions" | "rateLimit" | "rateLimitQps">> = {
  "--failed-rate": "failedDesktopRate",
  "--throttle-rate": "throttleRate",
  "--server-error-rate": "serverErrorRate",
  "--drop-rate": "dropConnectionRate",
  "--response-lost-rate": "createResponseLostRate",
  "--latency-ms": "latencyMs",
};

function number(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || text.trim() === "" || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`${flag} needs a number >= 0`);
  }
  return value;
}

function parseQps(text: string): Record<string, number> {
  const qps: Record<string, number> = {};
  for (const pair of text.split(",").filter(Boolean)) {
    const [action, value] = pair.split("=");
    const n = Number(value);
    if (!action || value === undefined || !(n > 0) || !Number.isFinite(n))
      throw new UsageError(`--rate-limit-qps: expected Action=N with N > 0, got "${pair}"`);
    qps[action] = n;
  }
  return qps;
}

function parseCredentials(text: string): EmulatorCredential[] {
  return text.split(",").map((pair) => {
    const colon = pair.indexOf(":");
    if (colon <= 0 || colon === pair.length - 1)
      throw new UsageError(`--credentials: expected id:secret, got "${pair}"`);
    return { accessKeyId: pair.slice(0, colon), accessKeySecret: pair.slice(colon + 1) };
  });
}

export function parseArgs(argv: readonly string[]): { help: boolean; options: EmulatorOptions } {
  const options: EmulatorOptions = { port: 8912 };
  let help = false;
  const durations: Partial<LifecycleDurations> = {};
  const faults: FaultConfig = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    if (flag === "--help" || flag === "-h") help = true;
    else if (flag === "--port") options.port = number(flag, value());
    else if (flag === "--credentials") options.credentials = parseCredentials(value());
    else if (flag === "--regions") options.regions = value().split(",").filter(Boolean);
    else if (flag === "--seed") options.seed = number(flag, value());
    else if (flag === "--fault-actions") faults.actions = value().split(",").filter(Boolean);
    else if (flag === "--no-verify-signatures") options.verifySignatures = false;
    else if (flag === "--rate-limit") faults.rateLimit = true;
    else if (flag === "--rate-limit-qps") faults.rateLimitQps = parseQps(value());
    else if (flag in DURATION_FLAGS) durations[DURATION_FLAGS[flag]] = number(flag, value());
    else if (flag in FAULT_FLAGS) faults[FAULT_FLAGS[flag]] = number(flag, value());
    else throw new UsageError(`unknown option ${arg}`);
  }
  if (Object.keys(durations).length > 0) options.durations = durations;
  if (Object.keys(faults).length > 0) options.faults = faults;
  return { help, options };
}

/**
 * The provider's poll interval for programs pointed at an emulator: without it the provider polls on the schedule
 * fitted to ECD's minutes-long operations (its first look at a create comes after 66 s), while the emulator makes
 * desktops ready in seconds.
 */
export const EMULATOR_POLL_INTERVAL_MS = 300;

export function banner(emu: RunningEmulator): string {
  const [first] = emu.credentials;
  return [
    `ECD emulator (API 2020-09-30) listening on ${emu.url}`,
    `Credentials: ${emu.credentials.map((c) => `${c.accessKeyId} / ${c.accessKeySecret}`).join(", ")}`,
    `Regions: ${emu.backend.regionIds.join(", ")}`,
    `Control endpoint: ${emu.url}/_emulator/health`,
    "",
    "Use it with:",
    `export ALIBABA_CLOUD_ECD_ENDPOINT=${emu.url}`,
    `export ALIBABA_CLOUD_ACCESS_KEY_ID=${first.accessKeyId}`,
    `export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${first.accessKeySecret}`,
    `export ALIBABA_CLOUD_REGION_ID=${emu.backend.regionIds[0]}`,
    `export PULUMI_ECD_POLL_INTERVAL_MS=${EMULATOR_POLL_INTERVAL_MS}`,
    "",
  ].join("\n");
}

export async function main(argv: readonly string[]): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return;
  }
  const emu = await startEmulator(parsed.options);
  process.stdout.write(banner(emu));
  const stop = (signal: NodeJS.Signals): void => {
    process.stdout.write(`Received ${signal}, stopping.\n`);
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
