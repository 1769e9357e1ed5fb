/**
 * The two CPU-heavy checks of ingest as plain messages in and out, so the same function answers
 * on a verification thread (worker.ts) and inline (pool.ts with `threads: 0`).
 */
import type { Hex } from 'viem';
import type { BatchProof } from '../../core/zk/proof.js';
import type { ManyProofsVerifier } from './groth16Mcl.js';
import { recoverBatchSigner, RECOVERY_BACKEND } from './signature.js';

export type VerifyTask = { kind: 'proofs'; batches: BatchProof[] } | { kind: 'recover'; hash: Hex; signature: Hex } | { kind: 'ping' };
/** `ms`: the time the check took on its thread (pool.ts reports it to the relay's metrics). */
export type VerifyReply = ({ ok: true; value: boolean | boolean[] | string } | { ok: false; error: string }) & { ms?: number };

/** The recovery failed because the signature itself is malformed (maps to bad_signature). */
export class SignatureRecoveryError extends Error {
  override name = 'SignatureRecoveryError';
}

/** `verifyProofs`: one verdict per proof, in order (groth16Mcl.ts's combined check). */
export function createChecks(verifyProofs: ManyProofsVerifier): (task: VerifyTask) => Promise<VerifyReply> {
  const answer = (task: VerifyTask): VerifyReply => {
    // A ping says which secp256k1 implementation this thread loaded (the native one may not load everywhere).
    if (task.kind === 'ping') return { ok: true, value: RECOVERY_BACKEND };
    if (task.kind === 'proofs') return { ok: true, value: verifyProofs(task.batches) };
    // BatchInbox's rule, not viem's (which takes high-s signatures the chain refuses): see signature.ts.
    // A signature it refuses is the caller's bad_signature, not a failure of the thread.
    const recovered = recoverBatchSigner(task.hash, task.signature);
    return recovered.ok ? { ok: true, value: recovered.address } : { ok: false, error: recovered.reason };
  };
  return async (task) => {
    const started = performance.now();
    const reply = answer(task);
    reply.ms = performance.now() - started;
    return reply;
  };
}
