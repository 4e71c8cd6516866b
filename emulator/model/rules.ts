import { EcdServiceError, Errors } from "../errors";
import type { PeriodUnit } from "./types";

/** Validation rules shared by several operations (names, hostnames, tags, billing periods). */

const DESKTOP_NAME = /^[A-Za-z\p{Script=Han}][A-Za-z0-9\p{Script=Han}:_.-]*$/u;

export function checkDesktopName(name: string): void {
  if ([...name].length > 64 || !DESKTOP_NAME.test(name)) throw Errors.desktopNameMalformed(name);
}

export function checkHostnameSyntax(hostname: string): void {
  const fail = (detail: string): EcdServiceError => Errors.hostnameMalformed(hostname, detail);
  if (hostname.length < 2 || hostname.length > 15) throw fail("it must be 2 to 15 characters long");
  if (!/^[A-Za-z0-9-]+$/.test(hostname)) throw fail("only letters, digits and hyphens are allowed");
  if (hostname.startsWith("-") || hostname.endsWith("-")) throw fail("it cannot start or end with a hyphen");
  if (hostname.includes("--")) throw fail("it cannot contain consecutive hyphens");
  if (/^\d+$/.test(hostname)) throw fail("it cannot consist of digits only");
}

const TEMPLATE = /^([^[\]]*)\[(\d*)(?:,(\d*))?\]([^[\]]*)$/;

/**
 * Expands a CreateDesktops hostname into `count` hostnames. `prefix[begin,bits]suffix` numbers them from `begin`
 * (default 0) zero-padded to `bits` digits (default 6); a plain hostname is repeated as is.
 */
export function expandHostnames(template: string, count: number): string[] {
  if (!template.includes("[") && !template.includes("]")) {
    checkHostnameSyntax(template);
    return Array.from({ length: count }, () => template);
  }
  const match = TEMPLATE.exec(template);
  if (!match)
    throw Errors.hostnameMalformed(template, "the sequence must look like prefix[begin,bits]suffix");
  const [, prefix, beginText, bitsText, suffix] = match;
  const begin = beginText ? Number(beginText) : 0;
  const bits = bitsText ? Number(bitsText) : 6;
  if (begin > 999999) throw Errors.hostnameMalformed(template, "begin_number must be 0 to 999999");
  if (bits < 1 || bits > 6) throw Errors.hostnameMalformed(template, "bits must be 1 to 6");
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const number = String(begin + i);
    if (number.length > bits)
      throw Errors.hostnameMalformed(template, `sequence number ${number} exceeds ${bits} digits`);
    const hostname = `${prefix}${number.padStart(bits, "0")}${suffix}`;
    checkHostnameSyntax(hostname);
    names.push(hostname);
  }
  return names;
}

export interface TagInput {
  Key?: string;
  Value?: string;
}

/** Validates tags and returns them as ordered [key, value] pairs (a repeated key keeps its last value). */
export function checkTags(tags: TagInput[], options: { min: number; max: number }): Map<string, string> {
  if (tags.length < options.min || tags.length > options.max) {
    throw Errors.tagCount(`${options.min} to ${options.max} tags are allowed, got ${tags.length}`);
  }
  const out = new Map<string, string>();
  for (const tag of tags) {
    const key = tag.Key ?? "";
    checkTagKey(key);
    const value = tag.Value ?? "";
    checkTagValue(value);
    out.set(key, value);
  }
  return out;
}

/** The SDK's TagResourcesRequest: a value may be empty, is at most 128 characters, not `acs:`-prefixed and has no URL. */
export function checkTagValue(value: string): void {
  const lower = value.toLowerCase();
  if (
    value.length > 128 ||
    lower.startsWith("acs:") ||
    lower.includes("http://") ||
    lower.includes("https://")
  ) {
    throw Errors.tagValueMalformed(value);
  }
}

export function checkTagKey(key: string): void {
  const lower = key.toLowerCase();
  if (
    key.length === 0 ||
    key.length > 128 ||
    lower.startsWith("aliyun") ||
    lower.startsWith("acs:") ||
    lower.includes("http://") ||
    lower.includes("https://")
  ) {
    throw Errors.tagKeyMalformed(key);
  }
}

/** Validates a subscription period; Month 1,2,3,6; Year 1-5; Week 1 where allowed. */
export function checkPeriod(
  period: number | undefined,
  unitInput: string | undefined,
  options: { allowWeek: boolean },
): { period: number; unit: PeriodUnit } {
  const unit = unitInput ?? "Month";
  if (unit !== "Month" && unit !== "Year" && !(unit === "Week" && options.allowWeek)) {
    throw Errors.invalidPeriodUnit(unit);
  }
  if (period === undefined) throw Errors.missingParameter("Period");
  const allowed = unit === "Month" ? [1, 2, 3, 6] : unit === "Year" ? [1, 2, 3, 4, 5] : [1];
  if (!allowed.includes(period)) {
    throw Errors.invalidPeriod(`with PeriodUnit ${unit} the Period must be one of ${allowed.join(", ")}`);
  }
  return { period, unit };
}

export function addPeriod(from: number, period: number, unit: PeriodUnit): number {
  const date = new Date(from);
  if (unit === "Week") return from + period * 7 * 24 * 3600 * 1000;
  if (unit === "Month") date.setUTCMonth(date.getUTCMonth() + period);
  else date.setUTCFullYear(date.getUTCFullYear() + period);
  return date.getTime();
}

/** ECD's time format: `YYYY-MM-DDTHH:mmZ`, UTC, no seconds. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + "Z";
}

export function checkCount(name: string, values: readonly unknown[], min: number, max: number): void {
  if (values.length < min) throw Errors.missingParameter(name);
  if (values.length > max) throw Errors.invalidParameter(name, `At most ${max} values are allowed.`);
}
