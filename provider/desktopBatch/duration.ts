const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style durations as Terraform/Pulumi users write them: "30m", "90s", "1h30m", "500ms". */
export function parseDuration(value: string): number | undefined {
  const trimmed = value.trim();
  // Far longer than any real duration; the loop below slices the rest, so a huge value would take quadratic time.
  if (trimmed === "" || trimmed.length > 64) return undefined;
  let total = 0;
  let rest = trimmed;
  while (rest.length > 0) {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * UNITS[match[2]];
    rest = rest.slice(match[0].length);
  }
  return total > 0 ? Math.round(total) : undefined;
}
