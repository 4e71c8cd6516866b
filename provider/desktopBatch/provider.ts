/**
 * DesktopBatch: a batch of ECD cloud computers created with CreateDesktops and tracked by desktop ID.
 * Reads top to bottom as its lifecycle: configure, check, diff, create, read, update, delete.
 */
import type * as lifecycle from "./lifecycle";
import { EcdClient, EcdClientOptions } from "../ecd/client";
import type { StaticCredentials } from "../ecd/credentials";
import { newlyAdopted, previewAdoption } from "./adoptionPreview";
import { canonicalInputs } from "./canonical";
import { convergeToInputs, failOnFailed } from "./converge";
import { REGION_ENV, withDefaults } from "./defaults";
import { checkRebuild } from "./attributes/image";
import { planTemplates } from "./attributes/template";
import { DiffPlan, planDiff } from "./diff";
import { parseDuration } from "./duration";
import { batchIdFor, instanceFromId, newInstanceId } from "./identity";
import type { DesktopBatchInputs } from "./inputs";
import { settleInterruptedElsewhere } from "./interruptedElsewhere";
import { batchOutputs, DesktopBatchOutputs, inputsOf } from "./outputs";
import { recordingPartial } from "./partial";
import { inputsSeenOn, unfinishedRun } from "./refresh";
import { releaseDesktops } from "./release";
import { BatchSession, Identity, LeaseSettings } from "./session";
import { CONFIG_SETTINGS, ProviderSettingName } from "./schemaModel";
import { containsUnknown, validateInputs } from "./validate";
import { ReferenceChecker } from "./references";
import { engineReachable } from "./engine";
import { SHORTEST_MS, type PollSettings } from "./waiter";

export { PartialBatchError } from "./partial";

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
  lease?: Partial<LeaseSettings>;
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_TIMEOUT = "30m";
type Phase = "create" | "update" | "delete";

export class DesktopBatchProvider implements lifecycle.ResourceProvider {
  private settings: ProviderSettings = {};
  private readonly clients = new Map<string, EcdClient>();
  private readonly poll: PollSettings;
  private readonly lease: LeaseSettings;
  private readonly env: NodeJS.ProcessEnv;
  private readonly references: ReferenceChecker;
  /** Progress lines of the whole provider (a session's lines name their batch). */
  private readonly log = (line: string): void => this.poll.log(line);
  private readonly noted = new Set<string>();

  constructor(private readonly options: DesktopBatchProviderOptions = {}) {
    this.env = options.env ?? process.env;
    this.settings = { ...options.settings };
    const configured = Number(this.env.PULUMI_ECD_POLL_INTERVAL_MS) || options.poll?.intervalMs;
    const interval = configured || 2000;
    this.poll = {
      intervalMs: interval,
      maxIntervalMs: Math.max(interval, 60_000),
      // A configured interval is for short emulated lifecycles: then every first look comes after one interval.
      shortestMs: configured ? {} : SHORTEST_MS,
      progressEveryMs: 10_000,
      log: (line) => console.log(`[pulumi-ecd] ${line}`),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...options.poll,
    };
    this.references = new ReferenceChecker(this.log);
    this.lease = {
      ttlMs: (Number(this.env.PULUMI_ECD_CREATE_HOLD_SECONDS) || 300) * 1000,
      lostAnswerWindowMs: (Number(this.env.PULUMI_ECD_LOST_ANSWER_WINDOW_SECONDS) || 60) * 1000,
      now: () => Date.now(),
      engineAlive: engineReachable(),
      ...options.lease,
    };
  }

  /** Stack config, by the keys the schema's config section declares. Kept in memory only. */
  async configure(req: lifecycle.ConfigureRequest): Promise<void> {
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
  ): Promise<lifecycle.CheckResult<DesktopBatchInputs>> {
    const inputs = withDefaults(canonicalInputs(stripProvider(news)), {
      configuredRegion: this.settings.region,
      env: this.env,
    });
    // The identity is settled once the batch is recorded: a stack, project or resource rename changes nothing in
    // the cloud, so the recorded lineage keeps matching the desktops' tag (and the preview shows no change).
    if (olds?.lineage) settleIdentity(inputs, olds);
    const creating = !olds || Object.keys(olds).length === 0;
    const failures = validateInputs(inputs, { creating });
    if (inputs.regionId === undefined) {
      failures.push({
        property: "regionId",
        reason: "regionId is required: set it, the stack config alicloud:region, or ALIBABA_CLOUD_REGION_ID",
      });
    }
    if (!failures.length && !containsUnknown(inputs.regionId)) {
      failures.push(...(await this.references.check(inputs, () => this.client(inputs.regionId), olds ?? {})));
    }
    if (!failures.length && creating && inputs.adoptDesktopIds?.length && !containsUnknown(inputs)) {
      await previewAdoption(
        (regionId) => this.client(regionId),
        inputs,
        (line) => this.note(line),
      );
    }
    const provider = (news as { __provider?: unknown }).__provider;
    return {
      inputs: provider === undefined ? inputs : ({ ...inputs, __provider: provider } as DesktopBatchInputs),
      failures,
    };
  }

