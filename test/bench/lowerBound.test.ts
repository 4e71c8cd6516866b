/** The benchmark's lower bounds: what any provider keeping our guarantees must spend, from the API's batch sizes. */
import { lowerBound, MIN_PROVISIONING_MS, pendingPolls, total } from "../../scripts/bench/lowerBound";

const FOUR_MINUTES = 4 * 60_000;

describe("pendingPolls", () => {
  test("no poll finds a create pending when it is up by the first poll the detection target allows", () => {
    expect(pendingPolls(MIN_PROVISIONING_MS)).toBe(0);
    expect(pendingPolls(1.1 * MIN_PROVISIONING_MS)).toBe(0);
  });

  test("the sparsest schedule keeping every delay within 10 % polls 1.1 times later each time", () => {
    // Polls at 66 s, 72.6 s, ... 227.8 s come before 4 minutes; the one at 250.6 s sees the desktops up.
    expect(pendingPolls(FOUR_MINUTES)).toBe(14);
  });

  test("grows with the logarithm of the provisioning time, not linearly", () => {
    expect(pendingPolls(2 * FOUR_MINUTES) - pendingPolls(FOUR_MINUTES)).toBe(7);
  });
});

describe("lowerBound", () => {
  test("a create lists its lineage, pays CreateDesktops per 300, the polls, one DescribeDesktops per 100 and one UntagResources per 50", () => {
    expect(lowerBound("create", 3000, FOUR_MINUTES).calls).toEqual({
      CreateDesktops: 10,
      DescribeDesktops: 1 + 14 + 30,
      UntagResources: 60,
    });
  });

  test("a scale-up lists the whole batch before creating the tenth more", () => {
    expect(lowerBound("scale +10%", 1000, FOUR_MINUTES).calls).toEqual({
      CreateDesktops: 1,
      DescribeDesktops: 10 + 14 + 1,
    });
  });

  test("a delete lists by owner tag, deletes and sees gone, 100 a call each", () => {
    expect(total(lowerBound("delete", 250, FOUR_MINUTES).calls)).toBe(3 + 3 + 3);
  });

  test("in-place updates trust the stored state: only the change itself", () => {
    expect(lowerBound("policy", 300, FOUR_MINUTES).calls).toEqual({ ModifyDesktopsPolicyGroup: 3 });
    expect(lowerBound("rename", 300, FOUR_MINUTES).calls).toEqual({ ModifyDesktopName: 300 });
  });
});
