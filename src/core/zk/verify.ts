import type { Groth16Proof, Groth16VerificationKey } from 'snarkjs';
import { isAddressEqual, recoverAddress, type Address, type Hex } from 'viem';
import { batchSigningDigest } from '../batch/signingDigest.js';
import { ZkProofError } from './errors.js';
import type { BatchProof } from './proof.js';
import { unpackPublicSignals, type BatchPublicSignals } from './publicSignals.js';

export type { Groth16VerificationKey } from 'snarkjs';

function isDecimalTriple(value: unknown, depth: number): boolean {
  if (!Array.isArray(value)) return false;
  return value.every((item) => (depth > 1 ? isDecimalTriple(item, depth - 1) : typeof item === 'string' && /^\d{1,78}$/.test(item)));
}

/** Checks a proof received from elsewhere has the shape snarkjs expects, so garbage is rejected, not thrown on. */
export function isGroth16Proof(value: unknown): value is Groth16Proof {
  if (typeof value !== 'object' || value === null) return false;
  const proof = value as Record<string, unknown>;
  return (
    proof.protocol === 'groth16' &&
    isDecimalTriple(proof.pi_a, 1) &&
    isDecimalTriple(proof.pi_b, 2) &&
    isDecimalTriple(proof.pi_c, 1) &&
    (proof.pi_a as unknown[]).length === 3 &&
    (proof.pi_b as unknown[]).length === 3 &&
    (proof.pi_c as unknown[]).length === 3
  );
}

/**
 * Verifies a batch proof against the circuit's verification key (the relay's check; the chain
 * runs the same check in contracts/zk/Groth16Verifier.sol). Returns false for a proof that does
 * not verify, including malformed ones; throws only when the key itself is unusable.
 */
export async function verifyBatchProof(vkey: Groth16VerificationKey, { proof, publicSignals }: BatchProof): Promise<boolean> {
  if (vkey.protocol !== 'groth16' || vkey.nPublic !== 4) {
    throw new ZkProofError('zk.verify.badKey', 'This verification key is not the Outpost batch circuit’s.', {
      details: `protocol ${String(vkey.protocol)}, ${String(vkey.nPublic)} public signals`,
    });
  }
  if (!isGroth16Proof(proof) || publicSignals.length !== 4) return false;
  const { groth16 } = await import('snarkjs');
  try {
    return await groth16.verify(vkey, publicSignals.map((value) => value.toString()), proof);
  } catch {
    // snarkjs throws on points off the curve; for the relay that is simply an invalid proof.
    return false;
  }
}

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
