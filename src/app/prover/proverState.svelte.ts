/**
 * One shared prover for the app (one worker, artifacts loaded once), and reactive state for the
 * proof the UI is showing: stage, progress, result, error.
 */
import type { Reading } from '../../core/readings.js';
import { unpackPublicSignals, type BatchPublicSignals } from '../../core/zk/publicSignals.js';
import type { BatchClaim } from '../../core/zk/witness.js';
import { createBatchProver, type ProvedBatch, type ProverProgress } from './prover.js';

let shared: ReturnType<typeof createBatchProver> | null = null;
function prover() {
  shared ??= createBatchProver();
  return shared;
}

export type ProofRun = {
  status: 'idle' | 'proving' | 'proved' | 'failed' | 'cancelled';
  progress: ProverProgress | null;
  proved: ProvedBatch | null;
  signals: BatchPublicSignals | null;
  /** Whether the worker's verification of the finished proof passed. */
  verified: boolean | null;
  /** The thrown value as is, so the notice can show its hint and copy its cause chain. */
  error: unknown;
  errorCode: string | null;
};

export function createProofRun() {
  const run = $state<ProofRun>({ status: 'idle', progress: null, proved: null, signals: null, verified: null, error: null, errorCode: null });
  let controller: AbortController | null = null;
  // A screen that offers proving warms the prover up, so the proof starts at once when asked for.
  void prover().prepare();

  return {
    get run() {
      return run;
    },
    async prove(readings: readonly Reading[], claim: BatchClaim): Promise<void> {
      controller?.abort();
      const current = new AbortController();
      controller = current;
      Object.assign(run, { status: 'proving', progress: null, proved: null, signals: null, verified: null, error: null, errorCode: null });
      try {
        const proved = await prover().prove(readings, claim, { signal: current.signal, onProgress: (progress) => (run.progress = progress) });
        run.proved = proved;
        run.signals = unpackPublicSignals(proved.publicSignals);
        run.status = 'proved';
        run.verified = await prover().verify(proved);
      } catch (error) {
        if (controller !== current) return; // superseded by a newer run
        const code = (error as { code?: unknown }).code;
        run.errorCode = typeof code === 'string' ? code : null;
        run.status = run.errorCode === 'zk.prove_cancelled' ? 'cancelled' : 'failed';
        run.error = error;
      }
    },
    cancel(): void {
      controller?.abort();
    },
  };
}
