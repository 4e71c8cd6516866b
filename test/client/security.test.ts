/**
 * Transport security and secrets: HTTPS with certificate verification for real endpoints, plain http only to
 * this machine unless explicitly allowed, and the access key secret and STS token never in an error (message,
 * toString, JSON, inspect), in the client's attempt events or notices, nor in the serialized provider.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { EcdClient, EcdClientOptions, AttemptEvent } from "../../provider/ecd/client";
import { resolveEndpoint, EndpointError } from "../../provider/ecd/endpoint";
import { EcdApiError, EcdOutcomeUnknownError } from "../../provider/ecd/errors";
import { desktopBatchProvider } from "../../provider";
import { desktopBatchProviderProxy } from "../../sdk/providerProxy";
import { startEmulator, RunningEmulator } from "../../emulator";

const REGION = "cn-hangzhou";
const SECRET = "SeCrEt-7f3a9c1e-never-print-me";
const TOKEN = "StsToken-91bd44e2-never-print-me";
const WRONG_SECRET = "WrOnGsEcReT-5e1d-never-print-me";
const WRONG_TOKEN = "WrOnGtOkEn-0c7a-never-print-me";
const SECRETS = [SECRET, TOKEN, WRONG_SECRET, WRONG_TOKEN];

const listen = (server: Server | ReturnType<typeof createHttpsServer>): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );

describe("endpoints: https verified, plain http only to this machine", () => {
  it("refuses plain http to a host that is not this machine, naming the setting that allows it", () => {
    for (const endpoint of [
      "http://ecd.example.com",
      "http://10.0.0.1:8912",
      "http://128.0.0.1",
      "http://127.0.0.1.example.com",
      "http://localhost.example.com",
      "http://0.0.0.0:8912",
    ]) {
      expect(() => resolveEndpoint(REGION, endpoint, {})).toThrow(EndpointError);
      expect(() => resolveEndpoint(REGION, endpoint, {})).toThrow(
        /uses plain http to a host that is not this machine, so requests and answers would travel unencrypted: use https:\/\/, or set PULUMI_ECD_ALLOW_INSECURE_HTTP=1 to allow it$/,
      );
    }
    expect(() => new EcdClient({ regionId: REGION, endpoint: "http://ecd.example.com", env: {} })).toThrow(
      /\(from ecd:endpoint\) uses plain http/,
    );
    expect(() =>
      resolveEndpoint(REGION, undefined, { ALIBABA_CLOUD_ECD_ENDPOINT: "http://ecd.example.com" }),
    ).toThrow(/\(from ALIBABA_CLOUD_ECD_ENDPOINT\) uses plain http/);
  });

  it("allows it when PULUMI_ECD_ALLOW_INSECURE_HTTP=1, with a notice", () => {
    const env = { PULUMI_ECD_ALLOW_INSECURE_HTTP: "1" };
    expect(resolveEndpoint(REGION, "http://ecd.example.com", env)).toMatchObject({ protocol: "http" });
    const notices: string[] = [];
    new EcdClient({
      regionId: REGION,
      endpoint: "http://ecd.example.com",
      env,
      notice: (l) => notices.push(l),
      credentials: { accessKeyId: "a", accessKeySecret: SECRET },
    });
    expect(notices).toEqual([
      "[pulumi-ecd] notice: plain http to http://ecd.example.com, allowed by PULUMI_ECD_ALLOW_INSECURE_HTTP=1: requests and answers travel unencrypted",
    ]);
  });

  it("allows loopback endpoints (127.0.0.0/8, localhost, ::1) over http", () => {
    for (const endpoint of [
      "http://127.0.0.1:8912",
      "http://127.10.20.30",
      "http://localhost:8912",
      "http://[::1]:8912",
    ]) {
      expect(resolveEndpoint(REGION, endpoint, {})).toMatchObject({ protocol: "http" });
    }
    expect(resolveEndpoint(REGION, "ecd.example.com:8443", {})).toMatchObject({ protocol: "https" });
    expect(resolveEndpoint(REGION, undefined, {})).toEqual({
      protocol: "https",
      host: `ecd.${REGION}.aliyuncs.com`,
      source: "default",
    });
  });

  it("says once on this machine, in one line on stderr, that plain http to a loopback endpoint is used", () => {
    const dir = mkdtempSync(join(tmpdir(), "ecd-notice-"));
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    /** A client made as a new process would make it: the module loaded afresh. */
    const clientInNewProcess = (endpoint: string) =>
      jest.isolateModules(() => {
        const { EcdClient: Fresh } =
          jest.requireActual<typeof import("../../provider/ecd/client")>("../../provider/ecd/client");
        new Fresh({
          regionId: REGION,
          endpoint,
          env: { TMPDIR: dir },
          credentials: { accessKeyId: "a", accessKeySecret: SECRET },
        });
      });
    try {
      jest.isolateModules(() => {
        const { EcdClient: Fresh } =
          jest.requireActual<typeof import("../../provider/ecd/client")>("../../provider/ecd/client");
        for (const endpoint of ["http://127.0.0.1:65000", "http://127.0.0.1:65000", "http://localhost:65001"])
          new Fresh({
            regionId: REGION,
            endpoint,
            env: { TMPDIR: dir },
            credentials: { accessKeyId: "a", accessKeySecret: SECRET },
          });
      });
      // The next pulumi command, or the next test file's emulator on another port.
      clientInNewProcess("http://127.0.0.1:65002");
      clientInNewProcess("https://127.0.0.1:65000");
    } finally {
      spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(written).toEqual([
      "[pulumi-ecd] notice: plain http to the loopback endpoint http://127.0.0.1:65000 (no TLS; fine for the local emulator)\n",
    ]);
  });

  it("verifies the server's certificate: a self-signed one is refused at once, not retried", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ecd-tls-"));
    const server = (() => {
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:prime256v1",
          "-nodes",
          "-keyout",
          join(dir, "key.pem"),
          "-out",
          join(dir, "cert.pem"),
          "-days",
          "1",
          "-subj",
          "/CN=127.0.0.1",
        ],
        { stdio: "ignore" },
      );
      return createHttpsServer(
        { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) },
        (_req, res) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ RequestId: "R", Regions: [] }));
        },
      );
    })();
    const port = await listen(server);
    const saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    // Even a process told to skip verification globally keeps verifying ECD endpoints.
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
    const attempts: AttemptEvent[] = [];
    try {
      const client = new EcdClient({
        regionId: REGION,
        endpoint: `https://127.0.0.1:${port}`,
        env: {},
        credentials: { accessKeyId: "a", accessKeySecret: SECRET },
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
        onAttempt: (e) => attempts.push(e),
      });
      const error = await client.describeRegions().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EcdApiError);
      expect((error as EcdApiError).code).toBe("UntrustedEndpoint");
      expect((error as EcdApiError).message).toMatch(
        new RegExp(
          `^DescribeRegions failed at https://127\\.0\\.0\\.1:${port}: the server's TLS certificate could not be verified: .*\\(DEPTH_ZERO_SELF_SIGNED_CERT\\); check the ecd:endpoint setting, whose server must present a certificate this machine trusts \\(UntrustedEndpoint\\)$`,
        ),
      );
      expect(attempts.map((a) => a.outcome)).toEqual(["fail"]);
    } finally {
      if (saved === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved;
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the secret and the STS token never show", () => {
  let emu: RunningEmulator;
  const seen: string[] = [];
  /** Everything a user or a log could see of a value. */
  const record = (value: unknown): void => {
    seen.push(
      String(value),
      JSON.stringify(value) ?? "",
      inspect(value, { depth: Infinity, showHidden: true }),
    );
    if (value instanceof Error) seen.push(value.stack ?? "", value.message);
  };
  const client = (extra: Partial<EcdClientOptions> = {}) =>
    new EcdClient({
      regionId: REGION,
      endpoint: emu.url,
      credentials: { accessKeyId: "LTAI-scan", accessKeySecret: SECRET, securityToken: TOKEN },
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      env: {},
      notice: (line) => seen.push(line),
      onAttempt: (event) => record(event),
      ...extra,
    });
  const failed = async (promise: Promise<unknown>): Promise<unknown> => {
    const error = await promise.then(
      () => new Error("expected a failure"),
      (e: unknown) => e,
    );
    record(error);
    return error;
  };

  beforeAll(async () => {
    emu = await startEmulator({
      credentials: [{ accessKeyId: "LTAI-scan", accessKeySecret: SECRET, securityToken: TOKEN }],
    });
  });
  afterAll(() => emu.close());

  it("in errors, attempt events and notices, with both signature styles", async () => {
    const closed = createHttpServer();
    const closedPort = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const silent = createHttpServer(() => undefined);
    const silentPort = await listen(silent);
    try {
      for (const signature of ["v3", "v1"] as const) {
        await client({ signature }).describeRegions();
        expect(
          await failed(
            client({
              signature,
              credentials: { accessKeyId: "LTAI-scan", accessKeySecret: WRONG_SECRET, securityToken: TOKEN },
            }).describeRegions(),
          ),
        ).toMatchObject({ code: "SignatureDoesNotMatch" });
        expect(
          await failed(
            client({
              signature,
              credentials: { accessKeyId: "LTAI-scan", accessKeySecret: SECRET, securityToken: WRONG_TOKEN },
            }).describeRegions(),
          ),
        ).toMatchObject({ code: expect.stringMatching(/^InvalidSecurityToken/) });
        // With V1 the URL query carries the STS token: transport errors append that URL.
        expect(
          await failed(client({ signature, endpoint: `http://127.0.0.1:${closedPort}` }).describeRegions()),
        ).toMatchObject({ code: "ConnectionFailed" });
        const slow = client({
          signature,
          endpoint: `http://127.0.0.1:${silentPort}`,
          readTimeoutMs: 80,
          connectTimeoutMs: 80,
        });
        expect(await failed(slow.describeRegions())).toMatchObject({ code: "NoResponse" });
        expect(
          await failed(
            slow.createDesktops({ officeSiteId: `${REGION}+dir-0000000001`, bundleId: "b-win-office-4c8g" }),
          ),
        ).toBeInstanceOf(EcdOutcomeUnknownError);
        emu.faults.script({ kind: "malformed", shape: "truncated", times: 2 });
        expect(await failed(client({ signature }).describeDesktops({}))).toMatchObject({
          code: "BadResponse",
        });
      }
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
    const everything = seen.join("\n");
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/SecurityToken=|Signature=|\?RegionId=/);
    // The scan looked at real material: every attempt and every error above.
    expect(seen.length).toBeGreaterThan(60);
  });

  it("in the provider Pulumi serializes into the state, after configure() was given them", async () => {
    const config = new Map([
      ["alicloud:accessKey", "LTAI-scan"],
      ["alicloud:secretKey", SECRET],
      ["alicloud:securityToken", TOKEN],
      ["ecd:endpoint", emu.url],
      ["alicloud:region", REGION],
    ]);
    const provider = desktopBatchProvider();
    await provider.configure({
      config: { get: (key: string) => config.get(key), require: (key: string) => config.get(key) ?? "" },
    } as never);
    await provider.check({}, { officeSiteId: `${REGION}+dir-0000000001`, bundleId: "b-win-office-4c8g" });
    const serialized = await pulumi.runtime.serializeFunction(() => desktopBatchProviderProxy, {
      allowSecrets: true,
    });
    expect(serialized.text.length).toBeGreaterThan(100);
    for (const secret of SECRETS) expect(serialized.text).not.toContain(secret);
  });
});
