/**
 * Monthly cost of a batch before and after the plan, priced with DescribePrice for one desktop of its spec
 * (ResourceType=Desktop needs InstanceType and RootDiskSizeGib) and multiplied by the count.
 */
import type { Bundle, EcdClient } from "../../provider/ecd";
import { PropertyBag, isKnown } from "./previewJson";

/** Pay-as-you-go desktops are priced per hour; a month of running around the clock. */
export const HOURS_PER_MONTH = 730;
/** Used when neither the bundle nor an explicit desktopAttachment says which OS the image runs. */
export const DEFAULT_OS = "Windows";

export interface DesktopSpec {
  readonly instanceType: string;
  readonly rootDiskSizeGib: number;
  readonly userDiskSizeGib?: number;
  readonly rootDiskCategory?: string;
  readonly userDiskCategory?: string;
  readonly osType: string;
  readonly chargeType: "PostPaid" | "PrePaid";
  /** Where the spec came from, for the assumptions under the table. */
  readonly source: string;
}

export interface MonthlyPrice {
  readonly amount: number;
  readonly currency: string;
}

/** The part of the ECD client pricing needs. */
export type PricingClient = Pick<EcdClient, "describePrice" | "describeBundles">;

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" && isKnown(value) ? value : undefined;
const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

/** The spec a batch's inputs buy: an explicit desktopAttachment wins over the bundle, as in CreateDesktops. */
export async function specOf(inputs: PropertyBag, client: PricingClient): Promise<DesktopSpec | string> {
  const chargeType = inputs.chargeType === "PrePaid" ? "PrePaid" : "PostPaid";
  const attachment = (typeof inputs.desktopAttachment === "object" ? inputs.desktopAttachment : {}) as Record<
    string,
    unknown
  >;
  if (!isKnown(inputs.bundleId) || !isKnown(inputs.desktopAttachment)) {
    return "the bundle or desktopAttachment is not known until apply, or secret";
  }
  const bundleId = text(inputs.bundleId);
  let bundle: Bundle | undefined;
  if (bundleId !== undefined) {
    bundle = (await client.describeBundles({ bundleIds: [bundleId] })).bundles?.[0];
    if (bundle === undefined) return `bundle ${bundleId} not found`;
  }
  const disk = (type: string) => bundle?.disks?.find((d) => d.diskType === type)?.diskSize;
  const instanceType = text(attachment.desktopType) ?? text(bundle?.desktopType);
  const rootDiskSizeGib = num(attachment.systemDiskSize) ?? disk("SYSTEM");
  if (instanceType === undefined || rootDiskSizeGib === undefined) {
    return "neither a bundle nor desktopAttachment gives the desktop type and system disk";
  }
  return {
    instanceType,
    rootDiskSizeGib,
    userDiskSizeGib: num(attachment.dataDiskSize) ?? disk("DATA"),
    rootDiskCategory: text(attachment.systemDiskCategory) ?? text(bundle?.systemDiskCategory),
    userDiskCategory: text(attachment.dataDiskCategory) ?? text(bundle?.dataDiskCategory),
    osType: text(bundle?.osType) ?? DEFAULT_OS,
    chargeType,
    source: bundle !== undefined ? `bundle ${bundleId}` : "desktopAttachment",
  };
}

/** One desktop for a month: a one-month subscription, or the hourly pay-as-you-go price times 730 hours. */
export async function monthlyPrice(spec: DesktopSpec, client: PricingClient): Promise<MonthlyPrice> {
  const prepaid = spec.chargeType === "PrePaid";
  const response = await client.describePrice({
    resourceType: "Desktop",
    instanceType: spec.instanceType,
    rootDiskSizeGib: spec.rootDiskSizeGib,
    userDiskSizeGib: spec.userDiskSizeGib,
    rootDiskCategory: spec.rootDiskCategory,
    userDiskCategory: spec.userDiskCategory,
    osType: spec.osType,
    period: 1,
    periodUnit: prepaid ? "Month" : "Hour",
    amount: 1,
  });
  const price = response.priceInfo?.price;
  const trade = price?.tradePrice ?? price?.originalPrice ?? 0;
  return { amount: prepaid ? trade : trade * HOURS_PER_MONTH, currency: price?.currency ?? "CNY" };
}

export interface BatchCost {
  readonly before: number;
  readonly after: number | undefined;
  readonly currency: string;
  readonly specs: readonly DesktopSpec[];
}

/** Prices each distinct spec once per run. */
export class Pricer {
  private readonly cache = new Map<string, Promise<MonthlyPrice>>();

  constructor(private readonly client: PricingClient) {}

  async batchCost(
    before: { inputs: PropertyBag; count: number } | undefined,
    after: { inputs: PropertyBag; count: number | undefined } | undefined,
  ): Promise<BatchCost | string> {
    let currency = "CNY";
    const specs: DesktopSpec[] = [];
    const side = async (inputs: PropertyBag, count: number): Promise<number | string> => {
      if (count === 0) return 0;
      const spec = await specOf(inputs, this.client);
      if (typeof spec === "string") return spec;
      specs.push(spec);
      const price = await this.price(spec);
      currency = price.currency;
      return price.amount * count;
    };
    const old = before === undefined ? 0 : await side(before.inputs, before.count);
    if (typeof old === "string") return old;
    let next: number | string | undefined = 0;
    if (after !== undefined)
      next = after.count === undefined ? undefined : await side(after.inputs, after.count);
    if (typeof next === "string") return next;
    return { before: old, after: next, currency, specs };
  }

  private price(spec: DesktopSpec): Promise<MonthlyPrice> {
    const { source: _source, ...key } = spec;
    const id = JSON.stringify(key);
    let price = this.cache.get(id);
    if (price === undefined) {
      price = monthlyPrice(spec, this.client);
      this.cache.set(id, price);
    }
    return price;
  }
}
