/**
 * The mechanics of one provider operation on one batch: which desktops it owns, taking over what an interrupted
 * create of the same resource left, creating the missing ones (reconciling lost CreateDesktops answers by the
 * owner tag), waiting, releasing, and converging each desktop's attributes. The operations (provider.ts) and
 * converge.ts order these steps.
 */
import type { EcdClient } from "../ecd/client";
import { EcdApiError, EcdOutcomeUnknownError } from "../ecd/errors";
import type { Desktop, TagPair } from "../ecd/operations";
import { ApplyContext, Attribute, ATTRIBUTES } from "./attributes";
import { names } from "./attributes/names";
import { policy } from "./attributes/policy";
import { tags } from "./attributes/tags";
import { templateFor } from "./attributes/template";
import { createRequests } from "./createRequests";
import { isPerUser, modelShortfall, perUserAssignment, scaleDownVictims } from "./desired";
import { formerName, giveBack } from "./giveBack";
import { freeHostnameSlots, hostnameMatches } from "./hostname";
import {
  ADOPTED_TAG,
  adoptedTag,
  batchIdFor,
  CLAIM_TAG_PREFIX,
  claimTag,
  CREATING_TAG,
  creatingTag,
  ECD_TAGS_PER_DESKTOP,
  LINEAGE_TAG,
  lineageTag,
  OWNER_TAG,
  STOPPED_FOR_TAG,
  ownerTag,
  tagValue,
} from "./identity";
import type { DesktopBatchInputs } from "./inputs";
import { desktopFromOutput, desktopOutput, type DesktopOutput } from "./outputs";
import { GONE, RELEASABLE, isBusy } from "./statuses";
import { DesktopGoneError, Operation, PollSettings, waitForDesktops } from "./waiter";

const MAX_UNKNOWN_OUTCOMES = 3;
/** Changes an update from the stored state makes without looking first: harmless on a desktop gone elsewhere. */
const CHEAP_FIXES: ReadonlySet<Attribute<unknown>> = new Set([names, tags, policy] as Attribute<unknown>[]);
/** How often a create waiting for another run's hold looks again (that run may finish any moment). */
const LOOK_AGAIN_MS = 5_000;
/** How many looks a rival adoption claim gets to be withdrawn or become an owner before it counts as stale. */
const CLAIM_PATIENCE = 20;
const DELETE_BATCH = 100;
const TAG_BATCH = 50;

export interface Identity {
  /** Random per resource instance; its tag is what makes a desktop this batch's. */
  instance: string;
  /** The SDK's lineage; without it nothing is ever taken over. */
  lineage?: string;
  /** Lineages this resource had under its aliases: an interrupted create under an old name is found by them too. */
  formerLineages?: readonly string[];
}

export interface LeaseSettings {
  /** How long a create holds its desktops without renewing; a rerun waits at most this long for them. */
  ttlMs: number;
  /** How long to keep looking for what a CreateDesktops with a lost answer created before sending it again. */
  lostAnswerWindowMs: number;
  now: () => number;
  /**
   * Whether the Pulumi engine that asked for this operation is still there. A provider whose CLI was killed
   * keeps running; it must not commit (nobody records the batch) nor keep renewing its hold.
   */
  engineAlive: () => Promise<boolean>;
}

/** The engine that asked for this create went away: its desktops stay marked for the next run to take over. */
export class EngineGoneError extends Error {
  constructor() {
    super("the Pulumi engine went away during the create; the desktops stay marked for the next pulumi up");
    this.name = "EngineGoneError";
  }
}

export class BatchSession {
  /** Desktop IDs of the batch in creation order. */
  tracked: string[];
  /** The batch's desktops as last described. */
  private seen: Desktop[] = [];
  /** Whether the batch as last seen is the stored state (assume), not a listing. */
  private trusted = false;
  /** Desktops this run put its hold on before tracking them (adopted ones): released if the run fails early. */
  private readonly marked: string[] = [];
  /** Desktops of the batch being deleted (shown as Deleted): gone from the batch, not yet from the cloud. */
  dying: string[] = [];
  /**
   * Desktops with this batch's owner tag and the adopted mark that the batch does not track: an update killed while
   * adopting them. They never join the batch on their own; adopt() keeps those still listed and gives back the rest.
   */
  private abandoned: Desktop[] = [];
  orderId?: string;
  /** Whether a CreateDesktops may have made desktops that none is tracked for (its outcome was unknown). */
  maybeCreated = false;
  /** While creating: until when this run holds its desktops (the value of their creating tag). */
  private leaseUntil?: number;

  private readonly poll: PollSettings;

  constructor(
    private readonly client: EcdClient,
    private readonly inputs: DesktopBatchInputs,
    private readonly deadline: number,
    poll: PollSettings,
    known: string[],
    private readonly identity: Identity,
    private readonly lease: LeaseSettings,
  ) {
    this.tracked = [...known];
    this.poll = { ...poll, sleep: (ms) => this.sleepHolding(poll.sleep, ms) };
  }

  /**
   * Every sleep of this run: while it holds its desktops it renews the hold before sleeping and at least every
   * quarter of the hold, whatever the polling schedule (a wait's first look may come later than the hold lasts).
   */
  private async sleepHolding(sleep: (ms: number) => Promise<void>, ms: number): Promise<void> {
    let left = ms;
    do {
      await this.renewHold();
      const chunk = this.leaseUntil === undefined ? left : Math.min(left, this.lease.ttlMs / 4);
      await sleep(chunk);
      left -= chunk;
    } while (left > 0);
  }

  private get opts() {
    return { deadline: this.deadline };
  }

