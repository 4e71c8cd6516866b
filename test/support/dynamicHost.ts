/**
 * Drives @pulumi/pulumi's own dynamic-provider host over gRPC, the way the Pulumi engine does: the resource's
 * properties carry the serialized provider under __provider, and the host deserializes and calls it.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";

// The host's own gRPC and protobuf modules, so messages match what it expects.
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const grpc = require(
  require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }),
) as typeof import("@grpc/grpc-js");
const structproto = require(
  require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] }),
);
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");

type Props = Record<string, unknown>;
type GrpcClient = Record<
  string,
  (request: unknown, callback: (error: Error | null, response: unknown) => void) => void
>;

const struct = (value: Props) => structproto.Struct.fromJavaScript(value);

export class DynamicProviderHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: GrpcClient,
    readonly output: string[],
  ) {}

  static async start(cwd: string, env: NodeJS.ProcessEnv): Promise<DynamicProviderHost> {
    const script = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
    const child = spawn(process.execPath, [script, "127.0.0.1:1"], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout!.on("data", (chunk: Buffer) => {
        output.push(chunk.toString());
        const match = /^(\d+)\s*$/m.exec(output.join(""));
        if (match) resolve(Number(match[1]));
      });
      child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
      child.on("exit", (code) =>
        reject(new Error(`dynamic provider host exited ${code}: ${output.join("")}`)),
      );
    });
    const client = new provrpc.ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    ) as GrpcClient;
    return new DynamicProviderHost(child, client, output);
  }

  private call<T>(method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) =>
      this.client[method](request, (error, response) => (error ? reject(error) : resolve(response as T))),
    );
  }

  async configure(config: Record<string, string>): Promise<void> {
    const request = new provproto.ConfigureRequest();
    request.setArgs(struct(config));
    await this.call("configure", request);
  }

  async check(
    olds: Props,
    news: Props,
  ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const request = new provproto.CheckRequest();
    request.setUrn("urn:pulumi:test::proj::pulumi-nodejs:dynamic/ecd:DesktopBatch::b");
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response = await this.call<{
      getInputs(): { toJavaScript(): Props };
      getFailuresList(): { getProperty(): string; getReason(): string }[];
    }>("check", request);
    return {
      inputs: response.getInputs().toJavaScript(),
      failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(id: string, olds: Props, news: Props): Promise<{ changes: number; replaces: string[] }> {
    const request = new provproto.DiffRequest();
    request.setId(id);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response = await this.call<{ getChanges(): number; getReplacesList(): string[] }>("diff", request);
    return { changes: response.getChanges(), replaces: response.getReplacesList() };
  }

  async create(props: Props): Promise<{ id: string; properties: Props }> {
    const request = new provproto.CreateRequest();
    request.setProperties(struct(props));
    const response = await this.call<{ getId(): string; getProperties(): { toJavaScript(): Props } }>(
      "create",
      request,
    );
    return { id: response.getId(), properties: response.getProperties().toJavaScript() };
  }

  async read(id: string, props: Props): Promise<{ id: string; properties: Props }> {
    const request = new provproto.ReadRequest();
    request.setId(id);
    request.setProperties(struct(props));
    const response = await this.call<{ getId(): string; getProperties(): { toJavaScript(): Props } }>(
      "read",
      request,
    );
    return { id: response.getId(), properties: response.getProperties().toJavaScript() };
  }

  async update(id: string, olds: Props, news: Props): Promise<Props> {
    const request = new provproto.UpdateRequest();
    request.setId(id);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response = await this.call<{ getProperties(): { toJavaScript(): Props } }>("update", request);
    return response.getProperties().toJavaScript();
  }

  async delete(id: string, props: Props): Promise<void> {
    const request = new provproto.DeleteRequest();
    request.setId(id);
    request.setProperties(struct(props));
    await this.call("delete", request);
  }

  stop(): void {
    this.child.kill();
  }
}

/** DiffResponse.DiffChanges */
export const DIFF_NONE = 1;
export const DIFF_SOME = 2;
