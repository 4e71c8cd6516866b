import type {
  CreateDesktopsRequest,
  DescribeBundlesRequest,
  DescribeImagesRequest,
  DescribeDesktopsRequest,
  DescribeDesktopTypesRequest,
  DescribeOfficeSitesRequest,
  DescribePolicyGroupsRequest,
  DescribePriceRequest,
  DescribeRegionsRequest,
  DesktopIdsRequest,
  ListTagResourcesRequest,
  ModifyDesktopChargeTypeRequest,
  ModifyDesktopNameRequest,
  ModifyDesktopSpecRequest,
  ModifyDesktopsPolicyGroupRequest,
  ModifyEntitlementRequest,
  ModifyUserEntitlementRequest,
  RebuildDesktopsRequest,
  RenewDesktopsRequest,
  StopDesktopsRequest,
  TagResourcesRequest,
  UntagResourcesRequest,
} from "../api/requests";
import type { Clock } from "../clock";
import { Errors } from "../errors";
import { SeededRandom } from "../rng";
import * as catalog from "./catalog";
import type { ModelContext } from "./context";
import { createDesktops } from "./create";
import * as desktops from "./desktops";
import { IdGenerator } from "./ids";
import { settleRegion, startTransition } from "./lifecycle";
import { describePrice } from "./pricing";
import { describeDesktopsPage, type DescribeDesktopsResult } from "./query";
import { DESKTOP_TYPES, seedRegion } from "./seed";
import * as tags from "./tags";
import {
  DEFAULT_DURATIONS,
  DEFAULT_VARIANTS,
  DESKTOP_STATUSES,
  type BundleRecord,
  type DesktopRecord,
  type DesktopStatus,
  type DesktopTypeRecord,
  type ImageRecord,
  type LifecycleDurations,
  type OfficeSiteRecord,
  type PolicyGroupRecord,
  type RegionState,
  type ServiceVariants,
} from "./types";
import { renderDesktop, type WireDesktop } from "./wire";

export interface BackendOptions {
  regions?: readonly string[];
  clock: Clock;
  durations?: Partial<LifecycleDurations>;
  variants?: Partial<ServiceVariants>;
  seed?: number;
  /** Decides whether a newly created desktop ends in Failed; the fault layer plugs its rate in here. */
  shouldFailDesktop?: () => boolean;
}

export interface SeedData {
  officeSites: OfficeSiteRecord[];
  /** Not listed by DescribeOfficeSites; CreateDesktops refuses them (see the README's seed data). */
  legacyDirectories: OfficeSiteRecord[];
  images: ImageRecord[];
  bundles: BundleRecord[];
  policyGroups: PolicyGroupRecord[];
  endUsers: string[];
  /** Keys the ECD service may use. */
  kmsKeys: string[];
  /** Keys that exist but that the ECD service may not use. */
  unauthorizedKmsKeys: string[];
  desktopTypes: DesktopTypeRecord[];
}

export const DEFAULT_REGIONS: readonly string[] = ["cn-hangzhou", "cn-shanghai", "ap-southeast-1"];
export const DEFAULT_SEED = 20200930;

/**
 * All ECD state, per region, and the rules of every operation. Knows nothing about HTTP: operations take typed
 * requests and return response bodies (without RequestId) or throw EcdServiceError.
 */
export class EcdBackend {
  readonly regionIds: readonly string[];
  readonly durations: LifecycleDurations;
  /** Mutable: a test switches a variant to see how a client copes with the other behaviour. */
  readonly variants: ServiceVariants;
  readonly clock: Clock;
  readonly seed: number;
  private regions = new Map<string, RegionState>();
  private ids: IdGenerator;
  private shouldFailDesktop: () => boolean;

  constructor(options: BackendOptions) {
    this.regionIds = [...(options.regions ?? DEFAULT_REGIONS)];
    this.durations = { ...DEFAULT_DURATIONS, ...options.durations };
    this.variants = { ...DEFAULT_VARIANTS, ...options.variants };
    this.clock = options.clock;
    this.seed = options.seed ?? DEFAULT_SEED;
    this.shouldFailDesktop = options.shouldFailDesktop ?? (() => false);
    this.ids = new IdGenerator(new SeededRandom(this.seed));
    this.reset();
  }

  /** Back to the seed data: no desktops, ids restart from the seed. */
  reset(): void {
    this.regions = new Map(this.regionIds.map((id) => [id, seedRegion(id)]));
    this.ids = new IdGenerator(new SeededRandom(this.seed));
  }

  setDesktopFailurePolicy(shouldFail: () => boolean): void {
    this.shouldFailDesktop = shouldFail;
  }

  hasRegion(regionId: string): boolean {
    return this.regions.has(regionId);
  }

