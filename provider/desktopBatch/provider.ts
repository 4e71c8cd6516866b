/**
 * DesktopBatch: a batch of ECD cloud computers created with CreateDesktops and tracked by desktop ID.
 * Reads top to bottom as its lifecycle: configure, check, diff, create, read, update, delete.
 */
import type * as lifecycle from "./lifecycle";
import { EcdClient, EcdClientOptions } from "../ecd/client";
import type { StaticCredentials } from "../ecd/credentials";
import type { Desktop } from "../ecd/operations";
import { canonicalInputs } from "./canonical";
import { unreleasable } from "./desired";
import { REGION_ENV, withDefaults } from "./defaults";
import { checkRebuild } from "./attributes/image";
import { planTemplates } from "./attributes/template";
import { DesktopsRefusedError, isStaleCode } from "./attributes/attribute";
import { DiffPlan, liveDrift, planDiff } from "./diff";
import { parseDuration } from "./duration";
import {
  ADOPTED_TAG,
  batchIdFor,
  CREATING_TAG,
  instanceFromId,
  LINEAGE_TAG,
  newInstanceId,
  STOPPED_FOR_TAG,
  tagValue,
} from "./identity";
import type { DesktopBatchInputs } from "./inputs";
import { buildOutputs, compact, DesktopBatchOutputs, desktopOutput, inputsOf } from "./outputs";
import type { DesktopView } from "./attributes";
import { GONE } from "./statuses";
import { userTags } from "./tags";
import { escapeRegExp } from "./text";
import { BatchSession, EngineGoneError, Identity, LeaseSettings, UnpaidOrderError } from "./session";
import { CONFIG_SETTINGS, ProviderSettingName } from "./schemaModel";
import { containsUnknown, validateInputs } from "./validate";
import { ReferenceChecker } from "./references";
import { engineReachable } from "./engine";
import { DesktopGoneError, SHORTEST_MS, type PollSettings } from "./waiter";
import { EcdApiError } from "../ecd/errors";

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
/** Error codes of a region these credentials may not use. */
const DENIED = /Forbidden|NoPermission|Unauthorized|NotAuthorized/i;
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

