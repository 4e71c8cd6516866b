/** Which template changes the desktops can follow in place, and what a rebuild does to the data disk. */
import { dataDiskEffect } from "../../provider/desktopBatch/attributes/image";
import { Template, templateChangeRefusal } from "../../provider/desktopBatch/attributes/template";

const office: Template = {
  bundleId: "b-office",
  imageId: "m-win",
  osType: "Windows",
  desktopType: "eds.enterprise_office.4c8g",
  systemDiskSize: 80,
  dataDiskSize: 40,
  systemDiskCategory: "cloud_auto",
  dataDiskCategory: "cloud_auto",
  systemDiskPerformanceLevel: "PL0",
  volumeEncryptionEnabled: false,
};

describe("templateChangeRefusal", () => {
  it.each([
    ["another image", { imageId: "m-linux", osType: "Linux" }],
    ["a larger type of the same family", { desktopType: "eds.enterprise_office.8c16g" }],
    ["larger disks", { systemDiskSize: 120, dataDiskSize: 100 }],
    ["a data disk where there was none", {}, { dataDiskSize: 0 }],
  ])("allows %s", (_name, change: Partial<Template>, from: Partial<Template> = {}) => {
    expect(templateChangeRefusal({ ...office, ...from }, { ...office, bundleId: "b-new", ...change })).toBe(
      undefined,
    );
  });

  it.each([
    ["another family", { desktopType: "eds.general.4c16g" }, /General Office family/],
    ["graphics", { desktopType: "eds.graphics.16c64g" }, /graphics and non-graphics/],
    [
      "a smaller system disk",
      { systemDiskSize: 60 },
      /system disk is 60 GiB, smaller than the 80 GiB of b-office/,
    ],
    ["no data disk", { dataDiskSize: 0 }, /no data disk and b-office has one/],
    ["another disk category", { systemDiskCategory: "cloud_essd" }, /system disk category is cloud_essd/],
    ["encryption", { volumeEncryptionEnabled: true }, /disk encryption is true/],
  ])("refuses %s, naming it", (_name, change: Partial<Template>, why) => {
    const refusal = templateChangeRefusal(office, { ...office, bundleId: "b-new", ...change });
    expect(refusal).toMatch(/^template b-new: /);
    expect(refusal).toMatch(why);
  });
});

describe("dataDiskEffect", () => {
  const rebuild = { imageId: "m-new", dataDisk: true, replaceDataDisk: false };
  it("states the service's rule: kept within an operating system, cleared across, replaced on request", () => {
    expect(dataDiskEffect({ ...rebuild, osFrom: "Windows", osTo: "Windows" })).toBe("its data disk is kept");
    expect(dataDiskEffect({ ...rebuild, osFrom: "Windows", osTo: "Linux" })).toMatch(
      /^its data disk is CLEARED: the operating system changes from Windows to Linux/,
    );
    expect(dataDiskEffect(rebuild)).toMatch(
      /kept if the new image has the same operating system, and CLEARED if not/,
    );
    expect(dataDiskEffect({ ...rebuild, replaceDataDisk: true })).toMatch(/replaced/);
    expect(dataDiskEffect({ ...rebuild, dataDisk: false, replaceDataDisk: true })).toBe(
      "it has no data disk",
    );
  });
});
