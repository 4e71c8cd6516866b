import * as specs from "../api/requests";
import { coerce, type InferObject, type ObjectSpec } from "../api/schema";
import type { EcdBackend } from "../model/backend";
import type { ParamTree } from "./unflatten";

/** The action table: which wire parameters each operation reads and which backend method runs it. */

export interface Operation {
  run(backend: EcdBackend, regionId: string, params: { [key: string]: ParamTree }): object;
}

const op = <S extends ObjectSpec>(
  spec: S,
  run: (backend: EcdBackend, regionId: string, request: InferObject<S>) => object,
): Operation => ({
  run: (backend, regionId, params) => run(backend, regionId, coerce(spec, params)),
});

export const API_VERSION = "2020-09-30";

export const OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateDesktops: op(specs.CreateDesktopsSpec, (b, r, q) => b.createDesktops(r, q)),
  DescribeDesktops: op(specs.DescribeDesktopsSpec, (b, r, q) => b.describeDesktopsPage(r, q)),
  DeleteDesktops: op(specs.DesktopIdsSpec, (b, r, q) => b.deleteDesktops(r, q)),
  StartDesktops: op(specs.DesktopIdsSpec, (b, r, q) => b.startDesktops(r, q)),
  StopDesktops: op(specs.StopDesktopsSpec, (b, r, q) => b.stopDesktops(r, q)),
  RebuildDesktops: op(specs.RebuildDesktopsSpec, (b, r, q) => b.rebuildDesktops(r, q)),
  ModifyDesktopName: op(specs.ModifyDesktopNameSpec, (b, r, q) => b.modifyDesktopName(r, q)),
  ModifyDesktopsPolicyGroup: op(specs.ModifyDesktopsPolicyGroupSpec, (b, r, q) =>
    b.modifyDesktopsPolicyGroup(r, q),
  ),
  ModifyDesktopSpec: op(specs.ModifyDesktopSpecSpec, (b, r, q) => b.modifyDesktopSpec(r, q)),
  ModifyDesktopChargeType: op(specs.ModifyDesktopChargeTypeSpec, (b, r, q) =>
    b.modifyDesktopChargeType(r, q),
  ),
  ModifyEntitlement: op(specs.ModifyEntitlementSpec, (b, r, q) => b.modifyEntitlement(r, q)),
  ModifyUserEntitlement: op(specs.ModifyUserEntitlementSpec, (b, r, q) => b.modifyUserEntitlement(r, q)),
  RenewDesktops: op(specs.RenewDesktopsSpec, (b, r, q) => b.renewDesktops(r, q)),
  TagResources: op(specs.TagResourcesSpec, (b, r, q) => b.tagResources(r, q)),
  UntagResources: op(specs.UntagResourcesSpec, (b, r, q) => b.untagResources(r, q)),
  ListTagResources: op(specs.ListTagResourcesSpec, (b, r, q) => b.listTagResources(r, q)),
  DescribePrice: op(specs.DescribePriceSpec, (b, r, q) => b.describePrice(r, q)),
  DescribeBundles: op(specs.DescribeBundlesSpec, (b, r, q) => b.describeBundles(r, q)),
  DescribeImages: op(specs.DescribeImagesSpec, (b, r, q) => b.describeImages(r, q)),
  DescribeOfficeSites: op(specs.DescribeOfficeSitesSpec, (b, r, q) => b.describeOfficeSites(r, q)),
  DescribePolicyGroups: op(specs.DescribePolicyGroupsSpec, (b, r, q) => b.describePolicyGroups(r, q)),
  DescribeRegions: op(specs.DescribeRegionsSpec, (b, r, q) => b.describeRegions(r, q)),
  DescribeDesktopTypes: op(specs.DescribeDesktopTypesSpec, (b, r, q) => b.describeDesktopTypes(r, q)),
};

export function findOperation(action: string): Operation | undefined {
  return Object.prototype.hasOwnProperty.call(OPERATIONS, action) ? OPERATIONS[action] : undefined;
}
