import type { SeededRandom } from "../rng";

const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Deterministic resource ids drawn from the backend's seeded RNG. */
export class IdGenerator {
  private orders = 0;
  private desktops = 0;
  private readonly issued = new Set<string>();

  constructor(private readonly rng: SeededRandom) {}

  private unique(prefix: string, length: number): string {
    for (;;) {
      const id = prefix + this.rng.chars(LOWER_ALNUM, length);
      if (!this.issued.has(id)) {
        this.issued.add(id);
        return id;
      }
    }
  }

  desktopId(): string {
    return this.unique("ecd-", 17);
  }

  /** The next creation sequence number, see DesktopRecord.creationSeq. */
  desktopSeq(): number {
    this.desktops += 1;
    return this.desktops;
  }

  diskId(): string {
    return this.unique("d-", 20);
  }

  networkInterfaceId(): string {
    return this.unique("eni-", 17);
  }

  orderId(): string {
    this.orders += 1;
    return String(220000000000000 + this.orders);
  }
}
