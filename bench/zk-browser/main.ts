/**
 * A minimal page around the app's real prover (src/app/prover): the worker, the artifact cache
 * and the progress/cancel API, driven from Playwright by bench/zk.bench.ts and the browser test.
 * It exposes `window.outpostZk`.
 */
import { mount } from 'svelte';
import BatchProofPanel from '../../src/app/prover/BatchProofPanel.svelte';
import { createBatchProver } from '../../src/app/prover/prover.js';
import type { Reading } from '../../src/core/readings.js';
import type { Groth16Proof } from '../../src/core/zk/proof.js';
import type { BatchClaim } from '../../src/core/zk/witness.js';
import { honestClaim, honestReadings } from '../../tests/unit/zk/fixtures.js';

export type BrowserProveResult = {
  provingMs: number;
  totalMs: number;
  sources: Record<string, string>;
  valid: boolean;
  stages: string[];
  publicSignals: string[];
  proof: Groth16Proof;
  /** Longest gap between main-thread timer ticks while proving: how long the page was unresponsive. */
  longestMainThreadGapMs: number;
  /** snarkjs's milestones as the page received them, ms since prove() was called (the profile split). */
  milestones: { detail: string; at: number }[];
  /** performance.now() when prove() was called, to line up the milestones of proofs run together. */
  startedAt: number;
};

export type BrowserErrorResult = { code: string; message: string; index?: number };

const prover = createBatchProver();

async function watchMainThread<T>(work: () => Promise<T>): Promise<{ value: T; longestGap: number }> {
  let last = performance.now();
  let longestGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 10);
  try {
    return { value: await work(), longestGap };
  } finally {
    clearInterval(timer);
  }
}

const api = {
  /** What a screen that offers proving does when it opens (src/app/prover/proverState.svelte.ts). */
  prepare: () => prover.prepare(),
  async prove(readings: Reading[], claim: BatchClaim): Promise<BrowserProveResult> {
    const stages: string[] = [];
    const milestones: { detail: string; at: number }[] = [];
    const started = performance.now();
    const { value: proved, longestGap } = await watchMainThread(() =>
      prover.prove(readings, claim, {
        onProgress: (progress) => {
          stages.push(`${progress.stage}:${progress.fraction.toFixed(2)}`);
          milestones.push({ detail: progress.detail ?? progress.stage, at: performance.now() - started });
        },
      }),
    );
    const totalMs = performance.now() - started;
    const valid = await prover.verify(proved);
    return { provingMs: proved.provingMs, totalMs, sources: proved.artifactSources, valid, stages, publicSignals: proved.publicSignals.map(String), proof: proved.proof, longestMainThreadGapMs: longestGap, milestones, startedAt: started };
  },
  /** Proves and returns the error; `cancelAt` cancels the proof when it reaches that stage, `cancelDelayMs` after. */
  async proveExpectingError(readings: Reading[], claim: BatchClaim, cancelAt?: 'proving' | 'queued', cancelDelayMs = 0): Promise<BrowserErrorResult> {
    const controller = new AbortController();
    try {
      await prover.prove(readings, claim, {
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.stage !== cancelAt) return;
          if (cancelDelayMs) setTimeout(() => controller.abort(), cancelDelayMs);
          else controller.abort();
        },
      });
      return { code: 'none', message: 'proved' };
    } catch (error) {
      const known = error as { code?: string; message?: string; index?: number };
      return { code: known.code ?? 'unknown', message: known.message ?? String(error), index: known.index };
    }
  },
};

(window as unknown as { outpostZk: typeof api }).outpostZk = api;

// The UI panel on a fixed batch, only when asked for (`#panel`; `#out-of-bounds` puts one reading
// above the bound), so that its own prover does not share the CPU with the API's when measured.
if (location.hash) {
  const readings = honestReadings(64);
  if (location.hash === '#out-of-bounds') readings[7] = { ...readings[7]!, temperature: 9_000 };
  mount(BatchProofPanel, { target: document.getElementById('panel')!, props: { readings, claim: honestClaim() } });
}
document.getElementById('status')!.textContent = 'ready';
