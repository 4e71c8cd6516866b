import type { IncomingMessage, ServerResponse } from "node:http";
import { isIPv4 } from "node:net";
import type { CallLog } from "./calls";
import { ManualClock, type Clock } from "./clock";
import type { FaultInjector, ScriptedFault } from "./faults";
import type { EcdBackend } from "./model/backend";
import { DESKTOP_STATUSES, type DesktopStatus } from "./model/types";
import type { FaultConfig } from "./types";

/**
 * The control endpoint under /_emulator/: plain JSON, no signature, loopback callers only. It lets tests in
 * another process inspect and steer the emulator. Being unsigned, it refuses what a web page in a browser on the
 * same machine could send: non-loopback Host names (DNS rebinding) and POSTs that are not application/json.
 */

export const CONTROL_PREFIX = "/_emulator/";

export interface ControlDeps {
  backend: EcdBackend;
  faults: FaultInjector;
  calls: CallLog;
  clock: Clock;
  resetAll: () => void;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6. */
function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  return address === "::1" || (isIPv4(v4) && v4.startsWith("127."));
}

/** A Host naming the loopback interface: a page whose own name was rebound to 127.0.0.1 sends its own name. */
function isLoopbackHost(host: string | undefined): boolean {
  const name = (host ?? "").replace(/:\d+$/, "").toLowerCase();
  return name === "localhost" || name === "[::1]" || isLoopbackAddress(name);
}

function mediaType(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json;charset=utf-8" });
  res.end(JSON.stringify(body));
}

function parseObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new ControlError(400, "the body must be JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ControlError(400, "the body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

function stringList(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new ControlError(400, `${name} must be a list of strings`);
  }
  return value;
}

function faultsBody(deps: ControlDeps): { config: FaultConfig; script: ScriptedFault[] } {
  return { config: deps.faults.config(), script: deps.faults.pending() };
}

const FAULT_CONFIG_KEYS: readonly string[] = [
  "throttleRate",
  "serverErrorRate",
  "dropConnectionRate",
  "createResponseLostRate",
  "latencyMs",
  "failedDesktopRate",
  "rateLimit",
  "rateLimitQps",
  "actions",
] satisfies (keyof FaultConfig)[];

/** POST /_emulator/faults: `{reset?: true, script?: ScriptedFault[], ...FaultConfig}`. */
function updateFaults(deps: ControlDeps, input: Record<string, unknown>): void {
  const { reset, script, ...config } = input;
  const unknown = Object.keys(config).filter((k) => !FAULT_CONFIG_KEYS.includes(k));
  if (unknown.length > 0) throw new ControlError(400, `unknown fault options: ${unknown.join(", ")}`);
  try {
    if (reset === true) deps.faults.reset();
    // validateFaultConfig (inside set) checks every value's type.
    deps.faults.set(config as FaultConfig);
    if (script !== undefined) {
      if (!Array.isArray(script)) throw new RangeError("script must be a list");
      deps.faults.script(...(script as ScriptedFault[]));
    }
  } catch (error) {
    if (error instanceof RangeError) throw new ControlError(400, error.message);
    throw error;
  }
}

function route(
  deps: ControlDeps,
  method: string,
  path: string,
  search: URLSearchParams,
  body: Buffer,
): unknown {
  const key = `${method} ${path}`;
  switch (key) {
    case "GET health":
      return { status: "ok", version: "2020-09-30", regions: deps.backend.regionIds, now: deps.clock.now() };
    case "GET faults":
      return faultsBody(deps);
    case "POST faults":
      updateFaults(deps, parseObject(body));
      return faultsBody(deps);
    case "GET calls":
      return { calls: deps.calls.entries(search.get("action") ?? undefined), counts: deps.calls.counts() };
    case "POST calls/reset":
      deps.calls.reset();
      return { ok: true };
    case "GET desktops": {
      const regionId = search.get("regionId") ?? undefined;
      if (regionId !== undefined && !deps.backend.hasRegion(regionId)) {
        throw new ControlError(400, `unknown region ${regionId}`);
      }
      return { desktops: deps.backend.describeDesktops(regionId) };
    }
    case "POST desktops/delete": {
      const ids = stringList(parseObject(body).desktopIds, "desktopIds");
      return { removed: deps.backend.removeDesktops(ids) };
    }
    case "POST desktops/status": {
      const input = parseObject(body);
      const status = input.status;
      if (typeof input.desktopId !== "string") throw new ControlError(400, "desktopId must be a string");
      if (typeof status !== "string" || !DESKTOP_STATUSES.includes(status as DesktopStatus)) {
        throw new ControlError(400, `status must be one of ${DESKTOP_STATUSES.join(", ")}`);
      }
      if (!deps.backend.getDesktop(input.desktopId))
        throw new ControlError(404, `desktop ${input.desktopId} not found`);
      deps.backend.forceStatus(input.desktopId, status as DesktopStatus);
      return { ok: true };
    }
    case "POST clock/advance": {
      const ms = parseObject(body).ms;
      if (!(deps.clock instanceof ManualClock))
        throw new ControlError(409, "the emulator does not run on a ManualClock");
      if (typeof ms !== "number" || !(ms >= 0)) throw new ControlError(400, "ms must be a number >= 0");
      return { now: deps.clock.advance(ms) };
    }
    case "POST reset":
      deps.resetAll();
      return { ok: true };
    default:
      throw new ControlError(404, `no control route ${method} ${CONTROL_PREFIX}${path}`);
  }
}

export function handleControlRequest(
  deps: ControlDeps,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
): void {
  if (!isLoopbackAddress(req.socket.remoteAddress) || !isLoopbackHost(req.headers.host)) {
    reply(res, 403, { error: "the control endpoint only answers loopback callers" });
    return;
  }
  // A browser may send a cross-site text/plain or form POST without asking first; it must preflight JSON. A POST
  // without a body and without an Origin (which browsers send with every POST), as `curl -X POST` makes it, is
  // no browser's.
  const bodiless =
    body.length === 0 && req.headers["content-type"] === undefined && req.headers.origin === undefined;
  if (req.method === "POST" && mediaType(req) !== "application/json" && !bodiless) {
    reply(res, 415, { error: "POST requests to the control endpoint need content-type: application/json" });
    return;
  }
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, "");
  try {
    reply(res, 200, route(deps, req.method ?? "GET", path, url.searchParams, body));
  } catch (error) {
    if (error instanceof ControlError) reply(res, error.status, { error: error.message });
    else reply(res, 500, { error: error instanceof Error ? error.message : String(error) });
  }
}
