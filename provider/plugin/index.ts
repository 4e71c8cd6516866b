/**
 * Serves the `ecd` resource plugin: binds a gRPC port, writes it to stdout (the engine reads it from there) and
 * sends every progress line to stderr.
 */
import * as grpc from "@grpc/grpc-js";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import schema from "../cmd/pulumi-resource-ecd/schema.json";
import { engineReachable } from "../desktopBatch/engine";
import { DesktopBatchProviderOptions } from "../desktopBatch/provider";
import { EcdPlugin } from "./server";
import { engineLog } from "./engineLog";

export { EcdPlugin, grpcError, RESOURCE_TOKEN } from "./server";
export type { PluginOptions } from "./server";

export const PLUGIN_VERSION: string = schema.version;
export const PLUGIN_SCHEMA: string = JSON.stringify(schema);

/**
 * The engine's address among the plugin's arguments (`pulumi-resource-ecd [flags] <host:port>`): the plugin
 * probes it, so a provider whose `pulumi up` was killed stops committing and renewing its hold, as under the
 * dynamic host.
 */
export function engineAddressOf(args: readonly string[]): string | undefined {
  return args.find((arg) => !arg.startsWith("-") && /^[\w.[\]:-]+:\d+$/.test(arg));
}

export const stderrLog = (line: string): void => {
  process.stderr.write(`[pulumi-ecd] ${line}\n`);
};

export function newPlugin(args: readonly string[], provider: DesktopBatchProviderOptions = {}): EcdPlugin {
  const engine = engineAddressOf(args);
  const log = engineLog(engine, stderrLog);
  return new EcdPlugin({
    version: PLUGIN_VERSION,
    schema: PLUGIN_SCHEMA,
    provider: {
      ...provider,
      poll: { log, ...provider.poll },
      lease: { engineAlive: engineReachable(engine), ...provider.lease },
    },
  });
}

/** Starts the server on 127.0.0.1 and resolves with its port. */
export async function listen(plugin: EcdPlugin): Promise<{ port: number; server: grpc.Server }> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 1 << 30 });
  server.addService(provrpc.ResourceProviderService, plugin.service());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return { port, server };
}

export async function serve(args: readonly string[]): Promise<void> {
  const { port } = await listen(newPlugin(args));
  process.stdout.write(`${port}\n`);
}
