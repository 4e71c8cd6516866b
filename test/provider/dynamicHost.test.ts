import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, RunningEmulator } from "../../emulator";
import { desktopBatchProviderProxy } from "../../sdk/providerProxy";
import { DynamicProviderHost, DIFF_NONE, DIFF_SOME } from "../support/dynamicHost";

const REPO = path.resolve(__dirname, "..", "..");

describe("the provider inside @pulumi/pulumi's dynamic-provider host, over gRPC", () => {
  let emu: RunningEmulator;
  let host: DynamicProviderHost;
  let serialized: string;

  beforeAll(async () => {
    emu = await startEmulator({ durations: { createMs: 100, deleteMs: 50, entitlementMs: 50 } });
    // Serialized exactly as pulumi.dynamic.Resource serializes a provider into __provider.
    serialized = (
      await pulumi.runtime.serializeFunction(() => desktopBatchProviderProxy, { allowSecrets: true })
    ).text;
    // The host runs from the program's folder; credentials reach it only as stack config, never in the closure.
    host = await DynamicProviderHost.start(REPO, {
      ...process.env,
      PULUMI_ECD_POLL_INTERVAL_MS: "20",
      ALIBABA_CLOUD_ACCESS_KEY_ID: "",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "",
    });
    await host.configure({
      "alicloud:accessKey": emu.credentials[0].accessKeyId,
      "alicloud:secretKey": emu.credentials[0].accessKeySecret,
      "alicloud:region": "cn-hangzhou",
      "ecd:endpoint": emu.url,
    });
  });
  afterAll(async () => {
    host?.stop();
    await emu?.close();
  });

  it("runs Check, Diff, Create, Read, Update and Delete against the emulator", async () => {
    expect(serialized).toContain('require("pulumi-ecd/provider")');
    expect(serialized).not.toContain(emu.credentials[0].accessKeySecret);
    const news = {
      __provider: serialized,
      officeSiteId: "cn-hangzhou+dir-0000000001",
      bundleId: "b-win-office-4c8g",
      desktopName: "grpc",
      amount: 2,
      endUserIds: ["alice"],
      lineage: "1234567890abcdef1234567890abcdef",
    };
    const checked = await host.check({}, news);
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toMatchObject({ regionId: "cn-hangzhou", amount: 2, chargeType: "PostPaid" });

    const bad = await host.check({}, { ...news, amount: 0 });
    expect(bad.failures).toEqual([{ property: "amount", reason: expect.stringMatching(/at least 1/) }]);

    const created = await host.create(checked.inputs);
    expect(created.id).toMatch(/^ecd-batch-[0-9a-f]{32}$/);
    expect(created.properties.desktopIds).toHaveLength(2);
    expect(created.properties.__provider).toBe(serialized);
    expect(emu.backend.describeDesktops("cn-hangzhou").map((d) => d.DesktopStatus)).toEqual([
      "Running",
      "Running",
    ]);

    const read = await host.read(created.id, created.properties);
    expect(read.properties).toEqual(created.properties);
    expect((await host.diff(created.id, created.properties, checked.inputs)).changes).toBe(DIFF_NONE);

    const renamed = (await host.check(checked.inputs, { ...news, desktopName: "grpc2", amount: 3 })).inputs;
    const diff = await host.diff(created.id, created.properties, renamed);
    expect(diff).toEqual({ changes: DIFF_SOME, replaces: [] });
    const updated = await host.update(created.id, created.properties, renamed);
    expect(updated.desktopIds).toHaveLength(3);
    expect(
      emu.backend
        .describeDesktops("cn-hangzhou")
        .map((d) => d.DesktopName)
        .sort(),
    ).toEqual(["grpc2-1", "grpc2-2", "grpc2-3"]);

    const moved = (await host.check(renamed, { ...news, officeSiteId: "cn-hangzhou+dir-0000000002" })).inputs;
    expect((await host.diff(created.id, updated, moved)).replaces).toEqual(["officeSiteId"]);

    await host.delete(created.id, updated);
    expect(emu.backend.describeDesktops("cn-hangzhou")).toHaveLength(0);
  });

  it("hands a refused delete to the engine once: no second copy on stderr, doubled and with stack lines", async () => {
    const news = {
      __provider: serialized,
      officeSiteId: "cn-hangzhou+dir-0000000001",
      bundleId: "b-win-office-4c8g",
      desktopName: "prepaid",
      amount: 1,
      chargeType: "PrePaid",
      period: 1,
      periodUnit: "Month",
      lineage: "abcdef1234567890abcdef1234567890",
    };
    const created = await host.create((await host.check({}, news)).inputs);
    const printedBefore = host.output.length;
    const refusal = await host.delete(created.id, created.properties).then(
      () => undefined,
      (error: Error & { details?: string }) => error.details,
    );
    expect(refusal).toMatch(/^DesktopBatch ecd-batch-\w+ was not deleted: ECD does not release subscription/);
    // One more round trip, so that anything the host wrote while refusing has reached this side.
    await host.check({}, news);
    // The host writes what it prints before it answers: by now any copy of the refusal is in its output.
    expect(host.output.slice(printedBefore).join("")).toBe("");
    expect(emu.backend.describeDesktops("cn-hangzhou")).toHaveLength(1);
  });

  it("a refresh that lacks settings says it uses the ones recorded at the last update, and what to run", async () => {
    const news = {
      __provider: serialized,
      officeSiteId: "cn-hangzhou+dir-0000000001",
      bundleId: "b-win-office-4c8g",
      desktopName: "moved",
      amount: 1,
      lineage: "0123456789abcdef0123456789abcdef",
    };
    const created = await host.create((await host.check({}, news)).inputs);
    // The settings were in the environment at that update and are in the stack config now: a refresh gets neither.
    const stale = await DynamicProviderHost.start(REPO, {
      ...process.env,
      ALIBABA_CLOUD_ACCESS_KEY_ID: "",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "",
    });
    try {
      await stale.configure({});
      const failure = await stale.read(created.id, created.properties).then(
        () => undefined,
        (error: Error & { details?: string }) => error.details,
      );
      expect(failure).toMatch(/^No Alibaba Cloud credentials found\. Looked at: /);
      expect(failure).toMatch(
        /A refresh uses the provider settings recorded at this stack's last update, not the stack config as it is now: if you have just moved settings into the stack config, run `pulumi up` once \(without --refresh\) to record them, then refresh again\.$/,
      );
    } finally {
      stale.stop();
    }
    await host.delete(created.id, created.properties);
  });
});
