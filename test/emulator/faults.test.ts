import { ManualClock, startEmulator, type RunningEmulator } from "../../emulator";
import { callEcd, ecdError, makeClient, type Body } from "./support/client";

const R = "cn-hangzhou";
const CREATE = { RegionId: R, OfficeSiteId: `${R}+dir-0000000001`, BundleId: "b-win-office-4c8g" };

/** A transport-level failure: the client saw no HTTP response at all. */
async function noResponse(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { code?: string; statusCode?: number };
    expect(e.statusCode).toBeUndefined();
    return e;
  }
  throw new Error("expected the call to fail without a response");
}

describe("fault injection", () => {
  let emu: RunningEmulator;
  const call = (action: string, params: Record<string, unknown> = {}): Promise<Body> =>
    callEcd(makeClient(emu), action, { RegionId: R, ...params });

  beforeAll(async () => {
    emu = await startEmulator({ clock: new ManualClock(), seed: 2 });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  test("a scripted throttle answers 400 Throttling.User without applying the call, once", async () => {
    emu.faults.script({ action: "CreateDesktops", kind: "throttle" });
    const error = await ecdError(call("CreateDesktops", CREATE));
    expect(error).toMatchObject({ code: "Throttling.User", statusCode: 400 });
    expect(error.data.Message).toBe("Request was denied due to user flow control.");
    expect(emu.backend.describeDesktops()).toEqual([]);
    await call("CreateDesktops", CREATE);
    expect(emu.backend.describeDesktops()).toHaveLength(1);
    expect(emu.calls.entries().map((c) => [c.httpStatus, c.code, c.fault])).toEqual([
      [400, "Throttling.User", "throttle"],
      [200, undefined, undefined],
    ]);
  });

  test("a scripted serverError answers 503 ServiceUnavailable, or 500 InternalError when asked", async () => {
    emu.faults.script({ kind: "serverError" }, { kind: "serverError", status: 500 });
    expect(await ecdError(call("DescribeRegions"))).toMatchObject({
      code: "ServiceUnavailable",
      statusCode: 503,
    });
    expect(await ecdError(call("DescribeRegions"))).toMatchObject({ code: "InternalError", statusCode: 500 });
    await call("DescribeRegions");
  });

  test("a scripted drop destroys the connection before anything is applied", async () => {
    emu.faults.script({ action: "CreateDesktops", kind: "drop" });
    await noResponse(call("CreateDesktops", CREATE));
    expect(emu.backend.describeDesktops()).toEqual([]);
    expect(emu.calls.entries()).toEqual([
      expect.objectContaining({ action: "CreateDesktops", httpStatus: 0, fault: "drop" }),
    ]);
  });

  test("responseLost applies CreateDesktops and then sends no response", async () => {
    emu.faults.script({ action: "CreateDesktops", kind: "responseLost" });
    await noResponse(call("CreateDesktops", { ...CREATE, Amount: 2, DesktopName: "lost" }));
    expect(emu.backend.describeDesktops().map((d) => d.DesktopName)).toEqual(["lost-1", "lost-2"]);
    expect(emu.calls.entries()).toEqual([
      expect.objectContaining({ action: "CreateDesktops", httpStatus: 0, fault: "responseLost" }),
    ]);
  });

  test("scripted faults are consumed in order, only by matching actions, `times` times", async () => {
    emu.faults.script(
      { action: "CreateDesktops", kind: "throttle", times: 2 },
      { action: "CreateDesktops", kind: "serverError" },
    );
    await call("DescribeDesktops");
    expect(emu.faults.pending()).toHaveLength(2);
    expect((await ecdError(call("CreateDesktops", CREATE))).code).toBe("Throttling.User");
    expect((await ecdError(call("CreateDesktops", CREATE))).code).toBe("Throttling.User");
    expect((await ecdError(call("CreateDesktops", CREATE))).code).toBe("ServiceUnavailable");
    await call("CreateDesktops", CREATE);
    expect(emu.faults.pending()).toEqual([]);
  });

  test("rates apply only to the listed actions", async () => {
    emu.faults.set({ throttleRate: 1, actions: ["DescribeDesktops"] });
    expect((await ecdError(call("DescribeDesktops"))).code).toBe("Throttling.User");
    await call("DescribeRegions");
    emu.faults.set({ actions: undefined });
    expect(emu.faults.config().actions).toEqual(["DescribeDesktops"]);
    emu.faults.reset();
    await call("DescribeDesktops");
  });

  test("dropConnectionRate 1 drops every call; serverErrorRate 1 answers 500 or 503", async () => {
    emu.faults.set({ dropConnectionRate: 1 });
    await noResponse(call("DescribeRegions"));
    emu.faults.reset();
    emu.faults.set({ serverErrorRate: 1 });
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) statuses.add((await ecdError(call("DescribeRegions"))).statusCode);
    expect([...statuses].sort()).toEqual([500, 503]);
  });

  test("createResponseLostRate only affects CreateDesktops", async () => {
    emu.faults.set({ createResponseLostRate: 1 });
    await noResponse(call("CreateDesktops", CREATE));
    await call("DescribeDesktops");
    expect(emu.backend.describeDesktops()).toHaveLength(1);
  });

  test("fractional rates are seeded: the same sequence after a reset", async () => {
    const run = async (): Promise<number[]> => {
      emu.reset();
      emu.faults.set({ throttleRate: 0.5 });
      const outcomes: number[] = [];
      for (let i = 0; i < 20; i++) {
        outcomes.push(
          await call("DescribeRegions").then(
            () => 200,
            (e: { statusCode: number }) => e.statusCode,
          ),
        );
      }
      return outcomes;
    };
    const first = await run();
    expect(first).toContain(200);
    expect(first).toContain(400);
    expect(await run()).toEqual(first);
  });

  test("latencyMs delays the answer", async () => {
    emu.faults.set({ latencyMs: 150 });
    const started = Date.now();
    await call("DescribeRegions");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test("a call delayed across emu.reset() is answered 503, applies nothing and leaks nothing", async () => {
    emu.faults.set({ latencyMs: 400, actions: ["CreateDesktops"] });
    const abandoned = ecdError(call("CreateDesktops", CREATE));
    await new Promise((resolve) => setTimeout(resolve, 150));
    emu.reset();
    emu.faults.script({ action: "CreateDesktops", kind: "throttle" });

    const error = await abandoned;
    expect(error).toMatchObject({ code: "ServiceUnavailable", statusCode: 503 });
    expect(error.data.Message).toMatch(/reset while this request was in flight/);
    expect(emu.backend.describeDesktops()).toEqual([]);
    expect(emu.calls.entries()).toEqual([]);
    expect(emu.faults.pending()).toEqual([{ action: "CreateDesktops", kind: "throttle", times: 1 }]);
  });

  test("the call log counts calls per action whatever their outcome, and resets", async () => {
    emu.faults.script({ action: "CreateDesktops", kind: "throttle" });
    await ecdError(call("CreateDesktops", CREATE));
    await call("CreateDesktops", CREATE);
    await call("DescribeDesktops");
    await ecdError(call("DescribeDesktops", { MaxResults: 1000 }));
    expect(emu.calls.counts()).toEqual({ CreateDesktops: 2, DescribeDesktops: 2 });
    expect(emu.calls.entries("DescribeDesktops").map((c) => c.code)).toEqual([undefined, "InvalidParameter"]);
    const [entry] = emu.calls.entries();
    expect(entry).toEqual({
      action: "CreateDesktops",
      at: emu.clock.now(),
      httpStatus: 400,
      code: "Throttling.User",
      requestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
      regionId: R,
      signature: "V3",
      fault: "throttle",
    });
    emu.calls.reset();
    expect(emu.calls.counts()).toEqual({});
  });

  test("invalid fault settings are refused", () => {
    expect(() => emu.faults.set({ throttleRate: 2 })).toThrow(RangeError);
    expect(() => emu.faults.script({ kind: "explode" as "drop" })).toThrow(RangeError);
  });
});

describe("faults given at start", () => {
  test("apply from the first call and come back after reset()", async () => {
    const emu = await startEmulator({ faults: { throttleRate: 1, actions: ["DescribeRegions"] } });
    try {
      const client = makeClient(emu);
      expect((await ecdError(callEcd(client, "DescribeRegions", { RegionId: R }))).code).toBe(
        "Throttling.User",
      );
      emu.faults.reset();
      await callEcd(client, "DescribeRegions", { RegionId: R });
      emu.reset();
      expect(emu.faults.config()).toMatchObject({ throttleRate: 1 });
    } finally {
      await emu.close();
    }
  });
});
