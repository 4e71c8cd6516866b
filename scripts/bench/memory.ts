/**
 * The provider's own memory for one size N, in a process of its own so that its peak RSS is its own: every
 * DesktopBatch step as in child.ts, with the emulator in another process (emulatorProcess.ts), so that this one
 * holds only the provider, its client and the scenario's inputs and outputs. Prints one JSON line: a
 * MemoryResult.
 *
 *   node --expose-gc --import tsx scripts/bench/memory.ts <N>
 */
import { getHeapStatistics } from "v8";
import { emulatorProcess } from "./emulatorProcess";
import { runBatch } from "./scenarios";

export interface MemoryResult {
  n: number;
  /** RSS before the first step: Node.js, tsx and the code loaded, MiB. */
  startRssMiB: number;
  /** process.resourceUsage().maxRSS of this process, MiB. */
  peakRssMiB: number;
  /** Largest V8 heap in use, sampled every 10 ms and at the end of each step (garbage not yet collected too), MiB. */
  peakHeapMiB: number;
  /** Largest heap in use right after a full GC at the end of a step: what stays from one step to the next, MiB. */
  keptHeapMiB: number;
  /** Peak RSS of the emulator's process, for information, MiB. */
  emulatorRssMiB: number;
  /** The first step that failed, if any: the figures then cover the steps before it. */
  failed?: string;
}

const MiB = 2 ** 20;
const heapUsed = (): number => getHeapStatistics().used_heap_size / MiB;

async function main(): Promise<void> {
  const n = Number(process.argv[2]);
  const gc = globalThis.gc;
  if (!gc) throw new Error("run with node --expose-gc");
  const startRssMiB = process.memoryUsage().rss / MiB;
  let peakHeapMiB = heapUsed();
  let keptHeapMiB = 0;
  const sampler = setInterval(() => (peakHeapMiB = Math.max(peakHeapMiB, heapUsed())), 10);
  const world = emulatorProcess();
  const run = await runBatch(
    n,
    false,
    () => world,
    () => {
      peakHeapMiB = Math.max(peakHeapMiB, heapUsed());
      gc();
      keptHeapMiB = Math.max(keptHeapMiB, heapUsed());
    },
  );
  clearInterval(sampler);
  const failed = run.steps.find((s) => s.error);
  const result: MemoryResult = {
    n,
    startRssMiB,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    peakHeapMiB,
    keptHeapMiB,
    emulatorRssMiB: (await world).peakRssMiB ?? NaN,
    failed: failed && `${failed.step}: ${failed.error}`,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
