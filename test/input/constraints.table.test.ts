/**
 * Every constraint of the CreateDesktops API reference (Elastic Desktop Service, CreateDesktops, OpenAPI
 * 2020-09-30, "Request parameters" and "Error codes", last updated Mar 17, 2026), encoded here row by row: for
 * each, one valid and one invalid value, and the failure check() must give for the invalid one (the property's
 * path and the rule it states). Where the provider's batch differs from one call (amount, tags) the row says so.
 */
import { DesktopBatchProvider, DesktopBatchInputs } from "../../provider";

const provider = new DesktopBatchProvider({ env: {} });

const BASE: Record<string, unknown> = {
  regionId: "cn-hangzhou",
  officeSiteId: "cn-hangzhou+dir-0000000001",
  bundleId: "b-win-office-4c8g",
  lineage: "0123456789abcdef0123456789abcdef",
};
const ATTACHMENT = {
  bundleId: undefined,
  desktopAttachment: { desktopType: "eds.enterprise_office.8c16g", imageId: "m-1" },
};
const attachment = (fields: Record<string, unknown>) => ({
  bundleId: undefined,
  desktopAttachment: { ...ATTACHMENT.desktopAttachment, ...fields },
});
const model = (fields: Record<string, unknown>, amount = 1) => ({
  bundleId: undefined,
  amount,
  bundleModels: [{ bundleId: "b-je9hani001wfn", amount, ...fields }],
});
const users = (count: number) => Array.from({ length: count }, (_, i) => `user${i}`);
const tags = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`key${i}`, "value"]));

