/**
 * Runs ingest's CPU-heavy checks (signature recovery, Groth16 verification) on worker threads
 * (piscina). On one thread they and everything else (HTTP, JSON, the embedded store) take turns on
 * one core while the others idle; here the main thread only hands them over and waits. A thread
 * that dies fails its task (the request answers 500 and can be retried) and piscina replaces it.
 * With `threads: 0` the checks run inline, on the calling thread, with the same functions.
 *
 * Proofs are verified together: while every thread is busy, the proofs that arrive wait, and the
 * next free thread takes all of them (up to MAX_PROOFS_PER_CHECK) as one combined check
 * (groth16Mcl.ts). Under light load each proof goes alone at once, so nothing waits for company;
 * under heavy load the checks grow and each proof costs less. A thread that fails such a task
 * fails every proof in it (each request answers 500 and can be retried).
 *
 * Signature recovery on libsecp256k1 runs on the calling thread: it costs less than the hand-over.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Hex } from 'viem';
import { ZkProofError } from '../../core/zk/errors.js';
import type { BatchProof } from '../../core/zk/proof.js';
import type { Groth16VerificationKey } from '../../core/zk/verify.js';
import { createChecks, SignatureRecoveryError, type VerifyReply, type VerifyTask } from './checks.js';
import { createMclVerifiers } from './groth16Mcl.js';
import { RECOVERY_BACKEND } from './signature.js';

export { SignatureRecoveryError };

export type Verifier = {
  /** The Groth16 check of groth16Mcl.ts (combined with concurrent ones): false for any proof that does not verify. */
  verifyProof(batch: BatchProof): Promise<boolean>;
  /** BatchInbox.recoverDevice's rule (signature.ts); throws SignatureRecoveryError for a signature it refuses. */
  recoverSigner(hash: Hex, signature: Hex): Promise<string>;
  /** Where keys are recovered: 'libsecp256k1' (native, on the calling thread) or '@noble/curves' (signature.ts, on the verification threads). */
  recoveryBackend: string;
  close(): Promise<void>;
};

/** One thread fewer than the cores, so the main thread keeps one; at least one. */
function defaultVerifyThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

const WORKER_URL = new URL('./worker.mjs', import.meta.url).href;

/**
 * A cap on one combined check, so one slow task does not hold a long queue's proofs (and their
 * requests' latency) behind it; past about 32 the saving per proof hardly grows.
 */
export const MAX_PROOFS_PER_CHECK = 32;

type WaitingProof = { batch: BatchProof; resolve: (valid: boolean) => void; reject: (error: unknown) => void };

/** Proofs waiting for a free slot; each dispatch takes every waiting proof (up to the cap) as one task. */
function proofQueue(slots: number, check: (batches: BatchProof[]) => Promise<boolean[]>): (batch: BatchProof) => Promise<boolean> {
  const waiting: WaitingProof[] = [];
  let busy = 0;
  const dispatch = (): void => {
    while (busy < slots && waiting.length > 0) {
      const taken = waiting.splice(0, MAX_PROOFS_PER_CHECK);
      busy++;
      check(taken.map((item) => item.batch))
        .then(
          (verdicts) => taken.forEach((item, i) => item.resolve(verdicts[i] === true)),
          (error: unknown) => taken.forEach((item) => item.reject(error)),
        )
        .finally(() => {
          busy--;
          dispatch();
        });
    }
  };
  return (batch) =>
    new Promise<boolean>((resolve, reject) => {
      waiting.push({ batch, resolve, reject });
      dispatch();
    });
}

/** Told after each check how long it took on its thread (ms) and, for proofs, how many it combined. */
export type VerifyObserver = (check: 'proofs' | 'recover', ms: number, proofs: number) => void;

export async function createVerifier(
  vkey: Groth16VerificationKey,
  { threads = defaultVerifyThreads(), observe }: { threads?: number; observe?: VerifyObserver } = {},
): Promise<Verifier> {
  // Parsing the key here first means a bad key fails the start the same way with or without threads.
  const inline = createChecks((await createMclVerifiers(vkey)).many);
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
  }
  // Start every thread now (and fail the start if they cannot), not on the first batch.
  let backends: VerifyReply[];
  try {
    backends = await Promise.all(Array.from({ length: Math.max(1, threads) }, () => run({ kind: 'ping' })));
  } catch (error) {
    await close();
    throw error;
  }
  // Native recovery (~0.07 ms with its keccak) costs this thread less than handing it to a verification
  // thread does (~0.3 ms of messaging here), and it does not wait there behind a Groth16 check. The
  // JS fallback (~1.2 ms) still goes to the threads. bench/results/relay.md has the measurements.
  const recoverHere = threads > 0 && RECOVERY_BACKEND === 'libsecp256k1';
  const recover = recoverHere ? inline : run;
  const recoveryBackend = recoverHere ? `${RECOVERY_BACKEND} (on the calling thread)` : [...new Set(backends.map((reply) => (reply.ok ? String(reply.value) : 'unknown')))].join(', ');
  const verifyProof = proofQueue(Math.max(1, threads), async (batches) => {
    const reply = await run({ kind: 'proofs', batches });
    observe?.('proofs', reply.ms ?? 0, batches.length);
    if (!reply.ok || !Array.isArray(reply.value) || reply.value.length !== batches.length) {
      throw new ZkProofError('zk.verify_unavailable', 'A verification thread gave no verdict for its proofs.', { details: JSON.stringify(reply).slice(0, 200) });
    }
    return reply.value;
  });
  return {
    verifyProof,
    recoveryBackend,
    async recoverSigner(hash, signature) {
      const reply = await recover({ kind: 'recover', hash, signature });
      observe?.('recover', reply.ms ?? 0, 0);
      if (!reply.ok) throw new SignatureRecoveryError(reply.error);
      return String(reply.value);
    },
    close,
  };
}
