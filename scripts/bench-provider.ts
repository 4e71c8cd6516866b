/**
 * Provider cost at scale against the local emulator (lifecycle durations shortened so that the provider's own
 * work dominates): wall time, ECD calls and memory for create, read (refresh), a no-op diff, and delete.
 *
 *   npm run bench:provider [-- --sizes 10,300,1000]
 */
import { performance } from "perf_hooks";
import { startEmulator } from "../emulator";
import { DesktopBatchProvider, DesktopBatchInputs, DesktopBatchOutputs } from "../provider";

const sizes = (
  process.argv.includes("--sizes") ? process.argv[process.argv.indexOf("--sizes") + 1] : "10,300,1000"
)
  .split(",")
  .map(Number);

interface Row {
  size: number;
  step: string;
  ms: number;
  calls: number;
  heapMiB: number;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  let peakRss = 0;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  for (const size of sizes) {
    const emu = await startEmulator({
      durations: {
        createMs: 200,
        deleteMs: 100,
        startMs: 50,
        stopMs: 50,
        entitlementMs: 50,
        chargeTypeMs: 50,
      },
    });
    const provider = new DesktopBatchProvider({
      settings: { credentials: emu.credentials[0], region: "cn-hangzhou", endpoint: emu.url },
      poll: { intervalMs: 100, maxIntervalMs: 500, progressEveryMs: 60_000, log: () => undefined },
    });
    const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      emu.calls.reset();
      global.gc?.();
      const start = performance.now();
      const result = await run();
      const calls = Object.values(emu.calls.counts()).reduce((a, b) => a + b, 0);
      rows.push({
        size,
        step: name,
        ms: performance.now() - start,
        calls,
        heapMiB: process.memoryUsage().heapUsed / 2 ** 20,
      });
      return result;
    };
    const checked = (
      await provider.check(
        {},
        {
          officeSiteId: "cn-hangzhou+dir-0000000001",
          bundleId: "b-win-office-4c8g",
          desktopName: "bench",
          amount: size,
          endUserIds: ["alice", "bob"],
          tags: { bench: "yes" },
          lineage: "b".repeat(32),
        },
      )
    ).inputs as DesktopBatchInputs;
    const created = await step("create (incl. waiting 200 ms for Running)", () => provider.create(checked));
    const outs = created.outs as DesktopBatchOutputs;
    await step("read (refresh)", () => provider.read(created.id, outs));
    await step("diff (no change)", () => provider.diff(created.id, outs, checked));
    await step("delete (incl. waiting 100 ms)", () => provider.delete(created.id, outs));
    await emu.close();
  }
  clearInterval(sample);
  console.log("| desktops | step | wall time (ms) | ECD calls | heap after (MiB) |");
  console.log("| ---: | --- | ---: | ---: | ---: |");
  for (const row of rows) {
    console.log(
      `| ${row.size} | ${row.step} | ${row.ms.toFixed(0)} | ${row.calls} | ${row.heapMiB.toFixed(1)} |`,
    );
  }
  console.log(
    `\nPeak RSS of the whole run (emulator in the same process): ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