  async diff(id: string, olds: DesktopBatchOutputs, news: DesktopBatchInputs): Promise<DiffPlan> {
    const templates = news.regionId ? await planTemplates(this.client(news.regionId), olds, news) : {};
    const stored = canonicalInputs(olds);
    const adopting = await newlyAdopted((regionId) => this.client(regionId), olds, news);
    let plan = planDiff(stored, news, templates, adopting);
    // A rebuild the desktops cannot take is found here, before anything changes: refused, or a replacement.
    if (!plan.replaces?.length && news.regionId && !containsUnknown(news)) {
      const check = await checkRebuild(this.client(news.regionId), stored, news, templates);
      if (check.refuse) throw new Error(check.refuse);
      if (check.replace) plan = planDiff(stored, news, templates, adopting, check.replace);
    }
    const who = `${olds.desktopName ?? news.desktopName ?? "DesktopBatch"} (${id})`;
    if (plan.replaces?.length) {
      this.note(
        `${who}: replaced because ${(plan.replaces ?? []).join(", ")} cannot change in place${plan.reasons.length ? ` (${plan.reasons.join("; ")})` : ""}; all ${olds.desktopIds?.length ?? 0} desktop(s) are released and ${news.amount ?? 1} created`,
      );
    } else if (plan.changes) {
      const what = [...plan.updates.map((name) => `${name} changes`), ...plan.drift];
      this.note(`${who}: ${what.join("; ")}`);
    }
    return plan;
  }

  /**
   * A change note, once per provider process (one Pulumi command): `preview --refresh` diffs each batch twice, for
   * the refresh and for the plan, and the same note twice reads as two changes.
   */
  private note(text: string): void {
    if (this.noted.has(text)) return;
    this.noted.add(text);
    this.poll.log(text);
  }

  async create(inputs: DesktopBatchInputs): Promise<lifecycle.CreateResult<DesktopBatchOutputs>> {
    const instance = newInstanceId();
    const id = batchIdFor(instance);
    const identity = { instance, lineage: inputs.lineage, formerLineages: inputs.aliasLineages };
    const batch = this.session(inputs, "create", [], identity);
    const adopted = inputs.adoptDesktopIds ?? [];
    // The engine is there now (it asked for this create): later, its absence means it was killed.
    await this.lease.engineAlive();
    return recordingPartial(id, inputs, batch, async () => {
      await batch.takeOverInterrupted();
      await settleInterruptedElsewhere(
        inputs,
        () => this.client(inputs.regionId),
        (regionId) => this.session(inputs, "create", [], identity, regionId),
        this.log,
      );
      await batch.warnOfOtherInterruptedCreates();
      await batch.adopt(adopted, new Set(adopted), true);
      await batch.createMissing(true);
      // Adopted desktops keep their power state: only what this create made is waited for.
      const made = batch.tracked.filter((desktopId) => !adopted.includes(desktopId));
      const desktops = await batch.waitMadeRunning(made, `${inputs.amount ?? 1} desktop(s) Running`, true);
      failOnFailed(desktops);
      await batch.converge(desktops);
      await batch.commit();
      return { id, outs: batchOutputs(inputs, batch) };
    });
  }

  /**
   * Refresh: the live view of the desktops this batch owns. Also serves `DesktopBatch.get(name, id)`, where only
   * the ID is known: the owner is read from the ID and the region from config.
   */
  async read(id: string, props: DesktopBatchOutputs): Promise<lifecycle.ReadResult<DesktopBatchOutputs>> {
    const stored = inputsOf(props as unknown as Record<string, unknown>);
    const lookupOnly = !props.desktopIds?.length && !stored.officeSiteId;
    const inputs = { ...stored, regionId: stored.regionId ?? this.defaultRegion() };
    const batch = this.session(inputs, "update", props.desktopIds ?? [], this.identityOf(id, inputs));
    const desktops = await batch.live();
    if (lookupOnly && desktops.length === 0) return {};
    const known = lookupOnly ? { ...inputsSeenOn(desktops), ...inputs } : inputs;
    return {
      id,
      props: {
        ...batchOutputs(known, batch, props, unfinishedRun(desktops, known)),
        __provider: props.__provider,
      },
    };
  }

