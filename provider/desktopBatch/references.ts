/**
 * check(): the IDs a batch refers to — office site, template, image, policy — exist in the region (and the office site
 * is registered), so `pulumi preview` fails on the property the user wrote instead of `up` failing later on a
 * name the user never wrote (`InvalidDirectoryId.NotFound`). Read-only Describe calls, one per distinct ID and
 * region per process. A set-up mistake the calls meet (wrong keys, a region the service does not serve, an endpoint
 * that does not answer) fails the check with the sentence an update would print, so a preview in a pull request
 * fails where `up` would. Only without any credentials, or while the service stays throttled or failing after the
 * client's retries, is nothing checked; a notice says so once.
 */
import type { CheckFailure } from "./lifecycle";
import type { EcdClient } from "../ecd/client";
import { EcdApiError, EcdCredentialsError } from "../ecd/errors";
import { isRetryableApiError } from "../ecd/retry";
import type { DesktopBatchInputs } from "./inputs";
import { containsUnknown } from "./validate";

interface Reference {
  property: string;
  id: string;
  /** Why the ID cannot be used, or undefined when it can. */
  problem(client: EcdClient): Promise<string | undefined>;
}

const officeSite = (id: string): Reference => ({
  property: "officeSiteId",
  id,
  async problem(client) {
    const sites = (await client.describeOfficeSites({ officeSiteIds: [id] })).officeSites ?? [];
    const site = sites.find((s) => s.officeSiteId === id);
    if (!site) return `no office site ${id} in ${client.regionId} (DescribeOfficeSites)`;
    if (site.status && site.status !== "REGISTERED")
      return `office site ${id} is ${site.status}, not REGISTERED: CreateDesktops needs a registered office site`;
    return undefined;
  },
});

const bundle = (property: string, id: string): Reference => ({
  property,
  id,
  async problem(client) {
    const bundles = (await client.describeBundles({ bundleIds: [id] })).bundles ?? [];
    return bundles.some((b) => b.bundleId === id)
      ? undefined
      : `no desktop template ${id} in ${client.regionId} (DescribeBundles)`;
  },
});

const image = (id: string): Reference => ({
  property: "desktopAttachment.imageId",
  id,
  async problem(client) {
    const images = (await client.describeImages({ imageIds: [id] })).images ?? [];
    const found = images.find((i) => i.imageId === id);
    if (!found) return `no image ${id} in ${client.regionId} (DescribeImages)`;
    if (found.status && found.status !== "Available")
      return `image ${id} is ${found.status}, not Available: CreateDesktops needs an available image`;
    return undefined;
  },
});

const policyGroup = (id: string): Reference => ({
  property: "policyGroupId",
  id,
  async problem(client) {
    const groups = (await client.describePolicyGroups({ policyGroupIds: [id] })).describePolicyGroups ?? [];
    return groups.some((g) => g.policyGroupId === id)
      ? undefined
      : `no policy ${id} in ${client.regionId} (DescribePolicyGroups)`;
  },
});

function referencesOf(inputs: DesktopBatchInputs): Reference[] {
  const references: Reference[] = [];
  if (inputs.officeSiteId) references.push(officeSite(inputs.officeSiteId));
  if (inputs.bundleId) references.push(bundle("bundleId", inputs.bundleId));
  (Array.isArray(inputs.bundleModels) ? inputs.bundleModels : []).forEach((model, index) => {
    if (model && typeof model === "object" && typeof model.bundleId === "string")
      references.push(bundle(`bundleModels[${index}].bundleId`, model.bundleId));
  });
  const imageId = inputs.desktopAttachment?.imageId;
  if (typeof imageId === "string") references.push(image(imageId));
  if (inputs.policyGroupId) references.push(policyGroup(inputs.policyGroupId));
  return references.filter((reference) => !containsUnknown(reference.id));
}

export class ReferenceChecker {
  private readonly answers = new Map<string, Promise<string | undefined>>();
  /** Set once no credentials are configured; later checks of this process skip at once. */
  private unavailable = false;
  /** The set-up mistake found first; later checks of this process fail with it at once. */
  private setupFailure: CheckFailure | undefined;
  private readonly noticed = new Set<string>();

  constructor(private readonly log: (line: string) => void) {}

  /** Failures for IDs that do not exist; none (and a notice) when the service cannot be asked. */
  /** `olds`: the inputs already applied; IDs they name were checked when they were new, and are not asked again. */
  async check(
    inputs: DesktopBatchInputs,
    client: () => EcdClient,
    olds: DesktopBatchInputs = {},
  ): Promise<CheckFailure[]> {
    const known = new Set(referencesOf(olds).map((reference) => `${reference.property}=${reference.id}`));
    const references = referencesOf(inputs).filter(
      (reference) => olds.regionId !== inputs.regionId || !known.has(`${reference.property}=${reference.id}`),
    );
    if (!references.length || this.unavailable) return [];
    if (this.setupFailure) return [this.setupFailure];
    let ecd: EcdClient;
    try {
      ecd = client();
    } catch (error) {
      return this.failOrSkip(error);
    }
    const failures: CheckFailure[] = [];
    for (const reference of references) {
      const key = `${ecd.regionId}/${reference.property.replace(/\[\d+\]/, "")}/${reference.id}`;
      let answer = this.answers.get(key);
      if (!answer) {
        answer = reference.problem(ecd);
        this.answers.set(key, answer);
      }
      try {
        const problem = await answer;
        if (problem)
          failures.push({ property: reference.property, reason: `${reference.property} ${problem}` });
      } catch (error) {
        this.answers.delete(key);
        return this.failOrSkip(error);
      }
    }
    return failures;
  }

  /**
   * A set-up mistake fails the check with no property (the engine prints "has a problem: <sentence>"); only
   * missing credentials, or a service still throttled or failing after the retries, skip it with a notice.
   */
  private failOrSkip(error: unknown): CheckFailure[] {
    if (error instanceof EcdCredentialsError) return this.skip(error, true);
    if (error instanceof EcdApiError && isRetryableApiError(error)) return this.skip(error, false);
    this.setupFailure = { property: "", reason: error instanceof Error ? error.message : String(error) };
    return [this.setupFailure];
  }

  /** Nothing checked this time; `forGood` (no credentials) stops asking for the process. */
  private skip(error: unknown, forGood: boolean): CheckFailure[] {
    if (!this.unavailable && !this.noticed.has(String(forGood))) {
      this.noticed.add(String(forGood));
      const why =
        error instanceof EcdCredentialsError
          ? "no credentials are configured"
          : error instanceof EcdApiError
            ? `${error.operation} failed (${error.code})`
            : error instanceof Error
              ? error.message
              : String(error);
      this.log(`office site, template and policy IDs were not checked during preview: ${why}`);
    }
    if (forGood) this.unavailable = true;
    return [];
  }
}