  private region(regionId: string): RegionState {
    const region = this.regions.get(regionId);
    if (!region) throw Errors.invalidRegionId(regionId);
    settleRegion(region, this.clock.now());
    return region;
  }

  private context(): ModelContext {
    return {
      now: this.clock.now(),
      durations: this.durations,
      variants: this.variants,
      ids: this.ids,
      shouldFailDesktop: () => this.shouldFailDesktop(),
    };
  }

  // --- Operations -------------------------------------------------------------------------------------------

  createDesktops(
    regionId: string,
    request: CreateDesktopsRequest,
  ): { DesktopId: string[]; OrderId?: string } {
    return createDesktops(this.context(), this.region(regionId), request);
  }

  describeDesktopsPage(regionId: string, request: DescribeDesktopsRequest): DescribeDesktopsResult {
    return describeDesktopsPage(this.region(regionId), request, this.clock.now());
  }

  deleteDesktops(regionId: string, request: DesktopIdsRequest): Record<string, never> {
    desktops.deleteDesktops(this.context(), this.region(regionId), request);
    return {};
  }

  startDesktops(regionId: string, request: DesktopIdsRequest): Record<string, never> {
    desktops.startDesktops(this.context(), this.region(regionId), request);
    return {};
  }

  stopDesktops(regionId: string, request: StopDesktopsRequest): Record<string, never> {
    desktops.stopDesktops(this.context(), this.region(regionId), request);
    return {};
  }

  rebuildDesktops(
    regionId: string,
    request: RebuildDesktopsRequest,
  ): { RebuildResults: desktops.DesktopResult[] } {
    return desktops.rebuildDesktops(this.context(), this.region(regionId), request);
  }

  modifyDesktopName(regionId: string, request: ModifyDesktopNameRequest): Record<string, never> {
    desktops.modifyDesktopName(this.region(regionId), request);
    return {};
  }

  modifyDesktopsPolicyGroup(
    regionId: string,
    request: ModifyDesktopsPolicyGroupRequest,
  ): { ModifyResults: desktops.DesktopResult[] } {
    return desktops.modifyDesktopsPolicyGroup(this.context(), this.region(regionId), request);
  }

  modifyDesktopSpec(
    regionId: string,
    request: ModifyDesktopSpecRequest,
  ): { OrderId: string; OrderIds: number[] } {
    return desktops.modifyDesktopSpec(this.context(), this.region(regionId), request);
  }

  modifyDesktopChargeType(
    regionId: string,
    request: ModifyDesktopChargeTypeRequest,
  ): { DesktopId: string[]; OrderId: string } {
    return desktops.modifyDesktopChargeType(this.context(), this.region(regionId), request);
  }

  modifyEntitlement(regionId: string, request: ModifyEntitlementRequest): Record<string, never> {
    desktops.modifyEntitlement(this.context(), this.region(regionId), request);
    return {};
  }

  modifyUserEntitlement(regionId: string, request: ModifyUserEntitlementRequest): Record<string, never> {
    desktops.modifyUserEntitlement(this.context(), this.region(regionId), request);
    return {};
  }

  renewDesktops(regionId: string, request: RenewDesktopsRequest): { OrderId: string } {
    return desktops.renewDesktops(this.context(), this.region(regionId), request);
  }

  tagResources(regionId: string, request: TagResourcesRequest): Record<string, never> {
    tags.tagResources(this.region(regionId), request);
    return {};
  }

  untagResources(regionId: string, request: UntagResourcesRequest): Record<string, never> {
    tags.untagResources(this.region(regionId), request);
    return {};
  }

  listTagResources(
    regionId: string,
    request: ListTagResourcesRequest,
  ): ReturnType<typeof tags.listTagResources> {
    return tags.listTagResources(this.region(regionId), request);
  }

  describePrice(regionId: string, request: DescribePriceRequest): ReturnType<typeof describePrice> {
    this.region(regionId);
    return describePrice(request);
  }

  describeBundles(
    regionId: string,
    request: DescribeBundlesRequest,
  ): ReturnType<typeof catalog.describeBundles> {
    return catalog.describeBundles(this.region(regionId), request);
  }

  describeImages(
    regionId: string,
    request: DescribeImagesRequest,
  ): ReturnType<typeof catalog.describeImages> {
    return catalog.describeImages(this.region(regionId), request);
  }

  describeOfficeSites(
    regionId: string,
    request: DescribeOfficeSitesRequest,
  ): ReturnType<typeof catalog.describeOfficeSites> {
    return catalog.describeOfficeSites(this.region(regionId), request);
  }

  describePolicyGroups(
    regionId: string,
    request: DescribePolicyGroupsRequest,
  ): ReturnType<typeof catalog.describePolicyGroups> {
    return catalog.describePolicyGroups(this.region(regionId), request);
  }

