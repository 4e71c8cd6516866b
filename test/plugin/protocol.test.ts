/**
 * The plugin face's protocol contract: the engine's gRPC calls, in process, against the emulator. Each promise
 * of issue 21 item 3 is one test: config from ecd:*, secrets kept secret (nested copies too), a detailed diff
 * naming what forces a replacement, customTimeouts, the lineage from the URN, partial failures recorded, Read
 * serving import.
 */
import * as grpc from "@grpc/grpc-js";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import { readFileSync } from "fs";
import { createServer } from "net";
import { join } from "path";
import { RunningEmulator, startEmulator } from "../../emulator";
import { engineAddressOf, listen, newPlugin } from "../../provider/plugin";
import { lineageFromUrn } from "../../provider/plugin/translate";
import { SECRET_SIG, SIG_KEY, secret } from "../../provider/plugin/secrets";
import { REGION, SHORT_DURATIONS, SIMPLE_SITE, AD_SITE, WIN_BUNDLE } from "../support/harness";

type Json = Record<string, unknown>;
const URN = "urn:pulumi:dev::proj::ecd:index:DesktopBatch::batch";
const Kind = provproto.PropertyDiff.Kind;

const struct = (value: Json) =>
  structproto.Struct.fromJavaScript(value as Record<string, structproto.JavaScriptValue>);
const js = (value: structproto.Struct | undefined): Json => (value?.toJavaScript() ?? {}) as Json;

class Engine {
  constructor(
    private readonly client: grpc.Client,
    private readonly urn = URN,
  ) {}

  call<T>(method: string, request: unknown): Promise<T> {
    const rpc = (
      this.client as unknown as Record<
        string,
        (request: unknown, callback: (error: grpc.ServiceError | null, response: T) => void) => void
      >
    )[method].bind(this.client);
    return new Promise((resolve, reject) =>
      rpc(request, (error: grpc.ServiceError | null, response: T) =>
        error ? reject(error) : resolve(response),
      ),
    );
  }

  configure(variables: Record<string, string>): Promise<provproto.ConfigureResponse> {
    const request = new provproto.ConfigureRequest().setAcceptsecrets(true);
    for (const [key, value] of Object.entries(variables)) request.getVariablesMap().set(key, value);
    return this.call("configure", request);
  }

