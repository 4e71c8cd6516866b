import { DesktopBatchProvider, DesktopBatchInputs } from "../../provider";
import { startEmulator, RunningEmulator } from "../../emulator";

const valid: DesktopBatchInputs = {
  regionId: "cn-hangzhou",
  officeSiteId: "cn-hangzhou+dir-0000000001",
  bundleId: "b-win-office-4c8g",
  lineage: "0123456789abcdef0123456789abcdef",
};

describe("check: every rule of the API reference, before any API call", () => {
  let emu: RunningEmulator;
  let provider: DesktopBatchProvider;
  beforeAll(async () => {
    emu = await startEmulator();
    provider = new DesktopBatchProvider({
      settings: { credentials: emu.credentials[0], endpoint: emu.url },
      env: {},
    });
  });
  afterAll(async () => {
    // Only read-only lookups of the IDs the inputs name (office site, template, policy); nothing written.
    expect(emu.calls.entries().filter((call) => !/^Describe/.test(call.action))).toHaveLength(0);
    await emu.close();
  });

  const cases: [string, DesktopBatchInputs, string, RegExp][] = [
    ["name too long", { desktopName: "a".repeat(65) }, "desktopName", /at most 64 characters/],
    ["name starting with a digit", { desktopName: "1dev" }, "desktopName", /must start with a letter/],
    ["name with http://", { desktopName: "http://x" }, "desktopName", /cannot start with http:\/\//],
    ["amount 0", { amount: 0 }, "amount", /at least 1/],
    ["amount not whole", { amount: 1.5 }, "amount", /whole number/],
    ["charge type", { chargeType: "Monthly" }, "chargeType", /one of PostPaid, PrePaid/],
    [
      "PER_USER not divisible",
      { amount: 5, endUserIds: ["alice", "bob"], userAssignMode: "PER_USER" },
      "amount",
      /not divisible by 2 endUserIds/,
    ],
    [
      "too many users",
      { endUserIds: Array.from({ length: 101 }, (_, i) => `u${i}`) },
      "endUserIds",
      /at most 100 items/,
    ],
    ["duplicate users", { endUserIds: ["alice", "alice"] }, "endUserIds", /duplicates/],
    [
      "too many tags",
      { tags: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, "v"])) },
      "tags",
      /at most 17 entries/,
    ],
    ["reserved tag key", { tags: { "aliyun-x": "v" } }, "tags", /cannot start with aliyun or acs:/],
    ["batch token tag key", { tags: { "pulumi-ecd:batch": "v" } }, "tags", /reserved/],
    ["PrePaid without period", { chargeType: "PrePaid" }, "period", /period is required/],
    [
      "bad monthly period",
      { chargeType: "PrePaid", period: 4, periodUnit: "Month" },
      "period",
      /not valid for periodUnit Month/,
    ],
    ["period without PrePaid", { period: 1 }, "period", /only used with chargeType PrePaid/],
    ["encryption without key", { volumeEncryptionEnabled: true }, "volumeEncryptionKey", /missing/],
    [
      "key without encryption",
      { volumeEncryptionKey: "key-emu-0001" },
      "volumeEncryptionEnabled",
      /not enabled/,
    ],
    [
      "member IP with amount 2",
      { desktopMemberIp: "172.16.0.9", amount: 2 },
      "desktopMemberIp",
      /amount is 2/,
    ],
    ["member IP not an IP", { desktopMemberIp: "10.0.0" }, "desktopMemberIp", /IPv4/],
    ["hostname with consecutive hyphens", { hostname: "a--b" }, "hostname", /consecutive hyphens/],
    ["hostname only digits", { hostname: "1234" }, "hostname", /only digits/],
    [
      "fixed hostname for 2 desktops",
      { hostname: "host", amount: 2 },
      "hostname",
      /fixed hostname cannot name 2 desktops/,
    ],
    [
      "hostname sequence too short",
      { hostname: "h-[5,1]", amount: 6 },
      "hostname",
      /no room for 6 hostnames/,
    ],
    ["hostname bits", { hostname: "h-[1,7]" }, "hostname", /bits must be 1 to 6/],
    ["no template", { bundleId: undefined }, "bundleId", /no desktop template given/],
    [
      "system disk step",
      { bundleId: undefined, desktopAttachment: { desktopType: "t", imageId: "m", systemDiskSize: 85 } },
      "desktopAttachment.systemDiskSize",
      /multiple of 10/,
    ],
    [
      "system disk range",
      { bundleId: undefined, desktopAttachment: { desktopType: "t", imageId: "m", systemDiskSize: 40 } },
      "desktopAttachment.systemDiskSize",
      /at least 60/,
    ],
    [
      "data disk range",
      { bundleId: undefined, desktopAttachment: { desktopType: "t", imageId: "m", dataDiskSize: 20 } },
      "desktopAttachment.dataDiskSize",
      /0 or at least 40/,
    ],
    [
      "essd without level",
      {
        bundleId: undefined,
        desktopAttachment: { desktopType: "t", imageId: "m", systemDiskCategory: "cloud_essd" },
      },
      "desktopAttachment.systemDiskPerLevel",
      /required for cloud_essd/,
    ],
    [
      "unknown attachment field",
      { bundleId: undefined, desktopAttachment: { desktopType: "t", imageId: "m", cpu: 4 } as never },
      "desktopAttachment.cpu",
      /not a field of DesktopAttachment/,
    ],
    [
      "user command encoding",
      { userCommands: [{ content: "x", contentEncoding: "Hex" }] },
      "userCommands[0].contentEncoding",
      /one of Base64, PlainText/,
    ],
    [
      "bundle models sum",
      { bundleModels: [{ bundleId: "b-1", amount: 2 }], amount: 3 },
      "amount",
      /add up to 2/,
    ],
    [
      "bundle models above 300",
      {
        bundleId: undefined,
        bundleModels: [
          { bundleId: "b-1", amount: 200 },
          { bundleId: "b-2", amount: 101 },
        ],
        amount: 301,
      },
      "bundleModels",
      /add up to 301/,
    ],
    [
      "top-level hostname beside bundle models",
      { bundleId: undefined, bundleModels: [{ bundleId: "b-1", amount: 1 }], amount: 1, hostname: "h1" },
      "hostname",
      /per model/,
    ],
    [
      "bundle model encryption without key",
      {
        bundleId: undefined,
        bundleModels: [{ bundleId: "b-1", amount: 1, volumeEncryptionEnabled: true }],
        amount: 1,
      },
      "bundleModels[0].volumeEncryptionKey",
      /missing/,
    ],
    [
      "bundle model fixed hostname for 2",
      { bundleId: undefined, bundleModels: [{ bundleId: "b-1", amount: 2, hostname: "fixed" }], amount: 2 },
      "bundleModels[0].hostname",
      /fixed hostname cannot name 2/,
    ],
    ["auto renew on pay-as-you-go", { autoRenew: true }, "autoRenew", /chargeType is PostPaid/],
    ["extendInfo not JSON", { extendInfo: "{" }, "extendInfo", /JSON/],
    ["bad timeout", { timeouts: { create: "soon" } }, "timeouts.create", /duration/],
    ["unknown input", { desktopCount: 3 } as never, "desktopCount", /not an input of DesktopBatch/],
    ["officeSiteId missing", { officeSiteId: undefined }, "officeSiteId", /required/],
  ];

  it.each(cases)("%s fails on the property with the rule", async (_name, patch, property, reason) => {
    const { failures } = await provider.check({}, { ...valid, ...patch });
    expect(failures).toEqual(
      expect.arrayContaining([expect.objectContaining({ property, reason: expect.stringMatching(reason) })]),
    );
  });

  it("fills defaults so that checking its own output changes nothing", async () => {
    const first = await provider.check({}, valid);
    expect(first.failures).toEqual([]);
    expect(first.inputs).toMatchObject({
      amount: 1,
      chargeType: "PostPaid",
      userAssignMode: "ALL",
      desktopNameSuffix: true,
      volumeEncryptionEnabled: false,
    });
    const second = await provider.check(first.inputs!, first.inputs!);
    expect(second.inputs).toEqual(first.inputs);
  });

  it("needs a region from the inputs, the config or the environment", async () => {
    const { failures } = await provider.check({}, { ...valid, regionId: undefined });
    expect(failures).toEqual([
      expect.objectContaining({ property: "regionId", reason: expect.stringMatching(/alicloud:region/) }),
    ]);
    const fromEnv = new DesktopBatchProvider({ env: { ALICLOUD_REGION: "cn-shanghai" } });
    expect((await fromEnv.check({}, { ...valid, regionId: undefined })).inputs!.regionId).toBe("cn-shanghai");
  });

  it("leaves values unknown during preview alone", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const { failures } = await provider.check(
      {},
      { ...valid, amount: unknown as never, endUserIds: [unknown], userAssignMode: "PER_USER" },
    );
    expect(failures).toEqual([]);
  });
});

describe("check: amount with bundleModels", () => {
  it("takes the sum of the models' amounts when amount is left out", async () => {
    const provider = new DesktopBatchProvider({ env: {} });
    const { inputs, failures } = await provider.check(
      {},
      {
        ...valid,
        bundleId: undefined,
        bundleModels: [
          { bundleId: "b-win-office-4c8g", amount: 2 },
          { bundleId: "b-ubuntu-office-4c8g", amount: 3 },
        ],
      },
    );
    expect(failures).toEqual([]);
    expect(inputs!.amount).toBe(5);
  });
});
