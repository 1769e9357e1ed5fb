/**
 * `npm run test:flakes`: runs the slow, stateful suites (relay and e2e) several times in a row
 * and names every test that failed at least once, with how often and its first error line.
 *
 *   npm run test:flakes                  # 5 rounds of relay + e2e
 *   npm run test:flakes -- --runs 10 e2e # 10 rounds of the e2e suite only
 *
 * The app is built once first (the e2e suite serves dist/). Each round's JSON reports stay in
 * tests/.tmp/flakes/ for a closer look. Exits 1 when any test failed in any round.
 */
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { bin, readVitestReport, run, vitestCommand, type TestOutcome } from './lib/vitest.js';

const SUITES = ['relay', 'e2e'] as const;
const DIR = 'tests/.tmp/flakes';

function parseArgs(argv: string[]): { runs: number; suites: string[] } {
  let runs = 5;
  const suites: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--runs') {
      runs = Number(argv[++i]);
      if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs takes a whole number of rounds (1 or more), got ${argv[i]}`);
    } else if ((SUITES as readonly string[]).includes(arg)) suites.push(arg);
    else throw new Error(`unknown argument ${arg}: use --runs N and any of ${SUITES.join(', ')}`);
  }
  return { runs, suites: suites.length > 0 ? suites : [...SUITES] };
}

async function main(): Promise<void> {
  const { runs, suites } = parseArgs(process.argv.slice(2));
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  if (suites.includes('e2e') && (await run([bin('vite'), 'build', '--logLevel', 'warn'])) !== 0) {
    console.error('test:flakes: the app did not build; fix that first.');
    process.exit(1);
  }
  const seen = new Map<string, { runs: number; failures: number; errors: string[] }>();
  const rounds: string[] = [];
  for (let round = 1; round <= runs; round++) {
    for (const suite of suites) {
      const report = `${DIR}/round-${round}-${suite}.json`;
      const started = Date.now();
      const code = await run(vitestCommand(suite, report));
      const counts = readVitestReport(report);
      const outcomes: TestOutcome[] = counts?.outcomes ?? [{ test: `${suite} suite`, status: 'failed', error: `exited ${code} before writing a report` }];
      if (counts && code !== 0 && !outcomes.some((o) => o.status === 'failed')) outcomes.push({ test: `${suite} suite`, status: 'failed', error: `exited ${code} with no failed test named` });
      for (const outcome of outcomes) {
        const entry = seen.get(outcome.test) ?? { runs: 0, failures: 0, errors: [] };
        entry.runs++;
        if (outcome.status === 'failed') {
          entry.failures++;
          entry.errors.push(`round ${round}: ${outcome.error}`);
        }
        seen.set(outcome.test, entry);
      }
      const failed = outcomes.filter((o) => o.status === 'failed').length;
      const load = os.loadavg().map((value) => value.toFixed(2)).join(' ');
      rounds.push(`round ${round} ${suite}: ${outcomes.length - failed} passed, ${failed} failed, ${((Date.now() - started) / 1000).toFixed(0)} s, load ${load}`);
    }
  }
  const flaky = [...seen.entries()].filter(([, entry]) => entry.failures > 0);
  console.log(`\n━━ flake run: ${runs} round(s) of ${suites.join(' + ')} ━━`);
  for (const line of rounds) console.log(line);
  if (flaky.length === 0) console.log(`No test failed in any round (${seen.size} tests, ${runs} rounds).`);
  for (const [test, entry] of flaky) {
    console.log(`✗ ${test}: failed ${entry.failures} of ${entry.runs}`);
    for (const error of entry.errors) console.log(`    ${error}`);
  }
  process.exit(flaky.length === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(`test:flakes: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
