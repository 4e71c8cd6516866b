import { escapeRegExp } from "./text";

/** The CreateDesktops hostname template `prefix[begin,bits]suffix` and the plain hostname rule. */
export interface HostnameTemplate {
  prefix: string;
  begin: number;
  bits: number;
  suffix: string;
}

const TEMPLATE = /^([^[\]]*)\[(\d*),(\d*)\]([^[\]]*)$/;

export function parseHostnameTemplate(value: string): HostnameTemplate | undefined {
  const match = TEMPLATE.exec(value);
  if (!match) return undefined;
  return {
    prefix: match[1],
    begin: match[2] === "" ? 0 : Number(match[2]),
    bits: match[3] === "" ? 6 : Number(match[3]),
    suffix: match[4],
  };
}

/** Why a literal hostname breaks the rule, or undefined when it is fine. */
export function hostnameProblem(hostname: string): string | undefined {
  if (hostname.length < 2 || hostname.length > 15) return "must be 2 to 15 characters long";
  if (!/^[A-Za-z0-9-]+$/.test(hostname)) return "may contain only letters, digits and hyphens (-)";
  if (hostname.startsWith("-") || hostname.endsWith("-")) return "cannot start or end with a hyphen";
  if (hostname.includes("--")) return "cannot contain consecutive hyphens";
  if (/^\d+$/.test(hostname)) return "cannot consist of only digits";
  return undefined;
}

export function hostnameAt(template: HostnameTemplate, index: number): string {
  return `${template.prefix}${String(template.begin + index).padStart(template.bits, "0")}${template.suffix}`;
}

/** Why a template (or literal) cannot name `amount` desktops, or undefined. */
export function hostnameTemplateProblem(value: string, amount: number): string | undefined {
  if (/[[\]]/.test(value)) {
    const template = parseHostnameTemplate(value);
    if (!template) return "must be a hostname or name_prefix[begin_number,bits]name_suffix";
    if (template.begin < 0 || template.begin > 999999) return "begin_number must be 0 to 999999";
    if (template.bits < 1 || template.bits > 6) return "bits must be 1 to 6";
    const last = template.begin + amount - 1;
    if (String(last).length > template.bits) {
      return `the sequence [${template.begin},${template.bits}] has no room for ${amount} hostnames`;
    }
    for (const sample of [hostnameAt(template, 0), hostnameAt(template, amount - 1)]) {
      const problem = hostnameProblem(sample);
      if (problem) return `generated hostname ${sample} ${problem}`;
    }
    return undefined;
  }
  return hostnameProblem(value);
}

/** The template for desktops starting at `offset` in the sequence, so a later CreateDesktops continues it. */
export function hostnameFrom(value: string, offset: number): string {
  const template = parseHostnameTemplate(value);
  if (!template) return value;
  return `${template.prefix}[${template.begin + offset},${template.bits}]${template.suffix}`;
}

/**
 * The first `count` places of the template's sequence that none of these hostnames holds, in order: healing
 * reuses the numbers of desktops that are gone, so a batch that uses its whole sequence can still heal.
 */
export function freeHostnameSlots(
  value: string,
  hostnames: readonly (string | undefined)[],
  count: number,
): number[] {
  const template = parseHostnameTemplate(value);
  if (!template) return Array.from({ length: count }, (_, i) => i);
  const pattern = new RegExp(
    `^${escapeRegExp(template.prefix)}(\\d{${template.bits}})${escapeRegExp(template.suffix)}$`,
    "i",
  );
  const used = new Set<number>();
  for (const hostname of hostnames) {
    const match = hostname ? pattern.exec(hostname) : null;
    if (match) used.add(Number(match[1]) - template.begin);
  }
  const slots: number[] = [];
  for (let slot = 0; slots.length < count; slot++) if (!used.has(slot)) slots.push(slot);
  return slots;
}

/** Whether a desktop's hostname is one the template (or literal) would give. */
export function hostnameMatches(value: string, hostname: string | undefined): boolean {
  if (hostname === undefined) return false;
  const template = parseHostnameTemplate(value);
  if (!template) return hostname.toLowerCase() === value.toLowerCase();
  return new RegExp(
    `^${escapeRegExp(template.prefix)}\\d{${template.bits}}${escapeRegExp(template.suffix)}$`,
    "i",
  ).test(hostname);
}
