import type { ProvingProgress } from '../../core/zk/prove.js';
import type { Groth16Proof } from '../../core/zk/proof.js';
import type { CircuitInput } from '../../core/zk/witness.js';
import type { Groth16VerificationKey } from '../../core/zk/verify.js';

/** Messages between the app and its prover worker (prover.worker.ts). Plain data only. */
export type ProverRequest =
  | { type: 'prove'; id: number; input: CircuitInput; expected: string[]; wasm: Uint8Array; zkey: Uint8Array }
  | { type: 'verify'; id: number; vkey: Groth16VerificationKey; proof: Groth16Proof; publicSignals: string[] };

export type ProverResponse =
  | { type: 'progress'; id: number; progress: ProvingProgress }
  | { type: 'proved'; id: number; proof: Groth16Proof; publicSignals: string[] }
  | { type: 'verified'; id: number; valid: boolean }
  | { type: 'failed'; id: number; code: string; shortMessage: string; details?: string; hint?: string };
