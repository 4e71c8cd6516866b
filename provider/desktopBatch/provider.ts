/**
 * DesktopBatch: a batch of ECD cloud computers created with CreateDesktops and tracked by desktop ID.
 * Reads top to bottom as its lifecycle: configure, check, diff, create, read, update, delete.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { randomBytes } from "crypto";
import { EcdClient, EcdClientOptions } from "../ecd/client";
import type { StaticCredentials } from "../ecd/credentials";
import type { Desktop } from "../ecd/operations";
import { REGION_ENV, withDefaults } from "./defaults";
import { planDiff } from "./diff";
import { parseDuration } from "./duration";
import { batchIdFor, batchTagFromId } from "./identity";
import type { DesktopBatchInputs } from "./inputs";
import { buildOutputs, compact, DesktopBatchOutputs, inputsOf } from "./outputs";
import { userTags } from "./tags";
import { escapeRegExp } from "./text";
import { BatchSession } from "./session";
import { CONFIG_SETTINGS, ProviderSettingName } from "./schemaModel";
import { validateInputs } from "./validate";
import type { PollSettings } from "./waiter";

export interface ProviderSettings {
  credentials?: Partial<StaticCredentials>;
  region?: string;
  endpoint?: string;
}

export interface DesktopBatchProviderOptions {
  /** Settings that win over stack config (tests, programmatic use). */
  settings?: ProviderSettings;
  client?: Partial<Omit<EcdClientOptions, "regionId" | "credentials" | "endpoint">>;
  poll?: Partial<PollSettings>;
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_TIMEOUT = "30m";
type Phase = "create" | "update" | "delete";

/** Thrown from create/update so that Pulumi records what exists instead of leaking it. */
export class PartialBatchError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: DesktopBatchOutputs,
    readonly reasons: string[],
  ) {
    super(message);
    this.name = "PartialBatchError";
  }
}

