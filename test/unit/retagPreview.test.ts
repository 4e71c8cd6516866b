/** A change that concerns many desktops alike reads as one preview line, not one per desktop. */
import { attributeDrift, type DesktopView } from "../../provider/desktopBatch/attributes";
import type { DesktopBatchInputs } from "../../provider/desktopBatch/inputs";

const desktop = (n: number, tags: Record<string, string>): DesktopView =>
  ({
    desktopId: `ecd-${String(n).padStart(4, "0")}`,
    desktopName: `dev-${n}`,
    desktopStatus: "Running",
    tags,
  }) as DesktopView;

const retagLines = (inputs: Partial<DesktopBatchInputs>, desktops: DesktopView[]) =>
  attributeDrift({ inputs: { desktopName: "dev", ...inputs } as DesktopBatchInputs, desktops }).filter(
    (line) => line.includes("retagged"),
  );

it("a first tag on 40 desktops is one line with the count and the first IDs", () => {
  const desktops = Array.from({ length: 40 }, (_, i) => desktop(i + 1, {}));
  expect(retagLines({ tags: { team: "a" } }, desktops)).toEqual([
    "40 desktops, each has tags none (will be retagged): ecd-0001, ecd-0002, ecd-0003, ecd-0004, ecd-0005 and 35 more",
  ]);
});

it("desktops with different tags now get one line per difference; a lone desktop keeps its own line", () => {
  const desktops = [desktop(1, {}), desktop(2, {}), desktop(3, { team: "b" })];
  expect(retagLines({ tags: { team: "a" } }, desktops)).toEqual([
    "2 desktops, each has tags none (will be retagged): ecd-0001, ecd-0002",
    "ecd-0003 has tags team=b (will be retagged)",
  ]);
});

it("every attribute groups desktops whose change reads the same: 1,500 desktops to stop are one line", () => {
  const desktops = Array.from({ length: 1500 }, (_, i) => desktop(i + 1, {}));
  const lines = attributeDrift({
    inputs: { desktopName: "dev", powerState: "Stopped", policyGroupId: "pg-1" } as DesktopBatchInputs,
    desktops: desktops.map((d) => ({ ...d, policyGroupIds: ["pg-0"], policyGroupId: "pg-0" }) as DesktopView),
  }).filter((line) => !line.includes("renamed"));
  expect(lines).toEqual([
    "1500 desktops, each is Running (runs while its policy or users change, then is stopped again): ecd-0001, ecd-0002, ecd-0003, ecd-0004, ecd-0005 and 1495 more",
    "1500 desktops, each uses policy pg-0 (will get pg-1): ecd-0001, ecd-0002, ecd-0003, ecd-0004, ecd-0005 and 1495 more",
    "1500 desktops, each is Running (will be stopped: powerState Stopped): ecd-0001, ecd-0002, ecd-0003, ecd-0004, ecd-0005 and 1495 more",
  ]);
});
