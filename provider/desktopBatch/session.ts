/**
 * The mechanics of one provider operation on one batch: which desktops it has, creating the missing ones
 * (reconciling lost CreateDesktops answers through the batch token), waiting, releasing, and converging each
 * desktop's attributes to the inputs. provider.ts strings these together per lifecycle step.
 */
import type { EcdClient } from "../ecd/client";
import { EcdApiError, EcdOutcomeUnknownError } from "../ecd/errors";
import type { Desktop, TagPair } from "../ecd/operations";
import { createRequests } from "./createRequests";
import { chooseVictims, nameFits, nameFor, perUserAssignment, sameSet, wantedUsers } from "./desired";
import { nextHostnameIndex } from "./hostname";
import type { DesktopBatchInputs } from "./inputs";
import { BATCH_TOKEN_TAG, toTagPairs, userTags } from "./tags";
import { PollSettings, waitForDesktops } from "./waiter";

/** Statuses from which a desktop moves on by itself. */
const TRANSITIONAL = new Set(["Pending", "Starting", "Stopping", "Rebuilding", "Deleting"]);
/** A desktop in these statuses is on its way out and no longer counts toward the batch. */
const GONE = new Set(["Deleting", "Deleted"]);
const RELEASABLE = new Set(["Running", "Stopped", "Expired", "Hibernated", "Failed"]);
const CHARGE_TYPE_BATCH = 20;
const MAX_UNKNOWN_OUTCOMES = 3;
const LOST_ANSWER_LOOKUPS = 3;
/** Calls that take one desktop each run this many at a time; throttling is absorbed by the client's retry. */
const PER_DESKTOP_CONCURRENCY = 8;

export class BatchSession {
  /** Desktop IDs of the batch in creation order. */
  tracked: string[];
  /** The batch's desktops as last described. */
  private seen: Desktop[] = [];
  orderId?: string;

  /** The tag that marks this batch's desktops. */
  private readonly tag: TagPair | undefined;

  constructor(
    private readonly client: EcdClient,
    private readonly inputs: DesktopBatchInputs,
    private readonly deadline: number,
    private readonly poll: PollSettings,
    known: string[],
    tag: TagPair | undefined,
  ) {
    this.tracked = [...known];
    this.tag = tag;
  }

  private get opts() {
    return { deadline: this.deadline };
  }

  /** IDs of desktops carrying this batch's token tag (finds what an interrupted create or update left). */
  async findByToken(): Promise<string[]> {
    const tag = this.tag;
    if (!tag) return [];
    const rows = await this.client.listAllTagResources({ tags: [tag] }, this.opts);
    return [...new Set(rows.map((row) => row.resourceId))];
  }

  /** Live desktops of the batch; tracked IDs of desktops that are gone are dropped, token-tagged ones added. */
  async live(): Promise<Desktop[]> {
    const candidates = [...new Set([...this.tracked, ...(await this.findByToken())])];
    const found = candidates.length
      ? await this.client.describeAllDesktops({ desktopIds: candidates }, this.opts)
      : [];
    const alive = found.filter((desktop) => !GONE.has(desktop.desktopStatus));
    const aliveIds = new Set(alive.map((desktop) => desktop.desktopId));
    // Desktops not tracked yet join in creation order; within a minute (the field's precision) the service's
    // own listing order stands (the sort is stable).
    const extra = alive
      .filter((desktop) => !this.tracked.includes(desktop.desktopId))
      .sort((a, b) => (a.creationTime ?? "").localeCompare(b.creationTime ?? ""))
      .map((desktop) => desktop.desktopId);
    this.tracked = [...this.tracked.filter((id) => aliveIds.has(id)), ...extra];
    const byId = new Map(alive.map((desktop) => [desktop.desktopId, desktop]));
    this.seen = this.tracked.map((id) => byId.get(id) as Desktop);
    return this.seen;
  }

  /** Takes over existing desktops by ID; every one must exist. */
  async adopt(ids: string[]): Promise<void> {
    const fresh = ids.filter((id) => !this.tracked.includes(id));
    if (!fresh.length) return;
    const found = await this.client.describeAllDesktops({ desktopIds: fresh }, this.opts);
    const missing = fresh.filter(
      (id) => !found.some((desktop) => desktop.desktopId === id && !GONE.has(desktop.desktopStatus)),
    );
    if (missing.length) {
      throw new Error(`adoptDesktopIds: no such desktop in ${this.client.regionId}: ${missing.join(", ")}`);
    }
    if (this.tag) await this.client.tagResources(fresh, [this.tag], this.opts);
    this.tracked.push(...fresh);
  }

