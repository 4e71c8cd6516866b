/**
 * Set-up mistakes get one sentence each: what failed, at which endpoint, which setting to check; the ECD code
 * and request ID kept; never the request URL's query.
 */
import dns from "node:dns";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { EcdClient, EcdClientOptions } from "../../provider/ecd/client";
import { EcdApiError } from "../../provider/ecd/errors";
import { startEmulator, RunningEmulator } from "../../emulator";

const REGION = "cn-hangzhou";

/** One sentence, one line, no URL query, no request line. */
function expectOneClearSentence(message: string): void {
  expect(message).not.toMatch(/[\r\n]/);
  expect(message).not.toMatch(/\?|RegionId=|Action=|(POST|GET) http/);
  expect(message).not.toMatch(/\.\s+[A-Z]/);
}

async function failure(promise: Promise<unknown>): Promise<EcdApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EcdApiError);
  return error as EcdApiError;
}

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );

describe("set-up mistakes", () => {
  let emu: RunningEmulator;
  const client = (extra: Partial<EcdClientOptions>) =>
    new EcdClient({
      regionId: REGION,
      endpoint: emu.url,
      credentials: emu.credentials[0],
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      notice: () => undefined,
      env: {},
      ...extra,
    });

  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it("a wrong secret names the secret's settings and keeps code, status and request ID", async () => {
    const error = await failure(
      client({ credentials: { accessKeyId: "emulator", accessKeySecret: "wrong" } }).describeRegions(),
    );
    const [call] = emu.calls.entries("DescribeRegions").slice(-1);
    expect(error.message).toBe(
      `DescribeRegions failed at ${emu.url}: the access key secret does not match the access key ID; check ` +
        `alicloud:secretKey or ALIBABA_CLOUD_ACCESS_KEY_SECRET (SignatureDoesNotMatch, HTTP 400, request id ${call.requestId})`,
    );
    expect(error).toMatchObject({
      code: "SignatureDoesNotMatch",
      httpStatus: 400,
      requestId: call.requestId,
    });
    expect(error.detail).toMatch(/signature/i);
    expectOneClearSentence(error.message);
  });

  it("an unknown access key ID names the key ID's settings", async () => {
    const error = await failure(
      client({ credentials: { accessKeyId: "nobody", accessKeySecret: "x" } }).describeRegions(),
    );
    expect(error.message).toMatch(
      /^DescribeRegions failed at http:\/\/127\.0\.0\.1:\d+: the access key ID is not known there; check alicloud:accessKey or ALIBABA_CLOUD_ACCESS_KEY_ID \(InvalidAccessKeyId\.NotFound, HTTP 404, request id [0-9A-F-]{36}\)$/,
    );
    expectOneClearSentence(error.message);
  });

  it("nothing listening: the endpoint, ECONNREFUSED and the endpoint setting, in one sentence", async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const fromSetting = await failure(client({ endpoint: `http://127.0.0.1:${port}` }).describeRegions());
    expect(fromSetting.message).toBe(
      `DescribeRegions failed at http://127.0.0.1:${port}: nothing is listening there (ECONNREFUSED); check the ecd:endpoint setting (ConnectionFailed)`,
    );
    const fromEnv = await failure(
      client({
        endpoint: undefined,
        env: { ALIBABA_CLOUD_ECD_ENDPOINT: `http://127.0.0.1:${port}` },
      }).describeRegions(),
    );
    expect(fromEnv.message).toMatch(/check ALIBABA_CLOUD_ECD_ENDPOINT \(ConnectionFailed\)$/);
    expectOneClearSentence(fromSetting.message);
    expectOneClearSentence(fromEnv.message);
  });

  describe("host names that do not resolve", () => {
    // No DNS query leaves the machine: the resolver answers ENOTFOUND for the test's host names.
    let lookup: jest.SpyInstance;
    beforeAll(() => {
      const real = dns.lookup;
      lookup = jest.spyOn(dns, "lookup").mockImplementation(((host: string, ...rest: unknown[]) => {
        const callback = rest[rest.length - 1] as (error: NodeJS.ErrnoException) => void;
        if (host.endsWith(".aliyuncs.com") || host.endsWith(".invalid")) {
          const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${host}`);
          error.code = "ENOTFOUND";
          (error as { hostname?: string }).hostname = host;
          process.nextTick(() => callback(error));
          return;
        }
        return (real as (...args: unknown[]) => void)(host, ...rest);
      }) as typeof dns.lookup);
    });
    afterAll(() => lookup.mockRestore());

    it("endpoint not set: the regional default, and that neither endpoint setting is set", async () => {
      const error = await failure(
        client({ endpoint: undefined, regionId: "xx-nowhere-1" }).describeRegions(),
      );
      expect(error.message).toBe(
        "DescribeRegions failed at https://ecd.xx-nowhere-1.aliyuncs.com: the host name ecd.xx-nowhere-1.aliyuncs.com " +
          "does not resolve (ENOTFOUND); check the region, or ecd:endpoint / ALIBABA_CLOUD_ECD_ENDPOINT (neither is " +
          "set, so the regional default is used) (ConnectionFailed)",
      );
      expectOneClearSentence(error.message);
    });

    it("an endpoint whose host does not resolve names the setting it came from", async () => {
      const error = await failure(client({ endpoint: "https://ecd.example.invalid" }).describeRegions());
      expect(error.message).toMatch(
        /^DescribeRegions failed at https:\/\/ecd\.example\.invalid: the host name ecd\.example\.invalid does not resolve \(ENOTFOUND\); check the ecd:endpoint setting \(ConnectionFailed\)$/,
      );
    });
  });

  describe("an endpoint that accepts connections and never answers", () => {
    let silent: Server;
    let port: number;
    let connections = 0;
    beforeEach(async () => {
      connections = 0;
      silent = createServer(() => undefined);
      silent.on("connection", () => connections++);
      port = await listen(silent);
    });
    afterEach(async () => {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    });

    it("is named for what it is: connected, no answer — not a connect timeout", async () => {
      const error = await failure(
        client({
          endpoint: `http://127.0.0.1:${port}`,
          // The SDK's connect timeout is also its idle timeout: it fires although the connection succeeded.
          connectTimeoutMs: 200,
          readTimeoutMs: 1000,
        }).describeRegions(),
      );
      expect(error.message).toBe(
        `DescribeRegions failed at http://127.0.0.1:${port}: the endpoint accepted the connection but sent no answer ` +
          "within 200 ms; check the ecd:endpoint setting: it may not be an ECD endpoint (NoResponse)",
      );
      expectOneClearSentence(error.message);
    });

    it("is asked twice at most, not through every retry", async () => {
      await failure(
        client({
          endpoint: `http://127.0.0.1:${port}`,
          connectTimeoutMs: 100,
          readTimeoutMs: 100,
          retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 1 },
        }).describeRegions(),
      );
      // One connection per attempt, and one more that tells "accepted" from "unreachable".
      expect(connections).toBeLessThanOrEqual(4);
    });

    it("shows a sign of life while it waits", async () => {
      const lines: string[] = [];
      await failure(
        client({
          endpoint: `http://127.0.0.1:${port}`,
          connectTimeoutMs: 200,
          readTimeoutMs: 200,
          progress: (line) => lines.push(line),
        }).describeRegions(),
      );
      expect(lines[0]).toBe(
        `[pulumi-ecd] DescribeRegions: no answer yet from http://127.0.0.1:${port} after 100 ms; waiting up to 200 ms`,
      );
    });
  });

  it("an unknown region names the region settings", async () => {
    const error = await failure(client({ regionId: "xx-nowhere-1" }).describeRegions());
    expect(error.message).toMatch(
      /: the region is not served there; check regionId, alicloud:region or ALIBABA_CLOUD_REGION_ID \(InvalidRegionId\.NotFound, HTTP 400, request id /,
    );
  });

  it("an ordinary request error keeps the service's own words", async () => {
    const error = await failure(
      client({}).createDesktops({ officeSiteId: `${REGION}+dir-0000000001`, bundleId: "b-missing" }),
    );
    expect(error.message).toMatch(
      /^CreateDesktops failed at http:\/\/127\.0\.0\.1:\d+: .*BundleId.* \(InvalidDesktopBundle\.NotFound, HTTP 400, request id [0-9A-F-]{36}\)$/,
    );
    expectOneClearSentence(error.message);
  });
});
