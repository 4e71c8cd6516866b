/** The ECD client and the emulator agree on every operation we use, through real HTTP. */
import * as diagnostics from "diagnostics_channel";
import type * as http from "http";
import type { Socket } from "net";
import { EcdClient, EcdClientOptions } from "../../provider/ecd/client";
import { EcdApiError, EcdOutcomeUnknownError } from "../../provider/ecd/errors";
import { startEmulator, RunningEmulator } from "../../emulator";
import { Pacer } from "../../provider/ecd/pacing";
import { SteppedClock } from "../support/steppedClock";

const REGION = "cn-hangzhou";
const SITE = `${REGION}+dir-0000000001`;

describe("ECD client against the emulator", () => {
  let emu: RunningEmulator;
  const attempts: string[] = [];
  const client = (extra: Partial<EcdClientOptions> = {}) =>
    new EcdClient({
      regionId: REGION,
      endpoint: emu.url,
      credentials: emu.credentials[0],
      retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 4 },
      // Its own budget on a stepped clock: a throttled test neither waits nor slows the next one.
      pacer: new Pacer({ clock: new SteppedClock() }),
      onAttempt: (event) =>
        attempts.push(`${event.operation}:${event.outcome}${event.error ? `:${event.error}` : ""}`),
      ...extra,
    });

  beforeAll(async () => {
    emu = await startEmulator({
      durations: {
        createMs: 20,
        startMs: 20,
        stopMs: 20,
        deleteMs: 20,
        entitlementMs: 20,
        chargeTypeMs: 20,
        specMs: 20,
      },
    });
  });
  afterAll(async () => emu.close());
  beforeEach(() => {
    emu.reset();
    attempts.length = 0;
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 60));

  it("is accepted with both signature styles", async () => {
    for (const signature of ["v3", "v1"] as const) {
      const regions = await client({ signature }).describeRegions();
      expect(regions.regions?.map((r) => r.regionId)).toContain(REGION);
    }
    expect(emu.calls.entries("DescribeRegions").map((c) => c.signature)).toEqual(["V3", "V1"]);
  });

  it("turns a wrong secret into an error value with code, status and request id, without the secret", async () => {
    const wrong = client({ credentials: { accessKeyId: "emulator", accessKeySecret: "not-the-secret" } });
    const error = await wrong.describeRegions().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EcdApiError);
    expect(error).toMatchObject({
      operation: "DescribeRegions",
      code: "SignatureDoesNotMatch",
      httpStatus: 400,
    });
    const apiError = error as EcdApiError;
    expect(apiError.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(apiError.recommend).toContain("SignatureDoesNotMatch");
    expect(apiError.hostId).toBe(`ecd.${REGION}.aliyuncs.com`);
    expect(apiError.message).not.toContain("not-the-secret");
    expect(attempts).toEqual(["DescribeRegions:fail:SignatureDoesNotMatch"]);
    const unknown = await client({ credentials: { accessKeyId: "nobody", accessKeySecret: "x" } })
      .describeRegions()
      .catch((e: EcdApiError) => e);
    expect(unknown).toMatchObject({ code: "InvalidAccessKeyId.NotFound", httpStatus: 404 });
  });

  it("parses the service's business errors", async () => {
    const error = await client()
      .createDesktops({ officeSiteId: SITE, bundleId: "b-missing", amount: 1 })
      .catch((e: EcdApiError) => e);
    expect(error).toMatchObject({
      operation: "CreateDesktops",
      code: "InvalidDesktopBundle.NotFound",
      httpStatus: 400,
    });
    const amount = await client()
      .createDesktops({ officeSiteId: SITE, bundleId: "b-win-office-4c8g", amount: 301 })
      .catch((e: EcdApiError) => e);
    expect(amount).toMatchObject({ code: "InvalidAmount" });
  });

  it("delivers every nested CreateDesktops parameter intact", async () => {
    const c = client();
    const timer = {
      timerType: "NoConnect",
      cronExpression: "0 0 16 ? * 1,2,3,4,5,6,7",
      interval: 10,
      enforce: true,
      resetType: "RESET_TYPE_SYSTEM",
      operationType: "Shutdown",
      allowClientSetting: false,
    };
    const command = {
      content: "ZWNobyBoaQ==",
      contentEncoding: "Base64",
      contentType: "RunPowerShellScript",
    };
    const placed = await c.createDesktops({
      officeSiteId: `${REGION}+dir-0000000002`,
      bundleId: "b-win-office-4c8g",
      policyGroupId: "pg-emu-custom-0001",
      amount: 2,
      desktopName: "nested",
      hostname: "nest-[7,2]",
      endUserIds: ["alice", "bob"],
      userAssignMode: "PER_USER",
      tags: [
        { key: "k1", value: "v1" },
        { key: "k2", value: "" },
      ],
      userCommands: [command],
      desktopTimers: [timer],
      monthDesktopSetting: { useDuration: 120, buyerId: 42, desktopId: "ecd-month" },
      volumeEncryptionEnabled: true,
      volumeEncryptionKey: "key-emu-0001",
      chargeType: "PrePaid",
      period: 2,
      periodUnit: "Month",
      autoPay: false,
      autoRenew: true,
      promotionId: "promo-1",
      snapshotPolicyId: "sp-1",
      resourceGroupId: "rg-1",
      timerGroupId: "ccg-1",
      subnetId: "vsw-1",
      groupId: "dg-1",
    });
    // AutoPay false: the answer is the order only; the desktops exist once it is paid.
    expect(placed.desktopId).toEqual([]);
    const desktopId = emu.backend.payOrder(placed.orderId!);
    expect(desktopId).toHaveLength(2);
    const stored = emu.backend.getDesktop(desktopId[0])!;
    expect(stored).toMatchObject({
      name: "nested-1",
      hostname: "nest-07",
      officeSiteId: `${REGION}+dir-0000000002`,
      policyGroupIds: ["pg-emu-custom-0001"],
      endUserIds: ["alice"],
      userAssignMode: "PER_USER",
      volumeEncryptionEnabled: true,
      volumeEncryptionKey: "key-emu-0001",
      chargeType: "PrePaid",
      period: 2,
      periodUnit: "Month",
      autoPay: false,
      autoRenew: true,
      promotionId: "promo-1",
      snapshotPolicyId: "sp-1",
      resourceGroupId: "rg-1",
      timerGroupId: "ccg-1",
      subnetId: "vsw-1",
      groupId: "dg-1",
    });
    expect(Object.fromEntries(stored.tags)).toEqual({ k1: "v1", k2: "" });
    expect(stored.userCommands).toEqual([
      { Content: command.content, ContentEncoding: "Base64", ContentType: "RunPowerShellScript" },
    ]);
    expect(stored.desktopTimers).toEqual([
      {
        TimerType: "NoConnect",
        CronExpression: timer.cronExpression,
        Interval: 10,
        Enforce: true,
        ResetType: "RESET_TYPE_SYSTEM",
        OperationType: "Shutdown",
        AllowClientSetting: false,
      },
    ]);
    expect(stored.monthDesktopSetting).toEqual({ UseDuration: 120, BuyerId: 42, DesktopId: "ecd-month" });
    expect(emu.backend.getDesktop(desktopId[1])).toMatchObject({ hostname: "nest-08", endUserIds: ["bob"] });

    const attachment = {
      desktopType: "eds.enterprise_office.2c4g",
      imageId: "m-ubuntu2204-emu",
      systemDiskCategory: "cloud_essd",
      systemDiskSize: 80,
      systemDiskPerLevel: "PL1",
      dataDiskCategory: "cloud_essd",
      dataDiskSize: 60,
      dataDiskPerLevel: "PL0",
      defaultLanguage: "en-US",
    };
    const made = await c.createDesktops({ officeSiteId: SITE, desktopAttachment: attachment });
    const attached = emu.backend.getDesktop(made.desktopId[0])!;
    expect(attached.desktopAttachment).toEqual({
      DesktopType: "eds.enterprise_office.2c4g",
      ImageId: "m-ubuntu2204-emu",
      SystemDiskCategory: "cloud_essd",
      SystemDiskSize: 80,
      SystemDiskPerLevel: "PL1",
      DataDiskCategory: "cloud_essd",
      DataDiskSize: 60,
      DataDiskPerLevel: "PL0",
      DefaultLanguage: "en-US",
    });
    const described = emu.backend.describeDesktops(REGION).find((d) => d.DesktopId === made.desktopId[0])!;
    expect(described.Disks?.map((d) => [d.DiskType, d.DiskSize, d.DiskCategory, d.PerformanceLevel])).toEqual(
      [
        ["SYSTEM", 80, "cloud_essd", "PL1"],
        ["DATA", 60, "cloud_essd", "PL0"],
      ],
    );

    const models = await c.createDesktops({
      officeSiteId: `${REGION}+dir-0000000002`,
      bundleModels: [
        {
          bundleId: "b-win-office-4c8g",
          amount: 1,
          endUserIds: ["carol"],
          desktopName: "m1",
          hostname: "model-[1,2]",
        },
        {
          bundleId: "b-win-office-8c16g",
          amount: 2,
          endUserIds: ["dave", "erin"],
          volumeEncryptionEnabled: true,
          volumeEncryptionKey: "key-emu-0002",
        },
      ],
    });
    const byModel = models.desktopId.map((id) => emu.backend.getDesktop(id)!);
    expect(byModel.map((d) => [d.bundleId, d.bundleModelIndex])).toEqual([
      ["b-win-office-4c8g", 0],
      ["b-win-office-8c16g", 1],
      ["b-win-office-8c16g", 1],
    ]);
    expect(byModel[0]).toMatchObject({ name: "m1", hostname: "model-01", endUserIds: ["carol"] });
    expect(byModel[1]).toMatchObject({ volumeEncryptionEnabled: true, volumeEncryptionKey: "key-emu-0002" });
    expect(new Set([...byModel[1].endUserIds, ...byModel[2].endUserIds])).toEqual(new Set(["dave", "erin"]));
  });

  it("walks pagination of DescribeDesktops and ListTagResources, and batches 100 IDs a call", async () => {
    const c = client();
    const ids: string[] = [];
    for (const amount of [300, 30]) {
      ids.push(
        ...(
          await c.createDesktops({
            officeSiteId: SITE,
            bundleId: "b-win-office-4c8g",
            amount,
            tags: [{ key: "page", value: "yes" }],
          })
        ).desktopId,
      );
    }
    emu.calls.reset();
    const all = (await c.describeAllDesktops({})).map((d) => d.desktopId);
    expect(all).toHaveLength(330);
    expect(new Set(all)).toEqual(new Set(ids));
    expect(emu.calls.counts().DescribeDesktops).toBe(4);
    emu.calls.reset();
    const byId = await c.describeAllDesktops({ desktopIds: ids });
    expect(byId.map((d) => d.desktopId).sort()).toEqual([...ids].sort());
    expect(emu.calls.counts().DescribeDesktops).toBe(4);
    const rows = await c.listAllTagResources({ tags: [{ key: "page", value: "yes" }] });
    expect(rows).toHaveLength(330);
    expect(new Set(rows.map((r) => r.resourceId))).toEqual(new Set(ids));
  });

  it("retries throttling and 5xx until the call succeeds", async () => {
    emu.faults.script(
      { action: "DescribeRegions", kind: "throttle", times: 2 },
      { action: "DescribeRegions", kind: "serverError", times: 1 },
    );
    await client().describeRegions();
    expect(attempts).toEqual([
      "DescribeRegions:retry:Throttling.User",
      "DescribeRegions:retry:Throttling.User",
      expect.stringMatching(/^DescribeRegions:retry:(ServiceUnavailable|InternalError)$/),
      "DescribeRegions:ok",
    ]);
    expect(emu.calls.counts().DescribeRegions).toBe(4);
  });

  it("gives up on server errors after the last attempt with the last error", async () => {
    emu.faults.script({ action: "DescribeRegions", kind: "serverError", times: 10 });
    await expect(client().describeRegions()).rejects.toMatchObject({
      code: expect.stringMatching(/^(ServiceUnavailable|InternalError)$/),
    });
    expect(emu.calls.counts().DescribeRegions).toBe(4);
    emu.faults.reset();
  });

  it("retries throttling past the last attempt, until the call's deadline", async () => {
    emu.faults.script({ action: "DescribeRegions", kind: "throttle", times: 10 });
    await client().describeRegions();
    expect(emu.calls.counts().DescribeRegions).toBe(11);
    emu.faults.reset();
  });

  it("re-sends idempotent calls whose connection dropped", async () => {
    emu.faults.script({ action: "DescribeDesktops", kind: "drop", times: 1 });
    await client().describeDesktops({});
    expect(attempts).toEqual(["DescribeDesktops:retry:NoResponse", "DescribeDesktops:ok"]);
  });

  it("reports a CreateDesktops whose response was lost as outcome unknown, and does not re-send it", async () => {
    emu.faults.script({ action: "CreateDesktops", kind: "responseLost", times: 1 });
    const error = await client()
      .createDesktops({ officeSiteId: SITE, bundleId: "b-win-office-4c8g", amount: 2 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EcdOutcomeUnknownError);
    expect(emu.calls.counts().CreateDesktops).toBe(1);
    expect(emu.backend.describeDesktops(REGION)).toHaveLength(2);
  });

  it("treats a read timeout on CreateDesktops as outcome unknown, and retries it on reads", async () => {
    emu.faults.set({ latencyMs: 400, actions: ["CreateDesktops", "DescribeRegions"] });
    const slow = client({
      readTimeoutMs: 150,
      connectTimeoutMs: 150,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    await expect(
      slow.createDesktops({ officeSiteId: SITE, bundleId: "b-win-office-4c8g", amount: 1 }),
    ).rejects.toBeInstanceOf(EcdOutcomeUnknownError);
    await expect(slow.describeRegions()).rejects.toMatchObject({ code: "NoResponse" });
    expect(attempts.filter((a) => a.startsWith("DescribeRegions"))).toEqual([
      "DescribeRegions:retry:NoResponse",
      "DescribeRegions:fail:NoResponse",
    ]);
    emu.faults.reset();
  });

  it("a call on a reused connection keeps its own read timeout after an earlier call on it finished", async () => {
    const slow = client({ readTimeoutMs: 250, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    await slow.describeRegions();
    await new Promise((resolve) => setTimeout(resolve, 100));
    emu.faults.set({ latencyMs: 700, actions: ["DescribeRegions"] });
    // Before: the first call's read timer, left running by the SDK, fired at 250 ms and cleared this call's.
    await expect(slow.describeRegions()).rejects.toMatchObject({ code: "NoResponse" });
    emu.faults.reset();
  });

  it("leaves no read timer running on a connection once its call is answered", async () => {
    const sockets: Socket[] = [];
    const seen = (message: unknown) => {
      const { socket } = (message as { request: http.ClientRequest }).request;
      if (socket) sockets.push(socket);
    };
    diagnostics.subscribe("http.client.request.start", seen);
    try {
      await client().describeRegions();
    } finally {
      diagnostics.unsubscribe("http.client.request.start", seen);
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(sockets.length).toBeGreaterThan(0);
    for (const socket of sockets) {
      const key = Object.getOwnPropertySymbols(socket).find((s) => s.description === "TIMER::READ_TIMER");
      expect(key).toBeDefined();
      expect((socket as unknown as Record<symbol, unknown>)[key!]).toBeNull();
    }
  });

  it("runs every operation the provider uses", async () => {
    const c = client();
    const { desktopId: ids } = await c.createDesktops({
      officeSiteId: SITE,
      bundleId: "b-win-office-4c8g",
      amount: 2,
      endUserIds: ["alice"],
    });
    await settle();
    await c.modifyDesktopName(ids[0], "renamed");
    const results = await c.modifyDesktopsPolicyGroup(ids, "pg-emu-custom-0001");
    expect(results.map((r) => r.code)).toEqual(["success", "success"]);
    await c.tagResources(ids, [{ key: "a", value: "1" }]);
    await c.untagResources(ids, ["a"]);
    await c.modifyEntitlement(ids[0], ["bob"]);
    await c.modifyUserEntitlement({ endUserIds: ["carol"], authorizeDesktopIds: [ids[1]] });
    await settle();
    await c.stopDesktops(ids);
    await settle();
    const spec = await c.modifyDesktopSpec({
      desktopId: ids[0],
      desktopType: "eds.enterprise_office.8c16g",
      userDiskSizeGib: 100,
    });
    expect(spec.orderId).toBeTruthy();
    await c.startDesktops(ids);
    await settle();
    const charge = await c.modifyDesktopChargeType({
      desktopIds: ids,
      chargeType: "PrePaid",
      period: 1,
      periodUnit: "Month",
    });
    expect(charge.orderId).toBeTruthy();
    await settle();
    const price = await c.describePrice({
      instanceType: "eds.enterprise_office.4c8g",
      rootDiskSizeGib: 80,
      userDiskSizeGib: 40,
      amount: 2,
    });
    expect(price.priceInfo?.price?.tradePrice).toBeGreaterThan(0);
    expect((await c.describeBundles({ bundleIds: ["b-win-office-4c8g"] })).bundles?.[0].osType).toBe(
      "Windows",
    );
    expect((await c.describeImages({ imageIds: ["m-win2019-emu"] })).images).toEqual([
      expect.objectContaining({ imageId: "m-win2019-emu", osType: "Windows", status: "Available" }),
    ]);
    expect((await c.describeOfficeSites()).officeSites?.map((s) => s.officeSiteType).sort()).toEqual([
      "AD_CONNECTOR",
      "SIMPLE",
    ]);
    expect(
      (await c.describePolicyGroups({ maxResults: 100 })).describePolicyGroups?.map((p) => p.policyGroupId),
    ).toContain("system-all-enabled-policy");

    const live = await c.describeAllDesktops({ desktopIds: ids });
    const first = live.find((d) => d.desktopId === ids[0])!;
    expect(first).toMatchObject({
      desktopName: "renamed",
      policyGroupId: "pg-emu-custom-0001",
      endUserIds: ["bob"],
      desktopType: "eds.enterprise_office.8c16g",
      chargeType: "PrePaid",
      desktopStatus: "Running",
    });
    expect(live.find((d) => d.desktopId === ids[1])!.endUserIds?.sort()).toEqual(["alice", "carol"]);
    expect(first.tags ?? []).toEqual([]);

    const refused = await c.deleteDesktops(ids).catch((e: EcdApiError) => e);
    expect(refused).toMatchObject({ code: "InvalidChargeType.Unsupported" });
    await c.modifyDesktopChargeType({ desktopIds: ids, chargeType: "PostPaid" });
    await settle();
    await c.deleteDesktops(ids);
    await settle();
    expect(await c.describeAllDesktops({ desktopIds: ids })).toEqual([]);
  });
});

describe("credentials from the @alicloud/credentials default chain", () => {
  it("signs with the keys of a credentials profile file when that is what is configured", async () => {
    const fs = await import("fs");
    const os = await import("os");
    const path = await import("path");
    const emu = await startEmulator({
      credentials: [{ accessKeyId: "profile-key", accessKeySecret: "profile-secret" }],
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecd-cred-"));
    const file = path.join(dir, "credentials");
    fs.writeFileSync(
      file,
      "[default]\ntype = access_key\naccess_key_id = profile-key\naccess_key_secret = profile-secret\n",
    );
    const saved = { ...process.env };
    for (const name of [
      "ALIBABA_CLOUD_ACCESS_KEY_ID",
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
      "ALICLOUD_ACCESS_KEY",
      "ALICLOUD_SECRET_KEY",
    ]) {
      delete process.env[name];
    }
    process.env.ALIBABA_CLOUD_CREDENTIALS_FILE = file;
    process.env.HOME = dir;
    process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
    try {
      const client = new EcdClient({ regionId: REGION, endpoint: emu.url });
      expect((await client.describeRegions()).regions?.length).toBeGreaterThan(0);
      expect(emu.calls.entries("DescribeRegions")).toHaveLength(1);
    } finally {
      process.env = saved;
      await emu.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