export class DesktopBatchProvider implements lifecycle.ResourceProvider {
  private settings: ProviderSettings = {};
  private readonly clients = new Map<string, EcdClient>();
  private readonly poll: PollSettings;
  private readonly lease: LeaseSettings;
  private readonly env: NodeJS.ProcessEnv;
  private readonly references: ReferenceChecker;

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
    this.references = new ReferenceChecker((line) => this.poll.log(line));
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
      await this.previewAdoption(inputs);
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
    const adopting = await this.adopting(olds, news);
    let plan = planDiff(stored, news, templates, adopting);
    // A rebuild the desktops cannot take is found here, before anything changes: refused, or a replacement.
    if (!plan.replaces?.length && news.regionId && !containsUnknown(news)) {
      const check = await checkRebuild(this.client(news.regionId), stored, news, templates);
      if (check.refuse) throw new Error(check.refuse);
      if (check.replace) plan = planDiff(stored, news, templates, adopting, check.replace);
    }
    const who = `${olds.desktopName ?? news.desktopName ?? "DesktopBatch"} (${id})`;
    if (plan.replaces?.length) {
      this.poll.log(
        `${who}: replaced because ${(plan.replaces ?? []).join(", ")} cannot change in place${plan.reasons.length ? ` (${plan.reasons.join("; ")})` : ""}; all ${olds.desktopIds?.length ?? 0} desktop(s) are released and ${news.amount ?? 1} created`,
      );
    } else if (plan.changes) {
      const what = [...plan.updates.map((name) => `${name} changes`), ...plan.drift];
      this.poll.log(`${who}: ${what.join("; ")}`);
    }
    return plan;
  }

  /**
   * A new batch that adopts desktops: a preview sees no diff for a create, so check says what the create will do
   * with them — adopt, change in place, create the rest — and that nothing else is created or released.
   */
  private async previewAdoption(inputs: DesktopBatchInputs): Promise<void> {
    const none: DesktopBatchOutputs = { desktopIds: [], desktops: [] };
    const order = inputs.adoptDesktopIds ?? [];
    // Without credentials or service the references check has said so already; check itself never throws.
    const found = await this.adopting(none, inputs).catch(() => undefined);
    if (!found) return;
    const adopting = found.sort((a, b) => order.indexOf(a.desktopId) - order.indexOf(b.desktopId));
    const plan = liveDrift(none, inputs, {}, adopting);
    const creates = adopting.length < (inputs.amount ?? 1);
    this.poll.log(
      `${inputs.desktopName ?? "DesktopBatch"} (new batch): ${plan.join("; ")}${creates ? "; none is released" : "; no desktop is created or released"}`,
    );
  }

  /** Desktops newly listed in adoptDesktopIds as they are now, so the preview says what adopting does to them. */
  private async adopting(olds: DesktopBatchOutputs, news: DesktopBatchInputs): Promise<DesktopView[]> {
    const known = new Set([...(olds.desktopIds ?? []), ...(olds.adoptDesktopIds ?? [])]);
    const ids = (news.adoptDesktopIds ?? []).filter((desktopId) => !known.has(desktopId));
    if (!ids.length || !news.regionId || containsUnknown(ids)) return [];
    const found = await this.client(news.regionId).describeAllDesktops({ desktopIds: ids });
    return found.filter((desktop) => !GONE.has(desktop.desktopStatus)).map(desktopOutput);
  }

  async create(inputs: DesktopBatchInputs): Promise<lifecycle.CreateResult<DesktopBatchOutputs>> {
    const instance = newInstanceId();
    const id = batchIdFor(instance);
    const identity = { instance, lineage: inputs.lineage, formerLineages: inputs.aliasLineages };
    const batch = this.session(inputs, "create", [], identity);
    const adopted = inputs.adoptDesktopIds ?? [];
    // The engine is there now (it asked for this create): later, its absence means it was killed.
    await this.lease.engineAlive();
    return this.guard(id, inputs, batch, async () => {
      await batch.takeOverInterrupted();
      await this.settleInterruptedElsewhere(inputs, identity);
      await batch.warnOfOtherInterruptedCreates();
      await batch.adopt(adopted, new Set(adopted), true);
      await batch.createMissing(true);
      // Adopted desktops keep their power state: only what this create made is waited for.
      const made = batch.tracked.filter((desktopId) => !adopted.includes(desktopId));
      const desktops = await batch.waitMadeRunning(made, `${inputs.amount ?? 1} desktop(s) Running`, true);
      this.failOnFailed(desktops);
      await batch.converge(desktops);
      await batch.commit();
      return { id, outs: this.outputs(inputs, batch) };
    });
  }

  /**
   * A create interrupted before a move to another region (regionId and officeSiteId edited) left its desktops
   * there: each other region is searched for them, and they are released (desktops it had adopted are given back),
   * with a log line naming them; a hold still renewed there is waited for like one here.
   */
  private async settleInterruptedElsewhere(inputs: DesktopBatchInputs, identity: Identity): Promise<void> {
    if (!inputs.lineage) return;
    const here = this.client(inputs.regionId);
    const regions = ((await here.describeRegions()).regions ?? [])
      .map((region) => region.regionId)
      .filter((regionId) => regionId !== inputs.regionId);
    for (const regionId of regions) {
      // A region that fails to answer fails the create before anything is made (the rerun looks again); one these
      // credentials may not use (a RAM policy for some regions only) cannot hold this resource's desktops.
      await this.session(inputs, "create", [], identity, regionId)
        .takeOverInterrupted()
        .catch((error: unknown) => {
          if (!(error instanceof EcdApiError && DENIED.test(error.code))) throw error;
          this.poll.log(`not looking in ${regionId} for what an interrupted create left: ${error.code}`);
        });
    }
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
        ...this.outputs(known, batch, props, unfinishedRun(desktops, known)),
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
    const known = new Set(olds.adoptDesktopIds ?? []);
    const newlyAdopted = new Set((inputs.adoptDesktopIds ?? []).filter((desktopId) => !known.has(desktopId)));
    // A change of template is recorded only once made: a failure keeps the old one, so the next up resumes it.
    const recorded = olds.bundleId === inputs.bundleId ? inputs : { ...inputs, bundleId: olds.bundleId };
    return this.guard(id, recorded, batch, async () => {
      if (!plansFromState(olds, inputs))
        return this.bringToInputs(batch, olds, inputs, newlyAdopted, id, true);
      // The state is trusted; a desktop changed outside Pulumi meanwhile makes a call fail, and then the batch is
      // listed and planned again (what was already applied is then simply not planned).
      batch.assume(olds.desktops ?? []);
      try {
        return await this.bringToInputs(batch, olds, inputs, newlyAdopted, id, false);
      } catch (error) {
        if (!isStaleView(error)) throw error;
        this.poll.log(
          `${describeError(error)}: the batch changed outside Pulumi; listing it and planning again`,
        );
        return this.bringToInputs(batch, olds, inputs, newlyAdopted, id, true);
      }
    });
  }

  /** The update's steps, from the batch as listed (`list`) or as the state recorded it. */
  private async bringToInputs(
    batch: BatchSession,
    olds: DesktopBatchOutputs,
    inputs: DesktopBatchInputs,
    newlyAdopted: ReadonlySet<string>,
    id: string,
    list: boolean,
  ): Promise<lifecycle.UpdateResult<DesktopBatchOutputs>> {
    if (list) await batch.live();
    await batch.adopt(inputs.adoptDesktopIds ?? [], newlyAdopted);
    // A rerun after a failed create or scale-up: what that attempt made may still be on its way.
    const arriving = batch
      .current()
      .filter((d) => d.desktopStatus === "Pending")
      .map((d) => d.desktopId);
    if (arriving.length)
      await batch.waitMadeRunning(arriving, `${arriving.length} desktop(s) of an earlier attempt Running`);
    const desktops = batch.current();
    const failed = desktops.filter((d) => d.desktopStatus === "Failed").map((d) => d.desktopId);
    if (failed.length) {
      this.poll.log(`replacing ${failed.length} Failed desktop(s)`);
      await this.release(batch, inputs, desktops, failed, {
        refused: "Failed desktops were not replaced",
        keep: "keep them",
        label: "releasing Failed desktops",
        wantsPostPaid: (inputs.chargeType ?? "PostPaid") === "PostPaid",
      });
    }
    const amount = inputs.amount ?? 1;
    if (batch.tracked.length > amount) {
      // How many to release rests on how many exist: a desktop deleted outside Pulumi is not counted.
      if (!list) await batch.confirmTracked(`scaling down to ${amount}`);
      const victims = batch.victims(batch.current(), batch.tracked.length - amount);
      await this.release(batch, inputs, batch.current(), victims, {
        refused: `DesktopBatch ${id} was not scaled down to ${amount}`,
        keep: `keep amount at ${batch.tracked.length}`,
        label: `scaling down by ${victims.length}`,
        wantsPostPaid: (inputs.chargeType ?? "PostPaid") === "PostPaid",
      });
    }
    if (batch.tracked.length < amount) {
      if (olds.unpaidOrderId) throw new UnpaidOrderError(olds.unpaidOrderId, amount - batch.tracked.length);
      const created = await batch.createMissing(false);
      const all = await batch.waitMadeRunning(created, `${created.length} new desktop(s) Running`, true);
      this.failOnFailed(all.filter((d) => created.includes(d.desktopId)));
    }
    // Releases, creates, waits and fixes keep the session's view current: no listing after them.
    await batch.converge(batch.current(), olds.bundleId);
    await batch.commit();
    return { outs: this.outputs(inputs, batch, olds) };
  }

  async delete(id: string, props: DesktopBatchOutputs): Promise<void> {
    const inputs = inputsOf(props as unknown as Record<string, unknown>);
    const batch = this.session(inputs, "delete", props.desktopIds ?? [], this.identityOf(id, inputs));
    const desktops = await batch.live();
    // Desktops already being deleted (a rerun of an interrupted destroy) are waited for until they are gone.
    await this.release(batch, inputs, desktops, [...batch.tracked, ...batch.dying], {
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
    words: { refused: string; keep: string; label: string; wantsPostPaid?: boolean },
  ): Promise<void> {
    const wanted = new Set(ids);
    const locked = unreleasable(desktops.filter((d) => wanted.has(d.desktopId)));
    // Converting is opted into by releaseSubscriptionOnDelete, or by an update whose inputs convert them anyway.
    const mayConvert = inputs.releaseSubscriptionOnDelete || words.wantsPostPaid;
    if (locked.length && !mayConvert) {
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

  /**
   * Runs a create/update step; on failure, reports what exists so Pulumi records it (nothing leaks). Recorded
   * desktops are committed first, so no later create can take them over.
   */
  private async guard<T>(
    id: string,
    inputs: DesktopBatchInputs,
    batch: BatchSession,
    step: () => Promise<T>,
  ): Promise<T> {
    try {
      return await step();
    } catch (error) {
      // Nobody is listening any more: leave the desktops marked, so the next run takes them over.
      if (error instanceof EngineGoneError) throw error;
      const reason = describeError(error);
      const unpaidOrderId = error instanceof UnpaidOrderError ? error.orderId : undefined;
      if (!batch.tracked.length && !unpaidOrderId) {
        await batch.letGo().catch(() => undefined);
        if (inputs.lineage && batch.maybeCreated) {
          throw new Error(
            `${reason}. No desktop of this batch was recorded, but a CreateDesktops had an unknown outcome: desktops may exist. ` +
              `They carry the tag ${LINEAGE_TAG}=${inputs.lineage}; the next pulumi up of this resource takes them ` +
              `over or releases them (npx pulumi-ecd sweep lists them).`,
          );
        }
        throw error;
      }
      const commitProblem = await batch.commit().then(
        () => undefined,
        (failure: unknown) => describeError(failure),
      );
      const reasons = commitProblem
        ? [reason, `the creating tag could not be removed (${commitProblem}); the next pulumi up removes it`]
        : [reason];
      const unfinished = reasons.join("; ");
      let properties: DesktopBatchOutputs;
      try {
        await batch.live();
        properties = this.outputs(inputs, batch, { unpaidOrderId }, unfinished);
      } catch {
        properties = buildOutputs(
          inputs,
          batch.tracked,
          batch.tracked.map((desktopId) => ({ desktopId, desktopStatus: "Unknown" })),
          { orderId: batch.orderId, unpaidOrderId, unfinished },
        );
      }
      throw new PartialBatchError(
        `${reasons.join("; ")} (the batch's ${batch.tracked.length} desktop(s) are recorded in the stack)`,
        id,
        properties,
        reasons,
      );
    }
  }

  /** Outputs from the batch as the session last saw or changed it. */
  private outputs(
    inputs: DesktopBatchInputs,
    batch: BatchSession,
    previous: { orderId?: string; unpaidOrderId?: string } = {},
    unfinished?: string,
  ): DesktopBatchOutputs {
    const desktops = batch.current();
    const unpaidOrderId = desktops.length ? undefined : previous.unpaidOrderId;
    return buildOutputs(inputs, batch.tracked, desktops, {
      orderId: batch.orderId ?? previous.orderId,
      unpaidOrderId,
      unfinished,
    });
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
        progress: (line) => this.poll.log(line),
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

/**
 * For a lookup by ID alone: the inputs the live desktops show (office site, template, policy, billing, tags,
 * users, name stem, lineage). Inputs that leave no trace on a desktop stay unset.
 */
function inputsSeenOn(desktops: Desktop[]): DesktopBatchInputs {
  const [first] = desktops;
  const names = desktops.map((d) => d.desktopName ?? "");
  const stem = /^(.*)-\d+$/.exec(names[0] ?? "")?.[1];
  const numbered =
    stem !== undefined &&
    names.every((name) => new RegExp(`^${escapeRegExp(stem)}-\\d+(-\\d+)?$`).test(name));
  const tags = userTags(first.tags);
  return compact({
    lineage: tagValue(first.tags, LINEAGE_TAG),
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

/** Statuses in which a stored desktop stays until somebody acts on it. */
const STEADY = new Set(["Running", "Stopped", "Hibernated", "Expired"]);

/**
 * Whether an update can plan from the stored desktops instead of listing the batch: the state records every
 * desktop, its last operation finished, none was on its way anywhere, and the batch is not growing (a scale-up
 * lists first, to adopt what an interrupted scale-up made).
 */
function plansFromState(olds: DesktopBatchOutputs, inputs: DesktopBatchInputs): boolean {
  const ids = olds.desktopIds ?? [];
  const stored = olds.desktops ?? [];
  const recorded = new Set(stored.map((desktop) => desktop.desktopId));
  return (
    !olds.unfinished &&
    !olds.unpaidOrderId &&
    stored.length === ids.length &&
    ids.every((desktopId) => recorded.has(desktopId)) &&
    stored.every((desktop) => STEADY.has(desktop.desktopStatus)) &&
    (inputs.amount ?? 1) <= ids.length
  );
}

/** An answer that means a desktop is not as the state recorded it (deleted, or busy, outside Pulumi). */
function isStaleView(error: unknown): boolean {
  if (error instanceof DesktopGoneError) return true;
  if (error instanceof DesktopsRefusedError) return error.refused.every((r) => isStaleCode(r.code ?? ""));
  return error instanceof EcdApiError && isStaleCode(error.code);
}

const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * A refresh that finds desktops still marked as being created, or stopped for a spec change that did not finish
 * (powerState not Stopped): the next update lists the batch, commits the ones and starts the others.
 */
function unfinishedRun(desktops: readonly Desktop[], inputs: DesktopBatchInputs): string | undefined {
  const creating = desktops.filter((desktop) => tagValue(desktop.tags, CREATING_TAG) !== undefined);
  // A create whose commit removed the creating mark but not the adopted one: only a listing update removes it.
  const adopted = desktops.filter(
    (desktop) => tagValue(desktop.tags, ADOPTED_TAG) !== undefined && !creating.includes(desktop),
  );
  const stopped =
    inputs.powerState === "Stopped"
      ? []
      : desktops.filter(
          (d) =>
            tagValue(d.tags, STOPPED_FOR_TAG) !== undefined &&
            (d.desktopStatus === "Stopped" || d.desktopStatus === "Stopping"),
        );
  const ids = (list: readonly Desktop[]) => list.map((d) => d.desktopId).join(", ");
  const reasons = [
    creating.length ? `${creating.length} desktop(s) still carry the creating mark (${ids(creating)})` : "",
    adopted.length
      ? `${adopted.length} adopted desktop(s) still carry the adopted mark (${ids(adopted)})`
      : "",
    stopped.length
      ? `${stopped.length} desktop(s) were stopped for a spec change and not started again (${ids(stopped)})`
      : "",
  ].filter(Boolean);
  return reasons.length ? reasons.join("; ") : undefined;
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
