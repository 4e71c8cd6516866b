"""The official Python SDK (alibabacloud-ecd20200930) against the pulumi-ecd emulator.

Drives every ECD operation the provider uses, with requests built by the official client, through one desktop
lifecycle. Each answer must be accepted, parse into the official response model with every key known to that model
and every value of the type the model declares, and carry the fields the provider reads.

Environment: ECD_ENDPOINT (host:port), ECD_ACCESS_KEY_ID, ECD_ACCESS_KEY_SECRET, ECD_REGION_ID.
Prints one line per call on stderr and, last on stdout, a JSON report: {"operations": {name: {"calls", "problems"}}}.
Exit status 0 when every operation passed, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import typing

from alibabacloud_ecd20200930 import models as ecd
from alibabacloud_ecd20200930.client import Client
from alibabacloud_tea_openapi import utils_models as openapi
from darabonba.model import DaraModel

RESOURCE_TYPE = "ALIYUN::GWS::INSTANCE"
POLL_SECONDS = 0.05
WAIT_SECONDS = 60

# What the provider reads from each answer (provider/ecd/operations.ts), as paths of wire names. "A[].B" means: A is
# a non-empty list and every element has B. These must be present (not null) in the parsed official model. Fields
# the service returns only in some cases (HostName with an AD office site, ExpiredTime of subscriptions) are checked
# for their type wherever they appear.
DESKTOP_READS = [
    "DesktopId",
    "DesktopName",
    "DesktopStatus",
    "OfficeSiteId",
    "OfficeSiteType",
    "PolicyGroupId",
    "PolicyGroupIdList",
    "BundleId",
    "ImageId",
    "OsType",
    "DesktopType",
    "Cpu",
    "Memory",
    "Disks[].DiskId",
    "Disks[].DiskType",
    "Disks[].DiskSize",
    "Disks[].DiskCategory",
    "Disks[].PerformanceLevel",
    "ChargeType",
    "EndUserIds",
    "NetworkInterfaceIp",
    "CreationTime",
    "ManagementFlag",
    "ManagementFlags",
    "VolumeEncryptionEnabled",
]
READS = {
    "DescribeRegions": ["Regions[].RegionId", "Regions[].RegionEndpoint", "Regions[].LocalName"],
    "DescribeOfficeSites": [
        "OfficeSites[].OfficeSiteId",
        "OfficeSites[].Name",
        "OfficeSites[].Status",
        "OfficeSites[].OfficeSiteType",
        "OfficeSites[].VpcId",
        "OfficeSites[].CidrBlock",
    ],
    "DescribeBundles": [
        "Bundles[].BundleId",
        "Bundles[].BundleName",
        "Bundles[].BundleType",
        "Bundles[].DesktopType",
        "Bundles[].OsType",
        "Bundles[].ImageId",
        "Bundles[].Disks[].DiskType",
        "Bundles[].Disks[].DiskSize",
        "Bundles[].Disks[].DiskPerformanceLevel",
        "Bundles[].SystemDiskCategory",
        "Bundles[].DataDiskCategory",
        "Bundles[].VolumeEncryptionEnabled",
    ],
    "DescribeImages": ["Images[].ImageId", "Images[].Name", "Images[].OsType", "Images[].Status"],
    "DescribePolicyGroups": [
        "DescribePolicyGroups[].PolicyGroupId",
        "DescribePolicyGroups[].Name",
        "DescribePolicyGroups[].PolicyStatus",
        "DescribePolicyGroups[].PolicyGroupType",
    ],
    "DescribePrice": [
        "PriceInfo.Price.Currency",
        "PriceInfo.Price.OriginalPrice",
        "PriceInfo.Price.DiscountPrice",
        "PriceInfo.Price.TradePrice",
    ],
    "CreateDesktops": ["DesktopId"],
    "DescribeDesktops": [f"Desktops[].{field}" for field in DESKTOP_READS] + ["TotalCount"],
    "DeleteDesktops": [],
    "StartDesktops": [],
    "StopDesktops": [],
    "RebuildDesktops": ["RebuildResults[].DesktopId", "RebuildResults[].Code"],
    "ModifyDesktopName": [],
    "ModifyDesktopsPolicyGroup": ["ModifyResults[].DesktopId", "ModifyResults[].Code"],
    "ModifyDesktopSpec": [],
    "ModifyDesktopChargeType": ["OrderId"],
    "ModifyEntitlement": [],
    "ModifyUserEntitlement": [],
    "TagResources": [],
    "UntagResources": [],
    "ListTagResources": [
        "TagResources[].ResourceId",
        "TagResources[].ResourceType",
        "TagResources[].TagKey",
        "TagResources[].TagValue",
    ],
}
# Every answer carries its request id, which the provider's errors and logs quote.
for reads in READS.values():
    reads.append("RequestId")


class Contract:
    def __init__(self) -> None:
        self.region = os.environ["ECD_REGION_ID"]
        config = openapi.Config(
            access_key_id=os.environ["ECD_ACCESS_KEY_ID"],
            access_key_secret=os.environ["ECD_ACCESS_KEY_SECRET"],
            endpoint=os.environ["ECD_ENDPOINT"],
            protocol="http",
            region_id=self.region,
        )
        self.client = Client(config)
        self.raw: dict = {}
        call_api = self.client.call_api

        # The official client parses the answer's JSON and hands it to the model; keep that JSON to compare.
        def recording_call_api(params, request, runtime):
            answer = call_api(params, request, runtime)
            self.raw = answer
            return answer

        self.client.call_api = recording_call_api
        self.results: dict[str, dict] = {name: {"calls": 0, "problems": []} for name in READS}

    def call(self, operation: str, request: DaraModel, extra_reads: typing.Sequence[str] = ()) -> DaraModel:
        method = getattr(self.client, snake(operation))
        result = self.results[operation]
        result["calls"] += 1
        try:
            response = method(request)
        except Exception as error:  # the SDK raises its own error types; report code and message, then stop
            code = getattr(error, "code", type(error).__name__)
            message = getattr(error, "message", str(error))
            result["problems"].append(f"refused: {code}: {message}")
            print(f"{operation}: REFUSED {code}: {message}", file=sys.stderr)
            raise
        problems = answer_problems(self.raw.get("body"), response.body, [*READS[operation], *extra_reads])
        result["problems"].extend(problems)
        print(f"{operation}: {'ok' if not problems else '; '.join(problems)}", file=sys.stderr)
        return response.body

    def desktops(self, ids: list[str]) -> list:
        body = self.call("DescribeDesktops", ecd.DescribeDesktopsRequest(region_id=self.region, desktop_id=ids))
        return body.desktops or []

    def wait_for(self, ids: list[str], done: typing.Callable[[list], bool], what: str) -> list:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            desktops = self.desktops(ids)
            if done(desktops):
                return desktops
            if time.monotonic() > deadline:
                raise TimeoutError(f"desktops never {what}: {[(d.desktop_id, d.desktop_status) for d in desktops]}")
            time.sleep(POLL_SECONDS)

    def wait_status(self, ids: list[str], status: str) -> list:
        return self.wait_for(
            ids,
            lambda ds: len(ds) == len(ids) and all(d.desktop_status == status and d.management_flag != "Updating" for d in ds),
            status,
        )

    def run(self) -> None:
        region = self.region
        batch = f"contract-{time.time_ns()}"
        self.call("DescribeRegions", ecd.DescribeRegionsRequest(region_id=region, accept_language="en-US"))
        sites = self.call("DescribeOfficeSites", ecd.DescribeOfficeSitesRequest(region_id=region, max_results=100))
        office_site_id = sites.office_sites[0].office_site_id
        bundles = self.call("DescribeBundles", ecd.DescribeBundlesRequest(region_id=region, max_results=100))
        windows = [b for b in bundles.bundles if b.os_type == "Windows"]
        bundle = windows[0]
        other_type = next(b.desktop_type for b in windows if b.desktop_type != bundle.desktop_type)
        images = self.call(
            "DescribeImages", ecd.DescribeImagesRequest(region_id=region, image_id=[bundle.image_id], max_results=100)
        )
        image_id = images.images[0].image_id
        groups = self.call(
            "DescribePolicyGroups", ecd.DescribePolicyGroupsRequest(region_id=region, max_results=100)
        )
        policy_group_ids = [g.policy_group_id for g in groups.describe_policy_groups if g.policy_status == "AVAILABLE"]
        disks = {d.disk_type: d for d in bundle.disks}
        self.call(
            "DescribePrice",
            ecd.DescribePriceRequest(
                region_id=region,
                resource_type="Desktop",
                instance_type=bundle.desktop_type,
                root_disk_size_gib=disks["SYSTEM"].disk_size,
                user_disk_size_gib=disks["DATA"].disk_size,
                root_disk_category=bundle.system_disk_category,
                user_disk_category=bundle.data_disk_category,
                os_type=bundle.os_type,
                period=1,
                period_unit="Hour",
                amount=1,
            ),
        )

        created = self.call(
            "CreateDesktops",
            ecd.CreateDesktopsRequest(
                region_id=region,
                office_site_id=office_site_id,
                bundle_id=bundle.bundle_id,
                policy_group_id=policy_group_ids[0],
                amount=3,
                desktop_name="contract",
                end_user_id=["alice"],
                user_assign_mode="ALL",
                charge_type="PostPaid",
                tag=[ecd.CreateDesktopsRequestTag(key="pulumi-ecd:batch", value=batch)],
                desktop_timers=[
                    ecd.CreateDesktopsRequestDesktopTimers(
                        timer_type="NoConnect", operation_type="Shutdown", interval=30, enforce=False
                    )
                ],
            ),
        )
        ids = list(created.desktop_id)
        self.wait_status(ids, "Running")
        found = self.call(
            "DescribeDesktops",
            ecd.DescribeDesktopsRequest(
                region_id=region,
                tag=[ecd.DescribeDesktopsRequestTag(key="pulumi-ecd:batch", value=batch)],
                max_results=100,
            ),
            ["Desktops[].Tags[].Key", "Desktops[].Tags[].Value"],
        )
        require(sorted(d.desktop_id for d in found.desktops) == sorted(ids), "the tag filter finds the batch")

        self.call(
            "ModifyDesktopName",
            ecd.ModifyDesktopNameRequest(region_id=region, desktop_id=ids[0], new_desktop_name="contract-renamed"),
        )
        self.call(
            "TagResources",
            ecd.TagResourcesRequest(
                region_id=region,
                resource_type=RESOURCE_TYPE,
                resource_id=ids,
                tag=[ecd.TagResourcesRequestTag(key="team", value="platform")],
            ),
        )
        self.call(
            "ListTagResources",
            ecd.ListTagResourcesRequest(region_id=region, resource_type=RESOURCE_TYPE, resource_id=ids, max_results=50),
        )
        self.call(
            "ListTagResources",
            ecd.ListTagResourcesRequest(
                region_id=region,
                resource_type=RESOURCE_TYPE,
                tag=[ecd.ListTagResourcesRequestTag(key="team", value="platform")],
            ),
        )
        self.call(
            "UntagResources",
            ecd.UntagResourcesRequest(region_id=region, resource_type=RESOURCE_TYPE, resource_id=ids, tag_key=["team"]),
        )

        self.call(
            "ModifyEntitlement",
            ecd.ModifyEntitlementRequest(region_id=region, desktop_id=ids[0], end_user_id=["alice", "bob"]),
        )
        self.wait_for(ids[:1], lambda ds: sorted(ds[0].end_user_ids or []) == ["alice", "bob"], "assigned to bob")
        self.call(
            "ModifyUserEntitlement",
            ecd.ModifyUserEntitlementRequest(
                region_id=region, end_user_id=["bob"], authorize_desktop_id=ids[1:2], revoke_desktop_id=ids[:1]
            ),
        )
        self.wait_for(
            ids[:2],
            lambda ds: {d.desktop_id: sorted(d.end_user_ids or []) for d in ds}
            == {ids[0]: ["alice"], ids[1]: ["alice", "bob"]},
            "moved bob",
        )
        self.call(
            "ModifyDesktopsPolicyGroup",
            ecd.ModifyDesktopsPolicyGroupRequest(region_id=region, desktop_id=ids, policy_group_id=policy_group_ids[-1]),
        )

        self.call("StopDesktops", ecd.StopDesktopsRequest(region_id=region, desktop_id=ids, stopped_mode="StopCharging"))
        self.wait_status(ids, "Stopped")
        self.call(
            "ModifyDesktopSpec",
            ecd.ModifyDesktopSpecRequest(
                region_id=region, desktop_id=ids[0], desktop_type=other_type, auto_pay=True
            ),
        )
        self.wait_status(ids[:1], "Stopped")
        self.call("StartDesktops", ecd.StartDesktopsRequest(region_id=region, desktop_id=ids))
        self.wait_status(ids, "Running")
        self.call(
            "RebuildDesktops",
            ecd.RebuildDesktopsRequest(region_id=region, desktop_id=ids[2:], image_id=image_id),
        )
        self.wait_status(ids[2:], "Running")

        self.call(
            "ModifyDesktopChargeType",
            ecd.ModifyDesktopChargeTypeRequest(
                region_id=region, desktop_id=ids[1:2], charge_type="PrePaid", period=1, period_unit="Month", auto_pay=True
            ),
        )
        prepaid = self.wait_for(
            ids[1:2], lambda ds: ds[0].charge_type == "PrePaid" and ds[0].management_flag != "Updating", "subscribed"
        )
        require(prepaid[0].expired_time is not None, "a subscription desktop shows ExpiredTime")
        self.call(
            "ModifyDesktopChargeType",
            ecd.ModifyDesktopChargeTypeRequest(region_id=region, desktop_id=ids[1:2], charge_type="PostPaid"),
        )
        self.wait_for(ids[1:2], lambda ds: ds[0].charge_type == "PostPaid" and ds[0].management_flag != "Updating", "converted")

        self.call("DeleteDesktops", ecd.DeleteDesktopsRequest(region_id=region, desktop_id=ids))
        self.wait_for(ids, lambda ds: all(d.desktop_status == "Deleted" for d in ds), "released")


def snake(operation: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()


def require(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(f"expected: {what}")


def answer_problems(raw: object, body: DaraModel, reads: typing.Sequence[str]) -> list[str]:
    """What keeps an answer from matching the official model: unknown keys, wrong types, fields the provider reads."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        return [f"the answer is not a JSON object: {raw!r}"]
    parsed = body.to_map()
    unknown_keys(raw, parsed, "", problems)
    wrong_types(body, "", problems)
    for path in reads:
        missing(parsed, path.split("."), "", problems)
    return problems


