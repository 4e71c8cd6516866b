import type { IdGenerator } from "./ids";
import type { LifecycleDurations, ServiceVariants } from "./types";

/** What an operation needs besides the region's state: the current time, durations, ids and the failure roll. */
export interface ModelContext {
  now: number;
  durations: LifecycleDurations;
  variants: ServiceVariants;
  ids: IdGenerator;
  /** Decides whether a newly created desktop ends in `Failed` (the fault layer's `failedDesktopRate`). */
  shouldFailDesktop: () => boolean;
}
