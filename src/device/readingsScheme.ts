import { bytesToHex, numberToBytes } from 'viem';
import { batchSigningDigest } from '../core/batch/signingDigest.js';
import type { Reading } from '../core/readings.js';
import { computeReadingsCommitment } from '../core/zk/commitment.js';
import { COMMITMENT_SCHEME } from './protocol/constants.js';

/**
 * The commitment schemes a readings pull can carry (the "versioned slot" of the protocol). A
 * scheme maps a batch to a 32-byte commitment; the device signs batchSigningDigest(commitment).
 * Device and host look schemes up here, so a new scheme is one new entry.
 */
export type CommitmentScheme = {
  id: number;
  name: string;
  commit: (readings: readonly Reading[]) => bigint;
};

export const COMMITMENT_SCHEMES: Readonly<Record<number, CommitmentScheme>> = {
  [COMMITMENT_SCHEME.poseidonV1]: { id: COMMITMENT_SCHEME.poseidonV1, name: 'Poseidon readings commitment v1', commit: computeReadingsCommitment },
};

export function commitmentBytes(commitment: bigint): Uint8Array {
  return numberToBytes(commitment, { size: 32 });
}

export function commitmentFromBytes(bytes: Uint8Array): bigint {
  return BigInt(bytesToHex(bytes));
}

export { batchSigningDigest };
