/**
 * The relay's verdict on one leaf, the same as BatchInbox.challenge's: `judgeLeaf` accepts a leaf
 * exactly when `challenge` would answer LeafIsValid for it anchored at time `now`, and otherwise
 * names the same Fault. The relay anchors only leaves this accepted, so an honest relay cannot be
 * slashed (tests/relay/differential.test.ts checks the agreement on thousands of leaves against
 * the contract itself).
 *
 * It mirrors BatchInbox._fault in its order (DeviceMismatch, BadWindow, BadSignature, BadProof),
 * reading the numbers the way the contract does:
 *   - device: public signal [1] must equal the device as uint160;
 *   - window: windowStart = low 64 bits of [2], windowEnd = [2] >> 64 (all of it, as the contract
 *     shifts a uint256); windowStart ≤ windowEnd, both in one epoch of `epochSeconds`, and windowEnd
 *     ≤ `now` (the chain compares with the anchor's block time, which is never before the relay
 *     accepted the batch, so a window that has ended at acceptance has ended at anchoring);
 *   - signature: BatchInbox.recoverDevice's rule (signature.ts) over batchDigest([0]);
 *   - proof: the Groth16 check (signals < r, coordinates < p, B in the subgroup; groth16Mcl.ts).
 * The store, ioID, epoch-lag and duplicate rules are the relay's own and live in ingest.
 */
import { getAddress, type Address, type Hex } from 'viem';
import { batchSigningDigest } from '../../core/batch/signingDigest.js';
import type { BatchProof, Groth16Proof } from '../../core/zk/proof.js';
import type { PublicSignalsTuple } from '../../core/zk/publicSignals.js';
import { RelayRejection } from '../errors.js';
import { SignatureRecoveryError } from './checks.js';
import type { Verifier } from './pool.js';

/** BatchInbox.Fault, without None. */
export type LeafFault = 'DeviceMismatch' | 'BadWindow' | 'BadSignature' | 'BadProof';

export type LeafVerdict = { ok: true } | { ok: false; fault: LeafFault; rejection: RelayRejection };

/** One leaf as the relay holds it: the proof in snarkjs form (the leaf takes its (x, y) as pA, pB, pC). */
export type LeafInput = { device: Address; signature: Hex; proof: Groth16Proof; publicSignals: PublicSignalsTuple };

export type JudgeContext = {
  epochSeconds: number;
  /** Unix seconds: the relay's clock (BatchInbox uses the anchor's block time). */
  now: number;
  verifier: Pick<Verifier, 'recoverSigner' | 'verifyProof'>;
};

const MASK64 = (1n << 64n) - 1n;
const UINT256 = 1n << 256n;

function refuse(fault: LeafFault, rejection: RelayRejection): LeafVerdict {
  return { ok: false, fault, rejection };
}

export async function judgeLeaf(leaf: LeafInput, { epochSeconds, now, verifier }: JudgeContext): Promise<LeafVerdict> {
  const signals = leaf.publicSignals;
  // Not a leaf at all: the contract takes uint256 only. The schema refuses these first (invalid_batch).
  if (signals.length !== 4 || signals.some((x) => typeof x !== 'bigint' || x < 0n || x >= UINT256)) {
    throw new RelayRejection('invalid_batch', 'Public signals must be 4 unsigned 256-bit integers.');
  }
  const [commitment, deviceSignal, window] = signals;

  if (deviceSignal !== BigInt(leaf.device)) {
    return refuse('DeviceMismatch', new RelayRejection('tampered_public_signal', 'Public signal 1 (device) differs from the submitting device.', { details: `signal ${deviceSignal}, device ${getAddress(leaf.device)}` }));
  }

  const windowStart = window & MASK64;
  const windowEnd = window >> 64n;
  const length = BigInt(epochSeconds);
  if (windowStart > windowEnd || windowStart / length !== windowEnd / length) {
    return refuse(
      'BadWindow',
      new RelayRejection('epoch_mismatch', `The proved window ${windowStart}…${windowEnd} does not lie inside one epoch of ${epochSeconds} s.`, {
        hint: 'Prove the batch with a window inside its epoch (start ≤ end, both in the same epoch).',
      }),
    );
  }
  if (windowEnd > BigInt(now)) {
    return refuse(
      'BadWindow',
      new RelayRejection('window_in_future', `The proved window ends at ${windowEnd}, after the relay's time ${now}.`, {
        details: `${windowEnd - BigInt(now)} s ahead`,
        hint: 'Prove a window that ends at or before the last reading (not at the end of the epoch), and check the device clock; send it again once that time has passed.',
      }),
    );
  }

  try {
    const signer = await verifier.recoverSigner(batchSigningDigest(commitment), leaf.signature);
    if (getAddress(signer) !== getAddress(leaf.device)) {
      return refuse('BadSignature', new RelayRejection('bad_signature', 'The signature over the commitment is not the device’s.', { details: `recovered ${signer}`, hint: 'The device must sign batchSigningDigest(commitment) with its own key.' }));
    }
  } catch (error) {
    // Only the signature's own fault is the client's; a failed verification thread is the relay's (500).
    if (!(error instanceof SignatureRecoveryError)) throw error;
    return refuse('BadSignature', new RelayRejection('bad_signature', 'The device signature is not one BatchInbox accepts.', { details: error.message, hint: 'Sign batchSigningDigest(commitment) with the device key: 65 bytes r ‖ s ‖ v, low s, v 0/1 or 27/28.' }));
  }

  const batch: BatchProof = { proof: leaf.proof, publicSignals: signals };
  if (!(await verifier.verifyProof(batch))) {
    return refuse(
      'BadProof',
      new RelayRejection('bad_proof', 'The Groth16 proof does not verify for these public signals.', {
        hint: 'Re-prove the batch with the current circuit artifacts; signals 2 and 3 (window, statement) must be the proved ones.',
      }),
    );
  }
  return { ok: true };
}
