/**
 * The app's batch prover: what UI code calls to prove a device batch. The worker checks the batch
 * first (a broken rule is a ZkInputError naming it, before anything heavy starts), loads the artifacts
 * (in the worker: cached, hash-checked, downloaded with progress), and proves in a dedicated worker
 * with progress and cancel, as many proofs at once as the device's budget allows (one on a
 * low-memory phone; the rest wait their turn).
 */
import { isOutpostErrorCode, ZK_ERRORS } from '../../core/errorCodes.js';
import type { Reading } from '../../core/readings.js';
import { ZkInputError, ZkProofError } from '../../core/zk/errors.js';
import type { BatchProof } from '../../core/zk/proof.js';
import type { ProvingProgress } from '../../core/zk/prove.js';
import { provingBudget, type DeviceHints, type ProvingBudget } from '../../core/zk/provingBudget.js';
import type { PublicSignalsTuple } from '../../core/zk/publicSignals.js';
import type { BatchClaim, BatchWitness } from '../../core/zk/witness.js';
import type { ArtifactSource } from './artifacts.js';
import type { ProverRequest, ProverResponse, WorkerProgress } from './protocol.js';

type ProverStage = 'checking' | 'queued' | 'artifacts' | ProvingProgress['stage'];
export type ProverProgress = { stage: ProverStage; fraction: number; message: string; detail?: string };

type ProveOptions = { onProgress?: (progress: ProverProgress) => void; signal?: AbortSignal };

export type ProvedBatch = BatchProof & {
  witness: BatchWitness;
  /** Where each artifact came from: 'network' the first time, then 'cache' or 'memory'. */
  artifactSources: Record<'wasm' | 'zkey' | 'vkey', ArtifactSource>;
  /** Wall-clock milliseconds inside the worker's fullProve (witness + proof). */
  provingMs: number;
};

export type BatchProver = {
  /** What this device affords: proofs at once, low memory, cores and memory as the browser says. */
  readonly budget: ProvingBudget;
  prove(readings: readonly Reading[], claim: BatchClaim, options?: ProveOptions): Promise<ProvedBatch>;
  /**
   * Starts the worker and builds its curve and helper threads (about 0.5–2 s of CPU on a phone,
   * no download), so that a proof started later begins at once. For screens that offer proving.
   */
  prepare(): Promise<void>;
  /** Checks a proof in the worker against the circuit's verification key. */
  verify(proof: BatchProof): Promise<boolean>;
  /** Stops the proof in progress (its promise rejects with zk.prove.cancelled). */
  cancel(): void;
  dispose(): void;
};

/** A request without its id, kept per variant (Omit on a union would merge the variants). */
type Unsent = ProverRequest extends infer R ? (R extends ProverRequest ? Omit<R, 'id'> : never) : never;

type Pending = { resolve: (response: ProverResponse) => void; reject: (error: Error) => void; onProgress?: (progress: WorkerProgress) => void };

// Decimal megabytes, as the rest of the app and its hints say "13 MB".
const MB = 1_000_000;

/** The worker's progress as the UI shows it. */
function toProverProgress(progress: WorkerProgress): ProverProgress {
  if (progress.stage === 'proof') return progress.progress;
  const { download } = progress;
  if (!download) return { stage: 'artifacts', fraction: 0, message: 'Loading the proving files' };
  return {
    stage: 'artifacts',
    fraction: download.total ? download.loaded / download.total : 1,
    message: `Downloading the proving files (${(download.loaded / MB).toFixed(1)} of ${(download.total / MB).toFixed(1)} MB, once)`,
  };
}

function cancelledError(): ZkProofError {
  return new ZkProofError('zk.prove_cancelled', 'Proving was cancelled.', { hint: 'Start it again when you are ready.' });
}

/** The browser's hints about this device (hardwareConcurrency everywhere, deviceMemory in Chromium). */
function deviceHints(): DeviceHints {
  const hints = navigator as Navigator & { deviceMemory?: number };
  return { hardwareConcurrency: hints.hardwareConcurrency, deviceMemory: hints.deviceMemory };
}

