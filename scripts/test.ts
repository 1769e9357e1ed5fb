/**
 * `npm test`: every check, in an order where the cheap ones fail first, ending with one summary
 * line ("N passed, N failed"). Each step is a command; vitest steps report their counts through
 * a JSON file so the summary adds up real test results, not steps.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { bin, readVitestReport, run, vitestCommand } from './lib/vitest.js';

type Step = { name: string; command: string[]; vitestReport?: string };

const REPORT_DIR = 'tests/.tmp/reports';
const vitest = (project: string): Step => {
  const report = `${REPORT_DIR}/${project}.json`;
  return { name: `${project} tests`, command: vitestCommand(project, report), vitestReport: report };
};

const STEPS: Step[] = [
  // One project per runtime (pure, browser, Node, tests), built in order; see README "Code layout by runtime".
  { name: 'typecheck (tsc)', command: [bin('tsc'), '-b', 'tsconfig.json'] },
  { name: 'runtime boundaries refuse wrong imports', command: [bin('tsx'), 'scripts/check-runtime-boundaries.ts'] },
  { name: 'typecheck (svelte-check)', command: [bin('svelte-check'), '--tsconfig', './tsconfig.browser.json', '--threshold', 'warning', '--output', 'human'] },
  // Linters: each fails on any finding, warnings included (the tree starts at zero; keep it there).
  { name: 'lint (eslint)', command: [bin('eslint'), '--max-warnings', '0', '.'] },
  { name: 'lint (solhint)', command: [bin('solhint'), '--max-warnings', '0', 'contracts/**/*.sol'] },
  { name: 'unused code (knip)', command: [bin('knip')] },
  vitest('unit'),
  { name: 'circuit matches its artifacts', command: [bin('tsx'), 'scripts/circuits/check.ts'] },
  { name: 'compile contracts', command: [bin('hardhat'), 'compile', '--quiet'] },
  vitest('contracts'),
  vitest('relay'),
  { name: 'build app', command: [bin('vite'), 'build', '--logLevel', 'warn'] },
  vitest('e2e'),
];

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
    const counts = step.vitestReport ? readVitestReport(step.vitestReport) : null;
    if (counts) {
      totals.passed += counts.passed;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
      failures.push(...counts.outcomes.filter((outcome) => outcome.status === 'failed').map((outcome) => `${outcome.test}: ${outcome.error}`));
    }
    // A non-test step counts as one check; a vitest step that died before reporting counts as failed.
    if (!step.vitestReport) totals[code === 0 ? 'passed' : 'failed']++;
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
