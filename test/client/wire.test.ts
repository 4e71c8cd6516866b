import { EcdClient } from "../../provider/ecd/client";
import { fromWire } from "../../provider/ecd/wire";
import { unflatten } from "../../emulator/http/unflatten";
import { startCaptureServer } from "../support/capture";

const credentials = { accessKeyId: "test-id", accessKeySecret: "test-secret" };

describe("ECD client wire encoding", () => {
  it("sends every nested CreateDesktops parameter under its wire name, flattened, with DesktopAttachment as JSON", async () => {
    const capture = await startCaptureServer({
      status: 200,
      body: { RequestId: "R1", DesktopId: ["ecd-a"] },
    });
    try {
      const client = new EcdClient({ regionId: "cn-hangzhou", endpoint: capture.endpoint, credentials });
      await client.createDesktops({
        officeSiteId: "cn-hangzhou+dir-0000000001",
        bundleId: "b-win-office-4c8g",
        amount: 2,
        desktopName: "dev(1)*",
        endUserIds: ["alice", "bob"],
        userAssignMode: "PER_USER",
        tags: [{ key: "env", value: "test" }],
        userCommands: [
          { content: "ZWNobyBoaQ==", contentEncoding: "Base64", contentType: "RunPowerShellScript" },
        ],
        bundleModels: [{ bundleId: "b-1", amount: 1, endUserIds: ["u1", "u2"] }],
        desktopTimers: [{ timerType: "NoConnect", operationType: "Shutdown", interval: 10, enforce: true }],
        monthDesktopSetting: { useDuration: 120 },
        desktopAttachment: { desktopType: "eds.enterprise_office.4c8g", systemDiskSize: 80, dataDiskSize: 0 },
        autoPay: true,
        resellerOwnerUid: 42,
      });
      const [request] = capture.requests;
      expect(request.method).toBe("POST");
      expect(request.headers["x-acs-action"]).toBe("CreateDesktops");
      expect(request.headers["x-acs-version"]).toBe("2020-09-30");
      expect(request.headers.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=test-id,/);
      // Raw keys exactly as the facts file shows them, independent of any decoder.
      const raw = Object.fromEntries(request.url.searchParams.entries());
      expect(raw).toMatchObject({
        "EndUserId.1": "alice",
        "EndUserId.2": "bob",
        "Tag.1.Key": "env",
        "Tag.1.Value": "test",
        "UserCommands.1.ContentType": "RunPowerShellScript",
        "BundleModels.1.EndUserIds.2": "u2",
        "DesktopTimers.1.Interval": "10",
        "MonthDesktopSetting.UseDuration": "120",
        DesktopAttachment:
          '{"DesktopType":"eds.enterprise_office.4c8g","SystemDiskSize":80,"DataDiskSize":0}',
      });
      expect(request.url.search).toContain("DesktopName=dev(1)*");
      const params = unflatten(request.url.searchParams.entries());
      expect(params).toEqual({
        RegionId: "cn-hangzhou",
        OfficeSiteId: "cn-hangzhou+dir-0000000001",
        BundleId: "b-win-office-4c8g",
        Amount: "2",
        DesktopName: "dev(1)*",
        EndUserId: ["alice", "bob"],
        UserAssignMode: "PER_USER",
        Tag: [{ Key: "env", Value: "test" }],
        UserCommands: [
          { Content: "ZWNobyBoaQ==", ContentEncoding: "Base64", ContentType: "RunPowerShellScript" },
        ],
        BundleModels: [{ BundleId: "b-1", Amount: "1", EndUserIds: ["u1", "u2"] }],
        DesktopTimers: [
          { TimerType: "NoConnect", OperationType: "Shutdown", Interval: "10", Enforce: "true" },
        ],
        MonthDesktopSetting: { UseDuration: "120" },
        DesktopAttachment: JSON.stringify({
          DesktopType: "eds.enterprise_office.4c8g",
          SystemDiskSize: 80,
          DataDiskSize: 0,
        }),
        AutoPay: "true",
        ResellerOwnerUid: "42",
      });
      expect(request.body).toBe("");
    } finally {
      await capture.close();
    }
  });

  it("signs with classic HMAC-SHA1 query parameters when asked for v1", async () => {
    const capture = await startCaptureServer({ status: 200, body: { RequestId: "R2", Regions: [] } });
    try {
      const client = new EcdClient({
        regionId: "cn-hangzhou",
        endpoint: capture.endpoint,
        credentials,
        signature: "v1",
      });
      await client.describeRegions();
      const query = capture.requests[0].url.searchParams;
      expect(query.get("Action")).toBe("DescribeRegions");
      expect(query.get("SignatureMethod")).toBe("HMAC-SHA1");
      expect(query.get("AccessKeyId")).toBe("test-id");
      expect(query.get("Signature")).toBeTruthy();
    } finally {
      await capture.close();
    }
  });

  it("adds the fixed ResourceType of tag operations and batches DesktopId lists", async () => {
    const capture = await startCaptureServer({ status: 200, body: { RequestId: "R3" } });
    try {
      const client = new EcdClient({ regionId: "cn-hangzhou", endpoint: capture.endpoint, credentials });
      const ids = Array.from({ length: 120 }, (_, i) => `ecd-${String(i).padStart(17, "0")}`);
      await client.tagResources(ids, [{ key: "k", value: "v" }]);
      await client.deleteDesktops(ids);
      const tagCalls = capture.requests.filter((r) => r.headers["x-acs-action"] === "TagResources");
      const deleteCalls = capture.requests.filter((r) => r.headers["x-acs-action"] === "DeleteDesktops");
      expect(
        tagCalls.map((r) => (unflatten(r.url.searchParams.entries()).ResourceId as string[]).length),
      ).toEqual([50, 50, 20]);
      expect(tagCalls[0].url.searchParams.get("ResourceType")).toBe("ALIYUN::GWS::INSTANCE");
      expect(
        deleteCalls.map((r) => (unflatten(r.url.searchParams.entries()).DesktopId as string[]).length),
      ).toEqual([100, 20]);
    } finally {
      await capture.close();
    }
  });

  it("reads every key of an answer as data: a key named __proto__ does not become the prototype", () => {
    const answer = JSON.parse(
      '{"Desktops": [{"DesktopId": "ecd-a", "__proto__": {"DesktopStatus": "Running"}}]}',
    );
    const { desktops } = fromWire<{ desktops: Record<string, unknown>[] }>(answer);
    expect(Object.getPrototypeOf(desktops[0])).toBe(Object.prototype);
    expect(desktops[0].desktopStatus).toBeUndefined();
    expect(Object.keys(desktops[0])).toEqual(["desktopId", "__proto__"]);
  });
});
