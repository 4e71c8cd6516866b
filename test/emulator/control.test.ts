import type { IncomingMessage, ServerResponse } from "node:http";
import { ManualClock, startEmulator, type RunningEmulator } from "../../emulator";
import { handleControlRequest } from "../../emulator/control";
import { callEcd, ecdError, makeClient, type Body } from "./support/client";

const R = "cn-hangzhou";
const CREATE = { RegionId: R, OfficeSiteId: `${R}+dir-0000000001`, BundleId: "b-win-office-4c8g" };

describe("control endpoint /_emulator/", () => {
  let emu: RunningEmulator;
  let clock: ManualClock;

  async function control(
    method: "GET" | "POST",
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Body }> {
    const response = await fetch(`${emu.url}/_emulator/${path}`, {
      method,
      headers: method === "POST" ? { "content-type": "application/json" } : {},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Body };
  }
  const create = async (params: Record<string, unknown> = {}): Promise<string[]> =>
    (await callEcd(makeClient(emu), "CreateDesktops", { ...CREATE, ...params })).DesktopId as string[];

  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 1));
    emu = await startEmulator({ clock });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  test("GET health answers without a signature", async () => {
    const { status, json } = await control("GET", "health");
    expect(status).toBe(200);
    expect(json).toEqual({
      status: "ok",
      version: "2020-09-30",
      regions: ["cn-hangzhou", "cn-shanghai", "ap-southeast-1"],
      now: clock.now(),
    });
  });

  test("GET/POST faults read and change the fault layer, including scripted faults", async () => {
    let response = await control("POST", "faults", {
      throttleRate: 1,
      actions: ["DescribeRegions"],
      script: [{ action: "CreateDesktops", kind: "responseLost" }],
    });
    expect(response.json).toEqual({
      config: { throttleRate: 1, actions: ["DescribeRegions"] },
      script: [{ action: "CreateDesktops", kind: "responseLost", times: 1 }],
    });
    expect((await ecdError(callEcd(makeClient(emu), "DescribeRegions", { RegionId: R }))).code).toBe(
      "Throttling.User",
    );
    await expect(create()).rejects.toThrow();
    expect(emu.backend.describeDesktops()).toHaveLength(1);
    response = await control("POST", "faults", { reset: true });
    expect(response.json).toEqual({ config: {}, script: [] });
    expect((await control("GET", "faults")).json).toEqual({ config: {}, script: [] });
  });

  test("POST faults rejects bad input with 400", async () => {
    expect((await control("POST", "faults", { throttleRate: 3 })).status).toBe(400);
    expect((await control("POST", "faults", { nonsense: 1 })).status).toBe(400);
    expect((await control("POST", "faults", { script: [{ kind: "meteor" }] })).status).toBe(400);
    const raw = await fetch(`${emu.url}/_emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: "{not json",
    });
    expect(raw.status).toBe(400);
  });

  test("GET calls returns the call log and counts", async () => {
    await create();
    await callEcd(makeClient(emu), "DescribeDesktops", { RegionId: R });
    const { json } = await control("GET", "calls");
    expect(json.counts).toEqual({ CreateDesktops: 1, DescribeDesktops: 1 });
    expect(json.calls).toEqual([
      expect.objectContaining({ action: "CreateDesktops", httpStatus: 200 }),
      expect.objectContaining({ action: "DescribeDesktops", httpStatus: 200 }),
    ]);
    expect((await control("GET", "calls?action=CreateDesktops")).json.calls).toHaveLength(1);
    await control("POST", "calls/reset");
    expect((await control("GET", "calls")).json).toEqual({ calls: [], counts: {} });
  });

  test("GET desktops renders desktops like DescribeDesktops, per region", async () => {
    const [id] = await create();
    const { json } = await control("GET", `desktops?regionId=${R}`);
    expect(json.desktops).toEqual(emu.backend.describeDesktops(R));
    expect((json.desktops as Body[])[0].DesktopId).toBe(id);
    expect((await control("GET", "desktops?regionId=cn-shanghai")).json.desktops).toEqual([]);
    expect((await control("GET", "desktops")).json.desktops).toHaveLength(1);
    expect((await control("GET", "desktops?regionId=nowhere")).status).toBe(400);
  });

  test("POST desktops/delete removes desktops out of band, at once", async () => {
    const [a, b] = await create({ Amount: 2 });
    const { json } = await control("POST", "desktops/delete", { desktopIds: [a, "ecd-missing"] });
    expect(json).toEqual({ removed: [a] });
    expect(emu.backend.describeDesktops().map((d) => d.DesktopId)).toEqual([b]);
    expect((await control("POST", "desktops/delete", { desktopIds: "nope" })).status).toBe(400);
  });

  test("POST desktops/status pins a status; POST clock/advance moves a ManualClock", async () => {
    const [id] = await create();
    expect((await control("POST", "desktops/status", { desktopId: id, status: "Stopped" })).status).toBe(200);
    expect(emu.backend.describeDesktops()[0].DesktopStatus).toBe("Stopped");
    expect((await control("POST", "desktops/status", { desktopId: id, status: "Sleeping" })).status).toBe(
      400,
    );
    const before = clock.now();
    expect((await control("POST", "clock/advance", { ms: 5000 })).json).toEqual({ now: before + 5000 });
  });

  test("POST reset restores the seed state", async () => {
    await create();
    emu.faults.set({ throttleRate: 1 });
    expect((await control("POST", "reset")).json).toEqual({ ok: true });
    expect(emu.backend.describeDesktops()).toEqual([]);
    expect(emu.calls.entries()).toEqual([]);
    expect(emu.faults.config()).toEqual({});
  });

  test("a POST without a body, as `curl -X POST` sends it, is applied", async () => {
    await create();
    const reply = await fetch(`${emu.url}/_emulator/calls/reset`, { method: "POST" });
    expect(reply.status).toBe(200);
    expect(emu.calls.entries()).toEqual([]);
    expect((await fetch(`${emu.url}/_emulator/reset`, { method: "POST" })).status).toBe(200);
    expect(emu.backend.describeDesktops()).toEqual([]);
  });

  test("unknown control routes are 404", async () => {
    expect((await control("GET", "nothing-here")).status).toBe(404);
  });

  test("a POST that is not application/json is answered 415 and not applied", async () => {
    await create();
    const post = (headers: Record<string, string>, body?: string): Promise<Response> =>
      fetch(`${emu.url}/_emulator/reset`, { method: "POST", headers, body });
    expect((await post({ "content-type": "text/plain" }, "{}")).status).toBe(415);
    expect((await post({ "content-type": "application/x-www-form-urlencoded" }, "a=b")).status).toBe(415);
    // Without a body, but from a page: browsers send an Origin with every POST.
    expect((await post({ origin: "https://example.com" })).status).toBe(415);
    expect(emu.backend.describeDesktops()).toHaveLength(1);
    expect((await post({ "content-type": "Application/JSON; charset=utf-8" })).status).toBe(200);
    expect(emu.backend.describeDesktops()).toEqual([]);
  });
});

describe("control endpoint caller checks (handler called directly)", () => {
  let emu: RunningEmulator;

  beforeAll(async () => {
    emu = await startEmulator({ clock: new ManualClock() });
  });
  afterAll(() => emu.close());

  function invoke(remoteAddress: string, host: string): { status: number; resets: number } {
    let resets = 0;
    const deps = { ...emu, resetAll: () => void (resets += 1) };
    const req = {
      method: "POST",
      url: "/_emulator/reset",
      headers: { host, "content-type": "application/json" },
      socket: { remoteAddress },
    } as unknown as IncomingMessage;
    let status = 0;
    const res = {
      writeHead: (code: number) => void (status = code),
      end: () => undefined,
    } as unknown as ServerResponse;
    handleControlRequest(deps, req, res, Buffer.from("{}"));
    return { status, resets };
  }

  test.each(["192.168.1.20", "::ffff:10.0.0.7", "2001:db8::1", ""])(
    "a caller at %p is answered 403 and nothing runs",
    (address) => {
      expect(invoke(address, `127.0.0.1:${emu.port}`)).toEqual({ status: 403, resets: 0 });
    },
  );

  test("a loopback caller naming another host (DNS rebinding) is answered 403", () => {
    expect(invoke("127.0.0.1", `evil.example:${emu.port}`)).toEqual({ status: 403, resets: 0 });
  });

  test.each([
    ["127.0.0.1", `127.0.0.1:8912`],
    ["::1", "[::1]:8912"],
    ["::ffff:127.0.0.1", "localhost:8912"],
    ["127.0.0.2", "127.0.0.2"],
  ])("a loopback caller at %p with Host %p is served", (address, host) => {
    expect(invoke(address, host)).toEqual({ status: 200, resets: 1 });
  });
});