  describeRegions(
    regionId: string,
    request: DescribeRegionsRequest,
  ): ReturnType<typeof catalog.describeRegions> {
    this.region(regionId);
    return catalog.describeRegions(this.regionIds, request);
  }

  describeDesktopTypes(
    regionId: string,
    request: DescribeDesktopTypesRequest,
  ): ReturnType<typeof catalog.describeDesktopTypes> {
    this.region(regionId);
    return catalog.describeDesktopTypes(request);
  }

  // --- Test and control helpers (out-of-band, no API rules) -------------------------------------------------

  /** Exactly what DescribeDesktops renders, current lifecycle applied; all regions when none is given. */
  describeDesktops(regionId?: string): WireDesktop[] {
    const now = this.clock.now();
    const ids = regionId === undefined ? this.regionIds : [regionId];
    return ids.flatMap((id) => {
      const region = this.region(id);
      return [...region.desktops.values()].map((d) => renderDesktop(d, region, now));
    });
  }

  /** A deep copy of everything stored about a desktop (including CreateDesktops inputs), or undefined. */
  getDesktop(desktopId: string): DesktopRecord | undefined {
    const found = this.locate(desktopId);
    return found ? structuredClone(found.desktop) : undefined;
  }

  /** Pays an order placed with AutoPay=false: its desktops start being created now. Returns their ids. */
  payOrder(orderId: string): string[] {
    const ctx = this.context();
    for (const regionId of this.regionIds) {
      const region = this.region(regionId);
      const desktops = region.unpaidOrders.get(orderId);
      if (!desktops) continue;
      region.unpaidOrders.delete(orderId);
      for (const desktop of desktops) {
        desktop.createdAt = ctx.now;
        startTransition(desktop, "Pending", ctx.durations.createMs, "Running", ctx.now);
        region.desktops.set(desktop.id, desktop);
      }
      return desktops.map((desktop) => desktop.id);
    }
    throw new Error(`no unpaid order ${orderId}`);
  }

  /** Removes desktops immediately, as if deleted outside the API; returns the ids that existed. */
  removeDesktops(desktopIds: readonly string[]): string[] {
    const removed: string[] = [];
    for (const id of desktopIds) {
      const found = this.locate(id);
      if (found) {
        found.region.desktops.delete(id);
        removed.push(id);
      }
    }
    return removed;
  }

  /** Pins a desktop to a status at once, cancelling any running transition. */
  forceStatus(desktopId: string, status: DesktopStatus): void {
    if (!DESKTOP_STATUSES.includes(status)) throw new Error(`unknown desktop status ${status}`);
    const found = this.locate(desktopId);
    if (!found) throw new Error(`desktop ${desktopId} not found`);
    found.desktop.status = status;
    found.desktop.transition = undefined;
    if (status === "Running" && found.desktop.startedAt === undefined)
      found.desktop.startedAt = this.clock.now();
  }

  /** Adds a template to a region's catalog, as a custom bundle made in the console would be. */
  addBundle(regionId: string, bundle: BundleRecord): void {
    const region = this.regions.get(regionId);
    if (!region) throw new Error(`unknown region ${regionId}`);
    region.bundles.set(bundle.id, structuredClone(bundle));
  }

  /** Adds an image to a region's catalog, as a custom image made in the console would be. */
  addImage(regionId: string, image: ImageRecord): void {
    const region = this.regions.get(regionId);
    if (!region) throw new Error(`unknown region ${regionId}`);
    region.images.set(image.id, structuredClone(image));
  }

  /** Changes an office site's status (e.g. to REGISTERING) so tests can exercise IncorrectDirectoryStatus. */
  setOfficeSiteStatus(officeSiteId: string, status: string): void {
    for (const region of this.regions.values()) {
      const site = region.officeSites.get(officeSiteId) ?? region.legacyDirectories.get(officeSiteId);
      if (site) {
        site.status = status;
        return;
      }
    }
    throw new Error(`office site ${officeSiteId} not found`);
  }

  seedData(regionId: string): SeedData {
    const region = this.regions.get(regionId);
    if (!region) throw new Error(`unknown region ${regionId}`);
    return structuredClone({
      officeSites: [...region.officeSites.values()],
      legacyDirectories: [...region.legacyDirectories.values()],
      images: [...region.images.values()],
      bundles: [...region.bundles.values()],
      policyGroups: [...region.policyGroups.values()],
      endUsers: [...region.endUsers],
      kmsKeys: [...region.kmsKeys],
      unauthorizedKmsKeys: [...region.unauthorizedKmsKeys],
      desktopTypes: [...DESKTOP_TYPES.values()],
    });
  }

  private locate(desktopId: string): { region: RegionState; desktop: DesktopRecord } | undefined {
    for (const regionId of this.regionIds) {
      const region = this.region(regionId);
      const desktop = region.desktops.get(desktopId);
      if (desktop) return { region, desktop };
    }
    return undefined;
  }
}