  /**
   * Creates desktops until the batch has `amount`. A CreateDesktops whose answer was lost is reconciled by
   * looking up the batch token: what it created is adopted, and only what is still missing is requested again.
   */
  async createMissing(): Promise<string[]> {
    const amount = this.inputs.amount ?? 1;
    const created: string[] = [];
    let unknownOutcomes = 0;
    let requests = this.planCreates();
    while (requests.length) {
      const request = requests[0];
      try {
        const response = await this.client.createDesktops(request, this.opts);
        const ids = response.desktopId ?? [];
        this.tracked.push(...ids);
        created.push(...ids);
        if (response.orderId) this.orderId = response.orderId;
        this.poll.log(`created ${ids.length} desktop(s) (${this.tracked.length}/${amount})`);
        requests = requests.slice(1);
      } catch (error) {
        if (
          !(error instanceof EcdOutcomeUnknownError) ||
          !this.inputs.batchToken ||
          ++unknownOutcomes > MAX_UNKNOWN_OUTCOMES
        ) {
          throw error;
        }
        this.poll.log(`CreateDesktops answer lost; looking up the batch tag to see what it created`);
        const before = new Set(this.tracked);
        // Tags may show up a little after the desktops; look a few times before concluding nothing was made.
        for (let look = 0; look < LOST_ANSWER_LOOKUPS && this.tracked.length === before.size; look++) {
          await this.poll.sleep(this.poll.intervalMs * (look + 1));
          await this.live();
        }
        const adopted = this.tracked.filter((id) => !before.has(id));
        created.push(...adopted);
        this.poll.log(
          `found ${adopted.length} desktop(s) from the lost call (${this.tracked.length}/${amount})`,
        );
        requests = this.planCreates();
      }
    }
    return created;
  }

  /** The CreateDesktops calls that bring the batch (as last seen) up to amount. */
  private planCreates() {
    const missing = (this.inputs.amount ?? 1) - this.tracked.length;
    if (missing <= 0) return [];
    const perUser = this.inputs.userAssignMode === "PER_USER" && (this.inputs.endUserIds?.length ?? 0) > 0;
    const known = this.seen.filter((desktop) => desktop && this.tracked.includes(desktop.desktopId));
    return createRequests(this.inputs, {
      tag: this.tag,
      count: missing,
      whole: this.tracked.length === 0,
      hostnameOffset: this.inputs.hostname
        ? Math.max(
            nextHostnameIndex(
              this.inputs.hostname,
              known.map((d) => d.hostName),
            ),
            this.tracked.length,
          )
        : 0,
      owners: perUser ? perUserAssignment(known, this.inputs).shortfall.slice(0, missing) : undefined,
    });
  }

  async waitRunning(ids: string[], label: string): Promise<Desktop[]> {
    return waitForDesktops(
      this.client,
      {
        ids,
        settled: (d) => d.desktopStatus === "Running" || d.desktopStatus === "Failed",
        goneIsSettled: false,
        deadline: this.deadline,
        label,
      },
      this.poll,
    );
  }

  private waitSettled(ids: string[], label: string): Promise<Desktop[]> {
    return waitForDesktops(
      this.client,
      {
        ids,
        settled: (d) => !TRANSITIONAL.has(d.desktopStatus) || GONE.has(d.desktopStatus),
        goneIsSettled: true,
        deadline: this.deadline,
        label,
      },
      this.poll,
    );
  }

  /** Releases desktops and waits until they are gone. Already-gone desktops are fine. */
  async release(ids: string[], label: string): Promise<void> {
    if (!ids.length) return;
    const settled = await this.waitSettled(ids, `${label}: waiting for desktops to settle`);
    const deletable = settled
      .filter((desktop) => RELEASABLE.has(desktop.desktopStatus))
      .map((d) => d.desktopId);
    for (let start = 0; start < deletable.length; start += 100) {
      const batch = deletable.slice(start, start + 100);
      try {
        await this.client.deleteDesktops(batch, this.opts);
      } catch (error) {
        if (!(error instanceof EcdApiError) || !error.code.includes("NotFound")) throw error;
        const still = await this.client.describeAllDesktops({ desktopIds: batch }, this.opts);
        const remaining = still.filter((d) => RELEASABLE.has(d.desktopStatus)).map((d) => d.desktopId);
        if (remaining.length) await this.client.deleteDesktops(remaining, this.opts);
      }
    }
    await waitForDesktops(
      this.client,
      {
        ids,
        settled: (d) => d.desktopStatus === "Deleted",
        goneIsSettled: true,
        deadline: this.deadline,
        label,
      },
      this.poll,
    );
    const gone = new Set(ids);
    this.tracked = this.tracked.filter((id) => !gone.has(id));
  }

