/**
 * The emulator prints the environment to export; with exactly that environment a `pulumi up` runs at the
 * emulator's speed instead of polling on the schedule meant for Alibaba Cloud's minutes-long creates.
 */
import { banner } from "../../emulator/cli";
import { ManualClock, startEmulator } from "../../emulator";
import { DEFAULT_DURATIONS } from "../../emulator/model/types";
import { DesktopBatchProvider } from "../../provider";
import { baseInputs } from "../support/harness";

/** The `export NAME=value` lines of a banner, as a shell that pasted them would have them. */
function exportsOf(text: string): NodeJS.ProcessEnv {
  return Object.fromEntries(
    [...text.matchAll(/^export (\w+)=(\S+)$/gm)].map((match) => [match[1], match[2]] as [string, string]),
  );
}

describe("the environment the emulator prints", () => {
  it("makes a create see its desktops Running within one poll of the emulator making them ready", async () => {
    const clock = new ManualClock();
    const emu = await startEmulator({ clock });
    try {
      const env = exportsOf(banner(emu));
      const slept: number[] = [];
      const provider = new DesktopBatchProvider({
        env,
        poll: {
          log: () => undefined,
          sleep: async (ms) => {
            slept.push(ms);
            clock.advance(ms);
          },
        },
        lease: { engineAlive: async () => true },
      });
      const { inputs } = await provider.check({}, baseInputs({ amount: 2 }));
      await provider.create(inputs!);
      const interval = Number(env.PULUMI_ECD_POLL_INTERVAL_MS ?? 0);
      const waited = slept.reduce((sum, ms) => sum + ms, 0);
      expect(waited).toBeLessThanOrEqual(DEFAULT_DURATIONS.createMs + interval);
      expect(interval).toBeGreaterThan(0);
    } finally {
      await emu.close();
    }
  });
});
