import type { Groth16Proof, Groth16VerificationKey } from 'snarkjs';
import { ZkProofError } from './errors.js';
import type { BatchProof } from './proof.js';

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
    throw new ZkProofError('zk.verify_bad_key', 'This verification key is not the Outpost batch circuit’s.', {
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
