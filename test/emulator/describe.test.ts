import { ManualClock, startEmulator, type RunningEmulator } from "../../emulator";
import { callEcd, ecdError, makeClient, walkPages, type Body } from "./support/client";

const R = "cn-hangzhou";
const SIMPLE = `${R}+dir-0000000001`;
const AD = `${R}+dir-0000000002`;
const BASE = { OfficeSiteId: SIMPLE, BundleId: "b-win-office-4c8g" };
const GWS = "ALIYUN::GWS::INSTANCE";

describe("describe, tag and catalog operations", () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  const call = (action: string, params: Record<string, unknown> = {}): Promise<Body> =>
    callEcd(makeClient(emu), action, { RegionId: R, ...params });
  const create = async (params: Record<string, unknown> = {}): Promise<string[]> =>
    (await call("CreateDesktops", { ...BASE, ...params })).DesktopId as string[];

  const walk = (action: string, params: Record<string, unknown>, listKey: string): Promise<Body[][]> =>
    walkPages(call, action, params, listKey);

  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2026, 5, 1));
    emu = await startEmulator({ clock, seed: 9 });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  test("DescribeDesktops pages with MaxResults/NextToken until NextToken is absent", async () => {
    const ids = await create({ Amount: 23 });
    const first = await call("DescribeDesktops", { MaxResults: 10 });
    expect(first).toMatchObject({ TotalCount: 23, NextToken: expect.any(String) });
    const pages = await walk("DescribeDesktops", { MaxResults: 10 }, "Desktops");
    expect(pages.map((p) => p.length)).toEqual([10, 10, 3]);
    expect(pages.flat().map((d) => d.DesktopId)).toEqual(ids);
    const defaultPage = await call("DescribeDesktops");
    expect((defaultPage.Desktops as Body[]).length).toBe(10);
    const last = await call("DescribeDesktops", { MaxResults: 100 });
    expect(last.NextToken).toBeUndefined();
  });

  test("DescribeDesktops rejects more than 100 ids, MaxResults over 100 and a forged NextToken", async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `ecd-${String(i).padStart(17, "0")}`);
    expect(await ecdError(call("DescribeDesktops", { DesktopId: ids }))).toMatchObject({
      code: "InvalidParameter",
      statusCode: 400,
    });
    expect(await ecdError(call("DescribeDesktops", { MaxResults: 101 }))).toMatchObject({
      code: "InvalidParameter",
    });
    expect(await ecdError(call("DescribeDesktops", { NextToken: "garbage" }))).toMatchObject({
      code: "InvalidParameter.NextToken",
    });
  });

  test("DescribeDesktops answers unknown ids with 200 and an empty list", async () => {
    await create();
    expect(await call("DescribeDesktops", { DesktopId: ["ecd-unknown000000000"] })).toMatchObject({
      Desktops: [],
      TotalCount: 0,
    });
  });

  test("DescribeDesktops filters by id, name, status, office site, policy, charge type, users, type and tags", async () => {
    const [web1, web2] = await create({
      Amount: 2,
      DesktopName: "web",
      EndUserId: ["alice"],
      Tag: [{ Key: "env", Value: "prod" }],
    });
    const [db] = await create({
      DesktopName: "db",
      OfficeSiteId: AD,
      BundleId: "b-win-office-8c16g",
      PolicyGroupId: "pg-emu-custom-0001",
      ChargeType: "PrePaid",
      Period: 1,
      EndUserId: ["bob"],
      Tag: [
        { Key: "env", Value: "dev" },
        { Key: "team", Value: "data" },
      ],
    });
    clock.advance(3000);
    await call("StopDesktops", { DesktopId: [web2] });
    const ids = async (params: Record<string, unknown>): Promise<unknown[]> =>
      ((await call("DescribeDesktops", params)).Desktops as Body[]).map((d) => d.DesktopId);

    expect(await ids({ DesktopId: [db, web1] })).toEqual([web1, db]);
    expect(await ids({ DesktopName: "web" })).toEqual([web1, web2]);
    expect(await ids({ DesktopName: "web-2" })).toEqual([web2]);
    expect(await ids({ DesktopStatus: "Stopping" })).toEqual([web2]);
    expect(await ids({ DesktopStatusList: ["Running", "Stopping"] })).toEqual([web1, web2, db]);
    expect(await ids({ OfficeSiteId: AD })).toEqual([db]);
    expect(await ids({ PolicyGroupId: "pg-emu-custom-0001" })).toEqual([db]);
    expect(await ids({ ChargeType: "PostPaid" })).toEqual([web1, web2]);
    expect(await ids({ EndUserId: ["bob", "zed"] })).toEqual([db]);
    expect(await ids({ DesktopType: "eds.enterprise_office.4c8g" })).toEqual([web1, web2]);
    expect(await ids({ Tag: [{ Key: "env", Value: "dev" }] })).toEqual([db]);
    expect(await ids({ Tag: [{ Key: "env" }] })).toEqual([web1, web2, db]);
    expect(await ids({ Tag: [{ Key: "env", Value: "prod" }, { Key: "team" }] })).toEqual([]);
  });

  test("regions are isolated", async () => {
    await create();
    const other = await callEcd(makeClient(emu), "DescribeDesktops", { RegionId: "cn-shanghai" });
    expect(other.TotalCount).toBe(0);
  });

  test("TagResources adds and overwrites tags; UntagResources removes by key or all", async () => {
    const [a, b] = await create({ Amount: 2, Tag: [{ Key: "env", Value: "dev" }] });
    await call("TagResources", {
      ResourceType: GWS,
      ResourceId: [a, b],
      Tag: [
        { Key: "env", Value: "prod" },
        { Key: "owner", Value: "" },
      ],
    });
    const tags = (): unknown[] => emu.backend.describeDesktops(R).map((d) => d.Tags);
    expect(tags()).toEqual([
      [
        { Key: "env", Value: "prod" },
        { Key: "owner", Value: "" },
      ],
      [
        { Key: "env", Value: "prod" },
        { Key: "owner", Value: "" },
      ],
    ]);
    await call("UntagResources", { ResourceType: GWS, ResourceId: [a], TagKey: ["env"] });
    await call("UntagResources", { ResourceType: GWS, ResourceId: [b], All: true });
    expect(tags()).toEqual([[{ Key: "owner", Value: "" }], []]);
  });

  test("tag operations check ResourceType, ResourceId and the tag rules", async () => {
    const [a] = await create();
    const tag = [{ Key: "k", Value: "v" }];
    expect(await ecdError(call("TagResources", { ResourceId: [a], Tag: tag }))).toMatchObject({
      code: "MissingResourceType",
    });
    expect(
      await ecdError(
        call("TagResources", { ResourceType: "ALIYUN::ECS::INSTANCE", ResourceId: [a], Tag: tag }),
      ),
    ).toMatchObject({
      code: "InvalidResourceType.NotSupported",
    });
    expect(await ecdError(call("TagResources", { ResourceType: GWS, Tag: tag }))).toMatchObject({
      code: "MissingResourceId",
    });
    const tooMany = Array.from({ length: 51 }, () => a);
    expect(
      await ecdError(call("TagResources", { ResourceType: GWS, ResourceId: tooMany, Tag: tag })),
    ).toMatchObject({ code: "InvalidParameter" });
    expect(
      await ecdError(call("TagResources", { ResourceType: GWS, ResourceId: ["ecd-nope"], Tag: tag })),
    ).toMatchObject({ code: "InvalidResourceId.NotFound" });
    expect(
      await ecdError(
        call("TagResources", { ResourceType: GWS, ResourceId: [a], Tag: [{ Key: "aliyun:x", Value: "v" }] }),
      ),
    ).toMatchObject({
      code: "InvalidTagKey.Malformed",
    });
    const twenty = Array.from({ length: 20 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    await call("TagResources", { ResourceType: GWS, ResourceId: [a], Tag: twenty });
    expect(
      await ecdError(
        call("TagResources", { ResourceType: GWS, ResourceId: [a], Tag: [{ Key: "one-more", Value: "v" }] }),
      ),
    ).toMatchObject({
      code: "InvalidTagCount",
    });
  });

  test("ListTagResources lists one row per resource/tag pair, paginated to the end", async () => {
    const ids = await create({
      Amount: 7,
      Tag: [
        { Key: "env", Value: "dev" },
        { Key: "team", Value: "web" },
        { Key: "tier", Value: "1" },
      ],
    });
    const pages = await walk(
      "ListTagResources",
      { ResourceType: GWS, ResourceId: ids, MaxResults: 4 },
      "TagResources",
    );
    expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 4, 4, 1]);
    const rows = pages.flat();
    expect(rows).toHaveLength(21);
    expect(rows[0]).toEqual({ ResourceId: ids[0], ResourceType: GWS, TagKey: "env", TagValue: "dev" });
    expect(new Set(rows.map((r) => `${r.ResourceId}/${r.TagKey}`)).size).toBe(21);

    const byTag = await call("ListTagResources", { ResourceType: GWS, Tag: [{ Key: "team", Value: "web" }] });
    expect(byTag.TagResources).toHaveLength(7);
    expect(byTag.NextToken).toBeUndefined();
    expect(await ecdError(call("ListTagResources", { ResourceType: GWS }))).toMatchObject({
      code: "MissingResourceId",
    });
  });

  test("DescribeBundles lists the seeded bundles with filters and pagination", async () => {
    const all = await call("DescribeBundles");
    expect((all.Bundles as Body[]).map((b) => b.BundleId)).toEqual([
      "b-win-office-4c8g",
      "b-win-office-8c16g",
      "b-ubuntu-office-4c8g",
    ]);
    expect((all.Bundles as Body[])[0]).toMatchObject({
      BundleType: "SYSTEM",
      DesktopType: "eds.enterprise_office.4c8g",
      DesktopTypeFamily: "eds.enterprise_office",
      DesktopTypeAttribute: { CpuCount: 4, MemorySize: 8192, GpuCount: 0 },
      Disks: [
        { DiskType: "SYSTEM", DiskSize: 80 },
        { DiskType: "DATA", DiskSize: 40 },
      ],
      ImageId: "m-win2019-emu",
      OsType: "Windows",
    });
    const linux = await call("DescribeBundles", { OsType: "Linux" });
    expect((linux.Bundles as Body[]).map((b) => b.BundleId)).toEqual(["b-ubuntu-office-4c8g"]);
    const pages = await walk("DescribeBundles", { MaxResults: 2 }, "Bundles");
    expect(pages.map((p) => p.length)).toEqual([2, 1]);
    const one = await call("DescribeBundles", { BundleId: ["b-win-office-8c16g"] });
    expect(one.Bundles).toEqual([expect.objectContaining({ BundleId: "b-win-office-8c16g" })]);
  });

  test("DescribeOfficeSites lists both seeded office sites with TotalCount", async () => {
    await create({ Amount: 2 });
    const body = await call("DescribeOfficeSites");
    expect(body.TotalCount).toBe(2);
    expect(body.OfficeSites).toEqual([
      expect.objectContaining({
        OfficeSiteId: SIMPLE,
        Name: "simple-office",
        OfficeSiteType: "SIMPLE",
        Status: "REGISTERED",
        VpcId: "vpc-emu0000001",
        CidrBlock: "172.16.0.0/12",
        DesktopCount: 2,
      }),
      expect.objectContaining({
        OfficeSiteId: AD,
        Name: "ad-office",
        OfficeSiteType: "AD_CONNECTOR",
        DomainName: "corp.example.com",
        CidrBlock: "10.0.0.0/16",
      }),
    ]);
    const ad = await call("DescribeOfficeSites", { OfficeSiteType: "AD_CONNECTOR" });
    expect((ad.OfficeSites as Body[]).map((s) => s.OfficeSiteId)).toEqual([AD]);
  });

  test("DescribePolicyGroups answers under the DescribePolicyGroups key", async () => {
    const body = await call("DescribePolicyGroups");
    expect(
      (body.DescribePolicyGroups as Body[]).map((p) => [p.PolicyGroupId, p.PolicyGroupType, p.PolicyStatus]),
    ).toEqual([
      ["system-all-enabled-policy", "SYSTEM", "AVAILABLE"],
      ["system-all-disabled-policy", "SYSTEM", "AVAILABLE"],
      ["pg-emu-custom-0001", "CUSTOM", "AVAILABLE"],
      ["pg-emu-creating-0001", "CUSTOM", "CREATING"],
    ]);
    const one = await call("DescribePolicyGroups", { PolicyGroupId: ["pg-emu-custom-0001"] });
    expect(one.DescribePolicyGroups).toEqual([expect.objectContaining({ Name: "dev-team" })]);
  });

  test("DescribeRegions lists the configured regions", async () => {
    const body = await call("DescribeRegions");
    expect(body.Regions).toEqual([
      {
        RegionId: "cn-hangzhou",
        RegionEndpoint: "ecd.cn-hangzhou.aliyuncs.com",
        LocalName: "China (Hangzhou)",
      },
      {
        RegionId: "cn-shanghai",
        RegionEndpoint: "ecd.cn-shanghai.aliyuncs.com",
        LocalName: "China (Shanghai)",
      },
      {
        RegionId: "ap-southeast-1",
        RegionEndpoint: "ecd.ap-southeast-1.aliyuncs.com",
        LocalName: "Singapore",
      },
    ]);
  });

  test("DescribeDesktopTypes lists the type table", async () => {
    const body = await call("DescribeDesktopTypes", { InstanceTypeFamily: "eds.enterprise_office" });
    expect((body.DesktopTypes as Body[]).map((t) => [t.DesktopTypeId, t.CpuCount, t.MemorySize])).toEqual([
      ["eds.enterprise_office.2c4g", "2", "4096"],
      ["eds.enterprise_office.4c8g", "4", "8192"],
      ["eds.enterprise_office.8c16g", "8", "16384"],
    ]);
    const graphics = await call("DescribeDesktopTypes", { DesktopTypeId: "eds.graphics.16c64g" });
    expect(graphics.DesktopTypes).toEqual([
      expect.objectContaining({ GpuCount: 1, InstanceTypeFamily: "eds.graphics" }),
    ]);
  });

  test("DescribePrice is deterministic and grows with size, period and amount", async () => {
    const price = async (params: Record<string, unknown>): Promise<Body> =>
      (
        (
          await call("DescribePrice", {
            InstanceType: "eds.enterprise_office.4c8g",
            RootDiskSizeGib: 80,
            UserDiskSizeGib: 40,
            ...params,
          })
        ).PriceInfo as Body
      ).Price as Body;
    const hourly = await price({});
    expect(hourly).toMatchObject({
      Currency: "CNY",
      OriginalPrice: expect.any(Number),
      DiscountPrice: 0,
      OrderLines: {},
      Promotions: [],
    });
    expect(await price({})).toEqual(hourly);
    expect(
      ((await price({ InstanceType: "eds.enterprise_office.8c16g" })).TradePrice as number) >
        (hourly.TradePrice as number),
    ).toBe(true);
    const twice = await price({ Amount: 2 });
    expect(twice.OriginalPrice).toBeCloseTo((hourly.OriginalPrice as number) * 2, 2);
    const yearly = await price({ Period: 1, PeriodUnit: "Year" });
    expect(yearly.DiscountPrice as number).toBeGreaterThan(0);
    expect(yearly.TradePrice).toBeCloseTo(
      (yearly.OriginalPrice as number) - (yearly.DiscountPrice as number),
      2,
    );
    expect(await ecdError(call("DescribePrice", {}))).toMatchObject({ code: "MissingInstanceType" });
    expect(
      await ecdError(call("DescribePrice", { InstanceType: "eds.nope", RootDiskSizeGib: 80 })),
    ).toMatchObject({
      code: "InvalidDesktopType.NotFound",
    });
  });
});
