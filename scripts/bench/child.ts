/**
 * One size N in its own process: the DesktopBatch model, then with the rate limit on, then the per-desktop model
 * when N is small enough to run it. Prints one JSON line: a SizeResult. (Memory is measured apart, memory.ts.)
 *
 *   node --import tsx scripts/bench/child.ts <N> <perDesktopMax> <perDesktopLimitedMax>
 */
import { runBatch, runPerDesktop, type ModelRun } from "./scenarios";

export interface SizeResult {
  n: number;
  batch: ModelRun;
  batchLimited: ModelRun;
  perDesktop?: ModelRun;
  perDesktopLimited?: ModelRun;
}

async function main(): Promise<void> {
  const [n, perDesktopMax, perDesktopLimitedMax] = process.argv.slice(2).map(Number);
  const batch = await runBatch(n, false);
  const batchLimited = await runBatch(n, true);
  const perDesktop = n <= perDesktopMax ? await runPerDesktop(n, false) : undefined;
  const perDesktopLimited = n <= perDesktopLimitedMax ? await runPerDesktop(n, true) : undefined;
  const result: SizeResult = { n, batch, batchLimited, perDesktop, perDesktopLimited };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
