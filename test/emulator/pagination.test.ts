import { ManualClock, startEmulator, type RunningEmulator } from "../../emulator";
import { callEcd, ecdError, makeClient, walkPages, type Body } from "./support/client";

const R = "cn-hangzhou";
const GWS = "ALIYUN::GWS::INSTANCE";
const BASE = { OfficeSiteId: `${R}+dir-0000000001`, BundleId: "b-win-office-4c8g" };
const TAGS = [
  { Key: "env", Value: "dev" },
  { Key: "team", Value: "web" },
  { Key: "tier", Value: "1" },
];

describe("NextToken pagination is keyset-based", () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  const call = (action: string, params: Record<string, unknown> = {}): Promise<Body> =>
    callEcd(makeClient(emu), action, { RegionId: R, ...params });
  const create = async (params: Record<string, unknown> = {}): Promise<string[]> =>
    (await call("CreateDesktops", { ...BASE, ...params })).DesktopId as string[];

  /** The items of every page after the one that issued `token`. */
  const rest = async (action: string, params: Record<string, unknown>, listKey: string, token: string) =>
    (await walkPages(call, action, params, listKey, token)).flat();

  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2026, 2, 1));
    emu = await startEmulator({ clock, seed: 21 });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  test("DescribeDesktops: desktops of page 1 deleted before page 2 make no surviving desktop go missing", async () => {
    const ids = await create({ Amount: 25 });
    const first = await call("DescribeDesktops", { MaxResults: 10 });
    const page1 = (first.Desktops as Body[]).map((d) => d.DesktopId as string);
    expect(page1).toEqual(ids.slice(0, 10));

    clock.advance(emu.backend.durations.createMs);
    const deleted = [page1[0], page1[3], page1[5], page1[8], page1[9]];
    await call("DeleteDesktops", { DesktopId: deleted });
    clock.advance(emu.backend.durations.deleteMs);
    const surviving = emu.backend.describeDesktops(R).map((d) => d.DesktopId as string);
    expect(surviving).toHaveLength(20);

    const later = (
      await rest("DescribeDesktops", { MaxResults: 10 }, "Desktops", first.NextToken as string)
    ).map((d) => d.DesktopId as string);
    const union = [...page1, ...later];
    expect(new Set(union).size).toBe(union.length);
    expect(new Set(union)).toEqual(new Set([...surviving, ...page1]));
    expect(later).toEqual(ids.slice(10));
  });

  test("DescribeDesktops: desktops created between pages come at the end, nothing repeats", async () => {
    const ids = await create({ Amount: 12 });
    const first = await call("DescribeDesktops", { MaxResults: 10 });
    const added = await create({ Amount: 3 });
    const later = await rest("DescribeDesktops", { MaxResults: 10 }, "Desktops", first.NextToken as string);
    expect(later.map((d) => d.DesktopId)).toEqual([...ids.slice(10), ...added]);
  });

  test("ListTagResources: tags removed between pages make no remaining row go missing", async () => {
    const ids = await create({ Amount: 5, Tag: TAGS });
    const params = { ResourceType: GWS, ResourceId: ids, MaxResults: 4 };
    const row = (r: Body): string => `${r.ResourceId as string}/${r.TagKey as string}`;
    const all = ids.flatMap((id) => TAGS.map((t) => `${id}/${t.Key}`));

    const first = await call("ListTagResources", params);
    const page1 = (first.TagResources as Body[]).map(row);
    expect(page1).toEqual(all.slice(0, 4));

    // Everything of the first desktop (all on page 1) and one row not listed yet.
    await call("UntagResources", { ResourceType: GWS, ResourceId: [ids[0]], All: true });
    await call("UntagResources", { ResourceType: GWS, ResourceId: [ids[2]], TagKey: ["tier"] });
    const remaining = all.filter((r) => !r.startsWith(`${ids[0]}/`) && r !== `${ids[2]}/tier`);

    const later = (await rest("ListTagResources", params, "TagResources", first.NextToken as string)).map(
      row,
    );
    const union = [...page1, ...later];
    expect(new Set(union).size).toBe(union.length);
    expect(new Set(union)).toEqual(new Set([...remaining, ...page1]));
    expect(later).toEqual(remaining.filter((r) => !page1.includes(r)));
  });

  test("a token is only accepted by the listing that issued it", async () => {
    const ids = await create({ Amount: 3, Tag: TAGS });
    const desktops = await call("DescribeDesktops", { MaxResults: 1 });
    const tags = await call("ListTagResources", { ResourceType: GWS, ResourceId: ids, MaxResults: 1 });
    expect(
      await ecdError(
        call("ListTagResources", { ResourceType: GWS, ResourceId: ids, NextToken: desktops.NextToken }),
      ),
    ).toMatchObject({ code: "InvalidParameter.NextToken", statusCode: 400 });
    expect(await ecdError(call("DescribeDesktops", { NextToken: tags.NextToken }))).toMatchObject({
      code: "InvalidParameter.NextToken",
    });
    const positional = Buffer.from("emu:10").toString("base64url");
    expect(await ecdError(call("DescribeDesktops", { NextToken: positional }))).toMatchObject({
      code: "InvalidParameter.NextToken",
    });
  });
});
