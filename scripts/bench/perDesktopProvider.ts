/**
 * The per-desktop model the benchmark compares DesktopBatch with: one resource per desktop, with the call pattern
 * of Terraform's alicloud_ecd_desktop (aliyun/terraform-provider-alicloud, alicloud/resource_alicloud_ecd_desktop.go):
 * - create: CreateDesktops (one desktop), wait for Running, then read;
 * - read: DescribeDesktops with the one DesktopId;
 * - update: one call per changed attribute (ModifyDesktopName, ModifyDesktopsPolicyGroup, ModifyEntitlement,
 *   TagResources), then read;
 * - delete: DeleteDesktops, then wait until DescribeDesktops no longer lists it.
 * Waits are its BuildStateConf: 10 s before the first look, then 3 s, 6 s, 10 s, 10 s, ... (the plugin SDK's
 * StateChangeConf doubling from MinTimeout 3 s, capped at 10 s). Retryable errors (NeedRetry: throttling, 5xx)
 * are retried after 3 s, 6 s, 9 s, ... (incrementalWait(3 s, 3 s)) until the step's timeout.
 */
import { EcdApiError, isRetryableApiError, type EcdClient } from "../../provider/ecd";

export interface OneDesktop {
  desktopName: string;
  policyGroupId: string;
  endUserIds: string[];
  tags: Record<string, string>;
}

export interface OneDesktopSite {
  officeSiteId: string;
  bundleId: string;
}

const FIRST_LOOK_MS = 10_000;
const MIN_WAIT_MS = 3_000;
const MAX_WAIT_MS = 10_000;
const RETRY_STEP_MS = 3_000;

export class PerDesktopProvider {
  constructor(
    private readonly client: EcdClient,
    private readonly site: OneDesktopSite,
    private readonly clock: { now(): number; sleep(ms: number): Promise<void> },
    private readonly timeoutMs = 30 * 60_000,
  ) {}

  async create(inputs: OneDesktop): Promise<string> {
    const deadline = this.clock.now() + this.timeoutMs;
    const created = await this.retry(deadline, () =>
      this.client.createDesktops({
        officeSiteId: this.site.officeSiteId,
        bundleId: this.site.bundleId,
        policyGroupId: inputs.policyGroupId,
        desktopName: inputs.desktopName,
        amount: 1,
        endUserIds: inputs.endUserIds,
        tags: Object.entries(inputs.tags).map(([key, value]) => ({ key, value })),
      }),
    );
    const id = created.desktopId![0];
    await this.waitFor(id, deadline, (status) => status === "Running");
    await this.read(id);
    return id;
  }

  async read(id: string): Promise<string | undefined> {
    const deadline = this.clock.now() + this.timeoutMs;
    const found = await this.retry(deadline, () => this.client.describeDesktops({ desktopIds: [id] }));
    return found.desktops?.find((d) => d.desktopId === id)?.desktopStatus;
  }

  async update(id: string, olds: OneDesktop, news: OneDesktop): Promise<void> {
    const deadline = this.clock.now() + this.timeoutMs;
    const newTags = Object.entries(news.tags).filter(([key, value]) => olds.tags[key] !== value);
    const goneTags = Object.keys(olds.tags).filter((key) => !(key in news.tags));
    if (goneTags.length) await this.retry(deadline, () => this.client.untagResources([id], goneTags));
    if (newTags.length) {
      const tags = newTags.map(([key, value]) => ({ key, value }));
      await this.retry(deadline, () => this.client.tagResources([id], tags));
    }
    if (news.desktopName !== olds.desktopName)
      await this.retry(deadline, () => this.client.modifyDesktopName(id, news.desktopName));
    if (news.policyGroupId !== olds.policyGroupId)
      await this.retry(deadline, () => this.client.modifyDesktopsPolicyGroup([id], news.policyGroupId));
    if (news.endUserIds.join() !== olds.endUserIds.join())
      await this.retry(deadline, () => this.client.modifyEntitlement(id, news.endUserIds));
    await this.read(id);
  }

  async delete(id: string): Promise<void> {
    const deadline = this.clock.now() + this.timeoutMs;
    await this.retry(deadline, () => this.client.deleteDesktops([id]));
    await this.waitFor(id, deadline, (status) => status === undefined);
  }

  private async waitFor(id: string, deadline: number, done: (status: string | undefined) => boolean) {
    await this.clock.sleep(FIRST_LOOK_MS);
    let wait = 100;
    for (;;) {
      if (done(await this.read(id))) return;
      if (this.clock.now() > deadline) throw new Error(`timed out waiting for ${id}`);
      wait = Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, wait * 2));
      await this.clock.sleep(wait);
    }
  }

  private async retry<T>(deadline: number, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const transient = error instanceof EcdApiError && isRetryableApiError(error);
        if (!transient || this.clock.now() + attempt * RETRY_STEP_MS > deadline) throw error;
        await this.clock.sleep(attempt * RETRY_STEP_MS);
      }
    }
  }
}