def unknown_keys(raw: object, parsed: object, at: str, problems: list[str]) -> None:
    if isinstance(raw, dict):
        for key, value in raw.items():
            if not isinstance(parsed, dict) or key not in parsed:
                if value is not None:
                    problems.append(f"{at}{key} is not in the official model")
                continue
            unknown_keys(value, parsed[key], f"{at}{key}.", problems)
    elif isinstance(raw, list) and isinstance(parsed, list):
        for index, (r, p) in enumerate(zip(raw, parsed)):
            unknown_keys(r, p, f"{at[:-1]}[{index}].", problems)


def wrong_types(model: DaraModel, at: str, problems: list[str]) -> None:
    hints = typing.get_type_hints(type(model).__init__)
    wire_names = {v: k for k, v in attribute_wire_names(model).items()}
    for attribute, hint in hints.items():
        if attribute == "return":
            continue
        value = getattr(model, attribute, None)
        if value is not None:
            check_type(value, hint, f"{at}{wire_names.get(attribute, attribute)}", problems)


def attribute_wire_names(model: DaraModel) -> dict[str, str]:
    """Wire name of each attribute: where to_map() puts a marker set on that attribute alone."""
    names: dict[str, str] = {}
    for attribute in vars(model):
        marker = Marker(attribute)
        for candidate in (marker, [marker]):
            probe = type(model)()
            setattr(probe, attribute, candidate)
            try:
                rendered = type(model).to_map(probe)
            except (AttributeError, TypeError):
                continue
            for key, value in rendered.items():
                if value in (marker, marker.to_map(), [marker.to_map()]):
                    names[key] = attribute
            break
    return names


