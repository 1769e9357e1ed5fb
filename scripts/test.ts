/**
 * `npm test`: every check, in an order where the cheap ones fail first, ending with one summary
 * line ("N passed, N failed"). Each step is a command; vitest steps report their counts through
 * a JSON file so the summary adds up real test results, not steps.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

type Step = { name: string; command: string[]; vitestReport?: string };

const REPORT_DIR = 'tests/.tmp/reports';
const bin = (name: string) => join('node_modules', '.bin', name);
const vitest = (project: string): Step => ({
  name: `${project} tests`,
  command: [bin('vitest'), 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${REPORT_DIR}/${project}.json`],
  vitestReport: `${REPORT_DIR}/${project}.json`,
});

const STEPS: Step[] = [
  { name: 'typecheck (tsc)', command: [bin('tsc'), '--noEmit', '-p', 'tsconfig.json'] },
  { name: 'typecheck (svelte-check)', command: [bin('svelte-check'), '--tsconfig', './tsconfig.json', '--threshold', 'warning', '--output', 'human'] },
  vitest('unit'),
  { name: 'circuit matches its artifacts', command: [bin('tsx'), 'scripts/circuits/check.ts'] },
  { name: 'compile contracts', command: [bin('hardhat'), 'compile', '--quiet'] },
  vitest('contracts'),
  vitest('relay'),
  { name: 'build app', command: [bin('vite'), 'build', '--logLevel', 'warn'] },
  vitest('e2e'),
];

function run(command: string[]): Promise<number> {
  return new Promise((resolve) => {
    const [file, ...args] = command as [string, ...string[]];
    const child = spawn(file, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

type Counts = { passed: number; failed: number; skipped: number; /** "file › test: first line of the error", for the summary. */ failures: string[] };

type VitestReport = {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults?: { name: string; message?: string; assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[] }[];
};

function readVitestCounts(path: string): Counts | null {
  if (!existsSync(path)) return null;
  const report = JSON.parse(readFileSync(path, 'utf8')) as VitestReport;
  const firstLine = (text: string | undefined): string => (text ?? '').split('\n').find((line) => line.trim() !== '')?.trim().slice(0, 300) ?? '';
  const failures: string[] = [];
  for (const file of report.testResults ?? []) {
    const where = file.name.replace(`${process.cwd()}/`, '');
    const failed = (file.assertionResults ?? []).filter((test) => test.status === 'failed');
    for (const test of failed) failures.push(`${where} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    // A file that failed outside any test (a hook, an import) has no failed assertion to name.
    if (failed.length === 0 && file.message) failures.push(`${where}: ${firstLine(file.message)}`);
  }
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests, failures };
}

function preflight(): void {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    console.error(`npm test: the end-to-end tests need Chromium at ${chromium}. Run \`npm run setup\` (installs Debian's chromium), or set CHROMIUM_PATH.`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  preflight();
  rmSync(REPORT_DIR, { recursive: true, force: true });
  mkdirSync(REPORT_DIR, { recursive: true });
  const only = process.argv.slice(2);
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const results: string[] = [];
  const failures: string[] = [];
  const started = Date.now();
  for (const step of STEPS) {
    if (only.length > 0 && !only.some((word) => step.name.includes(word))) continue;
    const stepStarted = Date.now();
    console.log(`\n━━ ${step.name} ━━ ${step.command.join(' ')}`);
    const code = await run(step.command);
    const seconds = ((Date.now() - stepStarted) / 1000).toFixed(1);
    const counts = step.vitestReport ? readVitestCounts(step.vitestReport) : null;
    if (counts) {
      totals.passed += counts.passed;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
      failures.push(...counts.failures);
    }
    // A non-test step counts as one check; a vitest step that died before reporting counts as failed.
    if (!step.vitestReport) code === 0 ? totals.passed++ : totals.failed++;
    else if (!counts && code !== 0) totals.failed++;
    else if (counts && code !== 0 && counts.failed === 0) totals.failed++;
    const detail = counts ? ` (${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped)` : '';
    results.push(`${code === 0 ? 'PASS' : 'FAIL'}  ${step.name}${detail}  ${seconds} s`);
  }
  console.log(`\n━━ summary (${((Date.now() - started) / 1000).toFixed(0)} s) ━━`);
  for (const line of results) console.log(line);
  for (const failure of failures) console.log(`  ✗ ${failure}`);
  console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
  process.exit(totals.failed === 0 && totals.skipped === 0 ? 0 : 1);
}

void main();
