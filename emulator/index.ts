import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { CallLog } from "./calls";
import { systemClock, type Clock } from "./clock";
import { CONTROL_PREFIX, handleControlRequest } from "./control";
import { FaultInjector } from "./faults";
import { handleApiRequest, readBody } from "./http/server";
import { SignatureVerifier } from "./http/signature";
import { DEFAULT_REGIONS, DEFAULT_SEED, EcdBackend } from "./model/backend";
import type { EmulatorCredential, EmulatorOptions } from "./types";

export { CallLog, type CallRecord } from "./calls";
export { ManualClock, systemClock, type Clock } from "./clock";
export { EcdServiceError, Errors } from "./errors";
export { FaultInjector, FAULT_KINDS, type FaultKind, type Interference, type ScriptedFault } from "./faults";
export { DEFAULT_RATE_LIMIT_QPS, DEFAULT_READ_QPS, DEFAULT_WRITE_QPS, qpsFor } from "./rateLimit";
export { API_VERSION, OPERATIONS } from "./http/dispatch";
export type { SignatureStyle } from "./http/signature";
export { unflatten, type ParamTree } from "./http/unflatten";
export {
  DEFAULT_REGIONS,
  DEFAULT_SEED,
  EcdBackend,
  type BackendOptions,
  type SeedData,
} from "./model/backend";
export { DEFAULT_POLICY_GROUP_ID, DESKTOP_TYPES, END_USERS, KMS_KEYS } from "./model/seed";
export { DESKTOP_RESOURCE_TYPE, type WireTagResource } from "./model/tags";
export { DEFAULT_DURATIONS, DESKTOP_STATUSES, type DesktopRecord, type DesktopStatus } from "./model/types";
export type {
  WireBundle,
  WireDesktop,
  WireDisk,
  WireOfficeSite,
  WirePolicyGroup,
  WireTag,
} from "./model/wire";
export type {
  EmulatorCredential,
  EmulatorOptions,
  FaultConfig,
  LifecycleDurations,
  ServiceVariants,
} from "./types";

export const DEFAULT_CREDENTIALS: readonly EmulatorCredential[] = [
  { accessKeyId: "emulator", accessKeySecret: "emulator-secret" },
];

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT`, the form `@alicloud/openapi-client`'s Config.endpoint wants. */
  endpoint: string;
  port: number;
  credentials: EmulatorCredential[];
  backend: EcdBackend;
  faults: FaultInjector;
  calls: CallLog;
  clock: Clock;
  /**
   * Back to the start state: seed data only, faults as given at start, empty call log, no nonces. Calls still in
   * flight (e.g. delayed by latencyMs) are answered 503 ServiceUnavailable and not applied.
   */
  reset(): void;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts a local ECD (2020-09-30) emulator bound to 127.0.0.1. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = options.clock ?? systemClock;
  const credentials = (options.credentials ?? DEFAULT_CREDENTIALS).map((c) => ({ ...c }));
  const seed = options.seed ?? DEFAULT_SEED;
  const faults = new FaultInjector(options.faults ?? {}, seed, clock);
  const backend = new EcdBackend({
    regions: options.regions ?? DEFAULT_REGIONS,
    clock,
    durations: options.durations,
    variants: options.variants,
    seed,
    shouldFailDesktop: () => faults.rollDesktopFailure(),
  });
  const calls = new CallLog();
  const verifier = new SignatureVerifier(() => credentials, options.signatureClock ?? systemClock);
  // Requests remember the epoch they arrived in, so one delayed across a reset cannot touch the new state.
  let epoch = 0;
  const resetAll = (): void => {
    epoch += 1;
    backend.reset();
    faults.restoreInitial();
    calls.reset();
    verifier.reset();
  };
  const apiDeps = {
    backend,
    faults,
    calls,
    verifier,
    verifySignatures: options.verifySignatures ?? true,
    clock,
    epoch: () => epoch,
  };
  const controlDeps = { backend, faults, calls, clock, resetAll };

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const startedIn = epoch;
    readBody(req)
      .then((body) => {
        if ((req.url ?? "").startsWith(CONTROL_PREFIX)) handleControlRequest(controlDeps, req, res, body);
        else return handleApiRequest(apiDeps, req, res, body, startedIn);
      })
      .catch(() => req.socket.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const port = await listen(server, options.port ?? 0);

  return {
    url: `http://127.0.0.1:${port}`,
    endpoint: `127.0.0.1:${port}`,
    port,
    credentials,
    backend,
    faults,
    calls,
    clock,
    reset: resetAll,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}
