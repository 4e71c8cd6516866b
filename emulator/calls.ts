import type { Interference } from "./faults";
import type { SignatureStyle } from "./http/signature";

export interface CallRecord {
  action: string;
  /** Lifecycle-clock time the call was answered (or dropped), ms epoch. */
  at: number;
  /** 0 when no response was sent (drop / responseLost). */
  httpStatus: number;
  code?: string;
  requestId: string;
  regionId?: string;
  signature: SignatureStyle;
  /** Set when the fault layer interfered with the call (`rateLimit`: throttled by the rate limit). */
  fault?: Interference;
}

/** Every API call the emulator received, in arrival order. */
export class CallLog {
  private records: CallRecord[] = [];

  record(call: CallRecord): void {
    this.records.push(call);
  }

  entries(action?: string): CallRecord[] {
    return this.records.filter((c) => action === undefined || c.action === action).map((c) => ({ ...c }));
  }

  /** Number of calls per action, whatever their outcome. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of this.records) counts[call.action] = (counts[call.action] ?? 0) + 1;
    return counts;
  }

  reset(): void {
    this.records = [];
  }
}
