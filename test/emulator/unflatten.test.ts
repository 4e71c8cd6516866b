import { ManualClock, startEmulator, unflatten, type RunningEmulator } from "../../emulator";
import { coerce } from "../../emulator/api/schema";
import { CreateDesktopsSpec } from "../../emulator/api/requests";
import { callEcd, ecdError, flatten, makeClient } from "./support/client";

describe("unflatten", () => {
  test("rebuilds lists, lists of objects, nested lists and plain objects", () => {
    const tree = unflatten([
      ["RegionId", "cn-hangzhou"],
      ["EndUserId.2", "bob"],
      ["EndUserId.1", "alice"],
      ["Tag.1.Key", "env"],
      ["Tag.1.Value", "dev"],
      ["Tag.2.Key", "team"],
      ["BundleModels.1.EndUserIds.2", "u2"],
      ["BundleModels.1.EndUserIds.1", "u1"],
      ["BundleModels.1.Amount", "2"],
      ["MonthDesktopSetting.UseDuration", "120"],
    ]);
    expect(tree).toEqual({
      RegionId: "cn-hangzhou",
      EndUserId: ["alice", "bob"],
      Tag: [{ Key: "env", Value: "dev" }, { Key: "team" }],
      BundleModels: [{ EndUserIds: ["u1", "u2"], Amount: "2" }],
      MonthDesktopSetting: { UseDuration: "120" },
    });
  });

  test("orders indexes numerically and closes gaps", () => {
    expect(
      unflatten([
        ["X.10", "c"],
        ["X.2", "b"],
        ["X.1", "a"],
      ]),
    ).toEqual({ X: ["a", "b", "c"] });
  });

  test.each(["EndUserId.0", "EndUserId.01", "Tag.1.Key.00", "BundleModels.007.Amount"])(
    "refuses the index in %s with InvalidParameter naming the key",
    (key) => {
      expect(() => unflatten([[key, "x"]])).toThrow(
        expect.objectContaining({
          code: "InvalidParameter",
          httpStatus: 400,
          message: expect.stringContaining(key),
        }),
      );
    },
  );

  test("coerce types scalars, parses shrink JSON and rejects bad numbers", () => {
    const request = coerce(CreateDesktopsSpec, {
      Amount: "3",
      DesktopNameSuffix: "false",
      DesktopAttachment: '{"DesktopType":"eds.general.4c16g","SystemDiskSize":80}',
      Unknown: "ignored",
    });
    expect(request).toEqual({
      Amount: 3,
      DesktopNameSuffix: false,
      DesktopAttachment: { DesktopType: "eds.general.4c16g", SystemDiskSize: 80 },
    });
    expect(() => coerce(CreateDesktopsSpec, { Amount: "two" })).toThrow(
      expect.objectContaining({ code: "InvalidParameter" }),
    );
    expect(() => coerce(CreateDesktopsSpec, { DesktopAttachment: "{nope" })).toThrow(
      expect.objectContaining({ code: "InvalidParameter" }),
    );
  });

  test("the test flattener matches the wire rules", () => {
    expect(flatten({ A: [1, 2], B: [{ C: true, D: ["x"] }], E: { F: 0 }, G: null })).toEqual({
      "A.1": "1",
      "A.2": "2",
      "B.1.C": "true",
      "B.1.D.1": "x",
      "E.F": "0",
    });
  });
});