class Marker:
    def __init__(self, attribute: str) -> None:
        self.attribute = attribute

    def to_map(self) -> dict:
        return {"\0marker": self.attribute}


def check_type(value: object, hint: object, at: str, problems: list[str]) -> None:
    origin = typing.get_origin(hint)
    if origin in (list, typing.List):
        if not isinstance(value, list):
            problems.append(f"{at} is {type(value).__name__}, the official model says a list")
            return
        (item,) = typing.get_args(hint)
        for index, element in enumerate(value):
            if element is not None:
                check_type(element, item, f"{at}[{index}]", problems)
    elif origin in (dict, typing.Dict):
        if not isinstance(value, dict):
            problems.append(f"{at} is {type(value).__name__}, the official model says an object")
    elif isinstance(hint, type) and issubclass(hint, DaraModel):
        if isinstance(value, hint):
            wrong_types(value, f"{at}.", problems)
        else:
            problems.append(f"{at} is {type(value).__name__}, the official model says {hint.__name__}")
    elif hint is bool:
        if not isinstance(value, bool):
            problems.append(f"{at} is {type(value).__name__} {value!r}, the official model says bool")
    elif hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{at} is {type(value).__name__} {value!r}, the official model says int")
    elif hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{at} is {type(value).__name__} {value!r}, the official model says float")
    elif hint is str:
        if not isinstance(value, str):
            problems.append(f"{at} is {type(value).__name__} {value!r}, the official model says str")


def missing(value: object, path: list[str], at: str, problems: list[str]) -> None:
    head, rest = path[0], path[1:]
    each = head.endswith("[]")
    key = head[:-2] if each else head
    child = value.get(key) if isinstance(value, dict) else None
    if child is None:
        problems.append(f"{at}{key} is missing (the provider reads it)")
        return
    if each:
        if not isinstance(child, list) or not child:
            problems.append(f"{at}{key} is not a non-empty list (the provider reads its elements)")
            return
        for index, element in enumerate(child):
            if rest:
                missing(element, rest, f"{at}{key}[{index}].", problems)
    elif rest:
        missing(child, rest, f"{at}{key}.", problems)


def main() -> int:
    contract = Contract()
    error = None
    try:
        contract.run()
    except Exception as failure:  # the report still names what passed before the lifecycle stopped
        error = f"{type(failure).__name__}: {failure}"
        print(f"lifecycle stopped: {error}", file=sys.stderr)
    print(json.dumps({"operations": contract.results, "error": error}))
    failed = error is not None or any(r["problems"] or not r["calls"] for r in contract.results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
