/**
 * Behaviour the official SDK models, API reference and Terraform provider document (see the README's
 * assumption list for the source of each), checked over HTTP on a ManualClock.
 */
import { ManualClock, startEmulator, type RunningEmulator, type WireDesktop } from "../../emulator";
import { callEcd, ecdError, makeClient, type Body } from "./support/client";

const R = "cn-hangzhou";
const SITE = `${R}+dir-0000000001`;
const BASE = { RegionId: R, OfficeSiteId: SITE, BundleId: "b-win-office-4c8g" };
const FIVE_MINUTES = 5 * 60 * 1000;

describe("official ECD behaviour in the emulator", () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  const call = (action: string, params: Record<string, unknown>): Promise<Body> =>
    callEcd(makeClient(emu), action, { RegionId: R, ...params });
  const describe1 = (id: string): WireDesktop | undefined =>
    emu.backend.describeDesktops(R).find((d) => d.DesktopId === id);
  const create = async (params: Record<string, unknown> = {}): Promise<string> => {
    const [id] = (await call("CreateDesktops", { ...BASE, ...params })).DesktopId as string[];
    clock.advance(emu.backend.durations.createMs);
    return id;
  };
  const stopped = async (params: Record<string, unknown> = {}): Promise<string> => {
    const id = await create(params);
    await call("StopDesktops", { DesktopId: [id] });
    clock.advance(emu.backend.durations.stopMs);
    return id;
  };
  const dataDiskId = (id: string): string | undefined =>
    describe1(id)?.Disks.find((disk) => disk.DiskType === "DATA")?.DiskId;

  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 1));
    emu = await startEmulator({ clock, seed: 11 });
  });
  afterAll(() => emu.close());
  beforeEach(() => {
    clock.set(Date.UTC(2026, 0, 1));
    emu.reset();
  });

  describe("ModifyDesktopSpec", () => {
    test("a subscription desktop's change needs ResourceType (Desktop or DesktopMonthPackage)", async () => {
      const id = await stopped({ ChargeType: "PrePaid", Period: 1 });
      const spec = { DesktopId: id, DesktopType: "eds.enterprise_office.8c16g" };
      expect(await ecdError(call("ModifyDesktopSpec", spec))).toMatchObject({
        code: "MissingResourceType",
        statusCode: 400,
      });
      expect(await ecdError(call("ModifyDesktopSpec", { ...spec, ResourceType: "Bandwidth" }))).toMatchObject(
        {
          code: "InvalidParameter",
        },
      );
      await call("ModifyDesktopSpec", { ...spec, ResourceType: "Desktop" });
      const postpaid = await stopped();
      await call("ModifyDesktopSpec", { DesktopId: postpaid, DesktopType: "eds.enterprise_office.8c16g" });
    });

    test("ResourceType names the desktop's plan: Desktop when unlimited, DesktopMonthPackage on an hour plan", async () => {
      const unlimited = await stopped({ ChargeType: "PrePaid", Period: 1 });
      const hours = await stopped({ ChargeType: "PrePaid", Period: 1, SubPayType: "monthPackage" });
      const spec = (id: string, ResourceType: string) => ({
        DesktopId: id,
        DesktopType: "eds.enterprise_office.8c16g",
        ResourceType,
      });
      for (const [id, wrong] of [
        [unlimited, "DesktopMonthPackage"],
        [hours, "Desktop"],
      ]) {
        expect(await ecdError(call("ModifyDesktopSpec", spec(id, wrong)))).toMatchObject({
          code: "InvalidParameter",
          message: expect.stringContaining("ResourceType"),
        });
      }
      await call("ModifyDesktopSpec", spec(unlimited, "Desktop"));
      await call("ModifyDesktopSpec", spec(hours, "DesktopMonthPackage"));
    });

    test("a second change of one desktop within five minutes is refused; after five minutes it is accepted", async () => {
      const id = await stopped();
      await call("ModifyDesktopSpec", { DesktopId: id, DesktopType: "eds.enterprise_office.8c16g" });
      clock.advance(emu.backend.durations.specMs);
      const again = { DesktopId: id, DesktopType: "eds.enterprise_office.8c16g", RootDiskSizeGib: 100 };
      const refused = await ecdError(call("ModifyDesktopSpec", again));
      expect(refused).toMatchObject({ code: "OperationDenied.TooFrequent", statusCode: 400 });
      expect(refused.data.Message).toContain("5 minutes");
      clock.set(
        Date.UTC(2026, 0, 1) + emu.backend.durations.createMs + emu.backend.durations.stopMs + FIVE_MINUTES,
      );
      await call("ModifyDesktopSpec", again);
      clock.advance(emu.backend.durations.specMs);
      expect(describe1(id)?.DesktopType).toBe("eds.enterprise_office.8c16g");
      expect(describe1(id)?.Disks.find((disk) => disk.DiskType === "SYSTEM")?.DiskSize).toBe(100);
    });

    test("the new type and disk sizes show only after specMs, as Terraform's DesktopType waiter expects", async () => {
      const id = await stopped();
      await call("ModifyDesktopSpec", {
        DesktopId: id,
        DesktopType: "eds.enterprise_office.8c16g",
        RootDiskSizeGib: 120,
        UserDiskSizeGib: 60,
      });
      const before = await call("DescribeDesktops", { DesktopId: [id] });
      const sizes = (body: Body) =>
        ((body.Desktops as Body[])[0].Disks as Body[]).map((disk) => [disk.DiskType, disk.DiskSize]);
      expect((before.Desktops as Body[])[0].DesktopType).toBe("eds.enterprise_office.4c8g");
      expect(sizes(before)).toEqual([
        ["SYSTEM", 80],
        ["DATA", 40],
      ]);
      clock.advance(emu.backend.durations.specMs);
      const after = await call("DescribeDesktops", { DesktopId: [id] });
      expect((after.Desktops as Body[])[0]).toMatchObject({
        DesktopType: "eds.enterprise_office.8c16g",
        DesktopStatus: "Stopped",
      });
      expect(sizes(after)).toEqual([
        ["SYSTEM", 120],
        ["DATA", 60],
      ]);
    });

    test("a data disk added by the change appears with the change", async () => {
      const id = await stopped({
        BundleId: undefined,
        DesktopAttachment: JSON.stringify({
          DesktopType: "eds.enterprise_office.4c8g",
          ImageId: "m-win2019-emu",
        }),
      });
      expect(dataDiskId(id)).toBeUndefined();
      await call("ModifyDesktopSpec", {
        DesktopId: id,
        DesktopType: "eds.enterprise_office.4c8g",
        UserDiskSizeGib: 50,
      });
      expect(dataDiskId(id)).toBeUndefined();
      clock.advance(emu.backend.durations.specMs);
      expect(describe1(id)?.Disks.find((disk) => disk.DiskType === "DATA")).toMatchObject({
        DiskId: expect.stringMatching(/^d-/),
        DiskSize: 50,
        DiskCategory: "cloud_auto",
      });
    });

    test("General Office and other families, and graphics and non-graphics types, cannot be switched", async () => {
      const id = await stopped();
      const toGeneral = await ecdError(
        call("ModifyDesktopSpec", { DesktopId: id, DesktopType: "eds.general.4c16g" }),
      );
      expect(toGeneral).toMatchObject({ code: "InvalidDesktopType.FamilyNotSupported" });
      expect(toGeneral.data.Message).toContain("General Office");
      const toGraphics = await ecdError(
        call("ModifyDesktopSpec", { DesktopId: id, DesktopType: "eds.graphics.16c64g" }),
      );
      expect(toGraphics).toMatchObject({ code: "InvalidDesktopType.FamilyNotSupported" });
      expect(toGraphics.data.Message).toContain("graphics");
    });
  });

  describe("a charge-type change in progress (ManagementFlag Updating)", () => {
    test("refuses Start, Stop, ModifyDesktopSpec and DeleteDesktops, and a delete does not cancel it", async () => {
      const running = await create();
      const off = await stopped();
      await call("ModifyDesktopChargeType", {
        DesktopId: [running, off],
        ChargeType: "PrePaid",
        Period: 1,
        PeriodUnit: "Month",
      });
      expect(describe1(running)?.ManagementFlag).toBe("Updating");
      const refusals = [
        await ecdError(call("StopDesktops", { DesktopId: [running] })),
        await ecdError(call("StartDesktops", { DesktopId: [off] })),
        await ecdError(
          call("ModifyDesktopSpec", {
            DesktopId: off,
            DesktopType: "eds.enterprise_office.8c16g",
            ResourceType: "Desktop",
          }),
        ),
        await ecdError(call("DeleteDesktops", { DesktopId: [off] })),
      ];
      expect(refusals.map((e) => e.code)).toEqual(Array(4).fill("IncorrectDesktopStatus"));
      const rebuild = await call("RebuildDesktops", { DesktopId: [running] });
      expect(rebuild.RebuildResults).toEqual([
        expect.objectContaining({ DesktopId: running, Code: "IncorrectDesktopStatus" }),
      ]);
      clock.advance(emu.backend.durations.chargeTypeMs);
      expect(describe1(running)).toMatchObject({ ChargeType: "PrePaid", ManagementFlag: "NoFlag" });
      expect(describe1(off)).toMatchObject({ ChargeType: "PrePaid", DesktopStatus: "Stopped" });
    });
  });

  describe("RebuildDesktops", () => {
    test("Rebuilding for rebuildMs, then the previous status; the new ImageId shows at once", async () => {
      const id = await create();
      const body = await call("RebuildDesktops", { DesktopId: [id], ImageId: "m-win2019-emu" });
      expect(body.RebuildResults).toEqual([{ DesktopId: id, Code: "success", Message: "" }]);
      expect(describe1(id)).toMatchObject({ DesktopStatus: "Rebuilding", ImageId: "m-win2019-emu" });
      clock.advance(emu.backend.durations.rebuildMs - 1);
      expect(describe1(id)?.DesktopStatus).toBe("Rebuilding");
      clock.advance(1);
      expect(describe1(id)?.DesktopStatus).toBe("Running");
    });

    test("AfterStatus decides the status after the rebuild", async () => {
      const id = await create();
      await call("RebuildDesktops", { DesktopId: [id], AfterStatus: "Stopped" });
      clock.advance(emu.backend.durations.rebuildMs);
      expect(describe1(id)?.DesktopStatus).toBe("Stopped");
      expect(
        await ecdError(call("RebuildDesktops", { DesktopId: [id], AfterStatus: "Hibernated" })),
      ).toMatchObject({ code: "InvalidParameter" });
    });

    test("a desktop that cannot be rebuilt fails alone with IncorrectDesktopStatus inside RebuildResults", async () => {
      const ok = await create();
      const [pending] = (await call("CreateDesktops", BASE)).DesktopId as string[];
      const body = await call("RebuildDesktops", { DesktopId: [ok, pending, "ecd-unknown000000000"] });
      expect(body.RebuildResults).toEqual([
        { DesktopId: ok, Code: "success", Message: "" },
        {
          DesktopId: pending,
          Code: "IncorrectDesktopStatus",
          Message: expect.stringContaining(
            "The current status of the desktop does not support this operation.",
          ),
        },
        {
          DesktopId: "ecd-unknown000000000",
          Code: "InvalidDesktopId.NotFound",
          Message: "The specified param DesktopId ecd-unknown000000000 is not found.",
        },
      ]);
      expect(describe1(pending)?.DesktopStatus).toBe("Pending");
    });

    test("takes 1 to 20 desktops", async () => {
      const ids = Array.from({ length: 21 }, (_, i) => `ecd-x${i}`);
      expect(await ecdError(call("RebuildDesktops", { DesktopId: ids }))).toMatchObject({
        code: "InvalidParameter",
      });
      expect(await ecdError(call("RebuildDesktops", {}))).toMatchObject({ code: "MissingDesktopId" });
    });

    test("the data disk is kept when the OS stays, cleared when it changes, replaced with OperateType=replace", async () => {
      const same = await create();
      const other = await create();
      const replaced = await create();
      const before = [same, other, replaced].map(dataDiskId);
      await call("RebuildDesktops", { DesktopId: [same], ImageId: "m-win2019-emu" });
      await call("RebuildDesktops", { DesktopId: [other], ImageId: "m-ubuntu2204-emu" });
      await call("RebuildDesktops", { DesktopId: [replaced], OperateType: "replace" });
      clock.advance(emu.backend.durations.rebuildMs);
      const after = [same, other, replaced].map(dataDiskId);
      expect(after[0]).toBe(before[0]);
      expect(after[1]).not.toBe(before[1]);
      expect(after[2]).not.toBe(before[2]);
      expect(describe1(other)).toMatchObject({ ImageId: "m-ubuntu2204-emu", OsType: "Linux" });
    });

    test("outside the Chinese mainland (and in Hong Kong) the operating system cannot change", async () => {
      const SG = "ap-southeast-1";
      const [id] = (
        await call("CreateDesktops", { ...BASE, RegionId: SG, OfficeSiteId: `${SG}+dir-0000000001` })
      ).DesktopId as string[];
      clock.advance(emu.backend.durations.createMs);
      const body = await call("RebuildDesktops", {
        RegionId: SG,
        DesktopId: [id],
        ImageId: "m-ubuntu2204-emu",
      });
      expect(body.RebuildResults).toEqual([
        {
          DesktopId: id,
          Code: "InvalidImage.OsTypeChangeNotSupported",
          Message: expect.stringContaining(SG),
        },
      ]);
      expect(emu.backend.getDesktop(id)?.imageId).toBe("m-win2019-emu");
      const same = await call("RebuildDesktops", { RegionId: SG, DesktopId: [id], ImageId: "m-win2019-emu" });
      expect(same.RebuildResults).toMatchObject([{ DesktopId: id, Code: "success" }]);
    });

    test("a rebuild cannot switch between GPU and non-GPU images; DescribeImages tells which is which", async () => {
      const id = await create();
      const body = await call("RebuildDesktops", { DesktopId: [id], ImageId: "m-win2019-gpu-emu" });
      expect(body.RebuildResults).toEqual([
        { DesktopId: id, Code: "InvalidImage.GpuMismatch", Message: expect.stringContaining("GPU") },
      ]);
      const images = (await call("DescribeImages", { ImageId: ["m-win2019-gpu-emu", "m-win2019-emu"] }))
        .Images as { ImageId: string; GpuCategory: boolean }[];
      expect(images.map((i) => [i.ImageId, i.GpuCategory])).toEqual([
        ["m-win2019-emu", false],
        ["m-win2019-gpu-emu", true],
      ]);
    });
  });

  describe("policies and billing periods", () => {
    test("of two GLOBAL policies the first one associated takes effect: both are accepted, in the order given", async () => {
      const id = await create();
      const ids = ["pg-emu-custom-0001", "system-all-enabled-policy"];
      const body = await call("ModifyDesktopsPolicyGroup", { DesktopId: [id], PolicyGroupIds: ids });
      expect(body.ModifyResults).toMatchObject([{ DesktopId: id, Code: "success" }]);
      expect(describe1(id)?.PolicyGroupIdList).toEqual(ids);
    });

    test("CreateDesktops takes PeriodUnit Month or Year (the SDK and API reference), ModifyDesktopChargeType also Week", async () => {
      expect(
        await ecdError(
          call("CreateDesktops", { ...BASE, ChargeType: "PrePaid", Period: 1, PeriodUnit: "Week" }),
        ),
      ).toMatchObject({ code: "InvalidPeriodUnit" });
      const id = await create();
      await call("ModifyDesktopChargeType", {
        DesktopId: [id],
        ChargeType: "PrePaid",
        Period: 1,
        PeriodUnit: "Week",
      });
    });
  });

  describe("tags", () => {
    test("values containing http:// or https://, or starting with acs:, are refused by TagResources and CreateDesktops", async () => {
      const id = await create();
      for (const value of ["see http://x", "HTTPS://example.com", "acs:thing"]) {
        expect(
          await ecdError(
            call("TagResources", {
              ResourceId: [id],
              ResourceType: "ALIYUN::GWS::INSTANCE",
              Tag: [{ Key: "k", Value: value }],
            }),
          ),
        ).toMatchObject({ code: "InvalidTagValue.Malformed" });
        expect(
          await ecdError(call("CreateDesktops", { ...BASE, Tag: [{ Key: "k", Value: value }] })),
        ).toMatchObject({ code: "InvalidTagValue.Malformed" });
      }
      await call("TagResources", {
        ResourceId: [id],
        ResourceType: "ALIYUN::GWS::INSTANCE",
        Tag: [{ Key: "k", Value: "http-free value" }],
      });
    });
  });

  test("ModifyEntitlement without EndUserId removes every user", async () => {
    const id = await create({ EndUserId: ["alice", "bob"] });
    await call("ModifyEntitlement", { DesktopId: id });
    expect(describe1(id)?.ManagementFlags).toEqual(["ASSIGNING"]);
    clock.advance(emu.backend.durations.entitlementMs);
    expect(describe1(id)?.EndUserIds).toEqual([]);
  });

  test("BindAmount (concurrent sessions of a multi-session pool) is not the number of users", async () => {
    const id = await create({ EndUserId: ["alice", "bob", "carol"] });
    const [desktop] = (await call("DescribeDesktops", { DesktopId: [id] })).Desktops as Body[];
    expect(desktop.EndUserIds).toHaveLength(3);
    expect(desktop).not.toHaveProperty("BindAmount");
  });

  test("DescribePrice for ResourceType Desktop needs InstanceType and RootDiskSizeGib", async () => {
    expect(await ecdError(call("DescribePrice", { RootDiskSizeGib: 80 }))).toMatchObject({
      code: "MissingInstanceType",
    });
    expect(
      await ecdError(call("DescribePrice", { InstanceType: "eds.enterprise_office.4c8g" })),
    ).toMatchObject({ code: "MissingRootDiskSizeGib" });
    await call("DescribePrice", { InstanceType: "eds.enterprise_office.4c8g", RootDiskSizeGib: 80 });
  });

  test("unknown desktops are answered with the official message text", async () => {
    const error = await ecdError(call("StartDesktops", { DesktopId: ["ecd-nothere000000000"] }));
    expect(error).toMatchObject({ code: "InvalidDesktopId.NotFound", statusCode: 400 });
    expect(error.data.Message).toBe("The specified param DesktopId ecd-nothere000000000 is not found.");
  });

  test("CreateDesktops stores OuPath, SubPayType and the PurchaseOptions JSON as sent", async () => {
    const purchaseOptions = {
      MonthlyCredits: 1600,
      CreditPackageAmountSpec: 10000,
      CreditPackagePeriod: 1,
      CreditPackagePeriodUnit: "Month",
    };
    const [id] = (
      await call("CreateDesktops", {
        ...BASE,
        OfficeSiteId: `${R}+dir-0000000002`,
        OuPath: "corp.example.com/desktops",
        SubPayType: "monthPackage",
        PurchaseOptions: JSON.stringify(purchaseOptions),
      })
    ).DesktopId as string[];
    expect(emu.backend.getDesktop(id)).toMatchObject({
      ouPath: "corp.example.com/desktops",
      subPayType: "monthPackage",
      purchaseOptions,
    });
  });
});