export class DesktopBatchProvider implements dynamic.ResourceProvider {
  private settings: ProviderSettings = {};
  private readonly clients = new Map<string, EcdClient>();
  private readonly poll: PollSettings;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: DesktopBatchProviderOptions = {}) {
    this.env = options.env ?? process.env;
    this.settings = { ...options.settings };
    const interval = Number(this.env.PULUMI_ECD_POLL_INTERVAL_MS) || 2000;
    this.poll = {
      intervalMs: interval,
      maxIntervalMs: Math.max(interval, 15_000),
      progressEveryMs: 10_000,
      log: (line) => console.log(`[pulumi-ecd] ${line}`),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...options.poll,
    };
  }

  /** Stack config, by the keys the schema's config section declares. Kept in memory only. */
  async configure(req: dynamic.ConfigureRequest): Promise<void> {
    const configured: Partial<Record<ProviderSettingName, string>> = {};
    for (const [key, setting] of CONFIG_SETTINGS) {
      const value = req.config.get(key);
      if (value) configured[setting] = value;
    }
    const explicit = this.options.settings ?? {};
    const keys =
      configured.accessKeyId || configured.accessKeySecret
        ? {
            accessKeyId: configured.accessKeyId,
            accessKeySecret: configured.accessKeySecret,
            securityToken: configured.securityToken,
          }
        : undefined;
    this.settings = {
      credentials: explicit.credentials ?? keys,
      region: explicit.region ?? configured.region,
      endpoint: explicit.endpoint ?? configured.endpoint,
    };
    this.clients.clear();
  }

  async check(
    olds: DesktopBatchInputs,
    news: DesktopBatchInputs,
  ): Promise<dynamic.CheckResult<DesktopBatchInputs>> {
    // Without the SDK nobody passes a token; keep the one create made up, or every diff would show it changing.
    const withToken = news.batchToken || !olds?.batchToken ? news : { ...news, batchToken: olds.batchToken };
    const inputs = withDefaults(withToken, { configuredRegion: this.settings.region, env: this.env });
    const failures = validateInputs(stripProvider(inputs));
    if (inputs.regionId === undefined) {
      failures.push({
        property: "regionId",
        reason: "regionId is required: set it, the stack config alicloud:region, or ALIBABA_CLOUD_REGION_ID",
      });
    }
    return { inputs, failures };
  }

  async diff(_id: string, olds: DesktopBatchOutputs, news: DesktopBatchInputs): Promise<dynamic.DiffResult> {
    return planDiff(olds, news);
  }

  async create(inputs: DesktopBatchInputs): Promise<dynamic.CreateResult<DesktopBatchOutputs>> {
    const withToken = { ...inputs, batchToken: inputs.batchToken ?? randomBytes(16).toString("hex") };
    const id = batchIdFor(withToken);
    const batch = this.session(id, withToken, "create");
    return this.guard(id, withToken, batch, async () => {
      // A desktop already carrying the token was created by an earlier, interrupted attempt: keep it.
      const leftovers = await batch.live();
      if (leftovers.length)
        this.poll.log(`found ${leftovers.length} desktop(s) from an earlier attempt; adopting them`);
      await batch.adopt(inputs.adoptDesktopIds ?? []);
      await batch.createMissing();
      const desktops = await batch.waitRunning(batch.tracked, `${inputs.amount ?? 1} desktop(s) Running`);
      this.failOnFailed(desktops);
      await batch.converge(desktops);
      return { id, outs: await this.outputs(withToken, batch) };
    });
  }

  /**
   * Refresh: the live view of the tracked desktops. Also serves `DesktopBatch.get(name, id)`, where only the ID
   * is known: the batch tag is recovered from the ID and the region from config.
   */
  async read(id: string, props: DesktopBatchOutputs): Promise<dynamic.ReadResult<DesktopBatchOutputs>> {
    const stored = inputsOf(props as unknown as Record<string, unknown>);
    const lookupOnly = !stored.batchToken && !props.desktopIds?.length;
    const inputs = { ...stored, regionId: stored.regionId ?? this.defaultRegion() };
    const batch = this.session(id, inputs, "update", props.desktopIds ?? []);
    const desktops = await batch.live();
    if (lookupOnly && desktops.length === 0) return {};
    const known = lookupOnly ? { ...inputsSeenOn(desktops, id), ...inputs } : inputs;
    return {
      id,
      props: { ...(await this.outputs(known, batch, props.orderId)), __provider: props.__provider },
    };
  }

  async update(
    id: string,
    olds: DesktopBatchOutputs,
    news: DesktopBatchInputs,
  ): Promise<dynamic.UpdateResult<DesktopBatchOutputs>> {
    const inputs: DesktopBatchInputs = { ...news, batchToken: news.batchToken ?? olds.batchToken };
    const batch = this.session(id, inputs, "update", olds.desktopIds ?? []);
    return this.guard(id, inputs, batch, async () => {
      await batch.live();
      await batch.adopt(inputs.adoptDesktopIds ?? []);
      let desktops = await batch.live();
      const failed = desktops.filter((d) => d.desktopStatus === "Failed").map((d) => d.desktopId);
      if (failed.length) {
        this.poll.log(`replacing ${failed.length} Failed desktop(s)`);
        await this.release(batch, inputs, desktops, failed, {
          refused: "Failed desktops were not replaced",
          keep: "keep them",
          label: "releasing Failed desktops",
        });
      }
      const amount = inputs.amount ?? 1;
      if (batch.tracked.length > amount) {
        desktops = await batch.live();
        const victims = batch.victims(desktops, batch.tracked.length - amount);
        await this.release(batch, inputs, desktops, victims, {
          refused: `DesktopBatch ${id} was not scaled down to ${amount}`,
          keep: `keep amount at ${batch.tracked.length}`,
          label: `scaling down by ${victims.length}`,
        });
      }
      if (batch.tracked.length < amount) {
        const created = await batch.createMissing();
        this.failOnFailed(await batch.waitRunning(created, `${created.length} new desktop(s) Running`));
      }
      desktops = await batch.live();
      await batch.converge(desktops);
      return { outs: await this.outputs(inputs, batch, olds.orderId) };
    });
  }

  async delete(id: string, props: DesktopBatchOutputs): Promise<void> {
    const inputs = inputsOf(props as unknown as Record<string, unknown>);
    const batch = this.session(id, inputs, "delete", props.desktopIds ?? []);
    const desktops = await batch.live();
    await this.release(batch, inputs, desktops, batch.tracked, {
      refused: `DesktopBatch ${id} was not deleted`,
      keep: "set the resource option retainOnDelete: true and run pulumi up, then delete or destroy",
      label: `releasing ${batch.tracked.length} desktop(s)`,
    });
  }

  /**
   * Releases desktops. Unexpired subscription desktops are never dropped silently: without the opt-in the whole
   * step is refused, before anything is deleted, listing them with their expiry and the ways out.
   */
  private async release(
    batch: BatchSession,
    inputs: DesktopBatchInputs,
    desktops: { desktopId: string; desktopStatus: string; chargeType?: string; expiredTime?: string }[],
    ids: string[],
    words: { refused: string; keep: string; label: string },
  ): Promise<void> {
    const wanted = new Set(ids);
    const locked = BatchSession.unreleasable(desktops.filter((d) => wanted.has(d.desktopId)));
    if (locked.length && !inputs.releaseSubscriptionOnDelete) {
      throw new Error(
        `${words.refused}: ECD does not release subscription (PrePaid) desktops before they expire, and ` +
          `${locked.length} of the ${ids.length} desktop(s) to release are such: ` +
          locked.map((d) => `${d.desktopId} (expires ${d.expiredTime ?? "unknown"})`).join(", ") +
          `. Nothing was released. Either ${words.keep}; or release them early: set ` +
          `releaseSubscriptionOnDelete: true (converts them to pay-as-you-go with ModifyDesktopChargeType, refund ` +
          `rules apply) and run pulumi up again.`,
      );
    }
    if (locked.length) {
      this.poll.log(`converting ${locked.length} subscription desktop(s) to pay-as-you-go before release`);
      await batch.convertToPostPaid(locked.map((d) => d.desktopId));
    }
    await batch.release(ids, words.label);
  }

  private failOnFailed(desktops: { desktopId: string; desktopStatus: string }[]): void {
    const failed = desktops.filter((d) => d.desktopStatus === "Failed");
    if (failed.length) {
      throw new Error(
        `${failed.length} desktop(s) ended in Failed: ${failed.map((d) => d.desktopId).join(", ")}. They are recorded in the stack; the next pulumi up releases and replaces them.`,
      );
    }
  }

  /** Runs a create/update step; on failure, reports what exists so Pulumi records it (nothing leaks). */
  private async guard<T>(
    id: string,
    inputs: DesktopBatchInputs,
    batch: BatchSession,
    step: () => Promise<T>,
  ): Promise<T> {
    try {
      return await step();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (!batch.tracked.length) throw error;
      let properties: DesktopBatchOutputs;
      try {
        properties = await this.outputs(inputs, batch);
      } catch {
        properties = buildOutputs(
          inputs,
          batch.tracked,
          batch.tracked.map((desktopId) => ({ desktopId, desktopStatus: "Unknown" })),
          batch.orderId,
        );
      }
      throw new PartialBatchError(
        `${reason} (the batch's ${batch.tracked.length} desktop(s) are recorded in the stack)`,
        id,
        properties,
        [reason],
      );
    }
  }

  private async outputs(
    inputs: DesktopBatchInputs,
    batch: BatchSession,
    orderId?: string,
  ): Promise<DesktopBatchOutputs> {
    const desktops = await batch.live();
    return buildOutputs(inputs, batch.tracked, desktops, batch.orderId ?? orderId);
  }

  /** One operation on the batch with this ID; the batch tag is read from the ID. */
  private session(id: string, inputs: DesktopBatchInputs, phase: Phase, known: string[] = []): BatchSession {
    const timeout =
      parseDuration(inputs.timeouts?.[phase] ?? DEFAULT_TIMEOUT) ?? parseDuration(DEFAULT_TIMEOUT)!;
    const deadline = Date.now() + timeout;
    return new BatchSession(
      this.client(inputs.regionId),
      inputs,
      deadline,
      this.poll,
      known,
      batchTagFromId(id),
    );
  }

  private defaultRegion(): string | undefined {
    return this.settings.region || REGION_ENV.map((name) => this.env[name]).find((value) => value);
  }

  private client(regionId: string | undefined): EcdClient {
    if (!regionId) throw new Error("regionId is not set (check should have reported it)");
    let client = this.clients.get(regionId);
    if (!client) {
      client = new EcdClient({
        ...this.options.client,
        regionId,
        credentials: this.settings.credentials,
        endpoint: this.settings.endpoint,
      });
      this.clients.set(regionId, client);
    }
    return client;
  }
}