  async update(
    id: string,
    olds: DesktopBatchOutputs,
    news: DesktopBatchInputs,
  ): Promise<lifecycle.UpdateResult<DesktopBatchOutputs>> {
    const inputs: DesktopBatchInputs = { ...news, lineage: news.lineage ?? olds.lineage };
    const batch = this.session(inputs, "update", olds.desktopIds ?? [], this.identityOf(id, inputs));
    // A change of template is recorded only once made: a failure keeps the old one, so the next up resumes it.
    const recorded = olds.bundleId === inputs.bundleId ? inputs : { ...inputs, bundleId: olds.bundleId };
    return recordingPartial(id, recorded, batch, async () => {
      await convergeToInputs(batch, { id, olds, inputs, log: this.log });
      return { outs: batchOutputs(inputs, batch, olds) };
    });
  }

  async delete(id: string, props: DesktopBatchOutputs): Promise<void> {
    const inputs = inputsOf(props as unknown as Record<string, unknown>);
    const batch = this.session(inputs, "delete", props.desktopIds ?? [], this.identityOf(id, inputs));
    const desktops = await batch.live();
    await batch.giveBackAbandoned();
    // Desktops already being deleted (a rerun of an interrupted destroy) are waited for until they are gone.
    await releaseDesktops(
      batch,
      inputs,
      desktops,
      [...batch.tracked, ...batch.dying],
      {
        refused: `DesktopBatch ${id} was not deleted`,
        keep: "set the resource option retainOnDelete: true and run pulumi up, then delete or destroy",
        label: `releasing ${batch.tracked.length} desktop(s)`,
      },
      this.log,
    );
  }

  /** Whose desktops an ID names: the owner is read from the ID, never recomputed from inputs. */
  private identityOf(id: string, inputs: DesktopBatchInputs): Identity {
    const instance = instanceFromId(id);
    if (!instance) throw new Error(`${id} is not a DesktopBatch ID (ecd-batch-<instance>)`);
    return { instance, lineage: inputs.lineage };
  }

  /** One operation on one batch (in the inputs' region unless told otherwise). */
  private session(
    inputs: DesktopBatchInputs,
    phase: Phase,
    known: string[],
    identity: Identity,
    regionId = inputs.regionId,
  ): BatchSession {
    const timeout =
      parseDuration(inputs.timeouts?.[phase] ?? DEFAULT_TIMEOUT) ?? parseDuration(DEFAULT_TIMEOUT)!;
    const deadline = Date.now() + timeout;
    // Progress lines name their batch: with several batches in one `pulumi up` they interleave.
    const who = inputs.desktopName ?? batchIdFor(identity.instance);
    const poll = { ...this.poll, log: (line: string) => this.poll.log(`${who}: ${line}`) };
    return new BatchSession(this.client(regionId), inputs, deadline, poll, known, identity, this.lease);
  }

  private defaultRegion(): string | undefined {
    return this.settings.region || REGION_ENV.map((name) => this.env[name]).find((value) => value);
  }

  private client(regionId: string | undefined): EcdClient {
    if (!regionId) throw new Error("regionId is not set (check should have reported it)");
    let client = this.clients.get(regionId);
    if (!client) {
      client = new EcdClient({
        progress: this.log,
        ...this.options.client,
        regionId,
        credentials: this.settings.credentials,
        endpoint: this.settings.endpoint,
        env: this.env,
      });
      this.clients.set(regionId, client);
    }
    return client;
  }
}

/** Keeps the lineage (and its aliases' lineages) the batch was recorded with. */
function settleIdentity(inputs: DesktopBatchInputs, olds: DesktopBatchInputs): void {
  inputs.lineage = olds.lineage;
  if (olds.aliasLineages === undefined) delete inputs.aliasLineages;
  else inputs.aliasLineages = olds.aliasLineages;
}

function stripProvider(inputs: DesktopBatchInputs): DesktopBatchInputs {
  const { __provider: _ignored, ...rest } = inputs as DesktopBatchInputs & { __provider?: unknown };
  return rest;
}
