/**
 * `npm run bench [area…]`: runs each benchmark area in turn; each writes bench/results/<area>.md
 * and .json. Areas are modules in bench/ exporting `run(): Promise<void>`.
 */
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

const available = readdirSync('bench')
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => basename(file, '.bench.ts'))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((area) => !available.includes(area));
if (unknown.length > 0) {
  console.error(`Unknown bench area(s): ${unknown.join(', ')}. Available: ${available.join(', ')}.`);
  process.exit(2);
}
let failed = 0;
for (const area of wanted.length > 0 ? wanted : available) {
  console.log(`\n━━ bench: ${area} ━━`);
  try {
    const module = (await import(pathToFileURL(`bench/${area}.bench.ts`).href)) as { run: () => Promise<void> };
    await module.run();
  } catch (error) {
    failed++;
    console.error(`bench ${area} failed:`, error);
  }
}
process.exit(failed === 0 ? 0 : 1);