  /**
   * Live desktops of the batch: the tracked ones and every one carrying this batch's owner tag (what an
   * interrupted update created), found with DescribeDesktops' tag filter (100 a page) — the listing shows each
   * desktop whole, so no second lookup is needed. Desktops shown as Deleted are on their way out: they no longer
   * count toward the batch, but `dying` keeps them so that a delete waits until they are really gone.
   */
  async live(): Promise<Desktop[]> {
    const owned = await this.client.describeAllDesktops(
      { tags: [ownerTag(this.identity.instance)] },
      this.opts,
    );
    const ownedIds = new Set(owned.map((desktop) => desktop.desktopId));
    const untagged = this.tracked.filter((id) => !ownedIds.has(id));
    const listed = untagged.length
      ? await this.client.describeAllDesktops({ desktopIds: untagged }, this.opts)
      : [];
    // Disowned (sweep --disown) and adopted by another batch since: that batch's now, never touched from here.
    const taken = listed.filter((desktop) => this.ownedElsewhere(desktop));
    if (taken.length) {
      this.poll.log(
        `${taken.map((d) => `${d.desktopId} belongs to DesktopBatch ${batchIdFor(tagValue(d.tags, OWNER_TAG)!)}`).join(", ")} ` +
          `now: no longer in this batch`,
      );
    }
    const found = [...owned, ...listed.filter((desktop) => !taken.includes(desktop))];
    this.dying = found
      .filter((desktop) => GONE.has(desktop.desktopStatus))
      .map((desktop) => desktop.desktopId);
    const abandoned = (desktop: Desktop) =>
      !this.tracked.includes(desktop.desktopId) && tagValue(desktop.tags, ADOPTED_TAG) !== undefined;
    this.abandoned = found.filter((desktop) => !GONE.has(desktop.desktopStatus) && abandoned(desktop));
    const alive = found.filter((desktop) => !GONE.has(desktop.desktopStatus) && !abandoned(desktop));
    const aliveIds = new Set(alive.map((desktop) => desktop.desktopId));
    // Desktops not tracked yet join in creation order; within a minute (the field's precision) the service's
    // own listing order stands (the sort is stable).
    const extra = alive
      .filter((desktop) => !this.tracked.includes(desktop.desktopId))
      .sort((a, b) => (a.creationTime ?? "").localeCompare(b.creationTime ?? ""))
      .map((desktop) => desktop.desktopId);
    this.tracked = [...this.tracked.filter((id) => aliveIds.has(id)), ...extra];
    this.trusted = false;
    const byId = new Map(alive.map((desktop) => [desktop.desktopId, desktop]));
    this.seen = this.tracked.map((id) => byId.get(id) as Desktop);
    return this.seen;
  }

  /**
   * The batch as the stored state recorded it, instead of listing it: an in-place update plans from this, and a
   * call that meets a desktop changed meanwhile fails (the provider then lists and plans again). The state keeps
   * user tags only; the owner and lineage tags are this batch's by construction.
   */
  assume(stored: readonly DesktopOutput[]): Desktop[] {
    const own = [ownerTag(this.identity.instance)];
    if (this.identity.lineage) own.push(lineageTag(this.identity.lineage));
    const byId = new Map(stored.map((view) => [view.desktopId, view]));
    this.tracked = this.tracked.filter((id) => byId.has(id));
    this.trusted = true;
    this.seen = this.tracked.map((id) => {
      const desktop = desktopFromOutput(byId.get(id) as DesktopOutput);
      return { ...desktop, tags: [...own, ...(desktop.tags ?? [])] };
    });
    return this.seen;
  }

  /**
   * Checks that every tracked desktop still exists (one DescribeDesktops per 100), without replacing the view the
   * update plans from; one that is gone means the batch changed outside Pulumi (DesktopGoneError).
   */
  async confirmTracked(what: string): Promise<void> {
    if (!this.tracked.length) return;
    const found = await this.client.describeAllDesktops({ desktopIds: this.tracked }, this.opts);
    const alive = new Set(
      found.filter((d) => !GONE.has(d.desktopStatus) && !this.ownedElsewhere(d)).map((d) => d.desktopId),
    );
    const gone = this.tracked.filter((id) => !alive.has(id));
    if (gone.length) throw new DesktopGoneError(what, gone);
  }

  /** Whether another DesktopBatch's owner tag is on the desktop. */
  private ownedElsewhere(desktop: Desktop): boolean {
    const owner = tagValue(desktop.tags, OWNER_TAG);
    return owner !== undefined && owner !== this.identity.instance;
  }

  /**
   * Takes over existing desktops by ID. A desktop another DesktopBatch owns is refused, naming that batch. An
   * ID in `required` must exist; any other one that is gone is simply a missing desktop.
   */
  async adopt(ids: readonly string[], required: ReadonlySet<string>, creating = false): Promise<void> {
    await this.giveBackAbandoned(new Set(ids));
    const fresh = ids.filter((id) => !this.tracked.includes(id));
    if (!fresh.length) return;
    const found = (await this.client.describeAllDesktops({ desktopIds: fresh }, this.opts)).filter(
      (desktop) => !GONE.has(desktop.desktopStatus),
    );
    const foundIds = new Set(found.map((desktop) => desktop.desktopId));
    const missing = fresh.filter((id) => !foundIds.has(id));
    const missingRequired = missing.filter((id) => required.has(id));
    if (missingRequired.length) {
      throw new Error(
        `adoptDesktopIds: no such desktop in ${this.client.regionId}: ${missingRequired.join(", ")}`,
      );
    }
    if (missing.length) {
      this.poll.log(
        `adopted desktop(s) ${missing.join(", ")} no longer exist; the batch counts them as missing`,
      );
    }
    const owned = found.filter((desktop) => {
      const owner = tagValue(desktop.tags, OWNER_TAG);
      return owner !== undefined && owner !== this.identity.instance;
    });
    if (owned.length) throw adoptionRefused(owned.map((d) => [d.desktopId, tagValue(d.tags, OWNER_TAG)!]));
    this.refuseCrowded(found, creating);
    if (found.length) {
      const ids = found.map((d) => d.desktopId);
      const claims = await this.claim(ids);
      try {
        await this.tagAdopted(found, creating);
      } finally {
        await this.client.untagResources(ids, claims, this.opts).catch(() => undefined);
      }
      this.tracked.push(...ids);
      await this.live();
    }
  }

