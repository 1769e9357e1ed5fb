/**
 * A Node process that proves, for `npm run bench zk`, in one of two ways:
 * - `snarkjs`: snarkjs exactly as shipped (groth16.fullProve; ffjavascript's own MSM split);
 * - `outpost`: Outpost's proveBatch (src/core/zk/prove.ts, MSMs split by points).
 * Each runs in a process of its own, like the browser's worker, so neither shares its thread with
 * the bench's browser driver, and Outpost's change (it applies to the curve shared by everything in
 * a process) cannot reach the snarkjs side.
 *
 * Protocol: one JSON line per proof on stdin ({ input, expected }), one JSON line back ({ ms, milestones }).
 */
import { createInterface } from 'node:readline';
import { groth16 } from 'snarkjs';
import { proveBatch } from '../../src/core/zk/prove.js';
import type { PublicSignalsTuple } from '../../src/core/zk/publicSignals.js';
import { readProvingArtifacts } from '../../src/node/zkArtifacts.js';

export type ReferenceProof = { ms: number; milestones: { detail: string; at: number }[] };
export type ReferenceKind = 'snarkjs' | 'outpost';

const kind = process.argv[2] as ReferenceKind;
if (kind !== 'snarkjs' && kind !== 'outpost') throw new Error('usage: zkNodeReference.ts snarkjs|outpost');

const artifacts = await readProvingArtifacts();
const ignore = () => {};
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const { input, expected } = JSON.parse(line) as { input: Record<string, string | string[]>; expected: string[] };
  const milestones: ReferenceProof['milestones'] = [];
  const started = performance.now();
  const at = (detail: string) => milestones.push({ detail, at: performance.now() - started });
  if (kind === 'snarkjs') {
    await groth16.fullProve(input, artifacts.wasm, await artifacts.zkey, { debug: at, info: ignore, warn: ignore, error: ignore });
  } else {
    await proveBatch(input, expected.map(BigInt) as unknown as PublicSignalsTuple, artifacts, (progress) => at(progress.detail ?? progress.stage));
  }
  const reply: ReferenceProof = { ms: performance.now() - started, milestones };
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}
process.exit(0);
