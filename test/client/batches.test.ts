/** Client calls the official SDK models constrain: batch sizes, page sizes and parameters that must arrive intact. */
import { EcdClient } from "../../provider/ecd/client";
import { ManualClock, startEmulator, RunningEmulator } from "../../emulator";

const REGION = "cn-hangzhou";
const SITE = `${REGION}+dir-0000000001`;
const AD_SITE = `${REGION}+dir-0000000002`;
const BUNDLE = "b-win-office-4c8g";

describe("ECD client batches and parameters against the emulator", () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  let client: EcdClient;

  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 1));
    emu = await startEmulator({ clock });
    client = new EcdClient({
      regionId: REGION,
      endpoint: emu.url,
      credentials: emu.credentials[0],
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  const createRunning = async (amount: number, extra: object = {}): Promise<string[]> => {
    const { desktopId } = await client.createDesktops({
      officeSiteId: SITE,
      bundleId: BUNDLE,
      amount,
      ...extra,
    });
    clock.advance(emu.backend.durations.createMs);
    return desktopId;
  };
  const calls = (action: string) => emu.calls.counts()[action] ?? 0;

  it("starts and stops up to 100 desktops per call (the current SDK models), and sends StoppedMode", async () => {
    const ids = await createRunning(145);
    emu.calls.reset();
    await client.stopDesktops({ desktopIds: ids, stoppedMode: "KeepCharging" });
    expect(calls("StopDesktops")).toBe(2);
    expect(ids.map((id) => emu.backend.getDesktop(id)?.stoppedMode)).toEqual(Array(145).fill("KeepCharging"));
    clock.advance(emu.backend.durations.stopMs);
    await client.startDesktops(ids);
    expect(calls("StartDesktops")).toBe(2);
    clock.advance(emu.backend.durations.startMs);
    await client.stopDesktops(ids.slice(0, 1));
    expect(emu.backend.getDesktop(ids[0])?.stoppedMode).toBe("StopCharging");
  });

  it("falls back to 20 desktops per call where the service refuses more, and keeps to 20 from then on", async () => {
    const ids = await createRunning(45);
    emu.backend.variants.powerBatchMax = 20;
    try {
      emu.calls.reset();
      const limited = new EcdClient({
        regionId: REGION,
        endpoint: emu.url,
        credentials: emu.credentials[0],
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
      });
      await limited.stopDesktops(ids);
      expect(emu.calls.entries("StopDesktops").map((c) => c.code ?? "ok")).toEqual([
        "InvalidParameter",
        "ok",
        "ok",
        "ok",
      ]);
      clock.advance(emu.backend.durations.stopMs);
      expect(emu.backend.describeDesktops(REGION).map((d) => d.DesktopStatus)).toEqual(
        Array(45).fill("Stopped"),
      );
      await limited.startDesktops(ids);
      expect(emu.calls.entries("StartDesktops").map((c) => c.code ?? "ok")).toEqual(["ok", "ok", "ok"]);
    } finally {
      emu.backend.variants.powerBatchMax = 100;
    }
  });

  it("rebuilds in calls of at most 20 and reports every desktop's outcome in order", async () => {
    const ids = await createRunning(25);
    const [pending] = (await client.createDesktops({ officeSiteId: SITE, bundleId: BUNDLE, amount: 1 }))
      .desktopId;
    emu.calls.reset();
    const results = await client.rebuildDesktops({
      desktopIds: [...ids, pending],
      imageId: "m-win2019-emu",
      afterStatus: "Stopped",
    });
    expect(calls("RebuildDesktops")).toBe(2);
    expect(results.map((r) => r.desktopId)).toEqual([...ids, pending]);
    expect(results.slice(0, 25).every((r) => r.code === "success")).toBe(true);
    expect(results[25]).toMatchObject({ code: "IncorrectDesktopStatus" });
    clock.advance(emu.backend.durations.rebuildMs);
    expect(emu.backend.getDesktop(ids[0])?.status).toBe("Stopped");
  });

  it("sends ResourceType with ModifyDesktopSpec, which a subscription desktop needs", async () => {
    const [id] = await createRunning(1, { chargeType: "PrePaid", period: 1, periodUnit: "Month" });
    await client.stopDesktops([id]);
    clock.advance(emu.backend.durations.stopMs);
    const spec = { desktopId: id, desktopType: "eds.enterprise_office.8c16g" };
    await expect(client.modifyDesktopSpec(spec)).rejects.toMatchObject({ code: "MissingResourceType" });
    await client.modifyDesktopSpec({ ...spec, resourceType: "Desktop" });
    clock.advance(emu.backend.durations.specMs);
    expect(emu.backend.getDesktop(id)?.desktopType).toBe("eds.enterprise_office.8c16g");
  });

  it("pages ListTagResources in the documented size, whatever the number of rows", async () => {
    const ids = await createRunning(3, { tags: [{ key: "a", value: "1" }] });
    await client.tagResources(ids, [
      { key: "b", value: "2" },
      { key: "c", value: "3" },
      { key: "d", value: "4" },
    ]);
    emu.calls.reset();
    const rows = await client.listAllTagResources({ resourceIds: ids });
    expect(rows).toHaveLength(12);
    expect(calls("ListTagResources")).toBe(2);
  });

  it("delivers OuPath, SubPayType and the PurchaseOptions JSON intact", async () => {
    const purchaseOptions = {
      monthlyCredits: 1600,
      creditPackageAmountSpec: 10000,
      creditPackagePeriod: 1,
      creditPackagePeriodUnit: "Month",
    };
    const { desktopId } = await client.createDesktops({
      officeSiteId: AD_SITE,
      bundleId: BUNDLE,
      ouPath: "corp.example.com/desktops",
      subPayType: "monthPackage",
      purchaseOptions,
    });
    expect(emu.backend.getDesktop(desktopId[0])).toMatchObject({
      ouPath: "corp.example.com/desktops",
      subPayType: "monthPackage",
      purchaseOptions: {
        MonthlyCredits: 1600,
        CreditPackageAmountSpec: 10000,
        CreditPackagePeriod: 1,
        CreditPackagePeriodUnit: "Month",
      },
    });
  });
});