type Patch = Record<string, unknown>;
// prettier-ignore
/** [constraint as the reference states it, valid inputs, invalid inputs, failing property, rule in the reason] */
// An empty endUserIds or tags means none (the provider leaves them out); see test/provider/defects.test.ts.
const CONSTRAINTS: [string, Patch, Patch, string, RegExp][] = [
  // RegionId: string, required.
  ["RegionId is required", { regionId: "cn-shanghai" }, { regionId: undefined }, "regionId", /regionId is required/],
  ["RegionId is a region ID", { regionId: "ap-southeast-1" }, { regionId: "Hangzhou!" }, "regionId", /must look like a region ID/],
  ["RegionId is a string", { regionId: "cn-hangzhou" }, { regionId: 1 }, "regionId", /must be a string/],
  // DesktopName.
  ["DesktopName up to 64 characters", { desktopName: "a".repeat(64) }, { desktopName: "a".repeat(65) }, "desktopName", /at most 64 characters/],
  ["DesktopName starts with a letter", { desktopName: "DemoComputer01" }, { desktopName: "01Demo" }, "desktopName", /must start with a letter or a Chinese character/],
  ["DesktopName may start with a Chinese character", { desktopName: "桌面-01" }, { desktopName: "_桌面" }, "desktopName", /must start with a letter/],
  ["DesktopName cannot start with http://", { desktopName: "httpserver" }, { desktopName: "http://x" }, "desktopName", /cannot start with http:\/\/ or https:\/\//],
  ["DesktopName cannot start with https://", { desktopName: "https-gw" }, { desktopName: "https://x" }, "desktopName", /cannot start with http:\/\/ or https:\/\//],
  ["DesktopName: letters, digits, Chinese, : _ . -", { desktopName: "a:b_c.d-e" }, { desktopName: "a b" }, "desktopName", /contain only letters, digits, Chinese characters/],
  // Amount: 1 to 300 per call; the batch creates more in several calls, up to 3000.
  ["Amount at least 1", { amount: 1 }, { amount: 0 }, "amount", /amount must be at least 1/],
  ["Amount above 300 is split into calls, up to 3000", { amount: 301 }, { amount: 3001 }, "amount", /amount must be at most 3000/],
  ["Amount is an integer", { amount: 2 }, { amount: 1.5 }, "amount", /amount must be a whole number/],
  // ChargeType, Period, PeriodUnit, AutoPay, AutoRenew.
  ["ChargeType is PostPaid or PrePaid", { chargeType: "PostPaid" }, { chargeType: "Monthly" }, "chargeType", /chargeType must be one of PostPaid, PrePaid/],
  ["Period is required with PrePaid", { chargeType: "PrePaid", period: 1 }, { chargeType: "PrePaid" }, "period", /period is required with chargeType PrePaid/],
  ["Period takes effect only with PrePaid", { chargeType: "PrePaid", period: 2 }, { chargeType: "PostPaid", period: 2 }, "period", /period is only used with chargeType PrePaid/],
  ["Period for Month: 1, 2, 3 or 6", { chargeType: "PrePaid", period: 6, periodUnit: "Month" }, { chargeType: "PrePaid", period: 4, periodUnit: "Month" }, "period", /period 4 is not valid for periodUnit Month, which takes 1, 2, 3 or 6/],
  ["Period for Year: 1 to 5", { chargeType: "PrePaid", period: 5, periodUnit: "Year" }, { chargeType: "PrePaid", period: 6, periodUnit: "Year" }, "period", /period 6 is not valid for periodUnit Year, which takes 1, 2, 3, 4 or 5/],
  ["PeriodUnit is Month or Year", { chargeType: "PrePaid", period: 1, periodUnit: "Year" }, { chargeType: "PrePaid", period: 1, periodUnit: "Week" }, "periodUnit", /periodUnit must be one of Month, Year/],
  ["AutoPay is a boolean", { autoPay: false }, { autoPay: "false" }, "autoPay", /autoPay must be true or false/],
  ["AutoRenew takes effect only with PrePaid", { chargeType: "PrePaid", period: 1, autoRenew: true }, { autoRenew: true }, "autoRenew", /autoRenew takes effect only with chargeType PrePaid/],
  // UserAssignMode, EndUserId.
  ["UserAssignMode is ALL or PER_USER", { userAssignMode: "PER_USER" }, { userAssignMode: "SOME" }, "userAssignMode", /userAssignMode must be one of ALL, PER_USER/],
  ["PER_USER: Amount divisible by the EndUserIds (InvalidAmount.NotTimesOfUsers)", { userAssignMode: "PER_USER", amount: 4, endUserIds: users(2) }, { userAssignMode: "PER_USER", amount: 5, endUserIds: users(2) }, "amount", /amount 5 is not divisible by 2 endUserIds, as userAssignMode PER_USER requires/],
  ["EndUserId: 1 to 100 user IDs (at most)", { endUserIds: users(100) }, { endUserIds: users(101) }, "endUserIds", /endUserIds must have at most 100 items/],
  ["EndUserId items are strings", { endUserIds: ["alice"] }, { endUserIds: [7] }, "endUserIds[0]", /endUserIds\[0\] must be a string/],
  // Hostname.
  ["Hostname 2 to 15 characters (short)", { hostname: "ab" }, { hostname: "a" }, "hostname", /must be 2 to 15 characters long/],
  ["Hostname 2 to 15 characters (long)", { hostname: "a".repeat(15) }, { hostname: "a".repeat(16) }, "hostname", /must be 2 to 15 characters long/],
  ["Hostname: letters, digits and hyphens", { hostname: "test-host1" }, { hostname: "test_host" }, "hostname", /may contain only letters, digits and hyphens/],
  ["Hostname cannot start with a hyphen", { hostname: "host-a" }, { hostname: "-host" }, "hostname", /cannot start or end with a hyphen/],
  ["Hostname cannot end with a hyphen", { hostname: "host-a" }, { hostname: "host-" }, "hostname", /cannot start or end with a hyphen/],
  ["Hostname cannot contain consecutive hyphens", { hostname: "a-b-c" }, { hostname: "a--b" }, "hostname", /cannot contain consecutive hyphens/],
  ["Hostname cannot be only digits", { hostname: "host1234" }, { hostname: "1234" }, "hostname", /cannot consist of only digits/],
  ["Hostname sequence name_prefix[begin_number,bits]name_suffix", { hostname: "ecd-[1,4]-test", amount: 3 }, { hostname: "ecd-[1,4-test", amount: 3 }, "hostname", /must be a hostname or name_prefix\[begin_number,bits\]name_suffix/],
  ["Hostname begin_number 0 to 999999", { hostname: "h[999999,6]" }, { hostname: "h[1000000,7]" }, "hostname", /begin_number must be 0 to 999999/],
  ["Hostname bits 1 to 6", { hostname: "h[1,6]" }, { hostname: "h[1,7]" }, "hostname", /bits must be 1 to 6/],
  ["Hostname: several desktops need a sequence", { hostname: "host-[1,2]", amount: 2 }, { hostname: "host", amount: 2 }, "hostname", /fixed hostname cannot name 2 desktops/],
  ["Hostname sequence has room for Amount", { hostname: "h-[1,1]", amount: 9 }, { hostname: "h-[1,1]", amount: 10 }, "hostname", /no room for 10 hostnames/],
  // Tag: 1 to 20 tags (the provider keeps one for its own tag); key and value rules of TagResources.
  ["Tag: at most 20 (17 besides the provider's three)", { tags: tags(17) }, { tags: tags(18) }, "tags", /tags must have at most 17 entries/],
  ["Tag key 1 to 128 characters", { tags: { ["k".repeat(128)]: "v" } }, { tags: { ["k".repeat(129)]: "v" } }, "tags", /tags key "k+(…|") must be 1 to 128 characters long \(it has 129\)/],
  ["Tag key cannot start with aliyun", { tags: { myaliyun: "v" } }, { tags: { aliyunTeam: "v" } }, "tags", /tags key "(aliyunTeam|acs:team)" cannot start with aliyun or acs:/],
  ["Tag key cannot start with acs:", { tags: { "team:acs": "v" } }, { tags: { "acs:team": "v" } }, "tags", /tags key "(aliyunTeam|acs:team)" cannot start with aliyun or acs:/],
  ["Tag key cannot contain http:// or https://", { tags: { "see-http": "v" } }, { tags: { "see https://x": "v" } }, "tags", /tags key "see https:\/\/x" cannot contain http:\/\/ or https:\/\//],
  ["Tag value up to 128 characters", { tags: { team: "v".repeat(128) } }, { tags: { team: "v".repeat(129) } }, "tags", /tags value of key "team" must be at most 128 characters long/],
  ["Tag value cannot start with acs:", { tags: { team: "x-acs:" } }, { tags: { team: "acs:x" } }, "tags", /tags value of key "team" cannot start with acs:/],
  ["Tag value is a string", { tags: { team: "1" } }, { tags: { team: 1 } }, "tags", /tags must map every key to a string/],
  // DesktopNameSuffix, VolumeEncryption (InvalidEncryptionKey.Missing, InvalidEncryptionEnabled.Invalid).
  ["DesktopNameSuffix is a boolean", { desktopNameSuffix: false }, { desktopNameSuffix: 0 }, "desktopNameSuffix", /desktopNameSuffix must be true or false/],
  ["Encryption enabled needs a key", { volumeEncryptionEnabled: true, volumeEncryptionKey: "08c33a6f" }, { volumeEncryptionEnabled: true }, "volumeEncryptionKey", /volumeEncryptionKey is missing/],
  ["A key needs encryption enabled", { volumeEncryptionEnabled: true, volumeEncryptionKey: "08c33a6f" }, { volumeEncryptionKey: "08c33a6f" }, "volumeEncryptionEnabled", /volumeEncryptionEnabled must be true when volumeEncryptionKey is set/],
  // DesktopMemberIp (InvalidMemberIp.DesktopAmount).
  ["DesktopMemberIp is an IPv4 address", { desktopMemberIp: "10.0.0.1" }, { desktopMemberIp: "10.0.0.256" }, "desktopMemberIp", /desktopMemberIp must be an IPv4 address/],
  ["DesktopMemberIp only with Amount 1", { desktopMemberIp: "10.0.0.1", amount: 1 }, { desktopMemberIp: "10.0.0.1", amount: 2 }, "desktopMemberIp", /desktopMemberIp is only allowed with amount 1/],
  // UserCommands.
  ["UserCommands.ContentEncoding is Base64 or PlainText", { userCommands: [{ content: "x", contentEncoding: "PlainText" }] }, { userCommands: [{ content: "x", contentEncoding: "Hex" }] }, "userCommands[0].contentEncoding", /must be one of Base64, PlainText/],
  ["UserCommands.ContentType is RunPowerShellScript, RunShellScript or RunBatScript", { userCommands: [{ content: "x", contentType: "RunBatScript" }] }, { userCommands: [{ content: "x", contentType: "RunPython" }] }, "userCommands[0].contentType", /must be one of RunPowerShellScript, RunShellScript, RunBatScript/],
  ["UserCommands.Content is given", { userCommands: [{ content: "x" }] }, { userCommands: [{ contentType: "RunShellScript" }] }, "userCommands[0].content", /userCommands\[0\]\.content is required/],
  // BundleModels.
  ["BundleModels.Amount 1 to 300 (at least)", model({}, 1), model({ amount: 0 }, 1), "bundleModels[0].amount", /must be at least 1/],
  ["BundleModels.Amount 1 to 300 (at most)", model({}, 300), model({ amount: 301 }, 301), "bundleModels[0].amount", /must be at most 300/],
  ["BundleModels.DesktopName up to 64 characters", model({ desktopName: "a".repeat(64) }), model({ desktopName: "a".repeat(65) }), "bundleModels[0].desktopName", /at most 64 characters/],
  ["BundleModels.DesktopName starts with a letter", model({ desktopName: "DemoComputer02" }), model({ desktopName: "2Demo" }), "bundleModels[0].desktopName", /must start with a letter/],
  ["BundleModels.DesktopName cannot start with https://", model({ desktopName: "Demo" }), model({ desktopName: "https://demo" }), "bundleModels[0].desktopName", /cannot start with http:\/\/ or https:\/\//],
  ["BundleModels.Hostname follows the hostname rules", model({ hostname: "testhost" }), model({ hostname: "test--host" }), "bundleModels[0].hostname", /cannot contain consecutive hyphens/],
  ["BundleModels.Hostname sequence for several desktops", model({ hostname: "t-[1,3]" }, 2), model({ hostname: "testhost" }, 2), "bundleModels[0].hostname", /fixed hostname cannot name 2 desktops/],
  ["BundleModels.VolumeEncryptionKey with encryption", model({ volumeEncryptionEnabled: true, volumeEncryptionKey: "k" }), model({ volumeEncryptionEnabled: true }), "bundleModels[0].volumeEncryptionKey", /volumeEncryptionKey is missing/],
  ["BundleModels.EndUserIds 1 to 100", model({ endUserIds: users(100) }), model({ endUserIds: users(101) }), "bundleModels[0].endUserIds", /must have at most 100 items/],
  ["BundleModels go out in one call: at most 300 in all", { bundleId: undefined, amount: 300, bundleModels: [{ bundleId: "b-1", amount: 150 }, { bundleId: "b-2", amount: 150 }] }, { bundleId: undefined, amount: 301, bundleModels: [{ bundleId: "b-1", amount: 150 }, { bundleId: "b-2", amount: 151 }] }, "bundleModels", /bundleModels add up to 301 desktops, .*at most 300/],
  // DesktopTimers.
  ["DesktopTimers.ResetType is RESET_TYPE_SYSTEM or RESET_TYPE_BOTH", { desktopTimers: [{ resetType: "RESET_TYPE_BOTH" }] }, { desktopTimers: [{ resetType: "RESET_TYPE_DATA" }] }, "desktopTimers[0].resetType", /must be one of RESET_TYPE_SYSTEM, RESET_TYPE_BOTH/],
  ["DesktopTimers.OperationType is Hibernate or Shutdown", { desktopTimers: [{ operationType: "Hibernate" }] }, { desktopTimers: [{ operationType: "Reboot" }] }, "desktopTimers[0].operationType", /must be one of Hibernate, Shutdown/],
  ["DesktopTimers.Interval is a number of minutes", { desktopTimers: [{ interval: 10 }] }, { desktopTimers: [{ interval: 0 }] }, "desktopTimers[0].interval", /must be at least 1/],
  ["DesktopTimers.Enforce is a boolean", { desktopTimers: [{ enforce: true }] }, { desktopTimers: [{ enforce: "yes" }] }, "desktopTimers[0].enforce", /must be true or false/],
  // DesktopAttachment.
  ["DesktopAttachment is invalid with BundleId", ATTACHMENT, { desktopAttachment: ATTACHMENT.desktopAttachment }, "desktopAttachment", /desktopAttachment cannot be combined with bundleId/],
  ["Without BundleId, DesktopAttachment needs DesktopType and ImageId", ATTACHMENT, attachment({ imageId: undefined }), "desktopAttachment", /needs both desktopType and imageId/],
  ["A template is required: BundleId, BundleModels or DesktopAttachment", ATTACHMENT, { bundleId: undefined }, "bundleId", /bundleId is required \(or bundleModels, or desktopAttachment with desktopType and imageId\): no desktop template given/],
  ["SystemDiskCategory is cloud_auto or cloud_essd", attachment({ systemDiskCategory: "cloud_auto" }), attachment({ systemDiskCategory: "cloud_ssd" }), "desktopAttachment.systemDiskCategory", /must be one of cloud_auto, cloud_essd/],
  ["SystemDiskSize 60 to 500 (at least)", attachment({ systemDiskSize: 60 }), attachment({ systemDiskSize: 50 }), "desktopAttachment.systemDiskSize", /must be at least 60/],
  ["SystemDiskSize 60 to 500 (at most)", attachment({ systemDiskSize: 500 }), attachment({ systemDiskSize: 510 }), "desktopAttachment.systemDiskSize", /must be at most 500/],
  ["SystemDiskSize in steps of 10 GiB", attachment({ systemDiskSize: 70 }), attachment({ systemDiskSize: 75 }), "desktopAttachment.systemDiskSize", /must be a multiple of 10/],
  ["SystemDiskPerLevel is PL0 or PL1", attachment({ systemDiskCategory: "cloud_essd", systemDiskPerLevel: "PL1" }), attachment({ systemDiskCategory: "cloud_essd", systemDiskPerLevel: "PL3" }), "desktopAttachment.systemDiskPerLevel", /must be one of PL0, PL1/],
  ["SystemDiskPerLevel is required for ESSD", attachment({ systemDiskCategory: "cloud_essd", systemDiskPerLevel: "PL0" }), attachment({ systemDiskCategory: "cloud_essd" }), "desktopAttachment.systemDiskPerLevel", /systemDiskPerLevel \(PL0 or PL1\) is required for cloud_essd/],
  ["DataDiskSize 40 to 2040 (at least, or no data disk)", attachment({ dataDiskSize: 40 }), attachment({ dataDiskSize: 30 }), "desktopAttachment.dataDiskSize", /must be 0 or at least 40/],
  ["DataDiskSize 40 to 2040 (at most)", attachment({ dataDiskSize: 2040 }), attachment({ dataDiskSize: 2050 }), "desktopAttachment.dataDiskSize", /must be at most 2040/],
  ["DataDiskSize in steps of 10 GiB", attachment({ dataDiskSize: 50 }), attachment({ dataDiskSize: 55 }), "desktopAttachment.dataDiskSize", /must be a multiple of 10/],
  ["DataDiskCategory is cloud_auto or cloud_essd", attachment({ dataDiskCategory: "cloud_auto" }), attachment({ dataDiskCategory: "cloud_efficiency" }), "desktopAttachment.dataDiskCategory", /must be one of cloud_auto, cloud_essd/],
  ["System and data disk of the same type", attachment({ systemDiskCategory: "cloud_auto", dataDiskCategory: "cloud_auto" }), attachment({ systemDiskCategory: "cloud_auto", dataDiskCategory: "cloud_essd", dataDiskPerLevel: "PL0" }), "desktopAttachment.dataDiskCategory", /dataDiskCategory must match systemDiskCategory/],
  ["DataDiskPerLevel is required for ESSD", attachment({ systemDiskCategory: "cloud_essd", systemDiskPerLevel: "PL0", dataDiskCategory: "cloud_essd", dataDiskSize: 40, dataDiskPerLevel: "PL0" }), attachment({ systemDiskCategory: "cloud_essd", systemDiskPerLevel: "PL0", dataDiskCategory: "cloud_essd", dataDiskSize: 40 }), "desktopAttachment.dataDiskPerLevel", /dataDiskPerLevel \(PL0 or PL1\) is required for cloud_essd/],
  ["DefaultLanguage is zh-CN, zh-HK, en-US or ja-JP", attachment({ defaultLanguage: "ja-JP" }), attachment({ defaultLanguage: "fr-FR" }), "desktopAttachment.defaultLanguage", /must be one of zh-CN, zh-HK, en-US, ja-JP/],
  // MonthDesktopSetting, ResellerOwnerUid, ExtendInfo.
  ["MonthDesktopSetting.UseDuration is an integer", { monthDesktopSetting: { useDuration: 120 } }, { monthDesktopSetting: { useDuration: 1.5 } }, "monthDesktopSetting.useDuration", /must be a whole number/],
  ["MonthDesktopSetting.BuyerId is an integer", { monthDesktopSetting: { buyerId: 42 } }, { monthDesktopSetting: { buyerId: "42" } }, "monthDesktopSetting.buyerId", /must be a whole number/],
  ["ResellerOwnerUid is an integer", { resellerOwnerUid: 123 }, { resellerOwnerUid: "123" }, "resellerOwnerUid", /resellerOwnerUid must be a whole number/],
  ["ExtendInfo is a JSON string", { extendInfo: "{}" }, { extendInfo: "{" }, "extendInfo", /extendInfo must be a JSON string/],
  // String parameters given as something else.
  ["OfficeSiteId is a string", { officeSiteId: "cn-hangzhou+dir-387822" }, { officeSiteId: ["cn-hangzhou+dir-387822"] }, "officeSiteId", /officeSiteId must be a string \(got a list\)/],
  ["PolicyGroupId is a string", { policyGroupId: "system-all-enabled-policy" }, { policyGroupId: { id: "x" } }, "policyGroupId", /policyGroupId must be a string \(got an object\)/],
];

/** A reason is one sentence: it starts with the property and has no second sentence or line. */
function expectOneSentence(property: string, reason: string): void {
  expect(reason.startsWith(property) || reason.startsWith(property.split(/[.[]/)[0])).toBe(true);
  expect(reason).not.toMatch(/[\r\n]/);
  expect(reason).not.toMatch(/\.\s+[A-Z]/);
}

describe("check against every constraint of the CreateDesktops API reference", () => {
  it.each(CONSTRAINTS)("%s: the valid value passes", async (_constraint, valid) => {
    const { failures } = await provider.check({}, { ...BASE, ...valid } as DesktopBatchInputs);
    expect(failures).toEqual([]);
  });

  it.each(CONSTRAINTS)(
    "%s: the invalid value fails on the property, naming the rule",
    async (_constraint, _valid, invalid, property, rule) => {
      const { failures } = await provider.check({}, { ...BASE, ...invalid } as DesktopBatchInputs);
      expect(failures).toContainEqual({ property, reason: expect.stringMatching(rule) });
      for (const failure of failures ?? []) expectOneSentence(failure.property, failure.reason);
    },
  );
});
