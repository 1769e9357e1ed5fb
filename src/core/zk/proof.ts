import type { Groth16Proof } from 'snarkjs';
import type { PublicSignalsTuple } from './publicSignals.js';

export type { Groth16Proof } from 'snarkjs';

/** A batch proof as the relay stores it and the contracts take it. */
export type BatchProof = { proof: Groth16Proof; publicSignals: PublicSignalsTuple };

/** Arguments of the generated verifier's verifyProof(uint[2], uint[2][2], uint[2], uint[4]). */
export type SolidityProof = {
  pA: readonly [bigint, bigint];
  pB: readonly [readonly [bigint, bigint], readonly [bigint, bigint]];
  pC: readonly [bigint, bigint];
  pubSignals: readonly [bigint, bigint, bigint, bigint];
};

/**
 * snarkjs's proof in the verifier contract's argument order. G2 coordinates go in as (imaginary,
 * real), the reverse of snarkjs's JSON, which is what the EIP-197 pairing precompile expects.
 */
export function toSolidityProof({ proof, publicSignals }: BatchProof): SolidityProof {
  const b = proof.pi_b;
  return {
    pA: [BigInt(proof.pi_a[0]), BigInt(proof.pi_a[1])],
    pB: [
      [BigInt(b[0][1]), BigInt(b[0][0])],
      [BigInt(b[1][1]), BigInt(b[1][0])],
    ],
    pC: [BigInt(proof.pi_c[0]), BigInt(proof.pi_c[1])],
    pubSignals: publicSignals,
  };
}
