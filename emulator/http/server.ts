import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CallLog } from "../calls";
import type { Clock } from "../clock";
import { EcdServiceError, Errors } from "../errors";
import type { DispatchResult, FaultInjector, Interference } from "../faults";
import type { EcdBackend } from "../model/backend";
import { API_VERSION, findOperation } from "./dispatch";
import {
  businessParams,
  headerValue,
  mergedParams,
  parseIncoming,
  type IncomingApiRequest,
} from "./incoming";
import { renderError, renderSuccess, type RenderedResponse } from "./render";
import { detectSignatureStyle, type SignatureStyle, type SignatureVerifier } from "./signature";
import { unflatten, type ParamTree } from "./unflatten";

export interface ApiDeps {
  backend: EcdBackend;
  faults: FaultInjector;
  calls: CallLog;
  verifier: SignatureVerifier;
  verifySignatures: boolean;
  clock: Clock;
  /** Incremented by every reset of the emulator. */
  epoch: () => number;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, requestId: string, rendered: RenderedResponse): void {
  res.writeHead(rendered.status, {
    "content-type": "application/json;charset=utf-8",
    "x-acs-request-id": requestId,
  });
  res.end(rendered.body);
}

function toServiceError(error: unknown): EcdServiceError {
  if (error instanceof EcdServiceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new EcdServiceError("InternalError", `The emulator failed to process the request: ${message}`, 500);
}

/**
 * V1 signs only the parameters, so a V1 request is routed on its signed Action/Version (the verifier rejects
 * x-acs-action/x-acs-version headers that disagree with them); other requests on those headers first, which V3
 * signs and the client sends instead of the parameters.
 */
function requestedOperation(
  incoming: IncomingApiRequest,
  params: Map<string, string>,
  style: SignatureStyle,
): { action: string; version: string } {
  const header = (name: string): string | undefined =>
    style === "V1" ? undefined : headerValue(incoming.headers, name);
  return {
    action: header("x-acs-action") ?? params.get("Action") ?? "",
    version: header("x-acs-version") ?? params.get("Version") ?? "",
  };
}

/** The access key a request names (V3 Authorization Credential, else V1 AccessKeyId), verified or not. */
function claimedAccessKeyId(incoming: IncomingApiRequest, params: Map<string, string>): string {
  const credential = /Credential=([^,\s]+)/.exec(headerValue(incoming.headers, "authorization") ?? "")?.[1];
  return credential ?? params.get("AccessKeyId") ?? "";
}

/**
 * One ECD API call: route it, check the version and the signature, un-flatten the parameters, then run the
 * operation through the fault layer and render the JSON answer. `startedIn` is the emulator's reset epoch when
 * the request arrived; a call overtaken by a reset is answered 503 and neither applied nor logged.
 */
export async function handleApiRequest(
  deps: ApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  startedIn: number = deps.epoch(),
): Promise<void> {
  const requestId = randomUUID().toUpperCase();
  const incoming = parseIncoming(req.method ?? "POST", req.url ?? "/", req.headers, body);
  const params = mergedParams(incoming);
  const signature = detectSignatureStyle(incoming);
  const { action, version } = requestedOperation(incoming, params, signature);
  const regionId = params.get("RegionId") || undefined;
  const stillCurrent = (): boolean => deps.epoch() === startedIn;
  const log = (httpStatus: number, code?: string, fault?: Interference): void =>
    deps.calls.record({
      action,
      at: deps.clock.now(),
      httpStatus,
      code,
      requestId,
      regionId,
      signature,
      fault,
    });
  const abandon = (): void => send(res, requestId, renderError(requestId, regionId, Errors.resetInFlight()));
  if (!stillCurrent()) return abandon();

  const operation = findOperation(action);
  let tree: { [key: string]: ParamTree };
  let accessKeyId = claimedAccessKeyId(incoming, params);
  try {
    if (!operation) throw Errors.invalidAction(action);
    if (version !== API_VERSION) throw Errors.invalidVersion(version);
    if (deps.verifySignatures) accessKeyId = deps.verifier.verify(incoming).accessKeyId ?? accessKeyId;
    if (!regionId) throw Errors.missingRegionId();
    if (!deps.backend.hasRegion(regionId)) throw Errors.invalidRegionId(regionId);
    tree = unflatten(businessParams(params));
  } catch (error) {
    const serviceError = toServiceError(error);
    send(res, requestId, renderError(requestId, regionId, serviceError));
    log(serviceError.httpStatus, serviceError.code);
    return;
  }

  const outcome = await deps.faults.apply(
    action,
    (): DispatchResult => {
      try {
        return { ok: true, body: operation.run(deps.backend, regionId, tree) };
      } catch (error) {
        return { ok: false, error: toServiceError(error) };
      }
    },
    stillCurrent,
    requestId,
    accessKeyId,
  );
  if (outcome.kind === "abandoned") return abandon();
  if (outcome.kind === "raw") {
    res.writeHead(outcome.status, { "content-type": outcome.contentType, "x-acs-request-id": requestId });
    res.end(outcome.body);
    log(outcome.status, undefined, outcome.fault);
    return;
  }
  if (outcome.kind === "drop") {
    req.socket.destroy();
    log(0, undefined, outcome.fault);
    return;
  }
  const { result, fault } = outcome;
  if (result.ok) {
    send(res, requestId, renderSuccess(requestId, result.body));
    log(200, undefined, fault);
  } else {
    send(res, requestId, renderError(requestId, regionId, result.error));
    log(result.error.httpStatus, result.error.code, fault);
  }
}
