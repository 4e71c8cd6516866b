/**
 * Progress where the user sees it: the engine's Log service, under the resource the line is about. The plugin's
 * stderr reaches only the engine's own log; the URN of the request a line belongs to travels with the request's
 * async context, so the core's progress callback needs no protocol knowledge.
 */
import { AsyncLocalStorage } from "async_hooks";
import * as grpc from "@grpc/grpc-js";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";

const requestUrn = new AsyncLocalStorage<string>();

/** Runs one request's handler with its URN as the context of every progress line it logs. */
export const withUrn = <T>(urn: string, run: () => Promise<T>): Promise<T> => requestUrn.run(urn, run);

/** Each line to `fallback` (stderr) and, when the engine's address is known, to the engine as an info message. */
export function engineLog(
  address: string | undefined,
  fallback: (line: string) => void,
): (line: string) => void {
  if (!address) return fallback;
  const client = new enginerpc.EngineClient(address, grpc.credentials.createInsecure());
  return (line) => {
    fallback(line);
    const request = new engineproto.LogRequest()
      .setSeverity(engineproto.LogSeverity.INFO)
      .setMessage(line)
      .setUrn(requestUrn.getStore() ?? "");
    // A progress line the engine cannot take is not worth failing the operation for: stderr has it.
    client.log(request, () => undefined);
  };
}