  async check(
    news: Json,
    olds: Json = {},
  ): Promise<{ inputs: Json; failures: { property: string; reason: string }[] }> {
    const response = await this.call<provproto.CheckResponse>(
      "check",
      new provproto.CheckRequest().setUrn(this.urn).setOlds(struct(olds)).setNews(struct(news)),
    );
    return {
      inputs: js(response.getInputs()),
      failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async checked(news: Json): Promise<Json> {
    const { inputs, failures } = await this.check(news);
    expect(failures).toEqual([]);
    return inputs;
  }

  diff(id: string, olds: Json, news: Json): Promise<provproto.DiffResponse> {
    return this.call(
      "diff",
      new provproto.DiffRequest().setId(id).setUrn(this.urn).setOlds(struct(olds)).setNews(struct(news)),
    );
  }

  async create(properties: Json, timeout = 0): Promise<{ id: string; outs: Json }> {
    const response = await this.call<provproto.CreateResponse>(
      "create",
      new provproto.CreateRequest().setUrn(this.urn).setProperties(struct(properties)).setTimeout(timeout),
    );
    return { id: response.getId(), outs: js(response.getProperties()) };
  }

  async read(
    id: string,
    properties: Json = {},
    inputs?: Json,
  ): Promise<{ id: string; outs: Json; inputs: Json }> {
    const request = new provproto.ReadRequest().setId(id).setUrn(this.urn).setProperties(struct(properties));
    if (inputs) request.setInputs(struct(inputs));
    const response = await this.call<provproto.ReadResponse>("read", request);
    return { id: response.getId(), outs: js(response.getProperties()), inputs: js(response.getInputs()) };
  }

  async update(id: string, olds: Json, news: Json): Promise<Json> {
    const response = await this.call<provproto.UpdateResponse>(
      "update",
      new provproto.UpdateRequest().setId(id).setUrn(this.urn).setOlds(struct(olds)).setNews(struct(news)),
    );
    return js(response.getProperties());
  }

  delete(id: string, properties: Json): Promise<emptyproto.Empty> {
    return this.call(
      "delete",
      new provproto.DeleteRequest().setId(id).setUrn(this.urn).setProperties(struct(properties)),
    );
  }
}

/** The ErrorResourceInitFailed the engine reads from a failed Create/Update, if any. */
function initFailure(error: grpc.ServiceError): provproto.ErrorResourceInitFailed | undefined {
  const [bin] = error.metadata.get("grpc-status-details-bin");
  if (!bin) return undefined;
  const status = statusproto.Status.deserializeBinary(bin as Buffer);
  const detail = status
    .getDetailsList()
    .find((any) => any.getTypeName() === "pulumirpc.ErrorResourceInitFailed");
  return detail ? provproto.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8()) : undefined;
}

const logs: string[] = [];
let emu: RunningEmulator;
let server: grpc.Server;
let engine: Engine;

beforeAll(async () => {
  emu = await startEmulator({ durations: SHORT_DURATIONS });
  const plugin = newPlugin([], {
    env: {},
    poll: { intervalMs: 10, maxIntervalMs: 40, progressEveryMs: 0, log: (line) => logs.push(line) },
    client: { retry: { baseDelayMs: 1, maxDelayMs: 10 } },
    lease: { lostAnswerWindowMs: 200 },
  });
  const listening = await listen(plugin);
  server = listening.server;
  engine = new Engine(
    new provrpc.ResourceProviderClient(`127.0.0.1:${listening.port}`, grpc.credentials.createInsecure()),
  );
  const configured = await engine.configure({
    "ecd:accessKeyId": emu.credentials[0].accessKeyId,
    "ecd:accessKeySecret": emu.credentials[0].accessKeySecret,
    "ecd:region": REGION,
    "ecd:endpoint": emu.url,
  });
  expect(configured.getAcceptsecrets()).toBe(true);
});

afterAll(async () => {
  server.forceShutdown();
  await emu.close();
});

afterEach(() => emu.faults.set({ failedDesktopRate: 0 }));

const program = (extra: Json = {}): Json => ({
  officeSiteId: SIMPLE_SITE,
  bundleId: WIN_BUNDLE,
  policyGroupId: "system-all-enabled-policy",
  desktopName: "dev",
  amount: 2,
  ...extra,
});

describe("the ecd plugin over gRPC", () => {
  it("serves the generated package schema and its version", async () => {
    const response = await engine.call<provproto.GetSchemaResponse>(
      "getSchema",
      new provproto.GetSchemaRequest(),
    );
    const onDisk = readFileSync(
      join(__dirname, "../../provider/cmd/pulumi-resource-ecd/schema.json"),
      "utf8",
    );
    expect(JSON.parse(response.getSchema())).toEqual(JSON.parse(onDisk));
    const info = await engine.call<{ getVersion(): string }>("getPluginInfo", new emptyproto.Empty());
    expect(info.getVersion()).toBe(JSON.parse(onDisk).version);
  });

  it("takes the region from ecd:region config and reports bad input per property before any API call", async () => {
    const before = emu.calls.counts().CreateDesktops ?? 0;
    const { inputs } = await engine.check(program());
    expect(inputs.regionId).toBe(REGION);
    const { failures } = await engine.check(program({ amount: 0, desktopName: "1bad" }));
    expect(failures.map((f) => f.property).sort()).toEqual(["amount", "desktopName"]);
    expect(failures.find((f) => f.property === "amount")?.reason).toMatch(/amount/);
    expect(emu.calls.counts().CreateDesktops ?? 0).toBe(before);
  });

  it("refuses the dynamic provider's timeouts and lineage inputs, naming what replaces them, and ignores SDK-internal keys", async () => {
    const { failures } = await engine.check(program({ timeouts: { create: "1h" }, lineage: "a".repeat(32) }));
    expect(failures).toEqual([
      { property: "lineage", reason: expect.stringContaining("URN") },
      { property: "timeouts", reason: expect.stringContaining("customTimeouts resource option") },
    ]);
    expect((await engine.check(program({ __defaults: [] }))).failures).toEqual([]);
  });

  it("creates, reads, renames and deletes a batch, with the lineage taken from the URN", async () => {
    const { id, outs } = await engine.create(await engine.checked(program()));
    expect(id).toMatch(/^ecd-batch-[a-f0-9]{32}$/);
    expect(outs.lineage).toBe(lineageFromUrn(URN));
    expect(outs.timeouts).toBeUndefined();
    const desktops = outs.desktops as { desktopId: string; desktopStatus: string; desktopName: string }[];
    expect(desktops.map((d) => d.desktopStatus)).toEqual(["Running", "Running"]);
    const live = emu.backend
      .describeDesktops(REGION)
      .filter((d) => (outs.desktopIds as string[]).includes(d.DesktopId));
    expect(
      live.every((d) =>
        d.Tags.some(
          (t: { Key: string; Value: string }) =>
            t.Key === "pulumi-ecd:lineage" && t.Value === lineageFromUrn(URN),
        ),
      ),
    ).toBe(true);

    const refreshed = await engine.read(id, outs, program());
    expect(refreshed.id).toBe(id);
    expect(refreshed.outs.desktopIds).toEqual(outs.desktopIds);

    const renamed = await engine.checked(program({ desktopName: "ops" }));
    const diff = await engine.diff(id, outs, renamed);
    expect(diff.getChanges()).toBe(provproto.DiffResponse.DiffChanges.DIFF_SOME);
    expect(diff.getReplacesList()).toEqual([]);
    expect(diff.getDetaileddiffMap().get("desktopName")?.getKind()).toBe(Kind.UPDATE);
    const updated = await engine.update(id, outs, renamed);
    expect((updated.desktops as { desktopName: string }[]).map((d) => d.desktopName)).toEqual([
      "ops-1",
      "ops-2",
    ]);
    expect((await engine.diff(id, updated, renamed)).getChanges()).toBe(
      provproto.DiffResponse.DiffChanges.DIFF_NONE,
    );

    await engine.delete(id, updated);
    const left = emu.backend
      .describeDesktops(REGION)
      .filter((d) => (outs.desktopIds as string[]).includes(d.DesktopId));
    expect(left).toEqual([]);
  });

  it("names the property that forces a replacement, and deletes first where the names would collide", async () => {
    const olds = {
      ...(await engine.checked(program({ officeSiteId: AD_SITE, hostname: "web-[1,2]", amount: 1 }))),
      desktopIds: [],
      desktops: [],
    };
    const diff = await engine.diff(
      "ecd-batch-" + "a".repeat(32),
      olds,
      await engine.checked(program({ officeSiteId: AD_SITE, hostname: "app-[1,2]", amount: 1 })),
    );
    expect(diff.getReplacesList()).toEqual(["hostname"]);
    expect(diff.getDetaileddiffMap().get("hostname")?.getKind()).toBe(Kind.UPDATE_REPLACE);
    expect(diff.getDeletebeforereplace()).toBe(true);
    expect(diff.getHasdetaileddiff()).toBe(true);

    const site = await engine.diff(
      "ecd-batch-" + "a".repeat(32),
      Object.fromEntries(Object.entries(olds).filter(([key]) => key !== "hostname")),
      await engine.checked(program({ officeSiteId: SIMPLE_SITE, amount: 1 })),
    );
    expect(site.getDetaileddiffMap().get("officeSiteId")?.getKind()).toBe(Kind.UPDATE_REPLACE);
  });

  it("keeps what the program marked secret secret, in the inputs, the outputs and each desktop's copy", async () => {
    const news = program({ tags: { team: "blue", owner: secret("alice@example.com") } });
    const inputs = await engine.checked(news);
    expect(inputs.tags).toEqual({
      team: "blue",
      owner: { [SIG_KEY]: SECRET_SIG, value: "alice@example.com" },
    });
    const { id, outs } = await engine.create(inputs);
    expect(outs.tags).toEqual(inputs.tags);
    for (const desktop of outs.desktops as { tags: Json }[]) {
      expect(desktop.tags.team).toBe("blue");
      expect(desktop.tags.owner).toEqual({ [SIG_KEY]: SECRET_SIG, value: "alice@example.com" });
    }
    const plainText = JSON.stringify(outs).replace(
      /"owner":\{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","value":"alice@example.com"\}/g,
      "",
    );
    expect(plainText).not.toContain("alice@example.com");
    const refreshed = await engine.read(id, outs, inputs);
    expect((refreshed.outs.desktops as { tags: Json }[])[0].tags.owner).toEqual(
      inputs.tags && (inputs.tags as Json).owner,
    );
    expect((refreshed.inputs.tags as Json).owner).toEqual((inputs.tags as Json).owner);
    await engine.delete(id, outs);
  });

  it("marks userCommands secret whatever the program says", async () => {
    const { inputs } = await engine.check(
      program({ amount: 1, userCommands: [{ content: "echo hi", contentEncoding: "Base64" }] }),
    );
    expect((inputs.userCommands as Json)[SIG_KEY]).toBe(SECRET_SIG);
  });

  it("records what a failed create made as ErrorResourceInitFailed, as the dynamic provider does", async () => {
    emu.faults.set({ failedDesktopRate: 1 });
    const error = await engine.create(await engine.checked(program())).then(
      () => undefined,
      (e: grpc.ServiceError) => e,
    );
    expect(error?.message).toMatch(/Failed/);
    const failure = initFailure(error!);
    expect(failure?.getId()).toMatch(/^ecd-batch-/);
    const recorded = js(failure?.getProperties());
    expect((recorded.desktopIds as string[]).length).toBe(2);
    expect(recorded.lineage).toBe(lineageFromUrn(URN));
    expect(failure?.getReasonsList().join(" ")).toMatch(/Failed/);
    emu.faults.set({ failedDesktopRate: 0 });
    await engine.delete(failure!.getId(), recorded);
  });

  it("stops waiting at the engine's timeout", async () => {
    const slow = await startEmulator({ durations: { ...SHORT_DURATIONS, createMs: 60_000 } });
    const plugin = newPlugin([], {
      env: {},
      poll: { intervalMs: 10, maxIntervalMs: 40, progressEveryMs: 0, log: () => undefined },
      client: { retry: { baseDelayMs: 1, maxDelayMs: 10 } },
      lease: { lostAnswerWindowMs: 200 },
    });
    const { port, server: slowServer } = await listen(plugin);
    const slowEngine = new Engine(
      new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()),
    );
    try {
      await slowEngine.configure({
        "ecd:accessKeyId": slow.credentials[0].accessKeyId,
        "ecd:accessKeySecret": slow.credentials[0].accessKeySecret,
        "ecd:region": REGION,
        "ecd:endpoint": slow.url,
      });
      const error = await slowEngine.create(await slowEngine.checked(program({ amount: 1 })), 1).then(
        () => undefined,
        (e: grpc.ServiceError) => e,
      );
      expect(error?.message).toMatch(/timed out/);
      expect(initFailure(error!)?.getId()).toMatch(/^ecd-batch-/);
    } finally {
      slowServer.forceShutdown();
      await slow.close();
    }
  });

  it("imports a batch by its ID: Read returns inputs whose diff against the state is empty", async () => {
    const created = await engine.create(await engine.checked(program({ tags: { team: "blue" } })));
    const imported = await engine.read(created.id);
    expect(imported.id).toBe(created.id);
    expect(imported.inputs).toMatchObject({
      officeSiteId: SIMPLE_SITE,
      bundleId: WIN_BUNDLE,
      desktopName: "dev",
      amount: 2,
      tags: { team: "blue" },
    });
    expect(imported.inputs.lineage).toBeUndefined();
    expect(imported.outs.desktopIds).toEqual(created.outs.desktopIds);
    const inputs = await engine.checked(imported.inputs);
    const diff = await engine.diff(created.id, imported.outs, inputs);
    expect(diff.getChanges()).toBe(provproto.DiffResponse.DiffChanges.DIFF_NONE);
    await engine.delete(created.id, imported.outs);
  });

  it("refuses to import desktops no batch owns, naming adoptDesktopIds as the way", async () => {
    const error = await engine.read("ecd-abc123,ecd-def456").then(
      () => undefined,
      (e: grpc.ServiceError) => e,
    );
    expect(error?.message).toMatch(/adoptDesktopIds: \["ecd-abc123", "ecd-def456"\]/);
  });

  it("finds the engine's address among the arguments the engine starts it with", () => {
    expect(engineAddressOf(["127.0.0.1:40123"])).toBe("127.0.0.1:40123");
    expect(engineAddressOf(["--logtostderr", "-v=9", "--tracing", "127.0.0.1:40123"])).toBe(
      "127.0.0.1:40123",
    );
    expect(engineAddressOf(["--logtostderr"])).toBeUndefined();
  });

  it("probes its own engine: with the CLI gone mid-create it commits nothing and leaves the desktops marked", async () => {
    const fakeEngine = createServer();
    await new Promise<void>((resolve) => fakeEngine.listen(0, "127.0.0.1", resolve));
    const { port: enginePort } = fakeEngine.address() as { port: number };
    let gone: Promise<void> | undefined;
    const orphan = newPlugin([`127.0.0.1:${enginePort}`], {
      env: {},
      poll: {
        intervalMs: 10,
        maxIntervalMs: 40,
        progressEveryMs: 0,
        log: () => undefined,
        // The CLI is killed while the create waits for its desktops.
        sleep: async (ms) => {
          gone ??= new Promise<void>((resolve) => fakeEngine.close(() => resolve()));
          await gone;
          await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 10)));
        },
      },
      client: { retry: { baseDelayMs: 1, maxDelayMs: 10 } },
      lease: { lostAnswerWindowMs: 200 },
    });
    const { port, server: orphanServer } = await listen(orphan);
    // Its own resource: the desktops it leaves marked are held for its lineage alone.
    const orphanEngine = new Engine(
      new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()),
      URN.replace(/::batch$/, "::orphan"),
    );
    try {
      await orphanEngine.configure({
        "ecd:accessKeyId": emu.credentials[0].accessKeyId,
        "ecd:accessKeySecret": emu.credentials[0].accessKeySecret,
        "ecd:region": REGION,
        "ecd:endpoint": emu.url,
      });
      const before = new Set(emu.backend.describeDesktops(REGION).map((d) => d.DesktopId));
      const error = await orphanEngine
        .create(await orphanEngine.checked(program({ desktopName: "orphan" })))
        .then(
          () => undefined,
          (e: grpc.ServiceError) => e,
        );
      expect(error?.message).toMatch(/engine went away/);
      const made = emu.backend.describeDesktops(REGION).filter((d) => !before.has(d.DesktopId));
      expect(made).toHaveLength(2);
      expect(made.every((d) => d.Tags.some((t: { Key: string }) => t.Key === "pulumi-ecd:creating"))).toBe(
        true,
      );
    } finally {
      orphanServer.forceShutdown();
    }
  });

  it("sends its progress to the engine's log, under the resource the request is about", async () => {
    const messages: { urn: string; message: string; severity: number }[] = [];
    const fakeEngine = new grpc.Server();
    fakeEngine.addService(enginerpc.EngineService, {
      log: (
        call: grpc.ServerUnaryCall<engineproto.LogRequest, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        messages.push({
          urn: call.request.getUrn(),
          message: call.request.getMessage(),
          severity: call.request.getSeverity(),
        });
        callback(null, new emptyproto.Empty());
      },
    });
    const enginePort = await new Promise<number>((resolve, reject) =>
      fakeEngine.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    const logged = newPlugin([`127.0.0.1:${enginePort}`], {
      env: {},
      poll: { intervalMs: 10, maxIntervalMs: 40, progressEveryMs: 0 },
      client: { retry: { baseDelayMs: 1, maxDelayMs: 10 } },
      lease: { lostAnswerWindowMs: 200 },
    });
    const { port, server: loggedServer } = await listen(logged);
    const LOGGED_URN = URN.replace(/::batch$/, "::logged");
    const loggedEngine = new Engine(
      new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()),
      LOGGED_URN,
    );
    try {
      await loggedEngine.configure({
        "ecd:accessKeyId": emu.credentials[0].accessKeyId,
        "ecd:accessKeySecret": emu.credentials[0].accessKeySecret,
        "ecd:region": REGION,
        "ecd:endpoint": emu.url,
      });
      const { id, outs } = await loggedEngine.create(
        await loggedEngine.checked(program({ desktopName: "logged", amount: 1 })),
      );
      await loggedEngine.delete(id, outs);
      const created = messages.filter((m) => m.urn === LOGGED_URN && /^logged: /.test(m.message));
      expect(created.length).toBeGreaterThan(0);
      expect(created.every((m) => m.severity === engineproto.LogSeverity.INFO)).toBe(true);
    } finally {
      loggedServer.forceShutdown();
      fakeEngine.forceShutdown();
    }
  });
});
