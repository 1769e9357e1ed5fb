/**
 * Runs ingest's CPU-heavy checks (signature recovery, Groth16 verification) on worker threads. On
 * one thread they and everything else (HTTP, JSON, the embedded store) take turns on one core while
 * the others idle; here the main thread only hands them over and waits.
 *
 * Each task goes to the thread with the fewest in flight. A thread that dies fails its tasks (the
 * request answers 500 and can be retried) and is replaced. With `threads: 0` the checks run inline,
 * on the calling thread, with the same functions.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { recoverAddress, type Hex } from 'viem';
import { ZkProofError } from '../../core/zk/errors.js';
import type { BatchProof } from '../../core/zk/proof.js';
import type { Groth16VerificationKey } from '../../core/zk/verify.js';
import { createMclBatchVerifier } from './groth16Mcl.js';

type TaskBody = { kind: 'proof'; batch: BatchProof } | { kind: 'recover'; hash: Hex; signature: string };
export type VerifyTask = TaskBody & { id: number };
export type VerifyReply = { id: number; ok: true; value: boolean | string } | { id: number; ok: false; error: string };

/** The recovery failed because the signature itself is malformed (maps to bad_signature). */
export class SignatureRecoveryError extends Error {
  override name = 'SignatureRecoveryError';
}

export type Verifier = {
  /** The Groth16 check of createMclBatchVerifier: false for any proof that does not verify. */
  verifyProof(batch: BatchProof): Promise<boolean>;
  /** viem's recoverAddress; throws SignatureRecoveryError for a malformed signature. */
  recoverSigner(hash: Hex, signature: Hex): Promise<string>;
  close(): Promise<void>;
};

/** One thread fewer than the cores, so the main thread keeps one; at least one. */
export function defaultVerifyThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

type Pending = { resolve: (reply: VerifyReply) => void; reject: (error: Error) => void };
type Thread = { worker: Worker; pending: Map<number, Pending>; ready: Promise<void>; started: boolean };

const WORKER_URL = new URL('./worker.mjs', import.meta.url);

export async function createVerifier(vkey: Groth16VerificationKey, { threads = defaultVerifyThreads() }: { threads?: number } = {}): Promise<Verifier> {
  // Parsing the key here first means a bad key fails the start the same way with or without threads.
  const inline = await createMclBatchVerifier(vkey);
  if (threads <= 0) {
    return {
      verifyProof: async (batch) => inline(batch),
      recoverSigner: async (hash, signature) => {
        try {
          return await recoverAddress({ hash, signature });
        } catch (error) {
          throw new SignatureRecoveryError(error instanceof Error ? error.message : String(error));
        }
      },
      close: async () => undefined,
    };
  }

  let nextId = 0;
  let closing = false;
  const pool: Thread[] = [];

  function spawn(): Thread {
    const worker = new Worker(WORKER_URL, { workerData: { vkey } });
    const thread: Thread = { worker, pending: new Map(), ready: Promise.resolve(), started: false };
    thread.ready = new Promise<void>((resolve, reject) => {
      worker.once('message', () => {
        thread.started = true;
        resolve();
      });
      worker.once('error', reject);
    });
    worker.on('message', (reply: VerifyReply | { ready: true }) => {
      if (!('id' in reply)) return;
      const job = thread.pending.get(reply.id);
      thread.pending.delete(reply.id);
      job?.resolve(reply);
    });
    const fail = (error: Error): void => {
      for (const job of thread.pending.values()) job.reject(error);
      thread.pending.clear();
      // Only a thread that had started is replaced: one that cannot start would fail again at once.
      const index = pool.indexOf(thread);
      if (index >= 0 && !closing && thread.started) pool.splice(index, 1, spawn());
    };
    worker.on('error', (error) => fail(new ZkProofError('zk.verify.unavailable', 'A verification thread failed.', { details: error.message, cause: error })));
    worker.on('exit', (code) => fail(new ZkProofError('zk.verify.unavailable', `A verification thread exited (code ${code}).`)));
    return thread;
  }

  for (let i = 0; i < threads; i++) pool.push(spawn());
  try {
    await Promise.all(pool.map((thread) => thread.ready));
  } catch (error) {
    closing = true;
    await Promise.all(pool.map((thread) => thread.worker.terminate()));
    throw new ZkProofError('zk.verify.unavailable', 'The verification threads did not start.', { details: error instanceof Error ? error.message : String(error), cause: error });
  }

  function submit(task: TaskBody): Promise<VerifyReply> {
    const thread = pool.reduce((best, candidate) => (candidate.pending.size < best.pending.size ? candidate : best));
    const id = nextId++;
    return new Promise<VerifyReply>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ ...task, id });
    });
  }

  return {
    async verifyProof(batch) {
      const reply = await submit({ kind: 'proof', batch });
      return reply.ok && reply.value === true;
    },
    async recoverSigner(hash, signature) {
      const reply = await submit({ kind: 'recover', hash, signature });
      if (!reply.ok) throw new SignatureRecoveryError(reply.error);
      return String(reply.value);
    },
    async close() {
      closing = true;
      await Promise.all(pool.map((thread) => thread.worker.terminate()));
    },
  };
}
