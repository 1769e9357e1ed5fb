import { isAddressEqual, recoverAddress, type Address, type Hex } from 'viem';
import { batchSigningDigest } from '../batch/signingDigest.js';
import type { BatchProof } from './proof.js';
import { unpackPublicSignals, type BatchPublicSignals } from './publicSignals.js';
import { verifyBatchProof, type Groth16VerificationKey } from './verify.js';

// Separate from verify.ts so the app's prover worker does not bundle signature recovery.

export type SignedBatchVerdict =
  | { ok: true; signals: BatchPublicSignals }
  | { ok: false; reason: 'proof' | 'signature' | 'signals'; message: string };

/**
 * The relay's whole check of a submitted batch: the proof verifies (properties), and the device
 * named in public signal [1] signed the commitment in signal [0] (provenance), with a raw
 * secp256k1 signature over batchSigningDigest(commitment).
 */
export async function verifySignedBatch(vkey: Groth16VerificationKey, batch: BatchProof, deviceSignature: Hex): Promise<SignedBatchVerdict> {
  let signals: BatchPublicSignals;
  try {
    signals = unpackPublicSignals(batch.publicSignals);
  } catch (error) {
    return { ok: false, reason: 'signals', message: error instanceof Error ? error.message : String(error) };
  }
  if (!(await verifyBatchProof(vkey, batch))) return { ok: false, reason: 'proof', message: 'The proof does not verify for these public signals.' };
  let signer: Address;
  try {
    signer = await recoverAddress({ hash: batchSigningDigest(signals.commitment), signature: deviceSignature });
  } catch (error) {
    return { ok: false, reason: 'signature', message: `The device signature is malformed: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isAddressEqual(signer, signals.device)) {
    return { ok: false, reason: 'signature', message: `The commitment was signed by ${signer}, not by the device ${signals.device}.` };
  }
  return { ok: true, signals };
}