  /**
   * A desktop to adopt must have room, within ECD's 20 tags, for the claim and the provider's tags beside its own
   * (which the batch's tags replace later): refused before anything is tagged, naming the desktop.
   */
  private refuseCrowded(found: readonly Desktop[], creating: boolean): void {
    const adding = [
      `${CLAIM_TAG_PREFIX}${this.identity.instance}`,
      ...this.ownTagKeys(creating),
      ADOPTED_TAG,
    ];
    const crowded = found.flatMap((desktop) => {
      const keys = new Set((desktop.tags ?? []).map((t) => t.key));
      const added = adding.filter((key) => !keys.has(key)).length;
      return keys.size + added > ECD_TAGS_PER_DESKTOP ? [{ desktop, count: keys.size, added }] : [];
    });
    if (!crowded.length) return;
    throw new Error(
      `adoptDesktopIds: ${crowded
        .map(
          ({ desktop, count, added }) =>
            `${desktop.desktopId} carries ${count} tags; adopting it needs room for ${added} more (the provider's ` +
            `pulumi-ecd tags) and ECD allows ${ECD_TAGS_PER_DESKTOP} a desktop: remove at least ` +
            `${count + added - ECD_TAGS_PER_DESKTOP} of its tags`,
        )
        .join(
          "; ",
        )}. Once adopted it carries the batch's tags instead of its own; nothing was changed. Run pulumi ` +
        `up again after removing them.`,
    );
  }

  /**
   * The provider's tags on newly adopted desktops, with the name each had (removed once the run commits), so that
   * an interrupted run's desktop goes back to how it was unless the next run adopts it too. A create also holds
   * them like the desktops it makes.
   */
  private async tagAdopted(found: readonly Desktop[], creating: boolean): Promise<void> {
    const byFormerName = new Map<string, string[]>();
    for (const d of found) {
      const formerName = tagValue(d.tags, ADOPTED_TAG) ?? d.desktopName ?? "";
      byFormerName.set(formerName, [...(byFormerName.get(formerName) ?? []), d.desktopId]);
    }
    // Only what got this run's tags is let go of (letGo) if the run fails: never a desktop it did not tag.
    for (const [formerName, group] of byFormerName) {
      await this.tagInBatches(group, [...this.ownTags(creating), adoptedTag(formerName)]);
      this.marked.push(...group);
    }
  }

  /** Gives back what an interrupted adoption of this batch left, but for the desktops in `keep`. */
  async giveBackAbandoned(keep: ReadonlySet<string> = new Set()): Promise<void> {
    const back = this.abandoned.filter((desktop) => !keep.has(desktop.desktopId));
    this.abandoned = this.abandoned.filter((desktop) => keep.has(desktop.desktopId));
    if (back.length) await this.giveBack(back, "");
  }

  /**
   * Check-then-tag made safe against another run adopting the same desktops at the same moment: each run sets a
   * claim of its own (a tag key per instance, so neither overwrites the other) and looks again. Another owner: this
   * run loses, with the refusal a sequential adopter gets. A rival claim of a smaller instance: this run withdraws
   * its claim and waits for that rival to become the owner (then it loses). A rival claim of a larger instance:
   * this run waits for it to be withdrawn or become the owner. A rival claim that does neither within
   * CLAIM_PATIENCE looks is what a killed or failed run left, and counts for nothing from then on.
   */
  private async claim(ids: string[]): Promise<string[]> {
    const mine = claimTag(this.identity.instance, this.lease.now());
    const stale = new Set<string>();
    let looks = 0;
    let claimed = false;
    let yielded = false;
    try {
      for (;;) {
        if (!claimed && !yielded) {
          await this.tagInBatches(ids, [mine]);
          claimed = true;
        }
        const seen = await this.client.describeAllDesktops({ desktopIds: ids }, this.opts);
        const lost: [string, string][] = [];
        let yielding = false;
        let waiting = false;
        for (const desktop of seen) {
          const owner = tagValue(desktop.tags, OWNER_TAG);
          const rivals = (desktop.tags ?? [])
            .filter((t) => t.key.startsWith(CLAIM_TAG_PREFIX) && t.key !== mine.key)
            .map((t) => t.key.slice(CLAIM_TAG_PREFIX.length))
            .filter((rival) => !stale.has(rival));
          if (owner !== undefined && owner !== this.identity.instance) lost.push([desktop.desktopId, owner]);
          else if (rivals.some((rival) => rival < this.identity.instance)) yielding = true;
          else if (rivals.length) waiting = true;
        }
        if (lost.length) throw adoptionRefused(lost);
        yielded = yielding;
        if (!yielding && !waiting) {
          // Claim keys to remove once adopted: this run's and those a killed run left.
          if (claimed) return [mine.key, ...[...stale].map((rival) => `${CLAIM_TAG_PREFIX}${rival}`)];
          continue;
        }
        if (++looks > CLAIM_PATIENCE) {
          for (const desktop of seen)
            for (const t of desktop.tags ?? [])
              if (t.key.startsWith(CLAIM_TAG_PREFIX) && t.key !== mine.key)
                stale.add(t.key.slice(CLAIM_TAG_PREFIX.length));
          yielded = false;
          continue;
        }
        if (yielding && claimed) {
          await this.client.untagResources(ids, [mine.key], this.opts);
          claimed = false;
        }
        // A yielding run claims again only once the smaller rival is gone without becoming the owner.
        await this.poll.sleep(this.poll.intervalMs);
      }
    } catch (error) {
      await this.client.untagResources(ids, [mine.key], this.opts).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Create only: finds desktops that an interrupted create of this same resource (same lineage, or the lineage of
   * one of its aliases) made and nobody recorded — they still carry the creating tag and the run that made them
   * stopped renewing it — and takes over those that fit the inputs; the rest are released. A desktop that create
   * had adopted is the user's: taken again only when the inputs still adopt it, otherwise given back as it was.
   * A run that is still renewing its hold (another machine creating the same stack right now) keeps its desktops.
   * A hold that outlasts this create's timeout fails the create before anything is made: never a second batch.
   */
  async takeOverInterrupted(): Promise<void> {
    const lineage = this.identity.lineage;
    if (!lineage) return;
    const lineages = [lineage, ...(this.identity.formerLineages ?? [])];
    let held = await this.interruptedCreates(lineages);
    if (!held.size) return;
    const firstSeen = new Map([...held].map(([owner, group]) => [owner, group.until]));
    let told = false;
    for (;;) {
      const now = this.lease.now();
      const fresh = [...held.values()].filter((group) => group.until > now);
      if (!fresh.length) break;
      const until = Math.max(...fresh.map((group) => group.until));
      const desktops = fresh.flatMap((group) => group.desktops.map((d) => d.desktopId));
      if (until > this.deadline) throw new HeldTooLongError(desktops, until, this.client.regionId);
      if (!told) {
        told = true;
        this.poll.log(
          `${desktops.length} desktop(s) of an unfinished create of this resource ` +
            `are held until ${new Date(until).toISOString()}; waiting to see whether the run that made them is alive`,
        );
      }
      // Look again soon: a live run renews its hold or finishes (and then its desktops are no one's to take).
      await this.poll.sleep(Math.min(until - now + 1, this.poll.maxIntervalMs, LOOK_AGAIN_MS));
      held = await this.interruptedCreates(lineages);
      for (const [owner, group] of held) {
        if (group.until > (firstSeen.get(owner) ?? Infinity)) {
          this.poll.log(
            `another run is still creating ${group.desktops.length} desktop(s) of this resource ` +
              `(batch ${batchIdFor(owner)}: the same program and stack elsewhere?); leaving them alone`,
          );
          held.delete(owner);
          firstSeen.set(owner, -Infinity);
        }
      }
      for (const owner of held.keys()) if (firstSeen.get(owner) === -Infinity) held.delete(owner);
    }
    const now = this.lease.now();
    const orphans = [...held.values()]
      .filter((group) => group.until <= now)
      .flatMap((group) => group.desktops);
    if (!orphans.length) return;
    // Desktops the user adopts are the user's to keep; the rest fill what is left of amount.
    const adopt = new Set(this.inputs.adoptDesktopIds ?? []);
    const adoptedOrphans = orphans.filter((desktop) => adopt.has(desktop.desktopId));
    const givenBack = orphans.filter(
      (desktop) => !adopt.has(desktop.desktopId) && tagValue(desktop.tags, ADOPTED_TAG) !== undefined,
    );
    const made = orphans.filter(
      (desktop) => !adopt.has(desktop.desktopId) && tagValue(desktop.tags, ADOPTED_TAG) === undefined,
    );
    const stillToAdopt = [...adopt].filter(
      (id) => !this.tracked.includes(id) && !adoptedOrphans.some((d) => d.desktopId === id),
    ).length;
    const room = Math.max(
      0,
      (this.inputs.amount ?? 1) - this.tracked.length - adoptedOrphans.length - stillToAdopt,
    );
    const fitting = [...adoptedOrphans, ...made.filter((desktop) => this.fits(desktop)).slice(0, room)];
    const taken = new Set(fitting.map((desktop) => desktop.desktopId));
    const unwanted = made.filter((desktop) => !taken.has(desktop.desktopId));
    const where = this.client.regionId === this.inputs.regionId ? "" : ` in ${this.client.regionId}`;
    if (givenBack.length) await this.giveBack(givenBack, where);
    if (fitting.length) {
      await this.tagInBatches(
        fitting.map((d) => d.desktopId),
        this.ownTags(true),
      );
      this.tracked.push(...fitting.map((d) => d.desktopId));
      this.poll.log(
        `took over ${fitting.length} desktop(s) an interrupted create of this resource left: ` +
          fitting.map((d) => d.desktopId).join(", "),
      );
    }
    if (unwanted.length) {
      this.poll.log(
        `releasing ${unwanted.length} desktop(s)${where} an interrupted create of this resource left that the ` +
          `inputs no longer want: ${unwanted.map((d) => d.desktopId).join(", ")}`,
      );
      await this.release(
        unwanted.map((d) => d.desktopId),
        "releasing what an interrupted create left",
      );
    }
    await this.live();
  }

  /**
   * Create only: desktops in this office site that an interrupted create of some other lineage left (marked
   * creating, hold lapsed) are never taken over — they may be another resource's — but they may be this
   * resource's from before a stack or project rename, which no alias tells: the run says so, and how to release them.
   */
  async warnOfOtherInterruptedCreates(): Promise<void> {
    const lineages = [this.identity.lineage, ...(this.identity.formerLineages ?? [])];
    if (!this.identity.lineage || !this.inputs.officeSiteId) return;
    const now = this.lease.now();
    const marked = await this.client.describeAllDesktops(
      { officeSiteId: this.inputs.officeSiteId, tags: [{ key: CREATING_TAG }] },
      this.opts,
    );
    const left = marked.filter((desktop) => {
      const owner = tagValue(desktop.tags, OWNER_TAG);
      return (
        !GONE.has(desktop.desktopStatus) &&
        owner !== undefined &&
        owner !== this.identity.instance &&
        !lineages.includes(tagValue(desktop.tags, LINEAGE_TAG)) &&
        tagValue(desktop.tags, ADOPTED_TAG) === undefined &&
        Number(tagValue(desktop.tags, CREATING_TAG)) <= now
      );
    });
    if (!left.length) return;
    const byLineage = new Map<string, string[]>();
    for (const desktop of left) {
      const lineage = tagValue(desktop.tags, LINEAGE_TAG) ?? "none";
      byLineage.set(lineage, [...(byLineage.get(lineage) ?? []), desktop.desktopId]);
    }
    this.poll.log(
      `${left.length} desktop(s) in ${this.inputs.officeSiteId} were left by an interrupted create of another ` +
        `resource (${[...byLineage].map(([lineage, ids]) => `${LINEAGE_TAG}=${lineage}: ${ids.join(", ")}`).join("; ")}). ` +
        `They are not taken over. If they are this resource's from before a stack or project rename, nothing ` +
        `else will release them: release them with \`npx pulumi-ecd sweep --stack-export <export of each stack> ` +
        `--release\` (or in the console).`,
    );
  }

  /**
   * Desktops an interrupted create had adopted and this run does not adopt: the provider's tags come off and the
   * name they had before goes back (tags that create had already changed on them stay as it left them).
   */
  private async giveBack(desktops: readonly Desktop[], where: string): Promise<void> {
    await giveBack(this.client, desktops, this.opts);
    this.poll.log(
      `gave back ${desktops.length} desktop(s)${where} an interrupted create had adopted and these inputs do not adopt ` +
        `(they are not this resource's to take or release): ${desktops
          .map((d) => `${d.desktopId} ("${formerName(d)}")`)
          .join(", ")}`,
    );
  }

  /**
   * Desktops of other instances of these lineages still marked as being created, by owner, with their hold. A
   * desktop of a create that adopted it counts with the desktops that create made.
   */
  private async interruptedCreates(
    lineages: readonly string[],
  ): Promise<Map<string, { desktops: Desktop[]; until: number }>> {
    const listed = new Map<string, Desktop>();
    for (const lineage of lineages)
      for (const desktop of await this.client.describeAllDesktops({ tags: [lineageTag(lineage)] }, this.opts))
        listed.set(desktop.desktopId, desktop);
    const desktops = [...listed.values()].filter((desktop) => !this.tracked.includes(desktop.desktopId));
    const byOwner = new Map<string, Desktop[]>();
    for (const desktop of desktops) {
      if (GONE.has(desktop.desktopStatus)) continue;
      const owner = tagValue(desktop.tags, OWNER_TAG);
      const lineage = tagValue(desktop.tags, LINEAGE_TAG);
      if (!owner || owner === this.identity.instance || !lineage || !lineages.includes(lineage)) continue;
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), desktop]);
    }
    const held = new Map<string, { desktops: Desktop[]; until: number }>();
    for (const [owner, group] of byOwner) {
      const marks = group.map((desktop) => Number(tagValue(desktop.tags, CREATING_TAG)));
      // One desktop without the mark means that create was finished or recorded: the batch is somebody's.
      if (marks.some((mark) => !Number.isFinite(mark))) continue;
      held.set(owner, { desktops: group, until: Math.max(...marks) });
    }
    return held;
  }

  /** Whether a desktop left by an interrupted create can serve these inputs (what no API can change agrees). */
  private fits(desktop: Desktop): boolean {
    const inputs = this.inputs;
    const attachment = inputs.desktopAttachment;
    return (
      desktop.officeSiteId === inputs.officeSiteId &&
      (inputs.bundleId === undefined || desktop.bundleId === inputs.bundleId) &&
      (attachment?.imageId === undefined || desktop.imageId === attachment.imageId) &&
      (desktop.chargeType ?? "PostPaid") === (inputs.chargeType ?? "PostPaid") &&
      (inputs.hostname === undefined || hostnameMatches(inputs.hostname, desktop.hostName)) &&
      (inputs.desktopMemberIp === undefined || desktop.networkInterfaceIp === inputs.desktopMemberIp) &&
      (desktop.volumeEncryptionEnabled ?? false) === (inputs.volumeEncryptionEnabled ?? false) &&
      !inputs.bundleModels?.length
    );
  }

  /** The keys of ownTags(creating), without starting a hold. */
  private ownTagKeys(creating: boolean): string[] {
    return [OWNER_TAG, ...(this.identity.lineage ? [LINEAGE_TAG] : []), ...(creating ? [CREATING_TAG] : [])];
  }

  /** The provider's tags for a desktop of this batch; while creating, with this run's hold on it. */
  private ownTags(creating: boolean): TagPair[] {
    const tags = [ownerTag(this.identity.instance)];
    if (this.identity.lineage) tags.push(lineageTag(this.identity.lineage));
    if (creating) {
      this.leaseUntil ??= this.lease.now() + this.lease.ttlMs;
      tags.push(creatingTag(this.leaseUntil));
    }
    return tags;
  }

  /** Keeps this run's hold on its desktops alive while it waits (one TagResources on one desktop). */
  private readonly renewHold = async (): Promise<void> => {
    if (this.leaseUntil === undefined || !this.tracked.length) return;
    if (!(await this.lease.engineAlive())) throw new EngineGoneError();
    const now = this.lease.now();
    if (this.leaseUntil - now > this.lease.ttlMs / 2) return;
    this.leaseUntil = now + this.lease.ttlMs;
    await this.client.tagResources([this.tracked[0]], [creatingTag(this.leaseUntil)], this.opts);
  };

  /**
   * The create is finished or recorded: its desktops are committed and no other run may take them over. Removes
   * the creating tag (50 desktops a call) from every desktop that still has it.
   */
  async commit(): Promise<void> {
    if (this.leaseUntil !== undefined && !(await this.lease.engineAlive())) throw new EngineGoneError();
    const marked = this.seen
      .filter((d) => d && tagValue(d.tags, CREATING_TAG) !== undefined)
      .map((d) => d.desktopId);
    const unseen = this.tracked.filter((id) => !this.seen.some((d) => d?.desktopId === id));
    const ids = [...marked, ...unseen];
    for (let start = 0; start < ids.length; start += TAG_BATCH) {
      await this.client.untagResources(ids.slice(start, start + TAG_BATCH), [CREATING_TAG], this.opts);
    }
    // Adopted desktops are the batch's now: nothing is given back any more.
    const adopted = this.seen
      .filter((d) => d && tagValue(d.tags, ADOPTED_TAG) !== undefined)
      .map((d) => d.desktopId);
    for (let start = 0; start < adopted.length; start += TAG_BATCH) {
      await this.client.untagResources(adopted.slice(start, start + TAG_BATCH), [ADOPTED_TAG], this.opts);
    }
    this.leaseUntil = undefined;
  }

  /**
   * A create that fails before Pulumi records anything lets go of its hold at once (best effort), so the next
   * run takes its desktops over without waiting for the hold to lapse.
   */
  async letGo(): Promise<void> {
    const ids = [...new Set([...this.tracked, ...this.marked])];
    if (this.leaseUntil === undefined || !ids.length) return;
    await this.tagInBatches(ids, [creatingTag(0)]);
  }

  private async tagInBatches(ids: string[], tags: TagPair[]): Promise<void> {
    for (let start = 0; start < ids.length; start += TAG_BATCH) {
      await this.client.tagResources(ids.slice(start, start + TAG_BATCH), tags, this.opts);
    }
  }

  /**
   * Creates desktops until the batch has `amount`. A CreateDesktops whose outcome is unknown is reconciled by
   * looking up this instance's owner tag (only this run creates with it) for `lostAnswerWindowMs`; what it made
   * is taken, and only what is still missing is requested again.
   */
  async createMissing(creating: boolean): Promise<string[]> {
    const amount = this.inputs.amount ?? 1;
    const created: string[] = [];
    let unknownOutcomes = 0;
    let requests = this.planCreates(creating);
    while (requests.length) {
      const request = requests[0];
      try {
        const response = await this.client.createDesktops(request, this.opts);
        const ids = response.desktopId ?? [];
        if (response.orderId) this.orderId = response.orderId;
        if (!ids.length && response.orderId)
          throw new UnpaidOrderError(response.orderId, request.amount ?? 0);
        this.tracked.push(...ids);
        created.push(...ids);
        this.poll.log(`created ${ids.length} desktop(s) (${this.tracked.length}/${amount})`);
        requests = requests.slice(1);
      } catch (error) {
        if (error instanceof EcdOutcomeUnknownError) this.maybeCreated = true;
        if (!(error instanceof EcdOutcomeUnknownError) || ++unknownOutcomes > MAX_UNKNOWN_OUTCOMES)
          throw error;
        const found = await this.reconcileLostCreate();
        created.push(...found);
        requests = this.planCreates(creating);
      }
    }
    return created;
  }

  /** Looks for what a CreateDesktops with an unknown outcome made, for the configured window. */
  private async reconcileLostCreate(): Promise<string[]> {
    this.poll.log(`CreateDesktops outcome unknown; looking for desktops with this batch's tag`);
    const before = new Set(this.tracked);
    let waited = 0;
    for (let pause = this.poll.intervalMs; ; pause *= 2) {
      await this.poll.sleep(pause);
      waited += pause;
      await this.live();
      const found = this.tracked.filter((id) => !before.has(id));
      if (found.length) {
        this.poll.log(
          `found ${found.length} desktop(s) from that call (${this.tracked.length}/${this.inputs.amount ?? 1})`,
        );
        return found;
      }
      if (waited >= this.lease.lostAnswerWindowMs) {
        this.poll.log(
          `no desktop with this batch's tag after ${Math.round(waited / 1000)} s: the call was not applied; sending it again`,
        );
        return [];
      }
    }
  }

  /** The CreateDesktops calls that bring the batch (as last seen) up to amount. */
  private planCreates(creating: boolean) {
    const missing = (this.inputs.amount ?? 1) - this.tracked.length;
    if (missing <= 0) return [];
    const known = this.seen.filter((desktop) => desktop && this.tracked.includes(desktop.desktopId));
    // The names the desktops will have once converged, so new desktops take numbers nobody will be renamed to.
    const renames = new Map(
      names
        .plan({ inputs: this.inputs, desktops: known.map(desktopOutput) })
        .map((fix) => [fix.desktopId, fix.to]),
    );
    return createRequests(this.inputs, {
      count: missing,
      whole: this.tracked.length === 0,
      hostnameSlots: this.inputs.hostname
        ? freeHostnameSlots(
            this.inputs.hostname,
            known.map((d) => d.hostName),
            missing,
          )
        : Array.from({ length: missing }, (_, i) => i),
      owners: isPerUser(this.inputs)
        ? perUserAssignment(known, this.inputs).shortfall.slice(0, missing)
        : undefined,
      shortModels: this.inputs.bundleModels?.length ? modelShortfall(known, this.inputs) : undefined,
      providerTags: this.ownTags(creating),
      existingNames: known.map((d) => renames.get(d.desktopId) ?? d.desktopName),
      hostnamesInUse: known.map((d) => d.hostName),
    });
  }

  /**
   * Waits until the desktops this run made are Running (or Failed) and returns the whole batch as seen by the
   * last poll, which also describes the batch's other desktops (adopted ones keep their power state), so no
   * second listing is needed.
   */
  async waitMadeRunning(made: readonly string[], label: string, justCreated = false): Promise<Desktop[]> {
    const seen = new Map(this.seen.filter(Boolean).map((desktop) => [desktop.desktopId, desktop]));
    // The rest of the batch is as last listed: only what this run made, or what is not known yet, is described.
    const ids = this.tracked.filter((id) => made.includes(id) || !seen.has(id));
    const wanted = new Set(made);
    const desktops = await waitForDesktops(
      this.client,
      {
        ids,
        settled: (d) =>
          !wanted.has(d.desktopId) || d.desktopStatus === "Running" || d.desktopStatus === "Failed",
        goneIsSettled: false,
        deadline: this.deadline,
        label,
        after: justCreated ? "create" : undefined,
      },
      this.poll,
    );
    for (const desktop of desktops) seen.set(desktop.desktopId, desktop);
    this.seen = this.tracked.map((id) => seen.get(id) as Desktop);
    return this.seen;
  }

  /** The batch's desktops as last described. */
  current(): Desktop[] {
    return this.seen;
  }

  /**
   * Waits until every desktop satisfies `settled`; one that disappears ends the wait with a clear error. Without
   * `after` (nothing was just started on them) the batch as last seen is trusted when it already satisfies
   * `settled`. What the wait sees becomes the batch as last seen.
   */
  async waitFor(
    ids: string[],
    settled: (desktop: Desktop) => boolean,
    label: string,
    after?: Operation | "fresh",
  ): Promise<Desktop[]> {
    const known = new Map(this.seen.filter(Boolean).map((desktop) => [desktop.desktopId, desktop]));
    const asSeen = ids.map((id) => known.get(id));
    if (!after && asSeen.every((desktop) => desktop !== undefined && settled(desktop)))
      return asSeen as Desktop[];
    const operation = after === "fresh" ? undefined : after;
    const desktops = await waitForDesktops(
      this.client,
      {
        ids,
        settled,
        goneIsSettled: false,
        deadline: this.deadline,
        label,
        after: operation,
      },
      this.poll,
    );
    this.see(desktops);
    return desktops;
  }

  /** Records desktops as just described or changed. */
  private see(desktops: readonly Desktop[]): void {
    const byId = new Map(desktops.map((desktop) => [desktop.desktopId, desktop]));
    this.seen = this.seen.map((desktop) => (desktop && byId.get(desktop.desktopId)) ?? desktop);
  }

  /** Releases desktops and waits until they are gone. Already-gone desktops are fine. */
  async release(ids: string[], label: string): Promise<void> {
    if (!ids.length) return;
    const known = new Map(this.seen.filter(Boolean).map((desktop) => [desktop.desktopId, desktop]));
    const listed = ids.map((id) => known.get(id));
    // As last seen and none busy: no need to look again before deleting.
    const settled = listed.every((desktop) => desktop !== undefined && !isBusy(desktop))
      ? (listed as Desktop[])
      : await this.idle(ids, label);
    const deletable = settled.filter((d) => RELEASABLE.has(d.desktopStatus)).map((d) => d.desktopId);
    for (let start = 0; start < deletable.length; start += DELETE_BATCH) {
      const batch = deletable.slice(start, start + DELETE_BATCH);
      try {
        await this.client.deleteDesktops(batch, this.opts);
      } catch (error) {
        // A retried DeleteDesktops whose first answer was lost meets desktops already deleted, and a desktop
        // that started changing since it was last seen (outside Pulumi) is refused until it settles. No source
        // names the codes of either, so any refusal is settled by describing the desktops: what is deleted or
        // gone is done, what can still be released is deleted again (and a real refusal then recurs).
        if (!(error instanceof EcdApiError)) throw error;
        const now = await this.idle(batch, label);
        const remaining = now.filter((d) => RELEASABLE.has(d.desktopStatus)).map((d) => d.desktopId);
        if (remaining.length) await this.client.deleteDesktops(remaining, this.opts);
      }
    }
    await waitForDesktops(
      this.client,
      { ids, settled: () => false, goneIsSettled: true, deadline: this.deadline, label, after: "release" },
      this.poll,
    );
    const gone = new Set(ids);
    this.tracked = this.tracked.filter((id) => !gone.has(id));
    this.seen = this.seen.filter((desktop) => desktop && !gone.has(desktop.desktopId));
  }

  /** Waits until none of the desktops is busy (gone ones are fine); returns those still there. */
  private idle(ids: string[], label: string): Promise<Desktop[]> {
    return waitForDesktops(
      this.client,
      {
        ids,
        settled: (d) => !isBusy(d),
        goneIsSettled: true,
        deadline: this.deadline,
        label: `${label}: waiting for desktops to finish what they are doing`,
      },
      this.poll,
    );
  }

  /** Scale-down victims: the same choice the preview shows (desired.ts scaleDownVictims). */
  victims(desktops: Desktop[], count: number): string[] {
    return scaleDownVictims(desktops, this.inputs, this.tracked, count);
  }

  /** Converts desktops to pay-as-you-go so they can be released (ModifyDesktopChargeType, 20 a call). */
  async convertToPostPaid(ids: string[]): Promise<void> {
    const settled = await this.waitFor(ids, (d) => !isBusy(d), "waiting before converting to pay-as-you-go");
    // A change already running (Updating) may have converted some meanwhile.
    const convertible = settled
      .filter(
        (d) => (d.desktopStatus === "Running" || d.desktopStatus === "Stopped") && d.chargeType === "PrePaid",
      )
      .map((d) => d.desktopId);
    for (let start = 0; start < convertible.length; start += 20) {
      await this.client.modifyDesktopChargeType(
        { desktopIds: convertible.slice(start, start + 20), chargeType: "PostPaid" },
        this.opts,
      );
    }
    await this.waitFor(
      convertible,
      (d) => d.chargeType === "PostPaid" && d.managementFlag !== "Updating",
      "converting to pay-as-you-go",
      "change",
    );
  }

  /**
   * Brings every live desktop's attributes to what the inputs say, attribute by attribute, planned once. After a
   * change of template (`fromBundleId`, the one the desktops come from) they also take the new template's image
   * and spec. Returns how many fixes it applied (none: the desktops are as described).
   */
  async converge(desktops: Desktop[], fromBundleId?: string): Promise<number> {
    const template = await templateFor(this.client, this.inputs, fromBundleId, this.opts);
    const stoppedForSpec = new Set(
      desktops.filter((d) => tagValue(d.tags, STOPPED_FOR_TAG) !== undefined).map((d) => d.desktopId),
    );
    const view = { inputs: this.inputs, desktops: desktops.map(desktopOutput), template, stoppedForSpec };
    const plans = ATTRIBUTES.map((attribute) => ({ attribute, fixes: attribute.plan(view) }));
    // Planned from the stored state: before a change that rebuilds, stops, resizes, re-bills or reassigns a
    // desktop, the batch is looked at once (one DescribeDesktops per 100), so that one that is another batch's now
    // (disowned and adopted since) fails the plan, which is then made again from a listing.
    if (this.trusted && plans.some(({ attribute, fixes }) => fixes.length && !CHEAP_FIXES.has(attribute)))
      await this.confirmTracked("checking the batch before changing its desktops");
    const ctx: ApplyContext = {
      client: this.client,
      inputs: this.inputs,
      opts: this.opts,
      log: this.poll.log,
      waitFor: (ids, settled, label, after) => this.waitFor(ids, settled, label, after),
    };
    for (const { attribute, fixes } of plans) {
      if (!fixes.length) continue;
      await attribute.apply(fixes, ctx);
      const applied = attribute.applied?.bind(attribute);
      if (!applied) continue;
      const byId = new Map(this.seen.filter(Boolean).map((desktop) => [desktop.desktopId, desktop]));
      this.see(
        fixes.flatMap((fix) => {
          const desktop = byId.get(fix.desktopId);
          return desktop ? [applied(desktop, fix.to as never)] : [];
        }),
      );
    }
    return plans.reduce((total, plan) => total + plan.fixes.length, 0);
  }
}

