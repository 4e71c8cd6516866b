import { systemClock, type Clock } from "./clock";
import { EcdServiceError, Errors } from "./errors";
import { qpsFor, RateLimiter } from "./rateLimit";
import { SeededRandom } from "./rng";
import type { FaultConfig } from "./types";

export type FaultKind = "throttle" | "serverError" | "drop" | "responseLost" | "malformed";
export const FAULT_KINDS: readonly FaultKind[] = [
  "throttle",
  "serverError",
  "drop",
  "responseLost",
  "malformed",
];

/**
 * The broken answers a client meets in the wild, each with whether the call was applied before it:
 * - `html`: a gateway's 502 HTML page, not applied (the gateway never reached the service);
 * - `notJson`: 200 with a plain-text body, applied;
 * - `truncated`: 200 with the real JSON answer cut in half, applied;
 * - `missingFields`: 200 with only the RequestId, the operation's own fields missing (CreateDesktops without
 *   DesktopId and OrderId, DescribeDesktops without Desktops), applied;
 * - `errorIn200`: 200 whose JSON carries an error Code and Message (as some gateways answer), not applied.
 */
export type MalformedShape = "html" | "notJson" | "truncated" | "missingFields" | "errorIn200";
export const MALFORMED_SHAPES: readonly MalformedShape[] = [
  "html",
  "notJson",
  "truncated",
  "missingFields",
  "errorIn200",
];

/** A deterministic fault, consumed in order by the next matching calls. */
export interface ScriptedFault {
  /** Only calls to this action consume it; any action when absent. */
  action?: string;
  kind: FaultKind;
  /** How many matching calls it hits (default 1). */
  times?: number;
  /** For serverError: 503 ServiceUnavailable (default) or 500 InternalError. */
  status?: 500 | 503;
  /** For malformed: which broken answer (default `html`). */
  shape?: MalformedShape;
}

export type DispatchResult = { ok: true; body: object } | { ok: false; error: EcdServiceError };

/** What interfered with a call: a fault kind, or the rate limit. */
export type Interference = FaultKind | "rateLimit";

export type FaultOutcome =
  | { kind: "respond"; result: DispatchResult; fault?: Interference }
  | { kind: "drop"; fault: "drop" | "responseLost" }
  /** An answer the HTTP layer sends as is (status, content type, body), not as rendered JSON. */
  | { kind: "raw"; status: number; contentType: string; body: string; fault: "malformed" }
  /** `stillCurrent` turned false during the latency: nothing was rolled, consumed or run. */
  | { kind: "abandoned" };

const RATE_KEYS = [
  "throttleRate",
  "serverErrorRate",
  "dropConnectionRate",
  "createResponseLostRate",
  "failedDesktopRate",
] as const;

export function validateFaultConfig(config: FaultConfig): void {
  for (const key of RATE_KEYS) {
    const value = config[key];
    if (value !== undefined && !(typeof value === "number" && value >= 0 && value <= 1)) {
      throw new RangeError(`${key} must be a number from 0 to 1`);
    }
  }
  if (config.latencyMs !== undefined && !(typeof config.latencyMs === "number" && config.latencyMs >= 0)) {
    throw new RangeError("latencyMs must be a number >= 0");
  }
  if (config.rateLimit !== undefined && typeof config.rateLimit !== "boolean") {
    throw new RangeError("rateLimit must be true or false");
  }
  const qps = config.rateLimitQps;
  if (
    qps !== undefined &&
    !(
      typeof qps === "object" &&
      qps !== null &&
      !Array.isArray(qps) &&
      Object.values(qps).every((v) => typeof v === "number" && v > 0 && Number.isFinite(v))
    )
  ) {
    throw new RangeError("rateLimitQps must map action names to numbers > 0");
  }
  if (
    config.actions !== undefined &&
    !(Array.isArray(config.actions) && config.actions.every((a) => typeof a === "string"))
  ) {
    throw new RangeError("actions must be a list of action names");
  }
}

export function validateScriptedFault(fault: ScriptedFault): void {
  if (typeof fault !== "object" || fault === null) throw new RangeError("a scripted fault must be an object");
  if (fault.action !== undefined && typeof fault.action !== "string")
    throw new RangeError("action must be a string");
  if (!FAULT_KINDS.includes(fault.kind))
    throw new RangeError(`kind must be one of ${FAULT_KINDS.join(", ")}`);
  if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times >= 1)) {
    throw new RangeError("times must be an integer >= 1");
  }
  if (fault.status !== undefined && fault.status !== 500 && fault.status !== 503) {
    throw new RangeError("status must be 500 or 503");
  }
  if (fault.shape !== undefined && !MALFORMED_SHAPES.includes(fault.shape))
    throw new RangeError(`shape must be one of ${MALFORMED_SHAPES.join(", ")}`);
}

const GATEWAY_PAGE =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n" +
  "<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n";