export function createBatchProver(budget: ProvingBudget = provingBudget(deviceHints())): BatchProver {
  let worker: Worker | null = null;
  // Proofs beyond the budget wait their turn here, before anything is sent to the worker.
  let running = 0;
  const waiting: (() => void)[] = [];
  async function takeTurn(onProgress: (progress: ProverProgress) => void, signal?: AbortSignal): Promise<() => void> {
    if (running >= budget.proofsAtOnce) {
      // Cancelling a waiting proof takes it out of the line; the proofs running are not touched.
      const myTurn = new Promise<void>((wake, fail) => {
        const onAbort = () => {
          waiting.splice(waiting.indexOf(turn), 1);
          fail(cancelledError());
        };
        const turn = () => {
          signal?.removeEventListener('abort', onAbort);
          wake();
        };
        waiting.push(turn);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      onProgress({ stage: 'queued', fraction: 0, message: budget.lowMemory ? 'Waiting for the proof before this one (low memory: one at a time)' : 'Waiting for the proofs before this one' });
      await myTurn;
    }
    running++;
    return () => {
      running--;
      waiting.shift()?.();
    };
  }
  let nextId = 1;
  const pending = new Map<number, Pending>();

  function ensureWorker(): Worker {
    if (worker) return worker;
    const created = new Worker(new URL('./prover.worker.ts', import.meta.url), { type: 'module', name: 'outpost-prover' });
    created.onmessage = (event: MessageEvent<ProverResponse>) => {
      const message = event.data;
      const entry = pending.get(message.id);
      if (!entry) return;
      if (message.type === 'progress') {
        entry.onProgress?.(message.progress);
        return;
      }
      pending.delete(message.id);
      if (message.type === 'failed') {
        const code = isOutpostErrorCode(message.code) ? message.code : ZK_ERRORS.worker_failed;
        entry.reject(
          message.input
            ? new ZkInputError(code, message.shortMessage, { index: message.input.index, details: message.details, hint: message.hint })
            : new ZkProofError(code, message.shortMessage, { details: message.details, hint: message.hint }),
        );
      } else {
        entry.resolve(message);
      }
    };
    created.onerror = (event) => {
      event.preventDefault();
      stop(new ZkProofError('zk.worker_crashed', 'The prover stopped unexpectedly.', { details: event.message, hint: 'Try again; if it keeps happening, reload the app.' }));
    };
    worker = created;
    return created;
  }

  function stop(reason: Error): void {
    worker?.terminate();
    worker = null;
    for (const entry of pending.values()) entry.reject(reason);
    pending.clear();
  }

  function request(message: Unsent, onProgress?: (progress: WorkerProgress) => void): Promise<ProverResponse> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, onProgress });
      ensureWorker().postMessage({ ...message, id } as ProverRequest);
    });
  }

  return {
    budget,
    async prove(readings, claim, { onProgress = () => {}, signal } = {}) {
      if (signal?.aborted) throw cancelledError();
      const done = await takeTurn(onProgress, signal);
      // From here this proof is in the worker: cancelling it ends the worker.
      const onAbort = () => stop(cancelledError());
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        onProgress({ stage: 'checking', fraction: 0, message: 'Checking the batch' });
        let response: ProverResponse;
        try {
          if (signal?.aborted) throw cancelledError();
          // Plain copies: the UI may hand over reactive proxies, which cannot cross to a worker.
          const plainClaim = { ...claim, window: { ...claim.window } };
          response = await request({ type: 'prove', readings: readings.map((reading) => ({ ...reading })), claim: plainClaim }, (progress) => onProgress(toProverProgress(progress)));
        } finally {
          done();
        }
        if (response.type !== 'proved') throw new ZkProofError('zk.worker_protocol', 'The prover answered out of turn.');
        return {
          proof: response.proof,
          publicSignals: response.publicSignals.map((value) => BigInt(value)) as unknown as PublicSignalsTuple,
          witness: response.witness,
          artifactSources: response.sources,
          provingMs: response.provingMs,
        };
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
    async prepare() {
      // Never rejects: a failure here resurfaces, with its error, in the proof that needs the same step.
      await request({ type: 'prepare' }).catch(() => {});
    },
    async verify({ proof, publicSignals }) {
      const response = await request({ type: 'verify', proof, publicSignals: publicSignals.map(String) });
      return response.type === 'verified' && response.valid;
    },
    cancel() {
      stop(cancelledError());
    },
    dispose() {
      stop(new ZkProofError('zk.prove_disposed', 'The prover was closed.'));
    },
  };
}
