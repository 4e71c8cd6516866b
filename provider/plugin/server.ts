/**
 * The ResourceProvider gRPC service of the `ecd` plugin: each handler translates the protocol (Structs, secrets,
 * the URN, customTimeouts, detailed diff, ErrorResourceInitFailed) and calls the core, which decides everything.
 * @pulumi/pulumi's own provider server cannot be used: it ignores Configure's config, drops the detailed diff and
 * passes no timeout.
 */
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as anyproto from "google-protobuf/google/protobuf/any_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import {
  DesktopBatchProvider,
  DesktopBatchProviderOptions,
  PartialBatchError,
} from "../desktopBatch/provider";
import type { DesktopBatchInputs } from "../desktopBatch/inputs";
import { DesktopBatchOutputs, inputsOf } from "../desktopBatch/outputs";
import { CONFIG_SETTINGS } from "../desktopBatch/schemaModel";
import { inputSecretPaths, markSecrets, outputSecretPaths, unwrapSecrets } from "./secrets";
import {
  desktopListImportRefusal,
  lineageFromUrn,
  Phase,
  pluginInputs,
  pluginOutputs,
  withTimeout,
} from "./translate";
import { diffResponse } from "./detailedDiff";
import { withUrn } from "./engineLog";

export const RESOURCE_TOKEN = "ecd:index:DesktopBatch";

/** Dynamic-provider inputs the plugin takes from the engine instead, and what to do. */
const ENGINE_SUPPLIED: Readonly<Record<string, string>> = {
  timeouts: "is an input of the dynamic provider only: give the customTimeouts resource option instead",
  lineage: "is taken from the resource's URN by the plugin: leave it out",
};

type Json = Record<string, unknown>;
type Path = readonly string[];
type Callback<T> = grpc.sendUnaryData<T>;
type Call<T> = grpc.ServerUnaryCall<T, unknown>;

export interface PluginOptions {
  version: string;
  schema: string;
  /** Passed to the core (tests inject poll settings; the entry point the engine probe and the engine log). */
  provider?: DesktopBatchProviderOptions;
}

const toJs = (struct: structproto.Struct | undefined): Json => (struct?.toJavaScript() ?? {}) as Json;
const toStruct = (value: unknown): structproto.Struct =>
  structproto.Struct.fromJavaScript(value as Record<string, structproto.JavaScriptValue>);

