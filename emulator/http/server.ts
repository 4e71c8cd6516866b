import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CallLog } from "../calls";
import type { Clock } from "../clock";
import { EcdServiceError, Errors } from "../errors";
import type { DispatchResult, FaultInjector, FaultKind } from "../faults";
import type { EcdBackend } from "../model/backend";
import { API_VERSION, findOperation } from "./dispatch";
import { businessParams, headerValue, mergedParams, parseIncoming } from "./incoming";
import { renderError, renderSuccess, type RenderedResponse } from "./render";
import { detectSignatureStyle, type SignatureVerifier } from "./signature";
import { unflatten } from "./unflatten";

export interface ApiDeps {
  backend: EcdBackend;
  faults: FaultInjector;
  calls: CallLog;
  verifier: SignatureVerifier;
  verifySignatures: boolean;
  clock: Clock;
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
 * One ECD API call: route on x-acs-action (else Action), check the version and the signature, un-flatten the
 * parameters, then run the operation through the fault layer and render the JSON answer.
 */
export async function handleApiRequest(
  deps: ApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
): Promise<void> {
  const requestId = randomUUID().toUpperCase();
  const incoming = parseIncoming(req.method ?? "POST", req.url ?? "/", req.headers, body);
  const params = mergedParams(incoming);
  const action = headerValue(req.headers, "x-acs-action") ?? params.get("Action") ?? "";
  const version = headerValue(req.headers, "x-acs-version") ?? params.get("Version") ?? "";
  const regionId = params.get("RegionId") || undefined;
  const signature = detectSignatureStyle(incoming);
  const log = (httpStatus: number, code?: string, fault?: FaultKind): void =>
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

  const operation = findOperation(action);
  try {
    if (!operation) throw Errors.invalidAction(action);
    if (version !== API_VERSION) throw Errors.invalidVersion(version);
    if (deps.verifySignatures) deps.verifier.verify(incoming);
    if (!regionId) throw Errors.missingRegionId();
    if (!deps.backend.hasRegion(regionId)) throw Errors.invalidRegionId(regionId);
  } catch (error) {
    const serviceError = toServiceError(error);
    send(res, requestId, renderError(requestId, regionId, serviceError));
    log(serviceError.httpStatus, serviceError.code);
    return;
  }

  const tree = unflatten(businessParams(params));
  const outcome = await deps.faults.apply(action, (): DispatchResult => {
    try {
      return { ok: true, body: operation.run(deps.backend, regionId, tree) };
    } catch (error) {
      return { ok: false, error: toServiceError(error) };
    }
  });
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