  /**
   * Scale-down victims per the documented order (Failed, then Stopped, then newest). With PER_USER they are
   * taken from the desktops beyond each user's new share, so no user loses a desktop another user keeps.
   */
  victims(desktops: Desktop[], count: number): string[] {
    let candidates = desktops;
    if (this.inputs.userAssignMode === "PER_USER" && this.inputs.endUserIds?.length) {
      const { owners } = perUserAssignment(desktops, this.inputs);
      const spare = desktops.filter((desktop) => owners.get(desktop.desktopId) === undefined);
      if (spare.length >= count) candidates = spare;
    }
    // Desktops ECD will release come first; unexpired subscription ones only when nothing else is left.
    const locked = new Set(BatchSession.unreleasable(candidates).map((d) => d.desktopId));
    const free = candidates.filter((d) => !locked.has(d.desktopId));
    const chosen = chooseVictims(free, this.tracked, count);
    if (chosen.length < count) {
      chosen.push(
        ...chooseVictims(
          candidates.filter((d) => locked.has(d.desktopId)),
          this.tracked,
          count - chosen.length,
        ),
      );
    }
    return chosen;
  }

  /** Subscription desktops that ECD will not release yet (creation-failed and expired ones it will). */
  static unreleasable(desktops: Desktop[], now = Date.now()): Desktop[] {
    return desktops.filter(
      (d) =>
        d.chargeType === "PrePaid" &&
        d.desktopStatus !== "Expired" &&
        d.desktopStatus !== "Failed" &&
        (!d.expiredTime || Date.parse(d.expiredTime) > now),
    );
  }

  /** Converts desktops to pay-as-you-go so they can be released (ModifyDesktopChargeType, 20 a call). */
  async convertToPostPaid(ids: string[]): Promise<void> {
    const settled = await this.waitSettled(ids, "waiting before converting to pay-as-you-go");
    const convertible = settled
      .filter((d) => d.desktopStatus === "Running" || d.desktopStatus === "Stopped")
      .map((d) => d.desktopId);
    for (let start = 0; start < convertible.length; start += CHARGE_TYPE_BATCH) {
      await this.client.modifyDesktopChargeType(
        { desktopIds: convertible.slice(start, start + CHARGE_TYPE_BATCH), chargeType: "PostPaid" },
        this.opts,
      );
    }
    await waitForDesktops(
      this.client,
      {
        ids: convertible,
        settled: (d) => d.chargeType === "PostPaid" && d.managementFlag !== "Updating",
        goneIsSettled: true,
        deadline: this.deadline,
        label: "converting to pay-as-you-go",
      },
      this.poll,
    );
  }

  /** Brings every live desktop's name, policy, tags, users, spec and billing to what the inputs say. */
  async converge(desktops: Desktop[]): Promise<void> {
    await this.convergeNames(desktops);
    await this.convergePolicy(desktops);
    await this.convergeTags(desktops);
    await this.convergeSpec(desktops);
    await this.convergeUsers(desktops);
    await this.convergeChargeType(desktops);
  }

  /** Names follow the inputs; numbered names stay unique across CreateDesktops calls (each numbers from 1). */
  private async convergeNames(desktops: Desktop[]): Promise<void> {
    const stem = this.inputs.desktopName;
    if (stem === undefined) return;
    const numbered = this.inputs.desktopNameSuffix !== false && (this.inputs.amount ?? 1) > 1;
    const used = new Set<string>();
    const renames: [Desktop, number][] = [];
    desktops.forEach((desktop, index) => {
      const name = desktop.desktopName ?? "";
      if (nameFits(this.inputs, name) && !(numbered && used.has(name))) used.add(name);
      else renames.push([desktop, index]);
    });
    const targets = renames.map(([desktop, index]) => {
      let wanted = nameFor(this.inputs, index) as string;
      for (let n = index + 2; numbered && used.has(wanted); n++) wanted = `${stem}-${n}`;
      used.add(wanted);
      return { desktop, wanted };
    });
    await eachLimited(targets, PER_DESKTOP_CONCURRENCY, ({ desktop, wanted }) =>
      this.client.modifyDesktopName(desktop.desktopId, wanted, this.opts),
    );
  }

