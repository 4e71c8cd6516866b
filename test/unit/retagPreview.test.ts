/** A tag change that concerns every desktop alike reads as one preview line, not one per desktop. */
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
    "40 desktops have tags none (will be retagged): ecd-0001, ecd-0002, ecd-0003, ecd-0004, ecd-0005 and 35 more",
  ]);
});

it("desktops with different tags now get one line per difference; a lone desktop keeps its own line", () => {
  const desktops = [desktop(1, {}), desktop(2, {}), desktop(3, { team: "b" })];
  expect(retagLines({ tags: { team: "a" } }, desktops)).toEqual([
    "2 desktops have tags none (will be retagged): ecd-0001, ecd-0002",
    "ecd-0003 has tags team=b (will be retagged)",
  ]);
});
