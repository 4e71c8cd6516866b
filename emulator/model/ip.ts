/** IPv4 helpers for allocating desktop addresses inside an office site's CIDR block. */

export function parseIpv4(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

export interface Cidr {
  network: number;
  size: number;
}

export function parseCidr(cidr: string): Cidr {
  const [ip, bitsText] = cidr.split("/");
  const base = parseIpv4(ip);
  const bits = Number(bitsText);
  if (base === undefined || !Number.isInteger(bits) || bits < 8 || bits > 30)
    throw new Error(`bad CIDR ${cidr}`);
  const size = 2 ** (32 - bits);
  return { network: base - (base % size), size };
}

/** True when `ip` is a usable host address of the block (not the network or broadcast address). */
export function isHostInCidr(ip: number, cidr: Cidr): boolean {
  return ip > cidr.network && ip < cidr.network + cidr.size - 1;
}

/** Lowest free host addresses of the block, in order. */
export function allocateIps(cidr: Cidr, used: ReadonlySet<string>, count: number): string[] {
  const out: string[] = [];
  for (let ip = cidr.network + 1; out.length < count && ip < cidr.network + cidr.size - 1; ip++) {
    const text = formatIpv4(ip);
    if (!used.has(text)) out.push(text);
  }
  if (out.length < count) throw new Error("office site CIDR block exhausted");
  return out;
}