  private async convergePolicy(desktops: Desktop[]): Promise<void> {
    const wanted = this.inputs.policyGroupId;
    if (!wanted) return;
    const stale = desktops.filter(
      (d) => d.policyGroupId !== wanted && !(d.policyGroupIdList ?? []).includes(wanted),
    );
    if (!stale.length) return;
    const results = await this.client.modifyDesktopsPolicyGroup(
      stale.map((d) => d.desktopId),
      wanted,
      this.opts,
    );
    const failed = results.filter((result) => result.code && result.code.toLowerCase() !== "success");
    if (failed.length) {
      throw new Error(
        `ModifyDesktopsPolicyGroup refused ${failed.map((f) => `${f.desktopId} (${f.code}: ${f.message ?? ""})`).join(", ")}`,
      );
    }
  }

  private async convergeTags(desktops: Desktop[]): Promise<void> {
    const wanted = this.inputs.tags ?? {};
    const tag = this.tag;
    const setGroups = new Map<string, string[]>();
    const unsetGroups = new Map<string, string[]>();
    for (const desktop of desktops) {
      const live = userTags(desktop.tags);
      const toSet = toTagPairs(wanted).filter((pair) => live[pair.key] !== pair.value);
      if (tag && !(desktop.tags ?? []).some((t) => t.key === BATCH_TOKEN_TAG && t.value === tag.value))
        toSet.push(tag);
      const toUnset = Object.keys(live)
        .filter((key) => !(key in wanted))
        .sort();
      if (toSet.length) push(setGroups, JSON.stringify(toSet), desktop.desktopId);
      if (toUnset.length) push(unsetGroups, JSON.stringify(toUnset), desktop.desktopId);
    }
    for (const [key, ids] of unsetGroups)
      await this.client.untagResources(ids, JSON.parse(key) as string[], this.opts);
    for (const [key, ids] of setGroups) await this.client.tagResources(ids, JSON.parse(key), this.opts);
  }

  private async convergeUsers(desktops: Desktop[]): Promise<void> {
    const wantedById = wantedUsers(desktops, this.inputs);
    const changes = desktops
      .map((desktop) => ({ desktop, wanted: wantedById.get(desktop.desktopId) ?? [] }))
      .filter(({ desktop, wanted }) => !sameSet(desktop.endUserIds, wanted));
    if (!changes.length) return;
    const ids = changes.map((change) => change.desktop.desktopId);
    await this.requireRunning(ids, "changing end users");
    if (this.inputs.userAssignMode === "PER_USER") {
      await eachLimited(changes, PER_DESKTOP_CONCURRENCY, ({ desktop, wanted }) =>
        wanted.length
          ? this.client.modifyEntitlement(desktop.desktopId, wanted, this.opts)
          : this.client.modifyUserEntitlement(
              { endUserIds: desktop.endUserIds ?? [], revokeDesktopIds: [desktop.desktopId] },
              this.opts,
            ),
      );
    } else {
      // ALL: the same users everywhere, so one grant and one revoke call per distinct change cover every desktop.
      const grants = new Map<string, string[]>();
      const revokes = new Map<string, string[]>();
      for (const { desktop, wanted } of changes) {
        const live = desktop.endUserIds ?? [];
        const add = wanted.filter((user) => !live.includes(user)).sort();
        const remove = live.filter((user) => !wanted.includes(user)).sort();
        if (add.length) push(grants, JSON.stringify(add), desktop.desktopId);
        if (remove.length) push(revokes, JSON.stringify(remove), desktop.desktopId);
      }
      for (const [users, desktopIds] of revokes) {
        await this.client.modifyUserEntitlement(
          { endUserIds: JSON.parse(users), revokeDesktopIds: desktopIds },
          this.opts,
        );
      }
      for (const [users, desktopIds] of grants) {
        await this.client.modifyUserEntitlement(
          { endUserIds: JSON.parse(users), authorizeDesktopIds: desktopIds },
          this.opts,
        );
      }
    }
    await waitForDesktops(
      this.client,
      {
        ids,
        settled: (d) =>
          !(d.managementFlags ?? []).includes("ASSIGNING") &&
          sameSet(d.endUserIds, wantedById.get(d.desktopId)),
        goneIsSettled: false,
        deadline: this.deadline,
        label: "assigning end users",
      },
      this.poll,
    );
  }

