import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { FIRST_SCREEN_BUDGET_BYTES, measureBundle } from '../scripts/bundle/firstScreen.js';
import { writeBenchResults, type BenchRow } from './lib/results.js';

/** Builds the app and reports the JavaScript the first screen needs against the 150 KB budget. */
export async function run(): Promise<void> {
  execFileSync(join('node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { stdio: 'inherit' });
  const report = measureBundle('dist');
  const kb = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;
  const rows: BenchRow[] = [
    {
      figure: 'first-screen JavaScript, gzipped',
      value: kb(report.firstScreenGzipBytes),
      unit: 'KiB',
      note: `budget ${kb(FIRST_SCREEN_BUDGET_BYTES)} KiB: ${report.firstScreenGzipBytes <= FIRST_SCREEN_BUDGET_BYTES ? 'within' : 'OVER'}`,
    },
    { figure: 'first-screen JavaScript, raw', value: kb(report.firstScreen.reduce((s, c) => s + c.bytes, 0)), unit: 'KiB' },
    { figure: 'first-screen CSS, gzipped', value: kb(report.cssGzipBytes), unit: 'KiB' },
    { figure: 'first-screen chunks', value: report.firstScreen.length, unit: 'files' },
    ...report.lazy.slice(0, 8).map((chunk) => ({
      figure: `lazy chunk ${chunk.file.replace(/^assets\//, '').replace(/-[\w-]{8}\.js$/, '.js')}, gzipped`,
      value: kb(chunk.gzipBytes),
      unit: 'KiB',
      note: 'loaded only when a screen needs it',
    })),
  ];
  writeBenchResults({
    area: 'bundle',
    title: 'App bundle: what the first screen loads',
    rows,
    notes: ['Measured from Vite\'s build manifest: the entry chunk plus its static imports; gzip level 9.'],
  });
}
