/**
 * One seed for every pseudo-random input in the tests, so that a failure replays. Fixed by
 * default (CI runs are reproducible); set OUTPOST_SEED to explore others. fast-check takes it as its
 * global seed (tests/support/setup.ts) and prints the seed and path of any counterexample.
 */
import { keccak256, toHex, type Hex } from 'viem';

export const TEST_SEED = Number(process.env.OUTPOST_SEED ?? 20_261_122);
if (!Number.isSafeInteger(TEST_SEED)) throw new Error(`OUTPOST_SEED must be an integer, got ${process.env.OUTPOST_SEED}`);

/** 32 bytes determined by the seed and a label: the same label gives the same bytes in every run. */
export function seededHex(label: string): Hex {
  return keccak256(toHex(`outpost test seed ${TEST_SEED}: ${label}`));
}

/** `length` (≤ 32) bytes determined by the seed and a label. */
export function seededBytes(label: string, length = 32): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(Buffer.from(seededHex(label).slice(2), 'hex').subarray(0, length));
}
