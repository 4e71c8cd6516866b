/**
 * The emulator in a process of its own, for the memory run (memory.ts): the measured process then holds the
 * provider and its client, not the N desktops and the call log. The emulator's ManualClock follows the parent's
 * virtual time over IPC (virtualTime.ts sets it before waking anyone), so the steps run as in scenarios.ts.
 *
 * Messages: the child sends `{ url, credentials }` once listening; the parent sends `{ now }` (answered with
 * `{ now }` once set) and `{ usage: true }` (answered with `{ maxRssMiB }`, this process's peak RSS); closing
 * the channel ends the process.
 */
import { fork } from "child_process";
import { ManualClock, startEmulator, type EmulatorCredential } from "../../emulator";
import { REALISTIC_DURATIONS, type World } from "./scenarios";
import { VirtualTime } from "./virtualTime";

type Message = { url: string; credentials: EmulatorCredential } | { now: number } | { maxRssMiB: number };

/** Starts the emulator process; its world's close() ends it, after noting the process's peak RSS. */
export async function emulatorProcess(): Promise<World & { peakRssMiB?: number }> {
  const child = fork(__filename, [], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  // One question at a time: the clock is set only while everyone sleeps, the usage asked at the end.
  const answer = <T extends Message>(question?: object): Promise<T> =>
    new Promise((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`the emulator process exited ${code}`));
      child.once("exit", exited);
      child.once("message", (m) => {
        child.off("exit", exited);
        resolve(m as T);
      });
      if (question) child.send(question);
    });
  const { url, credentials } = await answer<{ url: string; credentials: EmulatorCredential }>();
  const clock = new ManualClock();
  await answer({ now: clock.now() });
  const world: World & { peakRssMiB?: number } = {
    url,
    credentials,
    clock,
    vt: new VirtualTime(clock, async (now) => void (await answer({ now }))),
    close: async () => {
      world.peakRssMiB = (await answer<{ maxRssMiB: number }>({ usage: true })).maxRssMiB;
      const exit = new Promise((resolve) => child.once("exit", resolve));
      child.disconnect();
      await exit;
    },
  };
  return world;
}

async function serve(): Promise<void> {
  const clock = new ManualClock();
  const emu = await startEmulator({ clock, durations: REALISTIC_DURATIONS });
  const send = (message: Message) => process.send!(message);
  process.on("message", (m: { now?: number; usage?: true }) => {
    if (m.now !== undefined) {
      clock.set(m.now);
      send({ now: clock.now() });
    }
    if (m.usage) send({ maxRssMiB: process.resourceUsage().maxRSS / 1024 });
  });
  process.on("disconnect", () => void emu.close().then(() => process.exit(0)));
  send({ url: emu.url, credentials: emu.credentials[0] });
}

if (require.main === module) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
