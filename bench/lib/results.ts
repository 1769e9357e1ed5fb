import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

/** One figure of a benchmark: what it is, its value and its unit. */
export type BenchRow = { figure: string; value: number | string; unit: string; note?: string };

export type BenchArea = { area: string; title: string; rows: BenchRow[]; notes?: string[] };

const RESULTS_DIR = 'bench/results';

function machine(): { cores: number; cpu: string; node: string; date: string } {
  const list = cpus();
  return { cores: list.length, cpu: list[0]?.model.trim() ?? 'unknown', node: process.version, date: new Date().toISOString() };
}

function formatValue(value: number | string): string {
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** Writes bench/results/<area>.md (a readable table) and <area>.json (the same figures), and prints them. */
export function writeBenchResults({ area, title, rows, notes = [] }: BenchArea): void {
  const env = machine();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const table = [
    `# ${title}`,
    '',
    `Machine: ${env.cores} cores (${env.cpu}), Node ${env.node}. Date: ${env.date}.`,
    '',
    '| figure | value | unit | note |',
    '|---|---:|---|---|',
    ...rows.map((row) => `| ${row.figure} | ${formatValue(row.value)} | ${row.unit} | ${row.note ?? ''} |`),
    '',
    ...notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
  writeFileSync(join(RESULTS_DIR, `${area}.md`), table);
  writeFileSync(join(RESULTS_DIR, `${area}.json`), `${JSON.stringify({ area, title, machine: env, rows, notes }, null, 2)}\n`);
  console.log(`\n${table}`);
}
