import { startEmulator, type RunningEmulator } from "../../emulator";
import { callEcd, ecdError, makeClient } from "./support/client";
import { nonce, rawPost, timestamp, v1Request, v3Request } from "./support/raw";

const REGION = { RegionId: "cn-hangzhou" };
const SIXTEEN_MINUTES = 16 * 60 * 1000;

describe("request authentication and routing", () => {
  let emu: RunningEmulator;

  beforeAll(async () => {
    emu = await startEmulator({
      credentials: [
        { accessKeyId: "emulator", accessKeySecret: "emulator-secret" },
        { accessKeyId: "sts-key", accessKeySecret: "sts-secret", securityToken: "sts-token" },
      ],
    });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  test("accepts the client's default ACS3-HMAC-SHA256 signature", async () => {
    const body = await callEcd(makeClient(emu), "DescribeRegions", REGION);
    expect(body.RequestId).toEqual(expect.any(String));
    expect(emu.calls.entries()).toEqual([
      expect.objectContaining({ action: "DescribeRegions", httpStatus: 200, signature: "V3" }),
    ]);
  });

  test("accepts the classic HMAC-SHA1 signature (signatureAlgorithm v2)", async () => {
    await callEcd(makeClient(emu, { signatureAlgorithm: "v2" }), "DescribeRegions", REGION);
    expect(emu.calls.entries()).toEqual([expect.objectContaining({ httpStatus: 200, signature: "V1" })]);
  });

  test.each([undefined, "v2" as const])(
    "a wrong secret is answered 400 SignatureDoesNotMatch (%s)",
    async (algorithm) => {
      const client = makeClient(emu, { signatureAlgorithm: algorithm, accessKeySecret: "not-the-secret" });
      const error = await ecdError(callEcd(client, "DescribeRegions", REGION));
      expect(error).toMatchObject({ code: "SignatureDoesNotMatch", statusCode: 400 });
    },
  );

  test.each([undefined, "v2" as const])(
    "an unknown access key is answered 404 InvalidAccessKeyId.NotFound (%s)",
    async (algorithm) => {
      const client = makeClient(emu, { signatureAlgorithm: algorithm, accessKeyId: "nobody" });
      const error = await ecdError(callEcd(client, "DescribeRegions", REGION));
      expect(error).toMatchObject({ code: "InvalidAccessKeyId.NotFound", statusCode: 404 });
    },
  );

  test("error bodies carry RequestId, HostId, Code, Message and Recommend", async () => {
    const client = makeClient(emu, { accessKeySecret: "wrong" });
    const { data } = await ecdError(callEcd(client, "DescribeRegions", REGION));
    expect(data).toEqual({
      RequestId: expect.stringMatching(/^[0-9A-F-]{36}$/),
      HostId: "ecd.cn-hangzhou.aliyuncs.com",
      Code: "SignatureDoesNotMatch",
      Message: expect.any(String),
      Recommend: "https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&product=ecd",
      statusCode: 400,
    });
  });

  test("a V3 request dated more than 15 minutes ago is answered InvalidTimeStamp.Expired", async () => {
    const stale = timestamp(Date.now() - SIXTEEN_MINUTES);
    const viaClient = await ecdError(
      callEcd(makeClient(emu), "DescribeRegions", REGION, { headers: { "x-acs-date": stale } }),
    );
    expect(viaClient).toMatchObject({ code: "InvalidTimeStamp.Expired", statusCode: 400 });
    const crafted = await v3Request(emu, "DescribeRegions", REGION, { date: stale });
    expect(crafted).toMatchObject({ status: 400, body: { Code: "InvalidTimeStamp.Expired" } });
  });

  test("a V1 request stamped in the future beyond 15 minutes is answered InvalidTimeStamp.Expired", async () => {
    const response = await v1Request(emu, "DescribeRegions", REGION, {
      timestamp: timestamp(Date.now() + SIXTEEN_MINUTES),
    });
    expect(response).toMatchObject({ status: 400, body: { Code: "InvalidTimeStamp.Expired" } });
  });

  test("a reused V3 nonce is answered SignatureNonceUsed", async () => {
    const fixed = nonce();
    const client = makeClient(emu);
    await callEcd(client, "DescribeRegions", REGION, { headers: { "x-acs-signature-nonce": fixed } });
    const error = await ecdError(
      callEcd(client, "DescribeRegions", REGION, { headers: { "x-acs-signature-nonce": fixed } }),
    );
    expect(error).toMatchObject({ code: "SignatureNonceUsed", statusCode: 400 });
  });

  test("a reused V1 nonce is answered SignatureNonceUsed", async () => {
    const fixed = nonce();
    expect((await v1Request(emu, "DescribeRegions", REGION, { nonce: fixed })).status).toBe(200);
    const replay = await v1Request(emu, "DescribeRegions", REGION, { nonce: fixed });
    expect(replay).toMatchObject({ status: 400, body: { Code: "SignatureNonceUsed" } });
  });

  test("form-body parameters are merged with the query and signed (V1 and V3)", async () => {
    const v1 = await v1Request(emu, "DescribeOfficeSites", REGION, {
      body: { "OfficeSiteId.1": "cn-hangzhou+dir-0000000002" },
    });
    expect(v1.status).toBe(200);
    expect(v1.body.OfficeSites).toEqual([expect.objectContaining({ Name: "ad-office" })]);
    const v3 = await v3Request(emu, "DescribeOfficeSites", REGION, {
      body: { "OfficeSiteId.1": "cn-hangzhou+dir-0000000001" },
    });
    expect(v3.status).toBe(200);
    expect(v3.body.OfficeSites).toEqual([expect.objectContaining({ Name: "simple-office" })]);
  });

  test("x-acs-content-sha256 must match the body", async () => {
    const response = await v3Request(emu, "DescribeRegions", REGION, {
      body: { AcceptLanguage: "en" },
      claimedBodyHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    });
    expect(response).toMatchObject({ status: 400, body: { Code: "SignatureDoesNotMatch" } });
  });

  test("parameter values are verified after decoding and strict re-encoding", async () => {
    const client = makeClient(emu);
    const body = await callEcd(client, "DescribeDesktops", { ...REGION, DesktopName: "my desk*(ü)+'!~" });
    expect(body.Desktops).toEqual([]);
    await callEcd(makeClient(emu, { signatureAlgorithm: "v2" }), "DescribeDesktops", {
      ...REGION,
      DesktopName: "a b*(ü)+'!",
    });
  });

  test("an STS key needs its security token", async () => {
    const good = makeClient(emu, {
      accessKeyId: "sts-key",
      accessKeySecret: "sts-secret",
      securityToken: "sts-token",
    });
    await callEcd(good, "DescribeRegions", REGION);
    await callEcd(
      makeClient(emu, {
        accessKeyId: "sts-key",
        accessKeySecret: "sts-secret",
        securityToken: "sts-token",
        signatureAlgorithm: "v2",
      }),
      "DescribeRegions",
      REGION,
    );
    const bad = makeClient(emu, {
      accessKeyId: "sts-key",
      accessKeySecret: "sts-secret",
      securityToken: "other",
    });
    const error = await ecdError(callEcd(bad, "DescribeRegions", REGION));
    expect(error.code).toBe("InvalidSecurityToken.MismatchWithAccessKey");
  });

  test("an unsigned request is rejected", async () => {
    const response = await rawPost(emu, "/?Action=DescribeRegions&Version=2020-09-30&RegionId=cn-hangzhou");
    expect(response).toMatchObject({ status: 400, body: { Code: "IncompleteSignature" } });
  });

  test("an unknown action is answered 404 InvalidAction.NotFound", async () => {
    const error = await ecdError(callEcd(makeClient(emu), "DescribeUnicorns", REGION));
    expect(error).toMatchObject({ code: "InvalidAction.NotFound", statusCode: 404 });
  });

  test("a missing version or one other than 2020-09-30 is answered 404 InvalidApi.NotFound", async () => {
    const other = await rawPost(emu, "/?Action=DescribeRegions&Version=2020-10-02&RegionId=cn-hangzhou");
    expect(other).toMatchObject({ status: 404, body: { Code: "InvalidApi.NotFound" } });
    const missing = await rawPost(emu, "/?Action=DescribeRegions&RegionId=cn-hangzhou");
    expect(missing).toMatchObject({ status: 404, body: { Code: "InvalidApi.NotFound" } });
    const v3 = await v3Request(emu, "DescribeRegions", REGION, {
      headers: { "x-acs-version": "2020-10-02" },
    });
    expect(v3).toMatchObject({ status: 404, body: { Code: "InvalidApi.NotFound" } });
  });

  test("V1 is routed on the signed Action; an x-acs-action or x-acs-version header that disagrees is refused", async () => {
    const created = await callEcd(makeClient(emu), "CreateDesktops", {
      ...REGION,
      OfficeSiteId: "cn-hangzhou+dir-0000000001",
      BundleId: "b-win-office-4c8g",
    });
    const [id] = created.DesktopId as string[];
    emu.backend.forceStatus(id, "Running");
    const params = { ...REGION, "DesktopId.1": id };

    const smuggled = await v1Request(emu, "DescribeDesktops", params, {
      headers: { "x-acs-action": "DeleteDesktops" },
    });
    expect(smuggled).toMatchObject({ status: 400, body: { Code: "SignatureDoesNotMatch" } });
    expect(emu.backend.describeDesktops()[0].DesktopStatus).toBe("Running");
    expect(emu.calls.entries().at(-1)).toMatchObject({ action: "DescribeDesktops", httpStatus: 400 });

    const otherVersion = await v1Request(emu, "DescribeRegions", REGION, {
      headers: { "x-acs-version": "2020-10-02" },
    });
    expect(otherVersion).toMatchObject({ status: 400, body: { Code: "SignatureDoesNotMatch" } });

    const agreeing = await v1Request(emu, "DescribeDesktops", params, {
      headers: { "x-acs-action": "DescribeDesktops", "x-acs-version": "2020-09-30" },
    });
    expect(agreeing.status).toBe(200);
  });

  test.each([
    ["host", { unsigned: ["host"] }],
    ["x-acs-action", { unsigned: ["x-acs-action"] }],
    ["x-acs-version", { unsigned: ["x-acs-version"] }],
    ["other x-acs-* header", { headers: { "x-acs-extra": "1" }, unsigned: ["x-acs-extra"] }],
  ])("V3 refuses an unsigned %s with 400 IncompleteSignature", async (_name, options) => {
    const response = await v3Request(emu, "DescribeRegions", REGION, options);
    expect(response).toMatchObject({ status: 400, body: { Code: "IncompleteSignature" } });
  });

  test("V3 accepts extra x-acs-* headers when they are signed", async () => {
    const response = await v3Request(emu, "DescribeRegions", REGION, { headers: { "x-acs-extra": "1" } });
    expect(response.status).toBe(200);
  });

  test("RegionId is required, and must be a known region", async () => {
    const client = makeClient(emu);
    expect(await ecdError(callEcd(client, "DescribeRegions", {}))).toMatchObject({
      code: "MissingRegionId",
      statusCode: 400,
    });
    const unknown = await ecdError(callEcd(client, "DescribeRegions", { RegionId: "mars-north-1" }));
    expect(unknown).toMatchObject({ code: "InvalidRegionId.NotFound", statusCode: 400 });
    expect(unknown.data.HostId).toBe("ecd.mars-north-1.aliyuncs.com");
  });
});

describe("with verifySignatures: false", () => {
  test("unsigned requests are served and logged with signature 'none'", async () => {
    const emu = await startEmulator({ verifySignatures: false });
    try {
      const response = await rawPost(emu, "/?Action=DescribeRegions&Version=2020-09-30&RegionId=cn-shanghai");
      expect(response.status).toBe(200);
      expect(emu.calls.entries()[0]).toMatchObject({
        action: "DescribeRegions",
        signature: "none",
        httpStatus: 200,
      });
    } finally {
      await emu.close();
    }
  });
});
