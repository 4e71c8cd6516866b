/**
 * Seeds of 1..500 whose lifecycle breaks a promise because of a known provider bug (see bugs.faults.test.ts).
 * The jest suite keeps them out of its seeded runs and reproduces them as `it.failing`; the long run marks them.
 */
export const KNOWN_BUG_SEEDS: Readonly<Record<number, string>> = Object.fromEntries(
  // Bug 1: an update does not wait for Pending desktops recorded by an earlier failed attempt.
  [6, 127, 166, 229, 295, 409, 418].map((seed) => [seed, "bug 1"]),
);
