/**
 * Seeds of 1..500 whose lifecycle breaks a promise because of a known provider bug (see bugs.faults.test.ts).
 * The jest suite keeps them out of its seeded runs; the long run marks them. None is known now.
 */
export const KNOWN_BUG_SEEDS: Readonly<Record<number, string>> = {};

/** Seeds that once showed bug 1 (an update not waiting for Pending desktops of an earlier attempt). */
export const BUG_1_SEEDS: readonly number[] = [6, 127, 166, 229, 295, 409, 418];
