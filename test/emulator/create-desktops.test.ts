import { ManualClock, startEmulator, type RunningEmulator } from "../../emulator";
import { callEcd, ecdError, makeClient, type Body } from "./support/client";

const R = "cn-hangzhou";
const SIMPLE = `${R}+dir-0000000001`;
const AD = `${R}+dir-0000000002`;
const BASE = { RegionId: R, OfficeSiteId: SIMPLE, BundleId: "b-win-office-4c8g" };
const ATTACHMENT = { DesktopType: "eds.enterprise_office.2c4g", ImageId: "m-win2019-emu" };
const attach = (extra: Record<string, unknown>): string => JSON.stringify({ ...ATTACHMENT, ...extra });
const noBundle = { RegionId: R, OfficeSiteId: SIMPLE };

describe("CreateDesktops", () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  const create = (params: Record<string, unknown>): Promise<Body> =>
    callEcd(makeClient(emu), "CreateDesktops", params);

  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 31, 12, 0));
    emu = await startEmulator({ clock, seed: 5 });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  describe("rejects invalid requests with the documented codes, creating nothing", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["Amount 0", { ...BASE, Amount: 0 }, "InvalidAmount"],
      ["Amount 301", { ...BASE, Amount: 301 }, "InvalidAmount"],
      [
        "a BundleModels amount of 0",
        { ...BASE, BundleModels: [{ BundleId: "b-win-office-4c8g", Amount: 0 }] },
        "InvalidAmount",
      ],
      [
        "BundleModels adding up to more than 300",
        { ...BASE, BundleModels: [{ Amount: 200 }, { BundleId: "b-win-office-8c16g", Amount: 101 }] },
        "InvalidAmount",
      ],
      [
        "PER_USER with an Amount not divisible by the users",
        { ...BASE, Amount: 3, UserAssignMode: "PER_USER", EndUserId: ["alice", "bob"] },
        "InvalidAmount.NotTimesOfUsers",
      ],
      [
        "DesktopMemberIp with Amount 2",
        { ...BASE, Amount: 2, DesktopMemberIp: "172.16.0.50" },
        "InvalidMemberIp.DesktopAmount",
      ],
      [
        "DesktopMemberIp outside the CIDR",
        { ...BASE, DesktopMemberIp: "192.168.0.5" },
        "InvalidMemberIp.Invalid",
      ],
      [
        "DesktopMemberIp equal to the network address",
        { ...BASE, DesktopMemberIp: "172.16.0.0" },
        "InvalidMemberIp.Invalid",
      ],
      [
        "encryption without a key",
        { ...BASE, VolumeEncryptionEnabled: true },
        "InvalidEncryptionKey.Missing",
      ],
      [
        "encryption with an unknown key",
        { ...BASE, VolumeEncryptionEnabled: true, VolumeEncryptionKey: "key-nope" },
        "InvalidEncryptionKey.NotFound",
      ],
      [
        "a key without encryption",
        { ...BASE, VolumeEncryptionKey: "key-emu-0001" },
        "InvalidEncryptionEnabled.Invalid",
      ],
      [
        "a key without encryption in a BundleModel",
        { ...BASE, BundleModels: [{ Amount: 1, VolumeEncryptionKey: "key-emu-0001" }] },
        "InvalidEncryptionEnabled.Invalid",
      ],
      [
        "a hostname for a Linux desktop",
        { ...BASE, OfficeSiteId: AD, BundleId: "b-ubuntu-office-4c8g", Hostname: "linuxbox" },
        "HostnameCannotCustomizeForLinux",
      ],
      ["a hostname outside an AD office site", { ...BASE, Hostname: "winbox" }, "InvalidParameter.Hostname"],
      [
        "a hostname starting with a hyphen",
        { ...BASE, OfficeSiteId: AD, Hostname: "-bad" },
        "InvalidHostname.Malformed",
      ],
      [
        "an all-digit hostname",
        { ...BASE, OfficeSiteId: AD, Hostname: "12345" },
        "InvalidHostname.Malformed",
      ],
      [
        "a hostname with consecutive hyphens",
        { ...BASE, OfficeSiteId: AD, Hostname: "a--b" },
        "InvalidHostname.Malformed",
      ],
      [
        "a 16-character hostname",
        { ...BASE, OfficeSiteId: AD, Hostname: "abcdefghijklmnop" },
        "InvalidHostname.Malformed",
      ],
      [
        "a template whose numbers outgrow bits",
        { ...BASE, OfficeSiteId: AD, Amount: 2, Hostname: "pc[9,1]" },
        "InvalidHostname.Malformed",
      ],
      [
        "a template with 7 bits",
        { ...BASE, OfficeSiteId: AD, Hostname: "pc[1,7]" },
        "InvalidHostname.Malformed",
      ],
      [
        "one plain hostname for two desktops",
        { ...BASE, OfficeSiteId: AD, Amount: 2, Hostname: "samehost" },
        "ExistedHostname",
      ],
      ["an unknown bundle", { ...BASE, BundleId: "b-nope" }, "InvalidDesktopBundle.NotFound"],
      [
        "an unknown office site",
        { ...BASE, OfficeSiteId: `${R}+dir-9999999999` },
        "InvalidDirectoryId.NotFound",
      ],
      [
        "an office site of another region",
        { ...BASE, OfficeSiteId: "cn-shanghai+dir-0000000001" },
        "InvalidDirectoryId.NotFound",
      ],
      ["no office site", { RegionId: R, BundleId: "b-win-office-4c8g" }, "MissingOfficeSiteId"],
      [
        "a policy group being created",
        { ...BASE, PolicyGroupId: "pg-emu-creating-0001" },
        "InvalidPolicyGroup.Status",
      ],
      ["an unknown policy group", { ...BASE, PolicyGroupId: "pg-nope" }, "InvalidPolicyGroupId.NotFound"],
      ["a name starting with a digit", { ...BASE, DesktopName: "1desk" }, "InvalidDesktopName.Malformed"],
      [
        "a name starting with http://",
        { ...BASE, DesktopName: "http://desk" },
        "InvalidDesktopName.Malformed",
      ],
      ["a name with a space", { ...BASE, DesktopName: "my desk" }, "InvalidDesktopName.Malformed"],
      ["a 65-character name", { ...BASE, DesktopName: "d".repeat(65) }, "InvalidDesktopName.Malformed"],
      [
        "a bad BundleModels name",
        { ...BASE, BundleModels: [{ Amount: 1, DesktopName: "-x" }] },
        "InvalidDesktopName.Malformed",
      ],
      ["PrePaid without Period", { ...BASE, ChargeType: "PrePaid" }, "MissingPeriod"],
      ["PrePaid for 4 months", { ...BASE, ChargeType: "PrePaid", Period: 4 }, "InvalidPeriod"],
      [
        "PrePaid for 6 years",
        { ...BASE, ChargeType: "PrePaid", Period: 6, PeriodUnit: "Year" },
        "InvalidPeriod",
      ],
      [
        "PrePaid by the week",
        { ...BASE, ChargeType: "PrePaid", Period: 1, PeriodUnit: "Week" },
        "InvalidPeriodUnit",
      ],
      ["an unknown charge type", { ...BASE, ChargeType: "Monthly" }, "InvalidChargeType"],
      [
        "21 tags",
        { ...BASE, Tag: Array.from({ length: 21 }, (_, i) => ({ Key: `k${i}`, Value: "v" })) },
        "InvalidTagCount",
      ],
      [
        "a tag key starting with aliyun",
        { ...BASE, Tag: [{ Key: "aliyun-owner", Value: "x" }] },
        "InvalidTagKey.Malformed",
      ],
      [
        "a tag key starting with acs:",
        { ...BASE, Tag: [{ Key: "acs:owner", Value: "x" }] },
        "InvalidTagKey.Malformed",
      ],
      [
        "a tag key with a URL",
        { ...BASE, Tag: [{ Key: "see https://x", Value: "x" }] },
        "InvalidTagKey.Malformed",
      ],
      [
        "a 129-character tag key",
        { ...BASE, Tag: [{ Key: "k".repeat(129), Value: "x" }] },
        "InvalidTagKey.Malformed",
      ],
      ["a tag without a key", { ...BASE, Tag: [{ Value: "x" }] }, "InvalidTagKey.Malformed"],
      [
        "a tag value starting with acs:",
        { ...BASE, Tag: [{ Key: "k", Value: "acs:x" }] },
        "InvalidTagValue.Malformed",
      ],
      [
        "101 end users",
        { ...BASE, EndUserId: Array.from({ length: 101 }, () => "alice") },
        "InvalidParameter",
      ],
      ["an unknown end user", { ...BASE, EndUserId: ["alice", "mallory"] }, "InvalidUsers.NotFound"],
      [
        "an unknown BundleModels end user",
        { ...BASE, BundleModels: [{ Amount: 1, EndUserIds: ["eve"] }] },
        "InvalidUsers.NotFound",
      ],
      ["an unknown UserAssignMode", { ...BASE, UserAssignMode: "SOME" }, "InvalidParameter"],
      [
        "a bad UserCommands content type",
        { ...BASE, UserCommands: [{ Content: "x", ContentType: "RunPython" }] },
        "InvalidParameter",
      ],
      [
        "a bad DesktopTimers operation",
        { ...BASE, DesktopTimers: [{ TimerType: "NoConnect", OperationType: "Explode" }] },
        "InvalidParameter",
      ],
      ["neither BundleId nor DesktopAttachment", noBundle, "MissingBundleId"],
      [
        "an attachment without DesktopType",
        { ...noBundle, DesktopAttachment: JSON.stringify({ ImageId: "m-win2019-emu" }) },
        "MissingParameter",
      ],
      [
        "an attachment without ImageId",
        { ...noBundle, DesktopAttachment: JSON.stringify({ DesktopType: "eds.general.4c16g" }) },
        "MissingParameter",
      ],
      [
        "an unknown desktop type",
        { ...noBundle, DesktopAttachment: attach({ DesktopType: "eds.huge.64c512g" }) },
        "InvalidDesktopType.NotFound",
      ],
      [
        "an unknown image",
        { ...noBundle, DesktopAttachment: attach({ ImageId: "m-nope" }) },
        "InvalidImageId.NotFound",
      ],
      [
        "a 40 GiB system disk",
        { ...noBundle, DesktopAttachment: attach({ SystemDiskSize: 40 }) },
        "InvalidSystemDiskSize",
      ],
      [
        "a 510 GiB system disk",
        { ...noBundle, DesktopAttachment: attach({ SystemDiskSize: 510 }) },
        "InvalidSystemDiskSize",
      ],
      [
        "a system disk off the 10 GiB step",
        { ...noBundle, DesktopAttachment: attach({ SystemDiskSize: 85 }) },
        "InvalidSystemDiskSize",
      ],
      [
        "a 30 GiB data disk",
        { ...noBundle, DesktopAttachment: attach({ DataDiskSize: 30 }) },
        "InvalidDataDiskSize",
      ],
      [
        "a 2050 GiB data disk",
        { ...noBundle, DesktopAttachment: attach({ DataDiskSize: 2050 }) },
        "InvalidDataDiskSize",
      ],
      [
        "an unknown disk category",
        { ...noBundle, DesktopAttachment: attach({ SystemDiskCategory: "cloud_ssd" }) },
        "InvalidSystemDiskCategory",
      ],
      [
        "disks of different categories",
        {
          ...noBundle,
          DesktopAttachment: attach({
            SystemDiskCategory: "cloud_auto",
            DataDiskSize: 40,
            DataDiskCategory: "cloud_essd",
            DataDiskPerLevel: "PL0",
          }),
        },
        "InvalidDataDiskCategory",
      ],
      [
        "an ESSD without a performance level",
        { ...noBundle, DesktopAttachment: attach({ SystemDiskCategory: "cloud_essd" }) },
        "MissingParameter",
      ],
      [
        "performance level PL3",
        {
          ...noBundle,
          DesktopAttachment: attach({ SystemDiskCategory: "cloud_essd", SystemDiskPerLevel: "PL3" }),
        },
        "InvalidSystemDiskPerLevel",
      ],
      [
        "an unknown language",
        { ...noBundle, DesktopAttachment: attach({ DefaultLanguage: "fr-FR" }) },
        "InvalidParameter",
      ],
      [
        "a BundleModel without a bundle",
        { RegionId: R, OfficeSiteId: SIMPLE, BundleModels: [{ Amount: 1 }] },
        "MissingParameter",
      ],
      ["a non-numeric Amount", { ...BASE, Amount: "two" }, "InvalidParameter"],
      [
        "a KMS key the service may not use",
        { ...BASE, VolumeEncryptionEnabled: true, VolumeEncryptionKey: "key-emu-noauth" },
        "InvalidEncryptionKey.NotAuthorized",
      ],
      [
        "an image that is not available",
        { ...noBundle, DesktopAttachment: attach({ ImageId: "m-unavailable-emu" }) },
        "InvalidImageStatus.NotValid",
      ],
      [
        "an image of a retired version",
        { ...noBundle, DesktopAttachment: attach({ ImageId: "m-retired-emu" }) },
        "InvalidImageVersion.NotSupported",
      ],
      [
        "an HDX image",
        { ...noBundle, DesktopAttachment: attach({ ImageId: "m-hdx-emu" }) },
        "Protocol.NotAllowed",
      ],
      [
        "an HDX directory for an ASP desktop",
        { ...BASE, OfficeSiteId: `${R}+dir-0000000004` },
        "IncorrectDirectoryType",
      ],
      [
        "a RAM directory",
        { ...BASE, OfficeSiteId: `${R}+dir-0000000003` },
        "InvalidDirectoryType.NotSupported",
      ],
      [
        "a RAM directory given as DirectoryId",
        { RegionId: R, BundleId: "b-win-office-4c8g", DirectoryId: `${R}+dir-0000000003` },
        "InvalidDirectoryType.NotSupported",
      ],
    ];

    test.each(cases.map(([name, params, code]) => [name, code, params] as const))(
      "%s → %s",
      async (_name, code, params) => {
        const error = await ecdError(create(params));
        expect(error).toMatchObject({ code, statusCode: 400 });
        expect(emu.backend.describeDesktops()).toEqual([]);
      },
    );
  });

  test("an office site that is not REGISTERED is answered IncorrectDirectoryStatus", async () => {
    emu.backend.setOfficeSiteStatus(SIMPLE, "REGISTERING");
    expect(await ecdError(create(BASE))).toMatchObject({ code: "IncorrectDirectoryStatus", statusCode: 400 });
  });

  test("a hostname already used in the office site is answered ExistedHostname", async () => {
    await create({ ...BASE, OfficeSiteId: AD, Hostname: "build01" });
    expect(await ecdError(create({ ...BASE, OfficeSiteId: AD, Hostname: "BUILD01" }))).toMatchObject({
      code: "ExistedHostname",
    });
    const sequenced = await ecdError(
      create({ ...BASE, OfficeSiteId: AD, Amount: 3, Hostname: "build[0,2]" }),
    );
    expect(sequenced.code).toBe("ExistedHostname");
  });

  test("a DesktopMemberIp already in use is answered InvalidMemberIp.Used", async () => {
    await create({ ...BASE, DesktopMemberIp: "172.16.8.8" });
    expect(await ecdError(create({ ...BASE, DesktopMemberIp: "172.16.8.8" }))).toMatchObject({
      code: "InvalidMemberIp.Used",
    });
  });

  test("returns the ids in creation order, ecd- plus 17 lowercase alphanumerics", async () => {
    const body = await create({ ...BASE, Amount: 3 });
    expect(Object.keys(body).sort()).toEqual(["DesktopId", "RequestId"]);
    const ids = body.DesktopId as string[];
    expect(ids).toHaveLength(3);
    ids.forEach((id) => expect(id).toMatch(/^ecd-[a-z0-9]{17}$/));
    expect(emu.backend.describeDesktops(R).map((d) => d.DesktopId)).toEqual(ids);
  });

  test("ids are deterministic for a given seed", async () => {
    const first = (await create(BASE)).DesktopId;
    emu.reset();
    expect((await create(BASE)).DesktopId).toEqual(first);
  });

  test("the hostname template numbers desktops sequentially", async () => {
    const body = await create({ ...BASE, OfficeSiteId: AD, Amount: 3, Hostname: "ecd-[1,4]-test" });
    const hostnames = emu.backend.describeDesktops(R).map((d) => d.HostName);
    expect(hostnames).toEqual(["ecd-0001-test", "ecd-0002-test", "ecd-0003-test"]);
    expect((body.DesktopId as string[]).length).toBe(3);
    await create({ ...BASE, OfficeSiteId: AD, Amount: 2, Hostname: "pc[]" });
    expect(
      emu.backend
        .describeDesktops(R)
        .slice(3)
        .map((d) => d.HostName),
    ).toEqual(["pc000000", "pc000001"]);
  });

  test("PER_USER gives Amount/#users consecutive desktops to each user, in EndUserId order", async () => {
    await create({ ...BASE, Amount: 6, UserAssignMode: "PER_USER", EndUserId: ["carol", "alice", "bob"] });
    expect(emu.backend.describeDesktops(R).map((d) => d.EndUserIds)).toEqual([
      ["carol"],
      ["carol"],
      ["alice"],
      ["alice"],
      ["bob"],
      ["bob"],
    ]);
  });

  test("ALL gives every desktop every user; no EndUserId leaves desktops unassigned", async () => {
    await create({ ...BASE, Amount: 2, EndUserId: ["alice", "bob"] });
    await create(BASE);
    expect(emu.backend.describeDesktops(R).map((d) => d.EndUserIds)).toEqual([
      ["alice", "bob"],
      ["alice", "bob"],
      [],
    ]);
  });

  test("names get -1, -2, ... suffixes in a batch unless DesktopNameSuffix is false", async () => {
    await create({ ...BASE, Amount: 3, DesktopName: "web" });
    await create({ ...BASE, Amount: 2, DesktopName: "db", DesktopNameSuffix: false });
    await create({ ...BASE, DesktopName: "研发桌面-1" });
    expect(emu.backend.describeDesktops(R).map((d) => d.DesktopName)).toEqual([
      "web-1",
      "web-2",
      "web-3",
      "db",
      "db",
      "研发桌面-1",
    ]);
  });

  test("IPs are allocated sequentially from the office site's CIDR; DesktopMemberIp is honoured", async () => {
    await create({ ...BASE, Amount: 2 });
    await create({ ...BASE, OfficeSiteId: AD, DesktopMemberIp: "10.0.5.5" });
    await create(BASE);
    expect(emu.backend.describeDesktops(R).map((d) => d.NetworkInterfaceIp)).toEqual([
      "172.16.0.1",
      "172.16.0.2",
      "10.0.5.5",
      "172.16.0.3",
    ]);
  });

  test("PrePaid returns an OrderId and sets ExpiredTime = now + period", async () => {
    const body = await create({
      ...BASE,
      ChargeType: "PrePaid",
      Period: 1,
      PeriodUnit: "Month",
      AutoRenew: true,
    });
    expect(body.OrderId).toMatch(/^\d+$/);
    const [desktop] = emu.backend.describeDesktops(R);
    expect(desktop).toMatchObject({ ChargeType: "PrePaid", ExpiredTime: "2026-03-03T12:00Z" });
    expect(emu.backend.getDesktop(desktop.DesktopId)).toMatchObject({
      autoRenew: true,
      period: 1,
      periodUnit: "Month",
    });
    const yearly = await create({ ...BASE, ChargeType: "PrePaid", Period: 2, PeriodUnit: "Year" });
    expect(emu.backend.getDesktop((yearly.DesktopId as string[])[0])?.expiredTime).toBe(
      Date.UTC(2028, 0, 31, 12, 0),
    );
  });

  test("PostPaid desktops have no OrderId and no ExpiredTime", async () => {
    const body = await create(BASE);
    expect(body.OrderId).toBeUndefined();
    expect(emu.backend.describeDesktops(R)[0].ExpiredTime).toBeUndefined();
  });

  test("DescribeDesktops renders what was created", async () => {
    const body = await create({
      ...BASE,
      OfficeSiteId: AD,
      BundleId: "b-win-office-8c16g",
      DesktopName: "full",
      Hostname: "fullhost",
      PolicyGroupId: "system-all-disabled-policy",
      EndUserId: ["dave"],
      VolumeEncryptionEnabled: true,
      VolumeEncryptionKey: "key-emu-0001",
      Tag: [{ Key: "env", Value: "prod" }],
    });
    const described = await callEcd(makeClient(emu), "DescribeDesktops", {
      RegionId: R,
      DesktopId: body.DesktopId,
    });
    const [desktop] = described.Desktops as Record<string, unknown>[];
    expect(desktop).toMatchObject({
      DesktopName: "full",
      DesktopStatus: "Pending",
      OfficeSiteId: AD,
      OfficeSiteName: "ad-office",
      OfficeSiteType: "AD_CONNECTOR",
      DirectoryId: AD,
      PolicyGroupId: "system-all-disabled-policy",
      PolicyGroupIdList: ["system-all-disabled-policy"],
      BundleId: "b-win-office-8c16g",
      ImageId: "m-win2019-emu",
      OsType: "Windows",
      Platform: "Windows Server 2019",
      ProtocolType: "ASP",
      DesktopType: "eds.enterprise_office.8c16g",
      Cpu: 8,
      Memory: 16384,
      GpuCount: 0,
      Disks: [
        {
          DiskId: expect.stringMatching(/^d-/),
          DiskType: "SYSTEM",
          DiskSize: 100,
          DiskCategory: "cloud_auto",
          PerformanceLevel: "PL0",
        },
        {
          DiskId: expect.stringMatching(/^d-/),
          DiskType: "DATA",
          DiskSize: 100,
          DiskCategory: "cloud_auto",
          PerformanceLevel: "PL0",
        },
      ],
      ChargeType: "PostPaid",
      EndUserIds: ["dave"],
      HostName: "fullhost",
      NetworkInterfaceIp: "10.0.0.1",
      CreationTime: "2026-01-31T12:00Z",
      Tags: [{ Key: "env", Value: "prod" }],
      ManagementFlag: "NoFlag",
      ManagementFlags: [],
      Progress: "0%",
      VolumeEncryptionEnabled: true,
      VolumeEncryptionKey: "key-emu-0001",
    });
    expect(desktop).toEqual(emu.backend.describeDesktops(R)[0]);
    // Invitation-only fields of the SDK's DescribeDesktops model: the sizes are in Disks.
    expect(desktop).not.toHaveProperty("SystemDiskSize");
    expect(desktop).not.toHaveProperty("DataDiskSize");
  });
});
