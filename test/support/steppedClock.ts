import type { PacingClock } from "../../provider/ecd/pacing";

/** A pacing clock whose sleeps return at once and move its time on instead: paced tests take no real time. */
export class SteppedClock implements PacingClock {
  readonly slept: number[] = [];

  constructor(private readonly source: { now(): number; advance(ms: number): unknown } = new Manual()) {}

  now(): number {
    return this.source.now();
  }

  async sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.source.advance(ms);
  }
}

class Manual {
  private at = 0;
  now(): number {
    return this.at;
  }
  advance(ms: number): void {
    this.at += ms;
  }
}
