import { resolveCredentials } from "../../provider/ecd/credentials";
import { resolveEndpoint } from "../../provider/ecd/endpoint";
import { EcdCredentialsError } from "../../provider/ecd/errors";
import { backoffDelay, isRetryableApiError } from "../../provider/ecd/retry";
import { EcdApiError } from "../../provider/ecd/errors";

describe("endpoint resolution", () => {
  it("defaults to the regional HTTPS endpoint", () => {
    expect(resolveEndpoint("cn-shanghai", undefined, {})).toEqual({
      protocol: "https",
      host: "ecd.cn-shanghai.aliyuncs.com",
      source: "default",
    });
  });
  it("takes a URL or host:port override, from config or ALIBABA_CLOUD_ECD_ENDPOINT", () => {
    expect(resolveEndpoint("cn-hangzhou", "http://127.0.0.1:8912")).toEqual({
      protocol: "http",
      host: "127.0.0.1:8912",
      source: "setting",
    });
    expect(resolveEndpoint("cn-hangzhou", "ecd.example.com:8443")).toEqual({
      protocol: "https",
      host: "ecd.example.com:8443",
      source: "setting",
    });
    const saved = process.env.ALIBABA_CLOUD_ECD_ENDPOINT;
    process.env.ALIBABA_CLOUD_ECD_ENDPOINT = "http://127.0.0.1:9000";
    try {
      expect(resolveEndpoint("cn-hangzhou")).toEqual({
        protocol: "http",
        host: "127.0.0.1:9000",
        source: "environment",
      });
    } finally {
      if (saved === undefined) delete process.env.ALIBABA_CLOUD_ECD_ENDPOINT;
      else process.env.ALIBABA_CLOUD_ECD_ENDPOINT = saved;
    }
  });
  it("rejects endpoints it cannot use", () => {
    expect(() => resolveEndpoint("cn-hangzhou", "ftp://x")).toThrow(/only http and https/);
    expect(() => resolveEndpoint("cn-hangzhou", "http://x/path")).toThrow(/must not have a path/);
  });
});

describe("credential resolution", () => {
  const none = () => false;
  it("prefers explicit keys, then ALIBABA_CLOUD_*, then ALICLOUD_*", () => {
    const env = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: "a",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "b",
      ALICLOUD_ACCESS_KEY: "c",
      ALICLOUD_SECRET_KEY: "d",
    };
    expect(resolveCredentials({ accessKeyId: "x", accessKeySecret: "y" }, env, none).keys?.accessKeyId).toBe(
      "x",
    );
    expect(resolveCredentials(undefined, env, none).keys).toEqual({
      accessKeyId: "a",
      accessKeySecret: "b",
      securityToken: undefined,
    });
    const legacy = resolveCredentials(
      undefined,
      { ALICLOUD_ACCESS_KEY: "c", ALICLOUD_SECRET_KEY: "d", ALICLOUD_SECURITY_TOKEN: "t" },
      none,
    );
    expect(legacy.keys).toEqual({ accessKeyId: "c", accessKeySecret: "d", securityToken: "t" });
  });
  it("hands over to the @alicloud/credentials default chain when something points at it", () => {
    const resolved = resolveCredentials(undefined, { ALIBABA_CLOUD_OIDC_TOKEN_FILE: "/var/run/token" }, none);
    expect(resolved.keys).toBeUndefined();
    expect(resolved.source).toMatch(/default chain/);
  });
  it("names every place it looked when nothing is configured", () => {
    let error: unknown;
    try {
      resolveCredentials(undefined, {}, none);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EcdCredentialsError);
    const message = (error as Error).message;
    for (const place of [
      "alicloud:accessKey",
      "ALIBABA_CLOUD_ACCESS_KEY_ID",
      "ALICLOUD_ACCESS_KEY",
      "default chain",
    ]) {
      expect(message).toContain(place);
    }
  });
  it("refuses half a key pair", () => {
    expect(() => resolveCredentials({ accessKeyId: "x" }, {}, none)).toThrow(
      /both an access key ID and an access key secret/,
    );
  });
});

describe("retry policy", () => {
  it("treats throttling, ServiceUnavailable, InternalError and 5xx as transient", () => {
    const err = (code: string, httpStatus: number) =>
      new EcdApiError({ operation: "X", code, message: "m", httpStatus });
    expect(isRetryableApiError(err("Throttling.User", 400))).toBe(true);
    expect(isRetryableApiError(err("Throttling", 400))).toBe(true);
    expect(isRetryableApiError(err("ServiceUnavailable", 503))).toBe(true);
    expect(isRetryableApiError(err("InternalError", 500))).toBe(true);
    expect(isRetryableApiError(err("Whatever", 502))).toBe(true);
    expect(isRetryableApiError(err("InvalidAmount", 400))).toBe(false);
    expect(isRetryableApiError(err("SignatureDoesNotMatch", 400))).toBe(false);
  });
  it("uses full jitter under an exponential ceiling with a cap", () => {
    const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(policy, 0, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(400);
    expect(backoffDelay(policy, 10, () => 0.999)).toBe(999);
    expect(backoffDelay(policy, 10, () => 0)).toBe(0);
  });
});
