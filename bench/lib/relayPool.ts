/**
 * The relay bench's batches: real signatures and real Groth16 proofs for DEVICES devices, each with
 * one batch per epoch for EPOCHS consecutive epochs ending at the relay's pinned current epoch. The
 * relay accepts a device's epochs in order and at most `maxEpochLag` (24) epochs back, so a device
 * can give at most 25 new batches to one store; 16 × 24 = 384 distinct batches per run. Proofs take
 * about a second each to make and are cached (tests/.tmp/relay-proofs), so only the first run pays.
 */
import { CURRENT_EPOCH, makeBatch, testDeviceKey, type Submission } from '../../tests/relay/helpers/batches.js';

const DEVICES = 16;
const EPOCHS = 24;
export const READINGS_PER_BATCH = 64;

/** 'crash' and 'bench…' are the names (and seeds) earlier benches and tests used, so their cached proofs serve. */
export function deviceNames(count = DEVICES): string[] {
  return Array.from({ length: count }, (_, i) => (i === 0 ? 'crash' : i === 1 ? 'bench' : `bench-${i}`));
}

/** The last 8 epochs keep the seeds the earlier benches used (their proofs are cached); older ones get their own. */
function seedFor(name: string, epochsBack: number): number {
  if (epochsBack < 8) return (name === 'crash' ? 17 : 107) - epochsBack;
  const seed = 200 + epochsBack;
  // makeBatch's readings repeat one temperature when (seed + 7) is a multiple of 31: a stuck sensor, which cannot be proved.
  return (seed + 7) % 31 === 0 ? seed + 100 : seed;
}

/** One list per device, its epochs in order. */
export async function benchSubmissions(count = DEVICES, epochs = EPOCHS, onProgress?: (done: number, total: number) => void): Promise<Submission[][]> {
  const pools: Submission[][] = [];
  let done = 0;
  for (const name of deviceNames(count)) {
    const pool: Submission[] = [];
    for (let i = 0; i < epochs; i++) {
      const epoch = CURRENT_EPOCH - epochs + 1 + i;
      pool.push(await makeBatch(testDeviceKey(name), epoch, seedFor(name, epochs - 1 - i)));
      onProgress?.(++done, count * epochs);
    }
    pools.push(pool);
  }
  return pools;
}
