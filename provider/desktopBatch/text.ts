/** A string as a literal inside a RegExp. */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** An error as the sentence a log line or a recorded reason carries. */
export const describeError = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
