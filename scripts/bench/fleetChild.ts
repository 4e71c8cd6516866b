/**
 * One stack of the fleet in a process of its own (forked by fleet.ts): its own provider, pacing budget and
 * clock, knowing nothing of the other stacks but the emulator they all call with one access key.
 *
 * Time is the fleet's shared virtual time: this process runs its own VirtualTime, and when all its work sleeps
 * it tells the parent its earliest wake-up (`{ quiet: at }`) and waits; the parent moves the emulator's clock
 * once every process is quiet and wakes those due (`{ now }`). Messages: `{ ready }` once loaded; the parent's
 * `{ start }`; `{ done: StackResult }` at the end.
 */
import { ManualClock, type EmulatorCredential } from "../../emulator";
import { Pacer } from "../../provider/ecd/pacing";
import { runStack } from "./fleetJob";
import { VirtualTime } from "./virtualTime";

export interface StartMessage {
  start: { url: string; credentials: EmulatorCredential; stack: number; perBatch: number; now: number };
}
export type ChildMessage = { ready: true } | { quiet: number } | { done: unknown };

const send = (message: ChildMessage) => process.send!(message);

let woken: ((now: number) => void) | undefined;
process.on("message", (m: Partial<StartMessage> & { now?: number }) => {
  if (m.start) void run(m.start);
  else if (m.now !== undefined) woken?.(m.now);
});

async function run(start: StartMessage["start"]): Promise<void> {
  const clock = new ManualClock(start.now);
  const vt = new VirtualTime(
    clock,
    (at) =>
      new Promise<void>((resolve) => {
        woken = (now) => {
          clock.set(now);
          resolve();
        };
        send({ quiet: at });
      }),
  );
  const world = { url: start.url, credentials: start.credentials, clock, vt, close: async () => undefined };
  const result = await runStack(world, start.stack, start.perBatch, () => new Pacer({ clock: vt }));
  send({ done: result });
  process.disconnect();
}

send({ ready: true });
