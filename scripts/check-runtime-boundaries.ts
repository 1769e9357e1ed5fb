/**
 * Shows that the runtime split holds (README: Code layout by runtime): writes throwaway files that
 * cross a boundary, runs the type check on the projects, and fails unless each one is refused with
 * the expected error. Then it removes them and checks that the tree as committed passes.
 *
 * `npm test` runs it after the type check; alone: `npx tsx scripts/check-runtime-boundaries.ts`.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { bin } from './lib/vitest.js';

type Probe = {
  /** What the probe tries, as the report names it. */
  name: string;
  file: string;
  source: string;
  /** Must all appear on the probe's own error lines. */
  expected: string[];
};

const PROBE = 'runtimeBoundaryProbe.tmp.ts';
// TS6307: "File '…' is not listed within the file list of project '…'": the imported file belongs to
// a project this one does not reference. TS2304/TS2580: a global its lib does not have.
const PROBES: Probe[] = [
  {
    name: 'pure code importing Node-only code',
    file: `src/core/${PROBE}`,
    source: "import { readVerificationKey } from '../node/zkArtifacts.js';\nexport const probe = readVerificationKey;\n",
    expected: ['error TS6307', 'src/node/zkArtifacts.ts', 'tsconfig.pure.json'],
  },
  {
    name: 'pure code importing browser code',
    file: `src/device/${PROBE}`,
    source: "import { openOutpostDb } from '../browser/storage/db.js';\nexport const probe = openOutpostDb;\n",
    expected: ['error TS6307', 'src/browser/storage/db.ts', 'tsconfig.pure.json'],
  },
  {
    name: 'browser code importing Node-only code',
    file: `src/browser/${PROBE}`,
    source: "import { readVerificationKey } from '../node/zkArtifacts.js';\nexport const probe = readVerificationKey;\n",
    expected: ['error TS6307', 'src/node/zkArtifacts.ts', 'tsconfig.browser.json'],
  },
  {
    name: 'Node-only code importing browser code',
    file: `src/node/${PROBE}`,
    source: "import { openOutpostDb } from '../browser/storage/db.js';\nexport const probe = openOutpostDb;\n",
    expected: ['error TS6307', 'src/browser/storage/db.ts', 'tsconfig.node.json'],
  },
  {
    name: 'the relay importing the app',
    file: `src/relay/${PROBE}`,
    source: "import { createBatchProver } from '../app/prover/prover.js';\nexport const probe = createBatchProver;\n",
    expected: ['error TS6307', 'src/app/prover/prover.ts', 'tsconfig.node.json'],
  },
  {
    name: 'pure code using a browser global',
    file: `src/core/wallet/${PROBE}`,
    source: 'export const probe = navigator.userAgent;\n',
    expected: ["error TS2304: Cannot find name 'navigator'"],
  },
  {
    name: 'pure code using a Node global',
    file: `src/core/zk/${PROBE}`,
    source: 'export const probe = process.env.HOME;\n',
    expected: ["Cannot find name 'process'"],
  },
];

function typecheck(): { code: number; output: string } {
  // tsc -b is incremental (.tsbuild/), so after `npm test`'s type check only the probes are new work.
  const result = spawnSync(bin('tsc'), ['-b', 'tsconfig.json', '--pretty', 'false'], { encoding: 'utf8' });
  return { code: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

function main(): void {
  const failures: string[] = [];
  let crossed: { code: number; output: string };
  try {
    for (const probe of PROBES) writeFileSync(probe.file, probe.source);
    crossed = typecheck();
  } finally {
    for (const probe of PROBES) rmSync(probe.file, { force: true });
  }
  if (crossed.code === 0) failures.push('the type check passed with every boundary crossed');
  const lines = crossed.output.split('\n');
  for (const probe of PROBES) {
    // An error line starts with the file's path; TS6307 continues on the next line, so take both.
    const own = lines.flatMap((line, index) => (line.startsWith(probe.file) ? [line, lines[index + 1] ?? ''] : [])).join('\n');
    const missing = probe.expected.filter((text) => !own.includes(text));
    if (missing.length === 0) console.log(`refused as expected: ${probe.name} (${probe.file})`);
    else failures.push(`${probe.name} (${probe.file}) was not refused with ${missing.map((text) => `"${text}"`).join(', ')}; its errors: ${own || 'none'}`);
  }
  const committed = typecheck();
  if (committed.code === 0) console.log('the tree as committed passes the type check');
  else failures.push(`the tree as committed fails the type check:\n${committed.output}`);
  if (failures.length > 0) {
    for (const failure of failures) console.error(`✗ ${failure}`);
    process.exit(1);
  }
}

main();
