"""A batch of ECD cloud computers. Run `pulumi` with the virtualenv that holds pulumi_ecd active."""

import pulumi
import pulumi_ecd as ecd

config = pulumi.Config()

desktops = ecd.DesktopBatch(
    "desktops",
    office_site_id=config.get("officeSiteId") or "cn-hangzhou+dir-0000000001",
    bundle_id="b-win-office-4c8g",
    policy_group_id=config.get("policyGroupId") or "system-all-enabled-policy",
    desktop_name=config.get("desktopName") or "team",
    amount=config.get_int("amount") or 2,
    end_user_ids=["alice", "bob"],
    # `pulumi config set --secret owner <value>`: the tag value stays a secret in the state.
    tags={"team": "python", "owner": config.get_secret("owner") or "platform"},
)

pulumi.export("batchId", desktops.id)
pulumi.export("desktopIds", desktops.desktop_ids)