  private async convergeSpec(desktops: Desktop[]): Promise<void> {
    const spec = this.inputs.desktopAttachment;
    if (!spec) return;
    const changes = desktops
      .map((desktop) => ({ desktop, request: specChange(desktop, spec) }))
      .filter(
        (change): change is { desktop: Desktop; request: NonNullable<ReturnType<typeof specChange>> } =>
          change.request !== undefined,
      );
    if (!changes.length) return;
    const ids = changes.map((change) => change.desktop.desktopId);
    const current = await this.waitSettled(ids, "waiting before changing the spec");
    const wasRunning = current.filter((d) => d.desktopStatus === "Running").map((d) => d.desktopId);
    if (wasRunning.length) {
      await this.client.stopDesktops(wasRunning, this.opts);
      await waitForDesktops(
        this.client,
        {
          ids: wasRunning,
          settled: (d) => d.desktopStatus === "Stopped",
          goneIsSettled: false,
          deadline: this.deadline,
          label: "stopping to change the spec",
        },
        this.poll,
      );
    }
    await eachLimited(changes, PER_DESKTOP_CONCURRENCY, ({ desktop, request }) =>
      this.client.modifyDesktopSpec({ desktopId: desktop.desktopId, ...request }, this.opts),
    );
    if (wasRunning.length) {
      await this.client.startDesktops(wasRunning, this.opts);
      await this.waitRunning(wasRunning, "starting after the spec change");
    }
  }

  private async convergeChargeType(desktops: Desktop[]): Promise<void> {
    const wanted = this.inputs.chargeType ?? "PostPaid";
    const ids = desktops.filter((d) => d.chargeType && d.chargeType !== wanted).map((d) => d.desktopId);
    if (!ids.length) return;
    for (let start = 0; start < ids.length; start += CHARGE_TYPE_BATCH) {
      await this.client.modifyDesktopChargeType(
        {
          desktopIds: ids.slice(start, start + CHARGE_TYPE_BATCH),
          chargeType: wanted,
          ...(wanted === "PrePaid"
            ? {
                period: this.inputs.period,
                periodUnit: this.inputs.periodUnit,
                autoPay: this.inputs.autoPay,
                promotionId: this.inputs.promotionId,
              }
            : {}),
        },
        this.opts,
      );
    }
    await waitForDesktops(
      this.client,
      {
        ids,
        settled: (d) => d.chargeType === wanted && d.managementFlag !== "Updating",
        goneIsSettled: false,
        deadline: this.deadline,
        label: "changing the billing method",
      },
      this.poll,
    );
  }

  /** Waits out transitional states; a desktop that is stopped (or broken) cannot take the change. */
  private async requireRunning(ids: string[], what: string): Promise<void> {
    const settled = await this.waitSettled(ids, `waiting before ${what}`);
    const notRunning = settled.filter((d) => d.desktopStatus !== "Running");
    if (notRunning.length) {
      throw new Error(
        `cannot finish ${what}: ECD needs Running desktops, but ${notRunning.map((d) => `${d.desktopId} is ${d.desktopStatus}`).join(", ")}. Start them and run pulumi up again.`,
      );
    }
  }
}

/** Runs `run` over the items with at most `limit` in flight; the first failure is thrown after all settle. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await run(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}

function push(groups: Map<string, string[]>, key: string, id: string): void {
  const list = groups.get(key);
  if (list) list.push(id);
  else groups.set(key, [id]);
}

function diskSize(desktop: Desktop, type: "SYSTEM" | "DATA"): number {
  const disk = desktop.disks?.find((d) => d.diskType === type);
  if (disk?.diskSize !== undefined) return disk.diskSize;
  return Number(type === "SYSTEM" ? (desktop.systemDiskSize ?? 0) : (desktop.dataDiskSize ?? 0));
}

/** The ModifyDesktopSpec request that brings one desktop to the spec, or undefined when it already fits. */
export function specChange(
  desktop: Desktop,
  spec: NonNullable<DesktopBatchInputs["desktopAttachment"]>,
):
  | {
      desktopType: string;
      rootDiskSizeGib?: number;
      userDiskSizeGib?: number;
      userDiskPerformanceLevel?: string;
    }
  | undefined {
  const typeChange = spec.desktopType !== undefined && spec.desktopType !== desktop.desktopType;
  const root =
    spec.systemDiskSize !== undefined && spec.systemDiskSize > diskSize(desktop, "SYSTEM")
      ? spec.systemDiskSize
      : undefined;
  const user =
    spec.dataDiskSize !== undefined && spec.dataDiskSize > diskSize(desktop, "DATA")
      ? spec.dataDiskSize
      : undefined;
  if (!typeChange && root === undefined && user === undefined) return undefined;
  return {
    desktopType: spec.desktopType ?? desktop.desktopType ?? "",
    rootDiskSizeGib: root,
    userDiskSizeGib: user,
    userDiskPerformanceLevel: user !== undefined ? spec.dataDiskPerLevel : undefined,
  };
}
