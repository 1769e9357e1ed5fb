/**
 * The two CPU-heavy checks of ingest as plain messages in and out, so the same function answers
 * on a verification thread (worker.ts) and inline (pool.ts with `threads: 0`).
 */
import { recoverAddress, type Hex } from 'viem';
import type { BatchProof } from '../../core/zk/proof.js';

export type VerifyTask = { kind: 'proof'; batch: BatchProof } | { kind: 'recover'; hash: Hex; signature: Hex } | { kind: 'ping' };
export type VerifyReply = { ok: true; value: boolean | string } | { ok: false; error: string };

/** The recovery failed because the signature itself is malformed (maps to bad_signature). */
export class SignatureRecoveryError extends Error {
  override name = 'SignatureRecoveryError';
}

export function createChecks(verifyProof: (batch: BatchProof) => boolean): (task: VerifyTask) => Promise<VerifyReply> {
  return async (task) => {
    if (task.kind === 'ping') return { ok: true, value: true };
    if (task.kind === 'proof') return { ok: true, value: verifyProof(task.batch) };
    try {
      return { ok: true, value: await recoverAddress({ hash: task.hash, signature: task.signature }) };
    } catch (error) {
      // A malformed signature is the caller's bad_signature, not a failure of the thread.
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  };
}
