/** How check messages quote what the user wrote: short, on one line, whatever the value. */
const MAX_SHOWN = 40;
const MAX_NAME = 80;

/** A value as JSON, cut to a readable length; never throws (BigInt, cycles, functions). */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** A property path as the message names it: as is when it is plain, else quoted and cut (keys are user input). */
export function named(path: string): string {
  // eslint-disable-next-line no-control-regex
  if (path.length <= MAX_NAME && path.length > 0 && !/[\u0000-\u001f\u007f"\s]/.test(path)) return path;
  const quoted = JSON.stringify(path);
  return quoted.length > MAX_NAME ? `${quoted.slice(0, MAX_NAME)}…` : quoted;
}

/** A hostname rule's problem as the rest of a sentence that starts with the property. */
export function hostnamePhrase(hostname: string, problem: string): string {
  return /^(must|may|cannot)\b/.test(problem)
    ? `${problem} (got ${shown(hostname)})`
    : `${shown(hostname)}: ${problem}`;
}