/**
 * A create met desktops of an interrupted create of this resource whose hold outlasts this create's timeout: it
 * creates nothing (that would make a second batch) and says which desktops exist and what to do.
 */
export class HeldTooLongError extends Error {
  constructor(
    readonly desktopIds: readonly string[],
    readonly until: number,
    regionId: string,
  ) {
    super(
      `${desktopIds.length} desktop(s) of an unfinished create of this resource exist in ${regionId} and are held ` +
        `until ${new Date(until).toISOString()}, after this create's timeout: ${desktopIds.join(", ")}. Nothing ` +
        `was created. Run pulumi up again after ${new Date(until).toISOString()}: it takes them over (or, if ` +
        `another run is still creating them, leaves them to it); or set timeouts.create longer than the hold ` +
        `(PULUMI_ECD_CREATE_HOLD_SECONDS, default 300 s) so that the run waits for it.`,
    );
    this.name = "HeldTooLongError";
  }
}

/** The refusal to adopt desktops another DesktopBatch owns (or is adopting right now), naming that batch. */
function adoptionRefused(owners: readonly (readonly [string, string])[]): Error {
  return new Error(
    `adoptDesktopIds: ${owners
      .map(([desktopId, owner]) => `${desktopId} belongs to DesktopBatch ${batchIdFor(owner)}`)
      .join(", ")}. A desktop can be in one batch only: drop it from adoptDesktopIds, or, if that batch is ` +
      `gone (deleted with retainOnDelete, or its stack removed), clear its claim first with ` +
      `\`npx pulumi-ecd sweep --desktop ${owners.map(([desktopId]) => desktopId).join(" --desktop ")} --disown\` and ` +
      `run pulumi up again.`,
  );
}

/** CreateDesktops placed an order and returned no desktops: subscription with autoPay false awaits payment. */
export class UnpaidOrderError extends Error {
  constructor(
    readonly orderId: string,
    readonly amount: number,
  ) {
    super(
      `CreateDesktops placed order ${orderId} for ${amount} desktop(s) and is waiting for its payment (autoPay: false). ` +
        `Pay the order in the Alibaba Cloud console; the desktops then appear with this batch's tag and the next ` +
        `pulumi up takes them into the batch.`,
    );
    this.name = "UnpaidOrderError";
  }
}