describe("every nested CreateDesktops parameter arrives intact", () => {
  let emu: RunningEmulator;

  beforeAll(async () => {
    emu = await startEmulator({ clock: new ManualClock(), seed: 11 });
  });
  afterAll(() => emu.close());

  const userCommands = [
    { Content: "ZWNobyBoaQ==", ContentEncoding: "Base64", ContentType: "RunPowerShellScript" },
    { Content: "echo 'hi' && exit 0", ContentEncoding: "PlainText", ContentType: "RunBatScript" },
  ];
  const desktopTimers = [
    {
      TimerType: "NoConnect",
      OperationType: "Shutdown",
      Interval: 10,
      Enforce: true,
      AllowClientSetting: false,
    },
    { TimerType: "TimerReset", CronExpression: "0 0 16 ? * 1,2,3,4,5,6,7", ResetType: "RESET_TYPE_BOTH" },
  ];

  test.each([undefined, "v2" as const])(
    "with BundleModels, DesktopTimers, UserCommands, Tag and MonthDesktopSetting (%s)",
    async (algorithm) => {
      emu.reset();
      const client = makeClient(emu, { signatureAlgorithm: algorithm });
      const body = await callEcd(client, "CreateDesktops", {
        RegionId: "cn-hangzhou",
        OfficeSiteId: "cn-hangzhou+dir-0000000002",
        PolicyGroupId: "pg-emu-custom-0001",
        DesktopName: "fleet",
        EndUserId: ["judy"],
        BundleModels: [
          {
            BundleId: "b-win-office-4c8g",
            Amount: 2,
            EndUserIds: ["alice", "bob"],
            DesktopName: "dev",
            Hostname: "dev-[1,3]",
          },
          {
            BundleId: "b-ubuntu-office-4c8g",
            Amount: 1,
            VolumeEncryptionEnabled: true,
            VolumeEncryptionKey: "key-emu-0002",
          },
        ],
        DesktopTimers: desktopTimers,
        UserCommands: userCommands,
        Tag: [
          { Key: "env", Value: "test" },
          { Key: "owner", Value: "team a/b (ops)" },
        ],
        MonthDesktopSetting: { UseDuration: 120, BuyerId: 42, DesktopId: "ecd-x" },
        SnapshotPolicyId: "sp-emu",
        ResourceGroupId: "rg-emu",
        SubnetId: "vsw-emu",
        TimerGroupId: "ccg-emu",
      });
      const ids = body.DesktopId as string[];
      expect(ids).toHaveLength(3);
      const [first, second, third] = ids.map((id) => emu.backend.getDesktop(id));

      expect(first).toMatchObject({
        bundleId: "b-win-office-4c8g",
        name: "dev-1",
        hostname: "dev-001",
        endUserIds: ["alice", "bob"],
        bundleModelIndex: 0,
      });
      expect(second).toMatchObject({ name: "dev-2", hostname: "dev-002", endUserIds: ["alice", "bob"] });
      expect(third).toMatchObject({
        bundleId: "b-ubuntu-office-4c8g",
        name: "fleet",
        endUserIds: ["judy"],
        bundleModelIndex: 1,
        volumeEncryptionEnabled: true,
        volumeEncryptionKey: "key-emu-0002",
      });
      for (const desktop of [first, second, third]) {
        expect(desktop?.userCommands).toEqual(userCommands);
        expect(desktop?.desktopTimers).toEqual(desktopTimers);
        expect(desktop?.monthDesktopSetting).toEqual({ UseDuration: 120, BuyerId: 42, DesktopId: "ecd-x" });
        expect([...(desktop?.tags ?? [])]).toEqual([
          ["env", "test"],
          ["owner", "team a/b (ops)"],
        ]);
        expect(desktop).toMatchObject({
          policyGroupIds: ["pg-emu-custom-0001"],
          snapshotPolicyId: "sp-emu",
          resourceGroupId: "rg-emu",
          subnetId: "vsw-emu",
          timerGroupId: "ccg-emu",
        });
      }
    },
  );

  test("with DesktopAttachment and PurchaseOptions as JSON shrink parameters", async () => {
    emu.reset();
    const attachment = {
      DesktopType: "eds.general.4c16g",
      ImageId: "m-ubuntu2204-emu",
      SystemDiskCategory: "cloud_essd",
      SystemDiskSize: 120,
      SystemDiskPerLevel: "PL1",
      DataDiskCategory: "cloud_essd",
      DataDiskSize: 200,
      DataDiskPerLevel: "PL0",
      DefaultLanguage: "ja-JP",
    };
    const body = await callEcd(makeClient(emu), "CreateDesktops", {
      RegionId: "cn-hangzhou",
      OfficeSiteId: "cn-hangzhou+dir-0000000001",
      DesktopAttachment: JSON.stringify(attachment),
      PurchaseOptions: JSON.stringify({ MonthlyCredits: 200 }),
    });
    const desktop = emu.backend.getDesktop((body.DesktopId as string[])[0]);
    expect(desktop?.desktopAttachment).toEqual(attachment);
    expect(desktop?.purchaseOptions).toEqual({ MonthlyCredits: 200 });
    expect(desktop).toMatchObject({
      desktopType: "eds.general.4c16g",
      imageId: "m-ubuntu2204-emu",
      defaultLanguage: "ja-JP",
      systemDisk: { size: 120, category: "cloud_essd", performanceLevel: "PL1" },
      dataDisk: { size: 200, category: "cloud_essd", performanceLevel: "PL0" },
    });
    const [wire] = emu.backend.describeDesktops("cn-hangzhou");
    expect(wire).toMatchObject({
      Cpu: 4,
      Memory: 16384,
      OsType: "Linux",
    });
    expect(wire.Disks.map((disk) => [disk.DiskType, disk.DiskSize])).toEqual([
      ["SYSTEM", 120],
      ["DATA", 200],
    ]);
    expect(wire.BundleId).toBeUndefined();
  });

  test("A.1 and A.01 are not two items: the request is answered 400 InvalidParameter, nothing created", async () => {
    emu.reset();
    const error = await ecdError(
      callEcd(makeClient(emu), "CreateDesktops", {
        RegionId: "cn-hangzhou",
        OfficeSiteId: "cn-hangzhou+dir-0000000001",
        BundleId: "b-win-office-4c8g",
        "EndUserId.1": "alice",
        "EndUserId.01": "bob",
      }),
    );
    expect(error).toMatchObject({ code: "InvalidParameter", statusCode: 400 });
    expect(error.data.Message).toContain("EndUserId.01");
    expect(emu.backend.describeDesktops()).toEqual([]);
  });

  test("a DesktopAttachment that is not JSON is rejected", async () => {
    const error = await ecdError(
      callEcd(makeClient(emu), "CreateDesktops", {
        RegionId: "cn-hangzhou",
        OfficeSiteId: "cn-hangzhou+dir-0000000001",
        DesktopAttachment: "DesktopType=eds.general.4c16g",
      }),
    );
    expect(error).toMatchObject({ code: "InvalidParameter", statusCode: 400 });
  });
});
