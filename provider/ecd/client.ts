import { connect } from "node:net";
import OpenApi, * as $OpenApi from "@alicloud/openapi-client";
import * as $Util from "@alicloud/tea-util";
import Credential from "@alicloud/credentials";
import { writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { resolveCredentials, StaticCredentials } from "./credentials";
import {
  ALLOW_INSECURE_HTTP_ENV,
  Endpoint,
  endpointSetting,
  isLoopbackHost,
  resolveEndpoint,
} from "./endpoint";
import { classifyThrown, EcdApiError, EcdOutcomeUnknownError, describeCause } from "./errors";
import { apiErrorHint, transportHint } from "./hints";
import { decodeResponse } from "./response";
import { DESKTOP_RESOURCE_TYPE, OPERATIONS, OperationName, RequestOf, ResponseOf } from "./operations";
import type * as ops from "./operations";
import { type CallPacer, processPacer } from "./pacing";
import {
  DEFAULT_RETRY_POLICY,
  isRetryableApiError,
  isThrottling,
  nextRetry,
  RetryPolicy,
  sleep,
} from "./retry";
import { flattenWire, toWire } from "./wire";
import { clearSdkReadTimers } from "./readTimers";

export const API_VERSION = "2020-09-30";

export interface EcdClientOptions {
  regionId: string;
  credentials?: Partial<StaticCredentials>;
  /** URL or host[:port]; else ALIBABA_CLOUD_ECD_ENDPOINT; else ecd.<region>.aliyuncs.com over HTTPS. */
  endpoint?: string;
  /** Both are set explicitly: openapi-client's 3 s defaults are too short for CreateDesktops of 300. */
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  /** "v3" = ACS3-HMAC-SHA256 header signature (openapi-client default); "v1" = classic HMAC-SHA1 query signature. */
  signature?: "v3" | "v1";
  retry?: Partial<RetryPolicy>;
  /**
   * Paces every attempt (provider/ecd/pacing.ts); by default the budget the whole process shares. `false` sends
   * unpaced and backs off from throttling like from any transient error.
   */
  pacer?: CallPacer | false;
  userAgent?: string;
  /** Observes every attempt (tests, progress, debugging). */
  onAttempt?: (event: AttemptEvent) => void;
  /**
   * The provider's progress lines: a call that has had no answer for half its timeout says so (default: stderr),
   * and, at most every QUOTA_LINE_EVERY_MS, that calls wait because the account's quota throttled them (only
   * when given).
   */
  progress?: (line: string) => void;
  /** Injectable for tests: the clock deadlines are read on, the retries' sleep and jitter. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /**
   * Where the one-line notice about a plain-http endpoint goes (default: stderr; once per endpoint, and for a
   * loopback endpoint once on this machine).
   */
  notice?: (line: string) => void;
  /** Read for ALIBABA_CLOUD_ECD_ENDPOINT and PULUMI_ECD_ALLOW_INSECURE_HTTP (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface AttemptEvent {
  operation: string;
  attempt: number;
  outcome: "ok" | "retry" | "fail";
  error?: string;
  delayMs?: number;
}

export interface CallOptions {
  /** Give up retrying after this moment (epoch ms). */
  deadline?: number;
}

/** Quota waits are reported at most this often per client (each throttled call would otherwise add a line). */
export const QUOTA_LINE_EVERY_MS = 30_000;

const DESCRIBE_BATCH = 100;
const TAG_BATCH = 50;
/** Start/StopDesktops take 1-100 ids (SDK StartDesktopsRequest, StopDesktopsRequest); older texts said 1-20. */
const POWER_BATCH = 100;
/** What every text allows: the batch size after a service refused a larger one, and RebuildDesktops' 1-20. */
const SMALL_BATCH = 20;
/**
 * ListTagResources documents no MaxResults maximum (SDK ListTagResourcesRequest), only the example 10, so pages
 * are asked in that size rather than relying on a larger one being accepted.
 */
const TAG_PAGE_SIZE = 10;

const noticed = new Set<string>();
const stderrOnce = (line: string): void => {
  if (noticed.has(line)) return;
  noticed.add(line);
  process.stderr.write(`${line}\n`);
};

const stderrLine = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** "800 ms", "10 s". */
const formatMs = (ms: number): string => (ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/** The SDK's timeouts (its "ConnectTimeout" included, which fires on an idle socket too). */
function isTimeout(cause: unknown): boolean {
  return (cause as { name?: unknown } | undefined)?.name === "RequestTimeoutError";
}

function silentHint(timeoutMs: number, endpoint: Endpoint): string {
  return `the endpoint accepted the connection but sent no answer within ${formatMs(timeoutMs)}; check ${endpointSetting(endpoint)}: it may not be an ECD endpoint`;
}

/**
 * The loopback notice is said once on this machine (until its temporary directory is cleared), whatever the
 * port: every pulumi command starts a provider, every test an emulator, and each would repeat it.
 */
const loopbackOnce = (line: string, env: NodeJS.ProcessEnv): void => {
  if (noticed.has("loopback")) return;
  noticed.add("loopback");
  const marker = join(env.TMPDIR || tmpdir(), `pulumi-ecd-loopback-notice-${process.getuid?.() ?? "user"}`);
  try {
    writeFileSync(marker, `${line}\n`, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return;
  }
  process.stderr.write(`${line}\n`);
};

function plainHttpNotice(endpoint: Endpoint, url: string): { line: string; loopback: boolean } | undefined {
  if (endpoint.protocol !== "http") return undefined;
  const hostname = new URL(url).hostname;
  return isLoopbackHost(hostname)
    ? {
        line: `[pulumi-ecd] notice: plain http to the loopback endpoint ${url} (no TLS; fine for the local emulator)`,
        loopback: true,
      }
    : {
        line: `[pulumi-ecd] notice: plain http to ${url}, allowed by ${ALLOW_INSECURE_HTTP_ENV}=1: requests and answers travel unencrypted`,
        loopback: false,
      };
}

export class EcdClient {
  readonly regionId: string;
  /** `scheme://host[:port]`, as messages show it. */
  readonly endpoint: string;
  private readonly resolvedEndpoint: Endpoint;
  private readonly api: OpenApi;
  private readonly policy: RetryPolicy;
  private readonly options: EcdClientOptions;
  private readonly pacer: CallPacer | undefined;
  /** What the service's flow control counts calls against: the endpoint and the access key. */
  private readonly pacingScope: string;
  /** Desktops per StartDesktops/StopDesktops call: 100, or 20 once the region refused more. */
  private powerBatch = POWER_BATCH;
  private lastQuotaLineAt = -Infinity;

  constructor(options: EcdClientOptions) {
    this.options = options;
    this.regionId = options.regionId;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    const endpoint = resolveEndpoint(options.regionId, options.endpoint, options.env ?? process.env);
    this.resolvedEndpoint = endpoint;
    this.endpoint = `${endpoint.protocol}://${endpoint.host}`;
    const notice = plainHttpNotice(endpoint, this.endpoint);
    if (options.notice && notice) options.notice(notice.line);
    else if (notice?.loopback) loopbackOnce(notice.line, options.env ?? process.env);
    else if (notice) stderrOnce(notice.line);
    const resolved = resolveCredentials(options.credentials, options.env ?? process.env);
    this.pacer = options.pacer === false ? undefined : (options.pacer ?? processPacer);
    this.pacingScope = `${endpoint.host} ${resolved.keys?.accessKeyId ?? "(credential chain)"}`;
    const config = new $OpenApi.Config({
      endpoint: endpoint.host,
      protocol: endpoint.protocol,
      regionId: options.regionId,
      connectTimeout: options.connectTimeoutMs ?? 10_000,
      readTimeout: options.readTimeoutMs ?? 60_000,
      userAgent: options.userAgent ?? "pulumi-ecd",
      ...(options.signature === "v1" ? { signatureAlgorithm: "v2" } : {}),
    });
    if (resolved.keys) {
      config.accessKeyId = resolved.keys.accessKeyId;
      config.accessKeySecret = resolved.keys.accessKeySecret;
      config.securityToken = resolved.keys.securityToken;
    } else {
      config.credential = new Credential();
    }
    this.api = new OpenApi(config);
    clearSdkReadTimers();
  }

  /** One ECD call with our retry policy. Non-idempotent calls whose outcome is unknown are not re-sent. */
  async call<Op extends OperationName>(
    operation: Op,
    request: RequestOf<Op>,
    opts: CallOptions = {},
  ): Promise<ResponseOf<Op>> {
    const spec = OPERATIONS[operation];
    const query = { ...flattenWire(toWire(request, spec.wire)), ...spec.fixed };
    const params = new $OpenApi.Params({
      action: operation,
      version: API_VERSION,
      protocol: "HTTPS",
      pathname: "/",
      method: "POST",
      authType: "AK",
      style: "RPC",
      reqBodyType: "formData",
      bodyType: "json",
    });
    const wait = this.options.sleep ?? sleep;
    const now = this.options.now ?? Date.now;
    const where = { operation, endpoint: this.endpoint };
    const tries = { attempts: 0, throttled: 0, startedAt: now(), deadline: opts.deadline };
    for (let attempt = 0; ; attempt++) {
      const runtime = new $Util.RuntimeOptions({
        connectTimeout: this.options.connectTimeoutMs ?? 10_000,
        readTimeout: this.options.readTimeoutMs ?? 60_000,
        autoretry: false,
        // Certificates are always verified (the SDK's default too, stated so that nothing can flip it).
        ignoreSSL: false,
      });
      let failure: EcdApiError;
      let silentEndpoint = false;
      await this.pacer?.before(this.pacingScope, operation);
      const silence = this.signOfLife(operation);
      try {
        const response = await this.api
          .callApi(params, new $OpenApi.OpenApiRequest({ query }), runtime)
          .finally(() => clearTimeout(silence));
        const decoded = decodeResponse<ResponseOf<Op>>(response.body, spec.returns);
        // Every answered attempt reaches the budget: successes are what raise a paced rate again.
        const answered =
          decoded.kind === "ok"
            ? "ok"
            : decoded.kind === "error" && isThrottling(decoded)
              ? "throttled"
              : "failed";
        this.pacer?.after(this.pacingScope, operation, answered);
        if (decoded.kind === "ok") {
          this.options.onAttempt?.({ operation, attempt, outcome: "ok" });
          return decoded.value;
        }
        if (!spec.idempotent) {
          // Only a complete success proves what was applied; anything else may hide desktops that exist.
          const what =
            decoded.kind === "error"
              ? `the answer was HTTP 200 but carried the error ${decoded.code} (${decoded.message})`
              : decoded.what;
          this.options.onAttempt?.({ operation, attempt, outcome: "fail", error: "OutcomeUnknown" });
          throw new EcdOutcomeUnknownError(operation, new Error(what), {
            endpoint: this.endpoint,
            requestId: decoded.requestId,
            what,
          });
        }
        failure =
          decoded.kind === "error"
            ? new EcdApiError({
                ...where,
                code: decoded.code,
                message: decoded.message,
                requestId: decoded.requestId,
                httpStatus: 200,
              })
            : new EcdApiError({
                ...where,
                code: "BadResponse",
                message: decoded.what,
                requestId: decoded.requestId,
              });
        if (decoded.kind === "error" && !isRetryableApiError(failure)) {
          this.options.onAttempt?.({ operation, attempt, outcome: "fail", error: failure.code });
          throw failure;
        }
      } catch (thrown) {
        if (thrown instanceof EcdApiError) throw thrown;
        const sorted = classifyThrown(operation, thrown);
        const throttled = sorted.kind === "api" && isThrottling(sorted.error);
        this.pacer?.after(this.pacingScope, operation, throttled ? "throttled" : "failed");
        if (sorted.kind === "api") {
          const hint = apiErrorHint(sorted.error.code, operation);
          failure = new EcdApiError({ ...sorted.error, message: sorted.error.detail, ...where, hint });
          if (!isRetryableApiError(failure)) {
            this.options.onAttempt?.({ operation, attempt, outcome: "fail", error: failure.code });
            throw failure;
          }
          // A server error may come after the change was applied; only throttling proves it was not.
          if (!spec.idempotent && !isThrottling(failure)) {
            this.options.onAttempt?.({ operation, attempt, outcome: "fail", error: "OutcomeUnknown" });
            throw new EcdOutcomeUnknownError(operation, failure, {
              endpoint: this.endpoint,
              requestId: failure.requestId,
              what: `the service answered ${failure.code} (${failure.message}), which does not say whether the request was applied`,
            });
          }
        } else if (sorted.kind === "untrusted") {
          failure = new EcdApiError({
            ...where,
            code: "UntrustedEndpoint",
            message: describeCause(sorted.cause),
            hint: transportHint("untrusted", sorted.cause, this.resolvedEndpoint),
          });
          this.options.onAttempt?.({ operation, attempt, outcome: "fail", error: failure.code });
          throw failure;
        } else if (sorted.kind === "not-sent") {
          failure = new EcdApiError({
            ...where,
            code: "ConnectionFailed",
            message: describeCause(sorted.cause),
            hint: transportHint("not-sent", sorted.cause, this.resolvedEndpoint),
          });
        } else {
          if (!spec.idempotent) {
            this.options.onAttempt?.({ operation, attempt, outcome: "fail", error: "OutcomeUnknown" });
            throw new EcdOutcomeUnknownError(operation, sorted.cause, {
              endpoint: this.endpoint,
              what: sorted.kind === "bad-response" ? describeCause(sorted.cause) : undefined,
            });
          }
          silentEndpoint = isTimeout(sorted.cause) && (await this.acceptsConnections());
          failure = new EcdApiError({
            ...where,
            code: sorted.kind === "no-response" ? "NoResponse" : "BadResponse",
            message: describeCause(sorted.cause),
            hint: silentEndpoint
              ? silentHint(this.idleTimeoutMs, this.resolvedEndpoint)
              : sorted.kind === "no-response"
                ? transportHint("no-response", sorted.cause, this.resolvedEndpoint)
                : undefined,
          });
        }
      }
      // An endpoint that takes connections and answers nothing is most likely not ECD: one more try, not five.
      const policy = silentEndpoint
        ? { ...this.policy, maxAttempts: Math.min(2, this.policy.maxAttempts) }
        : this.policy;
      const throttled = isThrottling(failure);
      tries.attempts += 1;
      if (throttled) tries.throttled += 1;
      const decision = nextRetry(policy, tries, throttled, now(), this.options.random);
      if (!decision.retry) {
        this.options.onAttempt?.({ operation, attempt, outcome: "fail", error: failure.code });
        throw failure;
      }
      const { delayMs } = decision;
      this.options.onAttempt?.({ operation, attempt, outcome: "retry", error: failure.code, delayMs });
      if (throttled) this.reportQuotaWait(operation, tries, delayMs, now());
      if (delayMs > 0) await wait(delayMs);
    }
  }

  /**
   * The SDK's connect timeout is also its socket idle timeout, so a call with no answer at all ends after the
   * shorter of the two, named "ConnectTimeout" even when the connection succeeded.
   */
  private get idleTimeoutMs(): number {
    return Math.min(this.options.connectTimeoutMs ?? 10_000, this.options.readTimeoutMs ?? 60_000);
  }

  /** After half the time a call may take without any answer, one line says it is still waiting, and for what. */
  private signOfLife(operation: string): ReturnType<typeof setTimeout> {
    const after = Math.round(this.idleTimeoutMs / 2);
    const timer = setTimeout(
      () =>
        (this.options.progress ?? stderrLine)(
          `[pulumi-ecd] ${operation}: no answer yet from ${this.endpoint} after ${formatMs(after)}; waiting up to ${formatMs(this.idleTimeoutMs)}`,
        ),
      after,
    );
    timer.unref();
    return timer;
  }

  /** Whether the endpoint takes a TCP connection within the connect timeout: tells "silent" from "unreachable". */
  private acceptsConnections(): Promise<boolean> {
    const { host, protocol } = this.resolvedEndpoint;
    const url = new URL(`${protocol}://${host}`);
    const port = Number(url.port) || (protocol === "https" ? 443 : 80);
    return new Promise((resolve) => {
      const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ""), port });
      const done = (accepted: boolean) => {
        socket.destroy();
        resolve(accepted);
      };
      socket.setTimeout(this.options.connectTimeoutMs ?? 10_000, () => done(false));
      socket.once("connect", () => done(true));
      socket.once("error", () => done(false));
    });
  }

  /** One progress line for a throttled call: the account's quota, shared by every stack on it, is the wait. */
  private reportQuotaWait(
    operation: string,
    tries: { throttled: number; startedAt: number; deadline?: number },
    delayMs: number,
    at: number,
  ): void {
    if (!this.options.progress || at - this.lastQuotaLineAt < QUOTA_LINE_EVERY_MS) return;
    this.lastQuotaLineAt = at;
    const until = tries.deadline ?? tries.startedAt + this.policy.throttleWindowMs;
    this.options.progress(
      `waiting for the account's ECD quota: ${operation} was throttled ${tries.throttled} time(s) ` +
        `(the per-action quota is shared by every stack and program on this access key); ` +
        `retrying in ${(delayMs / 1000).toFixed(1)} s, until ${new Date(until).toISOString()} at the latest`,
    );
  }

  createDesktops(request: Omit<ops.CreateDesktopsRequest, "regionId">, opts?: CallOptions) {
    return this.call("CreateDesktops", { regionId: this.regionId, ...request }, opts);
  }

  describeDesktops(request: Omit<ops.DescribeDesktopsRequest, "regionId">, opts?: CallOptions) {
    return this.call("DescribeDesktops", { regionId: this.regionId, ...request }, opts);
  }

  /** Every desktop matching the filter: IDs in batches of 100, each batch walked through all its pages. */
  async describeAllDesktops(
    filter: Omit<ops.DescribeDesktopsRequest, "regionId" | "maxResults" | "nextToken">,
    opts?: CallOptions,
  ): Promise<ops.Desktop[]> {
    const batches = filter.desktopIds ? chunk(filter.desktopIds, DESCRIBE_BATCH) : [undefined];
    const found: ops.Desktop[] = [];
    for (const desktopIds of batches) {
      let nextToken: string | undefined;
      do {
        const page = await this.describeDesktops({ ...filter, desktopIds, maxResults: 100, nextToken }, opts);
        found.push(...(page.desktops ?? []));
        nextToken = page.nextToken || undefined;
      } while (nextToken);
    }
    return found;
  }

  deleteDesktops(desktopIds: string[], opts?: CallOptions) {
    return this.each(desktopIds, DESCRIBE_BATCH, (ids) =>
      this.call("DeleteDesktops", { regionId: this.regionId, desktopIds: ids }, opts),
    );
  }

  startDesktops(desktopIds: string[], opts?: CallOptions) {
    return this.eachPower(desktopIds, (ids) =>
      this.call("StartDesktops", { regionId: this.regionId, desktopIds: ids }, opts),
    );
  }

  /** Desktop ids, or ids with a `stoppedMode` (StopCharging when left out). */
  stopDesktops(
    target: string[] | { desktopIds: string[]; stoppedMode?: ops.StoppedMode },
    opts?: CallOptions,
  ) {
    const { desktopIds, stoppedMode } = Array.isArray(target)
      ? { desktopIds: target, stoppedMode: undefined }
      : target;
    return this.eachPower(desktopIds, (ids) =>
      this.call("StopDesktops", { regionId: this.regionId, desktopIds: ids, stoppedMode }, opts),
    );
  }

  /** Rebuilds in calls of at most 20 desktops; every desktop's outcome, in the order given. */
  async rebuildDesktops(request: Omit<ops.RebuildDesktopsRequest, "regionId">, opts?: CallOptions) {
    const results: ops.DesktopResult[] = [];
    await this.each(request.desktopIds, SMALL_BATCH, async (ids) => {
      const response = await this.call(
        "RebuildDesktops",
        { ...request, regionId: this.regionId, desktopIds: ids },
        opts,
      );
      results.push(...(response.rebuildResults ?? []));
    });
    return results;
  }

  modifyDesktopName(desktopId: string, newDesktopName: string, opts?: CallOptions) {
    return this.call("ModifyDesktopName", { regionId: this.regionId, desktopId, newDesktopName }, opts);
  }

  async modifyDesktopsPolicyGroup(desktopIds: string[], policyGroupId: string, opts?: CallOptions) {
    const results: NonNullable<ops.ModifyDesktopsPolicyGroupResponse["modifyResults"]> = [];
    await this.each(desktopIds, DESCRIBE_BATCH, async (ids) => {
      const response = await this.call(
        "ModifyDesktopsPolicyGroup",
        { regionId: this.regionId, desktopIds: ids, policyGroupId },
        opts,
      );
      results.push(...(response.modifyResults ?? []));
    });
    return results;
  }

  modifyDesktopSpec(request: Omit<ops.ModifyDesktopSpecRequest, "regionId">, opts?: CallOptions) {
    return this.call("ModifyDesktopSpec", { regionId: this.regionId, ...request }, opts);
  }

  modifyDesktopChargeType(request: Omit<ops.ModifyDesktopChargeTypeRequest, "regionId">, opts?: CallOptions) {
    return this.call("ModifyDesktopChargeType", { regionId: this.regionId, ...request }, opts);
  }

  modifyEntitlement(desktopId: string, endUserIds: string[], opts?: CallOptions) {
    return this.call("ModifyEntitlement", { regionId: this.regionId, desktopId, endUserIds }, opts);
  }

  /** Grants and revokes in calls of at most 100 desktops each. */
  async modifyUserEntitlement(
    request: Omit<ops.ModifyUserEntitlementRequest, "regionId">,
    opts?: CallOptions,
  ) {
    const { authorizeDesktopIds = [], revokeDesktopIds = [], endUserIds } = request;
    for (const ids of chunk(revokeDesktopIds, DESCRIBE_BATCH)) {
      await this.call(
        "ModifyUserEntitlement",
        { regionId: this.regionId, endUserIds, revokeDesktopIds: ids },
        opts,
      );
    }
    for (const ids of chunk(authorizeDesktopIds, DESCRIBE_BATCH)) {
      await this.call(
        "ModifyUserEntitlement",
        { regionId: this.regionId, endUserIds, authorizeDesktopIds: ids },
        opts,
      );
    }
  }

  tagResources(resourceIds: string[], tags: ops.TagPair[], opts?: CallOptions) {
    return this.each(resourceIds, TAG_BATCH, (ids) =>
      this.call("TagResources", { regionId: this.regionId, resourceIds: ids, tags }, opts),
    );
  }

  untagResources(resourceIds: string[], tagKeys: string[], opts?: CallOptions) {
    return this.each(resourceIds, TAG_BATCH, (ids) =>
      this.call("UntagResources", { regionId: this.regionId, resourceIds: ids, tagKeys }, opts),
    );
  }

  /** Every (resource, tag) row matching the filter, all pages. */
  async listAllTagResources(filter: { resourceIds?: string[]; tags?: ops.TagPair[] }, opts?: CallOptions) {
    const rows: NonNullable<ops.ListTagResourcesResponse["tagResources"]> = [];
    const batches = filter.resourceIds ? chunk(filter.resourceIds, TAG_BATCH) : [undefined];
    for (const resourceIds of batches) {
      let nextToken: string | undefined;
      do {
        const page = await this.call(
          "ListTagResources",
          { regionId: this.regionId, resourceIds, tags: filter.tags, maxResults: TAG_PAGE_SIZE, nextToken },
          opts,
        );
        rows.push(
          ...(page.tagResources ?? []).filter(
            (row) => !row.resourceType || row.resourceType === DESKTOP_RESOURCE_TYPE,
          ),
        );
        nextToken = page.nextToken || undefined;
      } while (nextToken);
    }
    return rows;
  }

  describePrice(request: Omit<ops.DescribePriceRequest, "regionId">, opts?: CallOptions) {
    return this.call("DescribePrice", { regionId: this.regionId, ...request }, opts);
  }

  describeImages(request: Omit<ops.DescribeImagesRequest, "regionId"> = {}, opts?: CallOptions) {
    return this.call("DescribeImages", { regionId: this.regionId, ...request }, opts);
  }

  describeBundles(request: Omit<ops.DescribeBundlesRequest, "regionId"> = {}, opts?: CallOptions) {
    return this.call("DescribeBundles", { regionId: this.regionId, ...request }, opts);
  }

  describeOfficeSites(request: Omit<ops.DescribeOfficeSitesRequest, "regionId"> = {}, opts?: CallOptions) {
    return this.call("DescribeOfficeSites", { regionId: this.regionId, ...request }, opts);
  }

  describePolicyGroups(request: Omit<ops.DescribePolicyGroupsRequest, "regionId"> = {}, opts?: CallOptions) {
    return this.call("DescribePolicyGroups", { regionId: this.regionId, ...request }, opts);
  }

  describeRegions(acceptLanguage?: string, opts?: CallOptions) {
    return this.call("DescribeRegions", { regionId: this.regionId, acceptLanguage }, opts);
  }

  private async each(ids: string[], size: number, run: (batch: string[]) => Promise<unknown>): Promise<void> {
    for (const batch of chunk(ids, size)) await run(batch);
  }

  /**
   * Start/Stop in calls of up to 100. A region whose service refuses a call of more than 20 (a 4xx answer: the
   * count is checked before anything happens) gets the same desktops again in calls of 20, and only those from
   * then on; a refusal that was not about the count recurs on the smaller call and is thrown from there.
   */
  private async eachPower(ids: string[], run: (batch: string[]) => Promise<unknown>): Promise<void> {
    for (let start = 0; start < ids.length;) {
      const batch = ids.slice(start, start + this.powerBatch);
      try {
        await run(batch);
      } catch (error) {
        const refused =
          error instanceof EcdApiError &&
          !isRetryableApiError(error) &&
          (error.httpStatus ?? 0) >= 400 &&
          (error.httpStatus ?? 0) < 500;
        if (!refused || batch.length <= SMALL_BATCH) throw error;
        this.powerBatch = SMALL_BATCH;
        continue;
      }
      start += batch.length;
    }
  }
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
