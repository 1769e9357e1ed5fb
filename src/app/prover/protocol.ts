import type { ArtifactName } from '../../core/zk/manifest.js';
import type { Groth16Proof } from '../../core/zk/proof.js';
import type { ProvingProgress } from '../../core/zk/prove.js';
import type { Reading } from '../../core/readings.js';
import type { BatchClaim, BatchWitness } from '../../core/zk/witness.js';
import type { ArtifactSource, DownloadProgress } from './artifacts.js';

/**
 * Messages between the app and its prover worker (prover.worker.ts). Plain data only. The worker
 * loads and keeps the proving artifacts itself, so the 13 MB never cross the page's thread.
 */
export type ProverRequest =
  /** Builds the curve and its helper threads ahead of a proof (no download). */
  | { type: 'prepare'; id: number }
  /** The worker checks the batch (buildBatchWitness) before it loads or proves anything. */
  | { type: 'prove'; id: number; readings: Reading[]; claim: BatchClaim }
  | { type: 'verify'; id: number; proof: Groth16Proof; publicSignals: string[] };

/** What the worker reports while it works: the artifacts' download, then snarkjs's steps. */
export type WorkerProgress = { stage: 'artifacts'; download: DownloadProgress | null } | { stage: 'proof'; progress: ProvingProgress };

export type ProverResponse =
  | { type: 'progress'; id: number; progress: WorkerProgress }
  | {
      type: 'proved';
      id: number;
      proof: Groth16Proof;
      publicSignals: string[];
      witness: BatchWitness;
      sources: Record<ArtifactName, ArtifactSource>;
      /** Wall-clock milliseconds in the worker from the witness to the proof (on a first proof, with any wait for the proving key). */
      provingMs: number;
    }
  | { type: 'verified'; id: number; valid: boolean }
  | { type: 'prepared'; id: number }
  /** `index`: the offending reading, when a batch rule was broken (a ZkInputError in the worker). */
  | { type: 'failed'; id: number; code: string; shortMessage: string; details?: string; hint?: string; input?: { index?: number } };
