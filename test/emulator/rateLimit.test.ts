import {
  DEFAULT_RATE_LIMIT_QPS,
  ManualClock,
  qpsFor,
  startEmulator,
  type RunningEmulator,
} from "../../emulator";
import { parseArgs } from "../../emulator/cli";
import { rawPost } from "./support/raw";
import { callEcd, ecdError, makeClient, type Body } from "./support/client";

const R = "cn-hangzhou";
const KEYS = [
  { accessKeyId: "alpha", accessKeySecret: "alpha-secret" },
  { accessKeyId: "beta", accessKeySecret: "beta-secret" },
];

describe("the emulator's per-user rate limit", () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  const call = (action: string, key = KEYS[0]): Promise<Body> =>
    callEcd(makeClient(emu, key), action, { RegionId: R });
  const control = (body: object) =>
    rawPost(emu, "/_emulator/faults", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    clock = new ManualClock();
    emu = await startEmulator({
      clock,
      credentials: KEYS,
      faults: { rateLimit: true, rateLimitQps: { DescribeRegions: 2, DescribeBundles: 1 } },
    });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  test("a burst above an action's QPS is answered 400 Throttling.User, logged as rateLimit", async () => {
    await call("DescribeRegions");
    await call("DescribeRegions");
    const error = await ecdError(call("DescribeRegions"));
    expect(error).toMatchObject({ code: "Throttling.User", statusCode: 400 });
    expect(error.data.Message).toBe("Request was denied due to user flow control.");
    expect(emu.calls.entries().map((c) => [c.httpStatus, c.fault])).toEqual([
      [200, undefined],
      [200, undefined],
      [400, "rateLimit"],
    ]);
  });

  test("the bucket refills at the action's QPS on the emulator clock", async () => {
    await call("DescribeRegions");
    await call("DescribeRegions");
    clock.advance(499);
    await expect(ecdError(call("DescribeRegions"))).resolves.toMatchObject({ code: "Throttling.User" });
    clock.advance(1);
    await call("DescribeRegions");
    await expect(ecdError(call("DescribeRegions"))).resolves.toMatchObject({ code: "Throttling.User" });
    clock.advance(10_000);
    await call("DescribeRegions");
    await call("DescribeRegions");
    await expect(ecdError(call("DescribeRegions"))).resolves.toMatchObject({ code: "Throttling.User" });
  });

  test("each access key and each action has its own bucket", async () => {
    await call("DescribeBundles", KEYS[0]);
    await expect(ecdError(call("DescribeBundles", KEYS[0]))).resolves.toMatchObject({
      code: "Throttling.User",
    });
    await call("DescribeBundles", KEYS[1]);
    await call("DescribeRegions", KEYS[0]);
  });

  test("a throttled call is not applied", async () => {
    const create = () =>
      callEcd(makeClient(emu, KEYS[0]), "CreateDesktops", {
        RegionId: R,
        OfficeSiteId: `${R}+dir-0000000001`,
        BundleId: "b-win-office-4c8g",
      });
    for (let i = 0; i < DEFAULT_RATE_LIMIT_QPS.CreateDesktops; i++) await create();
    await expect(ecdError(create())).resolves.toMatchObject({ code: "Throttling.User" });
    expect(emu.backend.describeDesktops(R)).toHaveLength(DEFAULT_RATE_LIMIT_QPS.CreateDesktops);
  });

  test("the control endpoint switches it off and on and sets the QPS", async () => {
    expect((await control({ rateLimit: false })).body).toMatchObject({ config: { rateLimit: false } });
    for (let i = 0; i < 5; i++) await call("DescribeBundles");
    await control({ rateLimit: true, rateLimitQps: { DescribeBundles: 3 } });
    clock.advance(1000);
    for (let i = 0; i < 3; i++) await call("DescribeBundles");
    await expect(ecdError(call("DescribeBundles"))).resolves.toMatchObject({ code: "Throttling.User" });
    expect((await control({ rateLimitQps: { DescribeBundles: 0 } })).status).toBe(400);
    expect((await control({ rateLimit: "yes" })).status).toBe(400);
  });

  test("reset restores the start setting and full buckets", async () => {
    await control({ rateLimit: false });
    emu.reset();
    expect(emu.faults.config()).toMatchObject({ rateLimit: true });
    await call("DescribeBundles");
    await expect(ecdError(call("DescribeBundles"))).resolves.toMatchObject({ code: "Throttling.User" });
    emu.reset();
    await call("DescribeBundles");
  });
});

describe("rate limit settings", () => {
  test("is off by default", async () => {
    const emu = await startEmulator({ clock: new ManualClock() });
    try {
      for (let i = 0; i < DEFAULT_RATE_LIMIT_QPS.DescribeDesktops + 5; i++)
        await callEcd(makeClient(emu), "DescribeRegions", { RegionId: R });
      expect(emu.calls.entries().every((c) => c.httpStatus === 200)).toBe(true);
    } finally {
      await emu.close();
    }
  });

  test("actions outside the table take the read or write default; overrides win", () => {
    expect(qpsFor("DescribeDesktops")).toBe(DEFAULT_RATE_LIMIT_QPS.DescribeDesktops);
    expect(qpsFor("DescribePolicyGroups")).toBeGreaterThan(qpsFor("ModifyDesktopName"));
    expect(qpsFor("CreateDesktops", { CreateDesktops: 50 })).toBe(50);
  });

  test("the CLI turns it on and takes per-action QPS", () => {
    expect(
      parseArgs(["--rate-limit", "--rate-limit-qps", "CreateDesktops=2,DescribeDesktops=40"]).options,
    ).toMatchObject({
      faults: { rateLimit: true, rateLimitQps: { CreateDesktops: 2, DescribeDesktops: 40 } },
    });
    expect(() => parseArgs(["--rate-limit-qps", "CreateDesktops=0"])).toThrow(/Action=N/);
  });
});