/**
 * For a lookup by ID alone: the inputs the live desktops show (office site, template, policy, billing, tags,
 * users, name stem) and the token recorded in the ID. Inputs that leave no trace on a desktop stay unset.
 */
function inputsSeenOn(desktops: Desktop[], id: string): DesktopBatchInputs {
  const [first] = desktops;
  const names = desktops.map((d) => d.desktopName ?? "");
  const stem = /^(.*)-\d+$/.exec(names[0] ?? "")?.[1];
  const numbered =
    stem !== undefined && names.every((name) => new RegExp(`^${escapeRegExp(stem)}-\\d+$`).test(name));
  const tags = userTags(first.tags);
  return compact({
    batchToken: /^ecd-batch-([a-f0-9]+)-/.exec(id)?.[1],
    amount: desktops.length,
    officeSiteId: first.officeSiteId,
    bundleId: first.bundleId,
    policyGroupId: first.policyGroupId,
    chargeType: first.chargeType,
    desktopName: numbered ? stem : first.desktopName,
    endUserIds: first.endUserIds?.length ? [...first.endUserIds] : undefined,
    tags: Object.keys(tags).length ? tags : undefined,
  });
}

function stripProvider(inputs: DesktopBatchInputs): DesktopBatchInputs {
  const { __provider: _ignored, ...rest } = inputs as DesktopBatchInputs & { __provider?: unknown };
  return rest;
}

let instance: DesktopBatchProvider | undefined;

/** The per-process provider the SDK's serialized proxy calls into. */
export function desktopBatchProvider(): DesktopBatchProvider {
  instance ??= new DesktopBatchProvider();
  return instance;
}
