/**
 * One shared prover for the app (one worker, artifacts loaded once), and reactive state for the
 * proof the UI is showing: stage, progress, result, error.
 */
import { readSetting, writeSetting } from '../../browser/storage/db.js';
import type { Reading } from '../../core/readings.js';
import { describeProvingCost, estimateProving, recordTiming } from '../../core/zk/provingBudget.js';
import { unpackPublicSignals, type BatchPublicSignals } from '../../core/zk/publicSignals.js';
import type { BatchClaim } from '../../core/zk/witness.js';
import { createBatchProver, type ProvedBatch, type ProverProgress } from './prover.js';

let shared: ReturnType<typeof createBatchProver> | null = null;
function prover() {
  shared ??= createBatchProver();
  return shared;
}

/** This device's last proving times (ms, oldest first), kept in settings for the estimate. */
const TIMINGS_KEY = 'prover.timings';
const isTimings = (value: unknown): value is number[] => Array.isArray(value) && value.every((ms) => typeof ms === 'number' && Number.isFinite(ms));
let timings: number[] | null = null;

async function loadTimings(): Promise<number[]> {
  timings ??= (await readSetting(TIMINGS_KEY, isTimings).catch(() => undefined)) ?? [];
  return timings;
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
  /** Before proving: how long a proof takes on this device, from its own last proofs, and whether batches wait their turn. */
  cost: string;
};

export function createProofRun() {
  const run = $state<ProofRun>({ status: 'idle', progress: null, proved: null, signals: null, verified: null, error: null, errorCode: null, cost: describeProvingCost(null, prover().budget) });
  let controller: AbortController | null = null;
  void loadTimings().then((known) => (run.cost = describeProvingCost(estimateProving(known), prover().budget)));
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
        timings = recordTiming(await loadTimings(), proved.provingMs);
        run.cost = describeProvingCost(estimateProving(timings), prover().budget);
        // A full or blocked storage only loses the estimate's history, never the proof.
        void writeSetting(TIMINGS_KEY, timings).catch(() => undefined);
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
