/**
 * Running vitest projects as child processes and reading their JSON reports: shared by `npm test`
 * (scripts/test.ts) and the flake run (scripts/flakes.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const bin = (name: string) => join('node_modules', '.bin', name);

/** The command that runs one vitest project and writes its JSON report to `reportPath`. */
export function vitestCommand(project: string, reportPath: string): string[] {
  return [bin('vitest'), 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${reportPath}`];
}

/** Runs a command with inherited output; resolves with its exit code (1 when killed by a signal). */
export function run(command: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve) => {
    const [file, ...args] = command as [string, ...string[]];
    const child = spawn(file, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1', ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

type VitestReport = {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults?: { name: string; message?: string; assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[] }[];
};

export type TestOutcome = { test: string; status: 'passed' | 'failed' | 'skipped'; error: string };

export type Counts = {
  passed: number;
  failed: number;
  skipped: number;
  /** Every test ("file › test") with its status; a file that failed outside any test is one failed entry. */
  outcomes: TestOutcome[];
};

const firstLine = (text: string | undefined): string =>
  (text ?? '').split('\n').find((line) => line.trim() !== '')?.trim().slice(0, 300) ?? '';

/** The counts and outcomes of a vitest JSON report, or null when the run died before writing it. */
export function readVitestReport(path: string): Counts | null {
  if (!existsSync(path)) return null;
  const report = JSON.parse(readFileSync(path, 'utf8')) as VitestReport;
  const outcomes: TestOutcome[] = [];
  for (const file of report.testResults ?? []) {
    const where = file.name.replace(`${process.cwd()}/`, '');
    const tests = file.assertionResults ?? [];
    for (const test of tests) {
      const status = test.status === 'passed' ? 'passed' : test.status === 'failed' ? 'failed' : 'skipped';
      outcomes.push({ test: `${where} › ${test.fullName}`, status, error: firstLine(test.failureMessages?.[0]) });
    }
    // A file that failed outside any test (a hook, an import) has no failed assertion to name.
    if (!tests.some((test) => test.status === 'failed') && file.message) outcomes.push({ test: where, status: 'failed', error: firstLine(file.message) });
  }
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests, outcomes };
}
