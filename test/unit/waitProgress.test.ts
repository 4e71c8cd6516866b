/** What a wait prints while it polls the emulator: lines a reader can take at their word. */
import { ManualClock, RunningEmulator, startEmulator } from "../../emulator";
import { EcdClient } from "../../provider/ecd/client";
import { waitForDesktops, type PollSettings } from "../../provider/desktopBatch/waiter";

const REGION = "cn-hangzhou";

let emu: RunningEmulator;
let clock: ManualClock;
let client: EcdClient;
beforeAll(async () => {
  clock = new ManualClock();
  emu = await startEmulator({ clock, durations: { createMs: 1_000, deleteMs: 5_000 } });
  client = new EcdClient({
    regionId: REGION,
    endpoint: emu.url,
    credentials: emu.credentials[0],
    notice: () => undefined,
  });
});
afterAll(async () => emu?.close());

function poll(lines: string[]): PollSettings {
  return {
    intervalMs: 2_000,
    maxIntervalMs: 2_000,
    shortestMs: {},
    progressEveryMs: 0,
    log: (line) => lines.push(line),
    sleep: async (ms) => {
      clock.advance(ms);
    },
  };
}

it("a release counts the desktops gone, and calls those ECD still shows Deleted 'being deleted'", async () => {
  const { desktopId: desktopIds } = await client.createDesktops({
    officeSiteId: `${REGION}+dir-0000000001`,
    bundleId: "b-win-office-4c8g",
    desktopName: "w",
    amount: 3,
  });
  clock.advance(2_000);
  await client.deleteDesktops(desktopIds!);
  const lines: string[] = [];
  await waitForDesktops(
    client,
    {
      ids: desktopIds!,
      settled: () => false,
      goneIsSettled: true,
      deadline: Number.MAX_SAFE_INTEGER,
      label: "releasing 3 desktop(s)",
    },
    poll(lines),
  );
  expect(lines[0]).toBe("releasing 3 desktop(s): 0/3 gone (3 being deleted)");
  expect(lines.at(-1)).toBe("releasing 3 desktop(s): 3/3 gone");
  expect(lines.join("\n")).not.toMatch(/Deleted/);
});

it("a wait for no desktops prints nothing and calls nothing", async () => {
  emu.calls.reset();
  const lines: string[] = [];
  const seen = await waitForDesktops(
    client,
    {
      ids: [],
      settled: () => true,
      goneIsSettled: false,
      deadline: Number.MAX_SAFE_INTEGER,
      label: "Running",
    },
    poll(lines),
  );
  expect({ seen, lines, calls: emu.calls.counts() }).toEqual({ seen: [], lines: [], calls: {} });
});
