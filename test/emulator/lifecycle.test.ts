import {
  DESKTOP_STATUSES,
  ManualClock,
  startEmulator,
  type RunningEmulator,
  type WireDesktop,
} from "../../emulator";
import { callEcd, ecdError, makeClient, type Body } from "./support/client";

const R = "cn-hangzhou";
const BASE = { RegionId: R, OfficeSiteId: `${R}+dir-0000000001`, BundleId: "b-win-office-4c8g" };
const STATUS_MESSAGE = "The current status of the desktop does not support this operation.";

describe("desktop lifecycle on a ManualClock", () => {
  let emu: RunningEmulator;
  let clock: ManualClock;
  const call = (action: string, params: Record<string, unknown>): Promise<Body> =>
    callEcd(makeClient(emu), action, { RegionId: R, ...params });
  const create = async (params: Record<string, unknown> = {}): Promise<string[]> =>
    (await call("CreateDesktops", { ...BASE, ...params })).DesktopId as string[];
  const describe1 = (id: string): WireDesktop | undefined =>
    emu.backend.describeDesktops(R).find((d) => d.DesktopId === id);
  const status = (id: string): string | undefined => describe1(id)?.DesktopStatus;
  const running = async (params: Record<string, unknown> = {}): Promise<string> => {
    const [id] = await create(params);
    clock.advance(3000);
    return id;
  };

  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 1));
    emu = await startEmulator({ clock, seed: 3 });
  });
  afterAll(() => emu.close());
  beforeEach(() => {
    clock.set(Date.UTC(2026, 0, 1));
    emu.reset();
  });

  test("a new desktop is Pending until createMs has passed, then Running", async () => {
    const [id] = await create();
    expect(describe1(id)).toMatchObject({ DesktopStatus: "Pending", Progress: "0%" });
    expect(describe1(id)?.StartTime).toBeUndefined();
    clock.advance(1500);
    expect(describe1(id)).toMatchObject({ DesktopStatus: "Pending", Progress: "50%" });
    clock.advance(1499);
    expect(status(id)).toBe("Pending");
    clock.advance(1);
    expect(describe1(id)).toMatchObject({
      DesktopStatus: "Running",
      Progress: "100%",
      StartTime: "2026-01-01T00:00Z",
      ConnectionStatus: "Disconnected",
    });
  });

  test("failedDesktopRate decides which new desktops end in Failed, deterministically", async () => {
    emu.faults.set({ failedDesktopRate: 1 });
    const failed = await create({ Amount: 2 });
    emu.faults.set({ failedDesktopRate: 0 });
    const fine = await create({ Amount: 2 });
    clock.advance(3000);
    expect([...failed, ...fine].map(status)).toEqual(["Failed", "Failed", "Running", "Running"]);

    const share = async (): Promise<string[]> => {
      emu.reset();
      emu.faults.set({ failedDesktopRate: 0.5 });
      const ids = await create({ Amount: 40 });
      clock.advance(3000);
      return ids.map((id) => status(id) ?? "");
    };
    const first = await share();
    const failedCount = first.filter((s) => s === "Failed").length;
    expect(failedCount).toBeGreaterThan(8);
    expect(failedCount).toBeLessThan(32);
    expect(first.every((s) => s === "Failed" || s === "Running")).toBe(true);
    expect(await share()).toEqual(first);
  });

  test("StopDesktops: Running → Stopping → Stopped; StartDesktops: Stopped → Starting → Running", async () => {
    const id = await running();
    await call("StopDesktops", { DesktopId: [id], StoppedMode: "KeepCharging" });
    expect(status(id)).toBe("Stopping");
    clock.advance(2000);
    expect(status(id)).toBe("Stopped");
    expect(emu.backend.getDesktop(id)?.stoppedMode).toBe("KeepCharging");
    await call("StartDesktops", { DesktopId: [id] });
    expect(status(id)).toBe("Starting");
    clock.advance(2000);
    expect(status(id)).toBe("Running");
  });

  test("operations in the wrong status are answered 400 IncorrectDesktopStatus", async () => {
    const [pending] = await create();
    const stop = await ecdError(call("StopDesktops", { DesktopId: [pending] }));
    expect(stop).toMatchObject({ code: "IncorrectDesktopStatus", statusCode: 400 });
    expect(stop.data.Message).toContain(STATUS_MESSAGE);
    expect(await ecdError(call("DeleteDesktops", { DesktopId: [pending] }))).toMatchObject({
      code: "IncorrectDesktopStatus",
    });
    clock.advance(3000);
    expect(await ecdError(call("StartDesktops", { DesktopId: [pending] }))).toMatchObject({
      code: "IncorrectDesktopStatus",
    });
    await call("StopDesktops", { DesktopId: [pending] });
    expect(await ecdError(call("StopDesktops", { DesktopId: [pending] }))).toMatchObject({
      code: "IncorrectDesktopStatus",
    });
  });

  test("a batch is all-or-nothing: one desktop in the wrong status stops the whole call", async () => {
    const a = await running();
    const [b] = await create();
    expect(await ecdError(call("StopDesktops", { DesktopId: [a, b] }))).toMatchObject({
      code: "IncorrectDesktopStatus",
    });
    expect(status(a)).toBe("Running");
  });

  test("unknown desktop ids are answered 400 InvalidDesktopId.NotFound", async () => {
    for (const action of ["StartDesktops", "StopDesktops", "DeleteDesktops"]) {
      expect(await ecdError(call(action, { DesktopId: ["ecd-doesnotexist0000"] }))).toMatchObject({
        code: "InvalidDesktopId.NotFound",
        statusCode: 400,
      });
    }
  });

  test("DeleteDesktops: Deleted for deleteMs (also under a Deleted status filter), then gone; by id an empty list", async () => {
    const id = await running();
    await call("DeleteDesktops", { DesktopId: [id] });
    expect(status(id)).toBe("Deleted");
    const filtered = await call("DescribeDesktops", { DesktopStatus: "Deleted" });
    expect((filtered.Desktops as Body[]).map((d) => d.DesktopId)).toEqual([id]);
    const running0 = await call("DescribeDesktops", { DesktopStatus: "Running" });
    expect(running0.Desktops).toEqual([]);
    expect(await ecdError(call("DeleteDesktops", { DesktopId: [id] }))).toMatchObject({
      code: "IncorrectDesktopStatus",
    });
    clock.advance(1999);
    expect(status(id)).toBe("Deleted");
    clock.advance(1);
    const body = await call("DescribeDesktops", { DesktopId: [id] });
    expect(body).toMatchObject({ Desktops: [], TotalCount: 0 });
  });

  test("no status outside the official lists is ever shown: no Deleting", () => {
    expect(DESKTOP_STATUSES).not.toContain("Deleting");
    expect(DESKTOP_STATUSES).toContain("Deleted");
  });

  test("Failed, Stopped and Hibernated desktops can be deleted", async () => {
    emu.faults.set({ failedDesktopRate: 1 });
    const [failed] = await create();
    emu.faults.reset();
    const stopped = await running();
    const hibernated = await running();
    await call("StopDesktops", { DesktopId: [stopped] });
    emu.backend.forceStatus(hibernated, "Hibernated");
    clock.advance(3000);
    await call("DeleteDesktops", { DesktopId: [failed, stopped, hibernated] });
    clock.advance(2000);
    expect(emu.backend.describeDesktops(R)).toEqual([]);
  });

  test("a PrePaid desktop cannot be deleted before it expires; nothing in the batch is deleted", async () => {
    const prepaid = await running({ ChargeType: "PrePaid", Period: 1 });
    const postpaid = await running();
    const error = await ecdError(call("DeleteDesktops", { DesktopId: [postpaid, prepaid] }));
    expect(error).toMatchObject({ code: "InvalidChargeType.Unsupported", statusCode: 400 });
    expect([status(prepaid), status(postpaid)]).toEqual(["Running", "Running"]);
  });

  test("PostPaid conversion (ModifyDesktopChargeType) makes a PrePaid desktop deletable after chargeTypeMs", async () => {
    const id = await running({ ChargeType: "PrePaid", Period: 3 });
    const body = await call("ModifyDesktopChargeType", { DesktopId: [id], ChargeType: "PostPaid" });
    expect(body).toMatchObject({ DesktopId: [id], OrderId: expect.stringMatching(/^\d+$/) });
    expect(describe1(id)).toMatchObject({ ChargeType: "PrePaid", ManagementFlag: "Updating" });
    expect(await ecdError(call("DeleteDesktops", { DesktopId: [id] }))).toMatchObject({
      code: "IncorrectDesktopStatus",
    });
    expect(
      await ecdError(call("ModifyDesktopChargeType", { DesktopId: [id], ChargeType: "PostPaid" })),
    ).toMatchObject({ code: "IncorrectDesktopStatus" });
    clock.advance(1000);
    expect(describe1(id)).toMatchObject({ ChargeType: "PostPaid", ManagementFlag: "NoFlag" });
    expect(describe1(id)?.ExpiredTime).toBeUndefined();
    await call("DeleteDesktops", { DesktopId: [id] });
  });

  test("PrePaid conversion sets ExpiredTime; asking for the current charge type is refused", async () => {
    const id = await running();
    expect(
      await ecdError(call("ModifyDesktopChargeType", { DesktopId: [id], ChargeType: "PostPaid" })),
    ).toMatchObject({ code: "InvalidChargeType.Unchanged" });
    expect(
      await ecdError(call("ModifyDesktopChargeType", { DesktopId: [id], ChargeType: "PrePaid" })),
    ).toMatchObject({ code: "MissingPeriod" });
    await call("ModifyDesktopChargeType", {
      DesktopId: [id],
      ChargeType: "PrePaid",
      Period: 1,
      PeriodUnit: "Week",
    });
    clock.advance(1000);
    expect(describe1(id)).toMatchObject({ ChargeType: "PrePaid", ExpiredTime: "2026-01-08T00:00Z" });
  });

  test("a PrePaid desktop past ExpiredTime is Expired (deletable, not startable) unless AutoRenew is on", async () => {
    const plain = await running({ ChargeType: "PrePaid", Period: 1 });
    const renewing = await running({ ChargeType: "PrePaid", Period: 1, AutoRenew: true });
    clock.set(Date.UTC(2026, 1, 1, 0, 0, 4));
    expect(status(plain)).toBe("Expired");
    expect(describe1(renewing)).toMatchObject({ DesktopStatus: "Running", ExpiredTime: "2026-03-01T00:00Z" });
    expect(await ecdError(call("StopDesktops", { DesktopId: [plain] }))).toMatchObject({
      code: "IncorrectDesktopStatus",
    });
    await call("RenewDesktops", { DesktopId: [plain], Period: 2, PeriodUnit: "Month" });
    // Renewing after expiry counts from now.
    expect(describe1(plain)).toMatchObject({ DesktopStatus: "Running", ExpiredTime: "2026-04-01T00:00Z" });
    clock.set(Date.UTC(2026, 3, 2));
    await call("DeleteDesktops", { DesktopId: [plain] });
    const postpaid = await running();
    expect(await ecdError(call("RenewDesktops", { DesktopId: [postpaid] }))).toMatchObject({
      code: "InvalidChargeType.Unsupported",
    });
  });

  test("ModifyEntitlement shows ASSIGNING for entitlementMs, then the new users", async () => {
    const id = await running({ EndUserId: ["alice"] });
    await call("ModifyEntitlement", { DesktopId: id, EndUserId: ["bob", "carol"] });
    expect(describe1(id)).toMatchObject({ ManagementFlags: ["ASSIGNING"], EndUserIds: ["alice"] });
    clock.advance(1500);
    expect(describe1(id)).toMatchObject({ ManagementFlags: [], EndUserIds: ["bob", "carol"] });
    expect(await ecdError(call("ModifyEntitlement", { DesktopId: id, EndUserId: ["zed"] }))).toMatchObject({
      code: "InvalidUsers.NotFound",
    });
    const [pending] = await create();
    expect(
      await ecdError(call("ModifyEntitlement", { DesktopId: pending, EndUserId: ["bob"] })),
    ).toMatchObject({ code: "IncorrectDesktopStatus" });
  });

  test("ModifyUserEntitlement authorizes and revokes users across desktops", async () => {
    const a = await running({ EndUserId: ["alice"] });
    const b = await running({ EndUserId: ["alice", "bob"] });
    await call("ModifyUserEntitlement", {
      EndUserId: ["bob"],
      AuthorizeDesktopId: [a],
      RevokeDesktopId: [b],
    });
    expect(describe1(a)?.ManagementFlags).toEqual(["ASSIGNING"]);
    clock.advance(1500);
    expect([describe1(a)?.EndUserIds, describe1(b)?.EndUserIds]).toEqual([["alice", "bob"], ["alice"]]);
  });

  test("ModifyDesktopSpec needs a Stopped desktop, only grows disks and shows the change after specMs", async () => {
    const id = await running();
    const spec = { DesktopId: id, DesktopType: "eds.enterprise_office.8c16g" };
    expect(await ecdError(call("ModifyDesktopSpec", spec))).toMatchObject({ code: "IncorrectDesktopStatus" });
    await call("StopDesktops", { DesktopId: [id] });
    clock.advance(2000);
    expect(await ecdError(call("ModifyDesktopSpec", { DesktopId: id }))).toMatchObject({
      code: "MissingDesktopType",
    });
    expect(
      await ecdError(call("ModifyDesktopSpec", { ...spec, DesktopType: "eds.graphics.16c64g" })),
    ).toMatchObject({ code: "InvalidDesktopType.FamilyNotSupported" });
    expect(
      await ecdError(call("ModifyDesktopSpec", { ...spec, DesktopType: "eds.enterprise_office.4c8g" })),
    ).toMatchObject({ code: "InvalidDesktopSpec.NoChange" });
    expect(await ecdError(call("ModifyDesktopSpec", { ...spec, RootDiskSizeGib: 70 }))).toMatchObject({
      code: "InvalidRootDiskSize",
    });
    expect(await ecdError(call("ModifyDesktopSpec", { ...spec, UserDiskSizeGib: 45 }))).toMatchObject({
      code: "InvalidUserDiskSize",
    });
    expect(await ecdError(call("ModifyDesktopSpec", { ...spec, UserDiskSizeGib: 30 }))).toMatchObject({
      code: "InvalidUserDiskSize",
    });
    const body = await call("ModifyDesktopSpec", { ...spec, RootDiskSizeGib: 120, UserDiskSizeGib: 60 });
    expect(body).toMatchObject({ OrderId: expect.stringMatching(/^\d+$/), OrderIds: [Number(body.OrderId)] });
    const sizes = () => describe1(id)?.Disks.map((disk) => [disk.DiskType, disk.DiskSize]);
    expect(describe1(id)?.DesktopType).toBe("eds.enterprise_office.4c8g");
    expect(sizes()).toEqual([
      ["SYSTEM", 80],
      ["DATA", 40],
    ]);
    clock.advance(emu.backend.durations.specMs - 1);
    expect(describe1(id)?.DesktopType).toBe("eds.enterprise_office.4c8g");
    clock.advance(1);
    expect(describe1(id)).toMatchObject({
      DesktopType: "eds.enterprise_office.8c16g",
      Cpu: 8,
      Memory: 16384,
      DesktopStatus: "Stopped",
    });
    expect(sizes()).toEqual([
      ["SYSTEM", 120],
      ["DATA", 60],
    ]);
  });

  test("ModifyDesktopName renames one or many desktops with the name rules", async () => {
    const [a, b] = await create({ Amount: 2 });
    await call("ModifyDesktopName", { DesktopId: a, NewDesktopName: "alpha" });
    await call("ModifyDesktopName", { DesktopIds: [a, b], NewDesktopName: "beta.v2" });
    expect([describe1(a)?.DesktopName, describe1(b)?.DesktopName]).toEqual(["beta.v2", "beta.v2"]);
    expect(await ecdError(call("ModifyDesktopName", { DesktopId: a, NewDesktopName: "_bad" }))).toMatchObject(
      { code: "InvalidDesktopName.Malformed" },
    );
    expect(await ecdError(call("ModifyDesktopName", { DesktopId: a }))).toMatchObject({
      code: "MissingNewDesktopName",
    });
  });

  test("ModifyDesktopsPolicyGroup answers per desktop in ModifyResults", async () => {
    const live = await running();
    const [pending] = await create();
    const body = await call("ModifyDesktopsPolicyGroup", {
      DesktopId: [live, pending, "ecd-unknown"],
      PolicyGroupId: "pg-emu-custom-0001",
    });
    expect(body.ModifyResults).toEqual([
      { DesktopId: live, Code: "success", Message: "" },
      {
        DesktopId: pending,
        Code: "IncorrectDesktopStatus",
        Message: expect.stringContaining(STATUS_MESSAGE),
      },
      { DesktopId: "ecd-unknown", Code: "InvalidDesktopId.NotFound", Message: expect.any(String) },
    ]);
    expect(describe1(live)).toMatchObject({
      PolicyGroupId: "pg-emu-custom-0001",
      PolicyGroupName: "dev-team",
    });
    expect(
      await ecdError(call("ModifyDesktopsPolicyGroup", { DesktopId: [live], PolicyGroupIds: ["pg-nope"] })),
    ).toMatchObject({ code: "InvalidPolicyGroupId.NotFound" });
    expect(
      await ecdError(
        call("ModifyDesktopsPolicyGroup", { DesktopId: [live], PolicyGroupId: "pg-emu-creating-0001" }),
      ),
    ).toMatchObject({ code: "InvalidPolicyGroup.Status" });
  });

  test("out-of-band helpers: forceStatus and removeDesktops act at once", async () => {
    const [a, b] = await create({ Amount: 2 });
    emu.backend.forceStatus(a, "Stopped");
    expect(status(a)).toBe("Stopped");
    expect(emu.backend.removeDesktops([b, "ecd-nope"])).toEqual([b]);
    expect(emu.backend.describeDesktops(R).map((d) => d.DesktopId)).toEqual([a]);
  });
});

describe("desktop lifecycle on the real clock", () => {
  test("short durations let integration tests poll to Running", async () => {
    const emu = await startEmulator({ durations: { createMs: 30 } });
    try {
      const client = makeClient(emu);
      const body = await callEcd(client, "CreateDesktops", BASE);
      const [id] = body.DesktopId as string[];
      let desktopStatus = "";
      for (let i = 0; i < 50 && desktopStatus !== "Running"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        const described = await callEcd(client, "DescribeDesktops", { RegionId: R, DesktopId: [id] });
        desktopStatus = String((described.Desktops as Body[])[0].DesktopStatus);
      }
      expect(desktopStatus).toBe("Running");
    } finally {
      await emu.close();
    }
  });
});
