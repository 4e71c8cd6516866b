/**
 * Issue 17, item 7, through the real Pulumi CLI against the emulator: a spec change (a new template of the same
 * family, changed in place by StopDesktops, ModifyDesktopSpec and StartDesktops) killed after StopDesktops. The
 * rerun must start the desktops the killed run stopped, and a refresh must show that they should be running.
 */
import { startEmulator, type RunningEmulator, type WireDesktop } from "../../emulator";
import { STOPPED_FOR_TAG } from "../../provider/desktopBatch/identity";
import { E2E_DURATIONS, findCliOrSkip } from "./cli";
import { Fleet, isAlive, liveDesktops, nextArrival, tagOf, until } from "./fleet";

const cliDir = findCliOrSkip();
const describeE2E = cliDir ? describe : describe.skip;

const UP = ["up", "--yes", "--skip-preview"];
// `pulumi up -c` saves the value in the stack's config: a revert names the old template again.
const BIGGER = ["-c", "bundleId=b-win-office-8c16g"];
const REVERTED = ["-c", "bundleId=b-win-office-4c8g"];

jest.setTimeout(240_000);

describeE2E("a spec change killed after StopDesktops, through the pulumi CLI", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    // Stopping takes 3 s: the kill lands while the provider waits for the desktops to stop.
    emu = await startEmulator({ durations: { ...E2E_DURATIONS, stopMs: 3_000 } });
  });
  afterAll(async () => emu?.close());

  const statuses = (): string[] => liveDesktops(emu).map((d: WireDesktop) => d.DesktopStatus);
  const types = (): string[] => [...new Set(liveDesktops(emu).map((d: WireDesktop) => d.DesktopType))];

  /** Runs `pulumi up` with `args`, kills it (and all it started) once StopDesktops arrived, and unlocks the stack. */
  async function killedAfterStop(fleet: Fleet, args: string[]): Promise<void> {
    const run = fleet.start(...UP, ...args);
    await nextArrival(emu, "StopDesktops");
    await until(() => statuses().every((s) => s === "Stopping"), "the desktops to be stopping");
    const killed = run.killAll();
    await run.exited;
    await until(() => killed.every((p) => !isAlive(p.pid)), "every killed process to be gone", 5_000);
    await until(() => statuses().every((s) => s === "Stopped"), "the desktops to be stopped", 10_000);
    expect(emu.calls.entries("ModifyDesktopSpec")).toHaveLength(0);
    await fleet.run("cancel", "--yes");
  }

  it("the rerun of the change starts the desktops again, and then nothing is left to change", async () => {
    const fleet = new Fleet(cliDir!, emu);
    try {
      await fleet.init();
      await fleet.run(...UP, "-c", "amount=2");
      emu.calls.reset();
      await killedAfterStop(fleet, ["-c", "amount=2", ...BIGGER]);
      await fleet.run(...UP, "-c", "amount=2", ...BIGGER);
      expect(statuses()).toEqual(["Running", "Running"]);
      expect(types()).toEqual(["eds.enterprise_office.8c16g"]);
      expect(liveDesktops(emu).filter((d) => tagOf(d, STOPPED_FOR_TAG) !== undefined)).toEqual([]);
      await fleet.run("preview", "--refresh", "--expect-no-changes");
      await fleet.run("destroy", "--yes", "--skip-preview");
    } finally {
      fleet.dispose();
    }
  });

  it("reverted instead: preview --refresh --expect-no-changes fails, and up starts the desktops", async () => {
    const fleet = new Fleet(cliDir!, emu);
    try {
      await fleet.init();
      await fleet.run(...UP, "-c", "amount=2");
      emu.calls.reset();
      await killedAfterStop(fleet, ["-c", "amount=2", ...BIGGER]);
      const gate = await fleet.runAllowingFailure(
        "preview",
        "--refresh",
        "--expect-no-changes",
        "-c",
        "amount=2",
      );
      expect(gate.code).not.toBe(0);
      expect(gate.stdout + gate.stderr).toMatch(/stopped for a spec change and not started again/);
      await fleet.run(...UP, "--refresh", ...REVERTED);
      expect(statuses()).toEqual(["Running", "Running"]);
      expect(types()).toEqual(["eds.enterprise_office.4c8g"]);
      expect(emu.calls.entries("ModifyDesktopSpec")).toHaveLength(0);
      await fleet.run("preview", "--refresh", "--expect-no-changes");
      await fleet.run("destroy", "--yes", "--skip-preview");
    } finally {
      fleet.dispose();
    }
  });
});