/** A Struct's value without secret wrappers, and where they were. */
function plain<T = Json>(struct: structproto.Struct | undefined): { value: T; paths: Path[] } {
  const { plain: value, paths } = unwrapSecrets(toJs(struct));
  return { value: value as T, paths };
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function checkType(urn: string): void {
  const type = urn.split("::")[2]?.split("$").pop();
  if (type !== RESOURCE_TOKEN)
    throw new Error(`unknown resource type ${type}; the ecd plugin serves ${RESOURCE_TOKEN}`);
}

export class EcdPlugin {
  readonly core: DesktopBatchProvider;
  private cancelled = false;

  constructor(private readonly options: PluginOptions) {
    this.core = new DesktopBatchProvider(options.provider);
  }

  /** The handlers, bound, for `server.addService`. Unlisted methods answer UNIMPLEMENTED. */
  service(): grpc.UntypedServiceImplementation {
    const unary =
      <Req, Res>(handler: (request: Req) => Promise<Res>) =>
      (call: Call<Req>, callback: Callback<Res>) => {
        const urn = (call.request as { getUrn?: () => string }).getUrn?.() ?? "";
        withUrn(urn, () => handler.call(this, call.request)).then(
          (response) => callback(null, response),
          (error: unknown) => callback(grpcError(error)),
        );
      };
    return {
      getPluginInfo: unary(this.getPluginInfo),
      getSchema: unary(this.getSchema),
      checkConfig: unary(this.checkConfig),
      diffConfig: unary(this.diffConfig),
      configure: unary(this.configure),
      check: unary(this.check),
      diff: unary(this.diff),
      create: unary(this.create),
      read: unary(this.read),
      update: unary(this.update),
      delete: unary(this.delete),
      cancel: unary(this.cancel),
      attach: unary(this.attach),
    };
  }

  async getPluginInfo(): Promise<plugproto.PluginInfo> {
    return new plugproto.PluginInfo().setVersion(this.options.version);
  }

  async getSchema(request: provproto.GetSchemaRequest): Promise<provproto.GetSchemaResponse> {
    if (request.getVersion() !== 0) throw new Error(`unsupported schema version ${request.getVersion()}`);
    return new provproto.GetSchemaResponse().setSchema(this.options.schema);
  }

  async checkConfig(request: provproto.CheckRequest): Promise<provproto.CheckResponse> {
    return new provproto.CheckResponse().setInputs(request.getNews());
  }

  async diffConfig(request: provproto.DiffRequest): Promise<provproto.DiffResponse> {
    const settings = (struct: structproto.Struct | undefined) => {
      const { version: _version, ...rest } = plain(struct).value;
      return JSON.stringify(rest, Object.keys(rest).sort());
    };
    const same = settings(request.getOlds()) === settings(request.getNews());
    return new provproto.DiffResponse().setChanges(
      same ? provproto.DiffResponse.DiffChanges.DIFF_NONE : provproto.DiffResponse.DiffChanges.DIFF_SOME,
    );
  }

  /** `ecd:<setting>` config (from args, else the variables map), handed to the core under its own keys. */
  async configure(request: provproto.ConfigureRequest): Promise<provproto.ConfigureResponse> {
    const args = request.hasArgs() ? plain(request.getArgs()).value : {};
    const variables = request.getVariablesMap();
    const byKey = new Map(CONFIG_SETTINGS.map(([key, setting]) => [key, setting]));
    const get = (key: string): string | undefined => {
      const setting = byKey.get(key);
      if (setting === undefined) return undefined;
      const value = args[setting] ?? variables.get(`ecd:${setting}`);
      return typeof value === "string" && value !== "" ? value : undefined;
    };
    await this.core.configure({ config: { get } });
    return new provproto.ConfigureResponse()
      .setAcceptsecrets(true)
      .setAcceptresources(false)
      .setAcceptoutputs(false)
      .setSupportspreview(false);
  }

  async check(request: provproto.CheckRequest): Promise<provproto.CheckResponse> {
    checkType(request.getUrn());
    const olds = plain(request.getOlds());
    const news = plain(request.getNews());
    // Keys an SDK or the engine adds for itself (`__defaults`…) are no inputs; lineage and timeouts come from the engine.
    const given = Object.fromEntries(
      Object.entries(news.value).filter(([key]) => !key.startsWith("__") && !(key in ENGINE_SUPPLIED)),
    );
    const refused = Object.keys(news.value)
      .filter((key) => key in ENGINE_SUPPLIED)
      .map((property) => ({ property, reason: `${property} ${ENGINE_SUPPLIED[property]}` }));
    const result = await this.core.check(olds.value as DesktopBatchInputs, given as DesktopBatchInputs);
    const inputs = markSecrets(pluginOutputs(result.inputs ?? {}), inputSecretPaths(news.paths));
    const response = new provproto.CheckResponse().setInputs(toStruct(inputs));
    response.setFailuresList(
      [...refused, ...(result.failures ?? [])].map((failure) =>
        new provproto.CheckFailure().setProperty(failure.property).setReason(failure.reason),
      ),
    );
    return response;
  }

  async diff(request: provproto.DiffRequest): Promise<provproto.DiffResponse> {
    checkType(request.getUrn());
    const olds = plain<DesktopBatchOutputs>(request.getOlds()).value;
    // What the plugin sets itself (lineage, timeouts) is no change the program asked for.
    const news = {
      ...plain<DesktopBatchInputs>(request.getNews()).value,
      lineage: olds.lineage,
      timeouts: olds.timeouts,
    };
    const plan = await this.core.diff(request.getId(), olds, news);
    return diffResponse(plan, olds, news);
  }

  async create(request: provproto.CreateRequest): Promise<provproto.CreateResponse> {
    checkType(request.getUrn());
    this.refuseIfCancelled();
    const given = plain(request.getProperties());
    const inputs = this.forOperation(
      given.value,
      "create",
      request.getTimeout(),
      lineageFromUrn(request.getUrn()),
    );
    const result = await this.core.create(inputs).catch((error: unknown) => {
      throw this.partial(error, given.paths);
    });
    return new provproto.CreateResponse()
      .setId(result.id)
      .setProperties(toStruct(this.outputs(result.outs as DesktopBatchOutputs, given.paths)));
  }

  /**
   * Refresh, and `pulumi import` (only the ID is known: the owner is read from the ID, the region from config).
   * The inputs returned are what the program would say, so that a preview right after an import is empty.
   */
  async read(request: provproto.ReadRequest): Promise<provproto.ReadResponse> {
    checkType(request.getUrn());
    const refusal = desktopListImportRefusal(request.getId());
    if (refusal) throw new Error(refusal);
    const state = plain<DesktopBatchOutputs>(request.getProperties());
    const stored = plain(request.getInputs());
    const result = await this.core.read(request.getId(), state.value);
    if (!result.id || !result.props) return new provproto.ReadResponse();
    const paths = [...state.paths, ...stored.paths];
    const outputs = this.outputs(result.props, paths);
    const inputs = markSecrets(
      pluginInputs(inputsOf(result.props as unknown as Json)),
      inputSecretPaths(paths),
    );
    return new provproto.ReadResponse()
      .setId(result.id)
      .setProperties(toStruct(outputs))
      .setInputs(toStruct(inputs));
  }

  async update(request: provproto.UpdateRequest): Promise<provproto.UpdateResponse> {
    checkType(request.getUrn());
    this.refuseIfCancelled();
    const olds = plain<DesktopBatchOutputs>(request.getOlds()).value;
    const news = plain(request.getNews());
    // The desktops carry the lineage they were created with (an imported batch: the SDK's); keep it.
    const lineage = olds.lineage ?? lineageFromUrn(request.getUrn());
    const inputs = this.forOperation(news.value, "update", request.getTimeout(), lineage);
    const result = await this.core.update(request.getId(), olds, inputs).catch((error: unknown) => {
      throw this.partial(error, news.paths);
    });
    return new provproto.UpdateResponse().setProperties(
      toStruct(this.outputs(result.outs as DesktopBatchOutputs, news.paths)),
    );
  }

  async delete(request: provproto.DeleteRequest): Promise<emptyproto.Empty> {
    checkType(request.getUrn());
    const state = plain<DesktopBatchOutputs>(request.getProperties()).value;
    const inputs = withTimeout(state, "delete", request.getTimeout());
    await this.core.delete(request.getId(), { ...state, timeouts: inputs.timeouts });
    return new emptyproto.Empty();
  }

  /**
   * The engine is shutting down (Ctrl-C): operations under way run on to their deadline, each step recorded as
   * it finishes; none starts any more.
   */
  async cancel(): Promise<emptyproto.Empty> {
    // The engine also cancels at the end of every run: nothing to tell the user.
    this.cancelled = true;
    return new emptyproto.Empty();
  }

  async attach(): Promise<emptyproto.Empty> {
    return new emptyproto.Empty();
  }

  private refuseIfCancelled(): void {
    if (this.cancelled) throw new Error("the operation was cancelled before it started");
  }

  private forOperation(value: Json, phase: Phase, timeout: number, lineage: string): DesktopBatchInputs {
    const { lineage: _given, ...inputs } = value as DesktopBatchInputs;
    return withTimeout({ ...inputs, lineage }, phase, timeout);
  }

  private outputs(outs: DesktopBatchOutputs, inputPaths: readonly Path[]): Json {
    const values = pluginOutputs(outs);
    return markSecrets(
      values,
      outputSecretPaths(inputPaths, values.desktops?.length ?? 0),
    ) as unknown as Json;
  }

  private partial(error: unknown, inputPaths: readonly Path[]): unknown {
    if (!(error instanceof PartialBatchError)) return error;
    return new PartialBatchError(
      error.message,
      error.id,
      this.outputs(error.properties, inputPaths) as unknown as DesktopBatchOutputs,
      error.reasons,
    );
  }
}

/** A PartialBatchError becomes ErrorResourceInitFailed: the engine records the batch's desktops, nothing leaks. */
export function grpcError(error: unknown): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  const details = message(error);
  if (error instanceof PartialBatchError) {
    const failed = new provproto.ErrorResourceInitFailed()
      .setId(error.id)
      .setProperties(toStruct(error.properties))
      .setReasonsList(error.reasons);
    const any = new anyproto.Any();
    any.pack(failed.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statusproto.Status().setCode(grpc.status.UNKNOWN).setMessage(details);
    status.addDetails(any);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details, metadata };
}

export { provrpc };
