/** specChangeRefusal: the ModifyDesktopSpec family rule, decided from the type ids alone. */
import { DESKTOP_TYPES, EcdBackend, EcdServiceError, ManualClock } from "../../emulator";
import { specChangeRefusal } from "../../provider/desktopBatch/desktopTypes";

describe("specChangeRefusal", () => {
  it.each([
    ["eds.enterprise_office.4c8g", "eds.enterprise_office.8c16g"],
    ["eds.general.2c8g", "eds.general.4c16g"],
    ["eds.graphics.16c64g", "eds.graphics.24c96g"],
    ["eds.enterprise_office.4c8g", "eds.hf.4c8g"],
    ["eds.general.4c16g", "eds.general.4c16g"],
  ])("allows %s → %s", (from, to) => {
    expect(specChangeRefusal(from, to)).toBeUndefined();
  });

  it.each([
    ["eds.general.4c16g", "eds.enterprise_office.4c8g"],
    ["eds.enterprise_office.4c8g", "eds.general.4c16g"],
  ])("refuses %s → %s: General Office and other families", (from, to) => {
    expect(specChangeRefusal(from, to)).toMatch(/General Office family \(eds\.general\) and other families/);
  });

  it.each([
    ["eds.enterprise_office.8c16g", "eds.graphics.16c64g"],
    ["eds.graphics.16c64g", "eds.enterprise_office.8c16g"],
    ["ecd.graphics.xlarge", "eds.hf.4c8g"],
  ])("refuses %s → %s: graphics and non-graphics", (from, to) => {
    expect(specChangeRefusal(from, to)).toMatch(/between graphics and non-graphics types/);
  });

  it("names both types in the rule", () => {
    expect(specChangeRefusal("eds.general.4c16g", "eds.graphics.16c64g")).toContain(
      "eds.general.4c16g cannot change to eds.graphics.16c64g",
    );
  });
});

describe("specChangeRefusal agrees with the emulator on every pair of its desktop types", () => {
  const types = [...DESKTOP_TYPES.keys()];
  const pairs = types.flatMap((from) => types.filter((to) => to !== from).map((to) => [from, to]));

  it.each(pairs)("%s → %s", (from, to) => {
    const backend = new EcdBackend({ clock: new ManualClock(0) });
    const [id] = backend.createDesktops("cn-hangzhou", {
      OfficeSiteId: "cn-hangzhou+dir-0000000001",
      DesktopAttachment: { DesktopType: from, ImageId: "m-win2019-emu" },
    }).DesktopId;
    backend.forceStatus(id, "Stopped");
    let code = "success";
    try {
      backend.modifyDesktopSpec("cn-hangzhou", { DesktopId: id, DesktopType: to, UserDiskSizeGib: 40 });
    } catch (e) {
      if (!(e instanceof EcdServiceError)) throw e;
      code = e.code;
    }
    expect({ refused: specChangeRefusal(from, to) !== undefined }).toEqual({
      refused: code === "InvalidDesktopType.FamilyNotSupported",
    });
  });
});
