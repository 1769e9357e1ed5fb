/**
 * The app's prover worker (src/app/prover) in headless Chromium, on a minimal page around it
 * (bench/zk-browser, built with Vite and served with the committed artifacts): checks before
 * proving, progress, a proof that verifies in the worker and in Node, cancel, and a second proof
 * after a reload with the artifact URLs blocked (served from the Cache API).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZkBrowser } from '../../bench/lib/zkBrowser.js';
import { openZkBrowser } from '../../bench/lib/zkBrowser.js';
import type { BrowserErrorResult, BrowserProveResult } from '../../bench/zk-browser/main.js';
import type { Reading } from '../../src/core/readings.js';
import { computeReadingsCommitment } from '../../src/core/zk/commitment.js';
import { readVerificationKey } from '../../src/node/zkArtifacts.js';
import type { PublicSignalsTuple } from '../../src/core/zk/publicSignals.js';
import type { BatchClaim } from '../../src/core/zk/witness.js';
import { verifyBatchProof } from '../../src/core/zk/verify.js';
import { honestClaim, honestReadings } from '../unit/zk/fixtures.js';
import { textMatching } from './support/appFlows.js';

type Api = {
  prove(readings: Reading[], claim: BatchClaim): Promise<BrowserProveResult>;
  proveExpectingError(readings: Reading[], claim: BatchClaim, cancelOnProving?: boolean): Promise<BrowserErrorResult>;
};

let zk: ZkBrowser;

function prove(readings: Reading[], claim: BatchClaim = honestClaim()): Promise<BrowserProveResult> {
  return zk.page.evaluate(([r, c]) => (window as unknown as { outpostZk: Api }).outpostZk.prove(r, c), [readings, claim] as const);
}

function proveExpectingError(readings: Reading[], cancelOnProving = false): Promise<BrowserErrorResult> {
  return zk.page.evaluate(([r, c, cancel]) => (window as unknown as { outpostZk: Api }).outpostZk.proveExpectingError(r, c, cancel), [readings, honestClaim(), cancelOnProving] as const);
}

beforeAll(async () => {
  zk = await openZkBrowser();
});

afterAll(async () => {
  await zk?.close();
});

describe('prover worker in Chromium', () => {
  it('reports a broken rule before downloading anything or proving', async () => {
    const readings = honestReadings(64);
    readings[12] = { ...readings[12]!, timestamp: readings[11]!.timestamp };
    const result = await proveExpectingError(readings);
    expect(result.code).toBe('zk.timestamp_not_rising');
    expect(result.index).toBe(12);
    expect(zk.zkRequests()).toBe(0);
  });

  it('proves a 64-reading batch with progress, and the proof verifies', async () => {
    const readings = honestReadings(64);
    const result = await prove(readings);
    expect(result.sources).toEqual({ wasm: 'network', zkey: 'network', vkey: 'network' });
    expect(result.valid).toBe(true);
    expect(BigInt(result.publicSignals[0]!)).toBe(computeReadingsCommitment(readings));
    const stages = result.stages.map((stage) => stage.split(':')[0]);
    expect(stages.slice(0, 3)).toEqual(['checking', 'artifacts', 'witness']);
    expect(stages.filter((stage) => stage === 'proving').length).toBeGreaterThan(5);
    expect(stages.at(-1)).toBe('done');
  });

  it('makes proofs that the Node verifier (the relay) accepts', async () => {
    const readings = honestReadings(20);
    const { proof, publicSignals, valid: validInWorker } = await prove(readings);
    expect(validInWorker).toBe(true);
    const valid = await verifyBatchProof(await readVerificationKey(), { proof, publicSignals: publicSignals.map(BigInt) as unknown as PublicSignalsTuple });
    expect(valid).toBe(true);
  });

  it('cancels a proof in progress, and proves again afterwards', async () => {
    const cancelled = await proveExpectingError(honestReadings(64), true);
    expect(cancelled.code).toBe('zk.prove_cancelled');
    const again = await prove(honestReadings(64));
    expect(again.valid).toBe(true);
    expect(again.sources.zkey).toBe('memory');
  });

  it('proves again after a reload with the artifact URLs unreachable, from the cache', async () => {
    const requestsBefore = zk.zkRequests();
    await zk.page.reload();
    await zk.page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    await zk.page.route('**/zk/**', (route) => route.abort('internetdisconnected'));
    const result = await prove(honestReadings(64));
    expect(result.sources).toEqual({ wasm: 'cache', zkey: 'cache', vkey: 'cache' });
    expect(result.valid).toBe(true);
    expect(zk.zkRequests()).toBe(requestsBefore);
  });
});

describe('proof panel (src/app/prover/BatchProofPanel.svelte)', () => {
  it('shows progress while proving and a verified result', async () => {
    const page = await zk.browser.newPage();
    try {
      await page.goto(zk.url);
      await page.getByTestId('zk-prove').click();
      await page.getByTestId('zk-progress').waitFor();
      await textMatching(page.getByTestId('zk-verified'), 'yes', 60_000);
      await expect(page.getByTestId('zk-result').textContent()).resolves.toContain('64');
    } finally {
      await page.close();
    }
  });

  it('names the broken rule instead of proving', async () => {
    const page = await zk.browser.newPage();
    try {
      await page.goto(`${zk.url}#out-of-bounds`);
      await page.getByTestId('zk-prove').click();
      const error = page.getByTestId('zk-error');
      await expect(error.getAttribute('data-code', { timeout: 30_000 })).resolves.toBe('zk.reading_out_of_bounds');
      await expect(error.textContent()).resolves.toContain('Reading 7');
    } finally {
      await page.close();
    }
  });
});
