/**
 * The long fault run: the jest suite's lifecycle scenario (test/faults/scenario.ts) with seeds 1..500, then the
 * table of "Reliability and security in figures".
 *
 *   npm run test:faults:long                 seeds 1..500
 *   npm run test:faults:long -- 1 50         seeds 1..50
 *   npm run test:faults:long -- --seed 42    one seed, with its attempts, violations and provider log
 *   --lost-answers 0.1                       also lose the answer of that share of applied changes other than
 *                                            CreateDesktops (not one of the figures' faults)
 *   --failed-rate 0.3                        every run's new desktops end in Failed at this rate
 */
import { runScenario, summarize, type RunResult } from "../test/faults/scenario";

function printRun(result: RunResult): void {
  console.log(`seed ${result.seed} (${result.mode}): ${result.ok ? "ok" : "FAILED"}`);
  console.log(
    `plan: ${JSON.stringify(result.plan.steps.map((s) => [s.name, s.inputs?.amount, s.inputs?.desktopName]))}`,
  );
  console.log(`users: ${result.plan.users.join(", ")}; failedDesktopRate ${result.plan.failedDesktopRate}`);
  for (const a of result.attempts)
    console.log(`  ${a.step} #${a.attempt} as ${a.as}: ${a.outcome}${a.error ? ` — ${a.error}` : ""}`);
  for (const v of result.violations) console.log(`  VIOLATION ${v}`);
  console.log(`faults: ${JSON.stringify(result.faults)}`);
  for (const line of result.log) console.log(`    ${line}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string): number | undefined => {
    const at = args.indexOf(name);
    if (at < 0) return undefined;
    const [value] = args.splice(at, 2).slice(1);
    return Number(value);
  };
  const lostAnswerRate = option("--lost-answers") ?? 0;
  const failedDesktopRate = option("--failed-rate");
  const seed = option("--seed");
  if (seed !== undefined) {
    printRun(await runScenario(seed, { lostAnswerRate, failedDesktopRate }));
    return;
  }
  const from = Number(args[0] ?? 1);
  const to = Number(args[1] ?? 500);
  const results: RunResult[] = [];
  const started = Date.now();
  for (let seed = from; seed <= to; seed++) {
    const result = await runScenario(seed, { lostAnswerRate, failedDesktopRate });
    results.push(result);
    if (!result.ok) console.log(`seed ${seed} (${result.mode}) FAILED: ${result.violations.join(" | ")}`);
    if (seed % 50 === 0)
      console.log(`... ${seed - from + 1} runs, ${Math.round((Date.now() - started) / 1000)} s`);
  }
  console.log(
    `\n${results.length} seeded runs (${from}..${to}) in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  console.log(summarize(results));
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
