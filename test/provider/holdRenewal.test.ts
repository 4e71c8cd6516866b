/**
 * A create keeps its hold on its desktops alive whatever the polling schedule: a wait whose first look comes
 * after longer than the hold (1.1 × the operation's shortest duration) still renews it in time.
 */
import { otherProcess, until } from "../support/processes";
import { baseInputs, newToken, withHarness } from "../support/harness";

describe("the creating hold while polls are far apart", () => {
  it("a concurrent run of the same stack never takes the desktops of a run whose first look is later than its hold", async () => {
    await withHarness(
      async (h) => {
        const inputs = await h.checked(baseInputs({ amount: 2, lineage: newToken() }));
        // First look at 1.1 × 1000 ms, five times the hold.
        const first = otherProcess(h, { lease: { ttlMs: 200 }, poll: { shortestMs: { create: 1000 } } });
        const firstCreate = first.provider.create(inputs);
        await until(() => h.live().length >= 2);
        await new Promise((resolve) => setTimeout(resolve, 400));
        const second = otherProcess(h, { lease: { ttlMs: 200 } });
        const b = await second.provider.create(inputs);
        const a = await firstCreate;
        expect(h.live()).toHaveLength(4);
        expect(new Set([...a.outs!.desktopIds, ...b.outs!.desktopIds]).size).toBe(4);
      },
      { durations: { createMs: 1500 } },
    );
  });
});
