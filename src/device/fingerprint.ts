import { keccak256, stringToHex, type Hex } from 'viem';
import type { Reading } from '../core/readings.js';

/**
 * A short identity for a list of readings: keccak256 of one CSV line per reading
 * ("seq,timestamp,temperature,humidity,flags\n"). Lets a person or a test compare what two
 * places hold without listing every reading.
 */
export function readingsFingerprint(readings: readonly Reading[]): Hex {
  return keccak256(stringToHex(readings.map((r) => `${r.seq},${r.timestamp},${r.temperature},${r.humidity},${r.flags}\n`).join('')));
}

/** Sequence numbers that appear twice, and the missing ones between the first and last. */
export function sequenceProblems(readings: readonly Reading[]): { duplicates: number; gaps: number } {
  const seen = new Set<number>();
  let duplicates = 0;
  for (const reading of readings) {
    if (seen.has(reading.seq)) duplicates++;
    seen.add(reading.seq);
  }
  if (readings.length === 0) return { duplicates, gaps: 0 };
  const seqs = [...seen];
  const span = Math.max(...seqs) - Math.min(...seqs) + 1;
  return { duplicates, gaps: span - seen.size };
}
