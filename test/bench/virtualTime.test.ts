/** The benchmark's virtual time: sleeps pass in order and only when nothing is in flight. */
import { ManualClock } from "../../emulator";
import { VirtualTime } from "../../scripts/bench/virtualTime";

describe("VirtualTime", () => {
  test("sleepers wake in time order, the clock jumping to each wake-up", async () => {
    const clock = new ManualClock(0);
    const vt = new VirtualTime(clock);
    const woke: [string, number][] = [];
    await Promise.all([
      vt.sleep(5000).then(() => woke.push(["late", clock.now()])),
      vt.sleep(1000).then(() => woke.push(["early", clock.now()])),
    ]);
    expect(woke).toEqual([
      ["early", 1000],
      ["late", 5000],
    ]);
  });

  test("the clock does not move while a call is in flight", async () => {
    const clock = new ManualClock(0);
    const vt = new VirtualTime(clock);
    const hook = vt.hook();
    await hook.before("scope", "DescribeDesktops");
    let woke = false;
    const sleeping = vt.sleep(60_000).then(() => (woke = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect([woke, clock.now()]).toEqual([false, 0]);
    hook.after("scope", "DescribeDesktops", "ok");
    await sleeping;
    expect(clock.now()).toBe(60_000);
  });

  test("a hook wraps the pacer it is given, which sleeps on the same virtual time", async () => {
    const clock = new ManualClock(0);
    const vt = new VirtualTime(clock);
    const calls: string[] = [];
    const hook = vt.hook({
      before: async (_scope, action) => {
        await vt.sleep(250);
        calls.push(`before ${action} at ${clock.now()}`);
      },
      after: (_scope, action, outcome) => calls.push(`after ${action} ${outcome}`),
    });
    await hook.before("s", "CreateDesktops");
    hook.after("s", "CreateDesktops", "throttled");
    expect(calls).toEqual(["before CreateDesktops at 250", "after CreateDesktops throttled"]);
  });

  test("a clock in another process is set to each new time before anyone woken runs", async () => {
    const clock = new ManualClock(0);
    const other: number[] = [];
    const vt = new VirtualTime(clock, async (now) => {
      await new Promise((resolve) => setImmediate(resolve));
      other.push(now);
    });
    const seen: number[][] = [];
    await Promise.all([
      vt.sleep(3000).then(() => seen.push([...other])),
      vt.sleep(1000).then(() => seen.push([...other])),
    ]);
    expect(seen).toEqual([[1000], [1000, 3000]]);
  });
});