/** The broken answer of this shape; `run` applies the call (only for the shapes that are applied). */
function malformedAnswer(shape: MalformedShape, run: () => DispatchResult, requestId: string): FaultOutcome {
  const raw = (status: number, contentType: string, body: string): FaultOutcome => ({
    kind: "raw",
    status,
    contentType,
    body,
    fault: "malformed",
  });
  const json = "application/json;charset=utf-8";
  switch (shape) {
    case "html":
      return raw(502, "text/html", GATEWAY_PAGE);
    case "errorIn200":
      return raw(
        200,
        json,
        JSON.stringify({
          RequestId: requestId,
          Code: "InternalError",
          Message: "The request processing has failed due to some unknown error.",
        }),
      );
    case "notJson":
      run();
      return raw(200, "text/plain", "OK");
    case "truncated": {
      const result = run();
      const full = JSON.stringify(result.ok ? result.body : { Code: result.error.code });
      return raw(200, json, full.slice(0, Math.max(1, Math.floor(full.length / 2))));
    }
    case "missingFields":
      run();
      return raw(200, json, JSON.stringify({ RequestId: requestId }));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The fault-injection layer. It wraps the dispatcher: it may delay a call, throttle it (the per-user rate limit,
 * when on), answer it with an error without running it, drop the connection before running it, run it and then
 * lose the response, or answer with a malformed body.
 */
export class FaultInjector {
  private current: FaultConfig;
  private queue: (ScriptedFault & { times: number })[] = [];
  // Separate streams so that enabling call faults does not change which desktops fail, and vice versa.
  private callRng: SeededRandom;
  private desktopRng: SeededRandom;
  private readonly limiter = new RateLimiter();

  constructor(
    private readonly initial: FaultConfig = {},
    private readonly seed = 1,
    /** Refills the rate-limit buckets: the emulator's lifecycle clock. */
    private readonly clock: Clock = systemClock,
  ) {
    validateFaultConfig(initial);
    this.current = { ...initial };
    this.callRng = new SeededRandom(seed);
    this.desktopRng = new SeededRandom(seed + 1);
  }

  config(): FaultConfig {
    return {
      ...this.current,
      actions: this.current.actions ? [...this.current.actions] : undefined,
      rateLimitQps: this.current.rateLimitQps ? { ...this.current.rateLimitQps } : undefined,
    };
  }

  /** Merges `partial` into the current rates; `undefined` values are ignored. */
  set(partial: FaultConfig): void {
    validateFaultConfig(partial);
    const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
    this.current = { ...this.current, ...defined };
  }

  /** Clears every rate and pending scripted fault (back to no faults, not to the start options). */
  reset(): void {
    this.current = {};
    this.queue = [];
    this.limiter.reset();
    this.callRng = new SeededRandom(this.seed);
    this.desktopRng = new SeededRandom(this.seed + 1);
  }

  /** Restores the faults given at start. */
  restoreInitial(): void {
    this.reset();
    this.current = { ...this.initial };
  }

  script(...faults: ScriptedFault[]): void {
    faults.forEach(validateScriptedFault);
    for (const fault of faults) this.queue.push({ ...fault, times: fault.times ?? 1 });
  }

  pending(): ScriptedFault[] {
    return this.queue.map((f) => ({ ...f }));
  }

  /** Rolls `failedDesktopRate` for one newly created desktop. */
  rollDesktopFailure(): boolean {
    return this.desktopRng.chance(this.current.failedDesktopRate ?? 0);
  }

  /** `accessKeyId` is the caller the rate limit counts the call against. */
  async apply(
    action: string,
    run: () => DispatchResult,
    stillCurrent: () => boolean = () => true,
    requestId = "",
    accessKeyId = "",
  ): Promise<FaultOutcome> {
    const inScope = !this.current.actions || this.current.actions.includes(action);
    if (inScope && this.current.latencyMs) {
      await sleep(this.current.latencyMs);
      // Checked before the scripted queue and the RNG: an abandoned call must not eat the next test's faults.
      if (!stillCurrent()) return { kind: "abandoned" };
    }
    // The gateway's flow control comes before the service sees the call; it applies to every action.
    if (
      this.current.rateLimit &&
      !this.limiter.take(accessKeyId, action, this.clock.now(), qpsFor(action, this.current.rateLimitQps))
    ) {
      return { kind: "respond", result: { ok: false, error: Errors.throttling() }, fault: "rateLimit" };
    }
    const scripted = this.takeScripted(action);
    const decision = scripted ?? (inScope ? this.roll(action) : undefined);
    if (!decision) return { kind: "respond", result: run() };
    switch (decision.kind) {
      case "throttle":
        return { kind: "respond", result: { ok: false, error: Errors.throttling() }, fault: "throttle" };
      case "serverError": {
        const error = decision.status === 500 ? Errors.internalError() : Errors.serviceUnavailable();
        return { kind: "respond", result: { ok: false, error }, fault: "serverError" };
      }
      case "drop":
        return { kind: "drop", fault: "drop" };
      case "responseLost":
        run();
        return { kind: "drop", fault: "responseLost" };
      case "malformed":
        return malformedAnswer(decision.shape ?? "html", run, requestId);
    }
  }

  private takeScripted(action: string): ScriptedFault | undefined {
    const index = this.queue.findIndex((f) => f.action === undefined || f.action === action);
    if (index < 0) return undefined;
    const fault = this.queue[index];
    fault.times -= 1;
    if (fault.times <= 0) this.queue.splice(index, 1);
    return fault;
  }

  private roll(action: string): ScriptedFault | undefined {
    if (this.callRng.chance(this.current.dropConnectionRate ?? 0)) return { kind: "drop" };
    if (this.callRng.chance(this.current.throttleRate ?? 0)) return { kind: "throttle" };
    if (this.callRng.chance(this.current.serverErrorRate ?? 0)) {
      return { kind: "serverError", status: this.callRng.chance(0.5) ? 503 : 500 };
    }
    if (action === "CreateDesktops" && this.callRng.chance(this.current.createResponseLostRate ?? 0)) {
      return { kind: "responseLost" };
    }
    return undefined;
  }
}
