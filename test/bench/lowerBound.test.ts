/** The benchmark's lower bounds: what any provider keeping our guarantees must spend, from the API's batch sizes. */
import { lowerBound, pendingPolls, total, waitPolls } from "../../scripts/bench/lowerBound";
import { SHORTEST_MS } from "../../provider/desktopBatch/waiter";

const FOUR_MINUTES = 4 * 60_000;
const DURATIONS = { createMs: FOUR_MINUTES, deleteMs: 60_000, entitlementMs: 30_000 };

describe("pendingPolls", () => {
  test("no poll finds an operation unfinished when it is done by the first poll the detection target allows", () => {
    expect(pendingPolls(SHORTEST_MS.create, SHORTEST_MS.create)).toBe(0);
    expect(pendingPolls(1.1 * SHORTEST_MS.create, SHORTEST_MS.create)).toBe(0);
  });

  test("the sparsest schedule keeping every delay within 10 % polls 1.1 times later each time", () => {
    // Polls at 66 s, 72.6 s, ... 227.8 s come before 4 minutes; the one at 250.6 s sees the desktops up.
    expect(pendingPolls(FOUR_MINUTES, 60_000)).toBe(14);
  });

  test("grows with the logarithm of the duration, not linearly", () => {
    expect(pendingPolls(2 * FOUR_MINUTES, 60_000) - pendingPolls(FOUR_MINUTES, 60_000)).toBe(7);
  });

  test("never polls more often than the floor: short operations cost one poll per 2 s", () => {
    // First look at 2.2 s (1.1 × 2 s), then every 2 s until 10 % of the elapsed time is more than that.
    expect(pendingPolls(10_000, 2_000)).toBe(4);
  });
});

describe("lowerBound", () => {
  test("a create lists its lineage in every region, pays CreateDesktops per 300, the polls, one DescribeDesktops per 100 and one UntagResources per 50", () => {
    expect(lowerBound("create", 3000, DURATIONS).calls).toEqual({
      CreateDesktops: 10,
      DescribeRegions: 1,
      DescribeDesktops: 3 + 14 + 30,
      UntagResources: 60,
    });
  });

  test("a scale-up lists the whole batch before creating the tenth more", () => {
    expect(lowerBound("scale +10%", 1000, DURATIONS).calls).toEqual({
      CreateDesktops: 1,
      DescribeDesktops: 10 + 14 + 1,
    });
  });

  test("a delete lists by owner tag, deletes, polls while the release runs and sees gone, 100 a call each", () => {
    const { release } = waitPolls(DURATIONS);
    expect(release).toBeGreaterThan(0);
    expect(total(lowerBound("delete", 250, DURATIONS).calls)).toBe(3 + 3 + release + 3);
  });

  test("in-place updates trust the stored state: only the change itself, and a new policy looked up once", () => {
    expect(lowerBound("policy", 300, DURATIONS).calls).toEqual({
      DescribePolicyGroups: 1,
      ModifyDesktopsPolicyGroup: 3,
    });
    expect(lowerBound("rename", 300, DURATIONS).calls).toEqual({ ModifyDesktopName: 300 });
  });

  test("a user change takes ModifyEntitlement per desktop while that is fewer calls, then waits", () => {
    const { entitlement } = waitPolls(DURATIONS);
    expect(lowerBound("users", 1, DURATIONS).calls).toEqual({
      ModifyEntitlement: 1,
      DescribeDesktops: entitlement + 1,
    });
    expect(lowerBound("users", 250, DURATIONS).calls).toEqual({
      ModifyUserEntitlement: 6,
      DescribeDesktops: entitlement + 3,
    });
  });
});
