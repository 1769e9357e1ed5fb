/**
 * Runs ingest's CPU-heavy checks (signature recovery, Groth16 verification) on worker threads
 * (piscina). On one thread they and everything else (HTTP, JSON, the embedded store) take turns on
 * one core while the others idle; here the main thread only hands them over and waits. A thread
 * that dies fails its task (the request answers 500 and can be retried) and piscina replaces it.
 * With `threads: 0` the checks run inline, on the calling thread, with the same functions.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Hex } from 'viem';
import { ZkProofError } from '../../core/zk/errors.js';
import type { BatchProof } from '../../core/zk/proof.js';
import type { Groth16VerificationKey } from '../../core/zk/verify.js';
import { createChecks, SignatureRecoveryError, type VerifyReply, type VerifyTask } from './checks.js';
import { createMclBatchVerifier } from './groth16Mcl.js';

export { SignatureRecoveryError };

export type Verifier = {
  /** The Groth16 check of createMclBatchVerifier: false for any proof that does not verify. */
  verifyProof(batch: BatchProof): Promise<boolean>;
  /** BatchInbox.recoverDevice's rule (signature.ts); throws SignatureRecoveryError for a signature it refuses. */
  recoverSigner(hash: Hex, signature: Hex): Promise<string>;
  close(): Promise<void>;
};

/** One thread fewer than the cores, so the main thread keeps one; at least one. */
export function defaultVerifyThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

const WORKER_URL = new URL('./worker.mjs', import.meta.url).href;

export async function createVerifier(vkey: Groth16VerificationKey, { threads = defaultVerifyThreads() }: { threads?: number } = {}): Promise<Verifier> {
  // Parsing the key here first means a bad key fails the start the same way with or without threads.
  const inline = createChecks(await createMclBatchVerifier(vkey));
  let run: (task: VerifyTask) => Promise<VerifyReply> = inline;
  let close = async (): Promise<void> => undefined;
  if (threads > 0) {
    const pool = new Piscina<VerifyTask, VerifyReply>({ filename: WORKER_URL, workerData: { vkey }, minThreads: threads, maxThreads: threads, idleTimeout: Infinity });
    run = async (task) => {
      try {
        return await pool.run(task);
      } catch (error) {
        throw new ZkProofError('zk.verify_unavailable', 'A verification thread failed.', { details: error instanceof Error ? error.message : String(error), cause: error });
      }
    };
    close = () => pool.close({ force: true });
    // Start every thread now (and fail the start if they cannot), not on the first batch.
    try {
      await Promise.all(Array.from({ length: threads }, () => run({ kind: 'ping' })));
    } catch (error) {
      await close();
      throw error;
    }
  }
  return {
    async verifyProof(batch) {
      const reply = await run({ kind: 'proof', batch });
      return reply.ok && reply.value === true;
    },
    async recoverSigner(hash, signature) {
      const reply = await run({ kind: 'recover', hash, signature });
      if (!reply.ok) throw new SignatureRecoveryError(reply.error);
      return String(reply.value);
    },
    close,
  };
}
