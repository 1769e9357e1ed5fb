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
import { createMclBatchVerifier } from '../../src/relay/verify/groth16Mcl.js';
import { honestClaim, honestReadings } from '../unit/zk/fixtures.js';
import { textMatching } from './support/appFlows.js';

type Api = {
  prove(readings: Reading[], claim: BatchClaim): Promise<BrowserProveResult>;
  proveExpectingError(readings: Reading[], claim: BatchClaim, cancelAt?: 'proving' | 'queued', cancelDelayMs?: number): Promise<BrowserErrorResult>;
};

let zk: ZkBrowser;

function prove(readings: Reading[], claim: BatchClaim = honestClaim()): Promise<BrowserProveResult> {
  return zk.page.evaluate(([r, c]) => (window as unknown as { outpostZk: Api }).outpostZk.prove(r, c), [readings, claim] as const);
}

function proveExpectingError(readings: Reading[], cancelAt?: 'proving'): Promise<BrowserErrorResult> {
  return zk.page.evaluate(([r, c, cancel]) => (window as unknown as { outpostZk: Api }).outpostZk.proveExpectingError(r, c, cancel), [readings, honestClaim(), cancelAt] as const);
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
    const distinct = stages.filter((stage, i) => stage !== stages[i - 1]);
    expect(distinct.slice(0, 3)).toEqual(['checking', 'artifacts', 'witness']);
    // The download is reported as it goes: several steps, rising to the whole.
    const download = result.stages.filter((stage) => stage.startsWith('artifacts:')).map((stage) => Number(stage.split(':')[1]));
    expect(download.length).toBeGreaterThan(2);
    expect(download).toEqual([...download].sort((a, b) => a - b));
    expect(download.at(-1)).toBe(1);
    expect(stages.filter((stage) => stage === 'proving').length).toBeGreaterThan(5);
    expect(stages.at(-1)).toBe('done');
  });

  it('makes proofs that snarkjs in Node and the relay’s mcl verifier accept', async () => {
    const readings = honestReadings(20);
    const { proof, publicSignals, valid: validInWorker } = await prove(readings);
    expect(validInWorker).toBe(true);
    const vkey = await readVerificationKey();
    const batch = { proof, publicSignals: publicSignals.map(BigInt) as unknown as PublicSignalsTuple };
    expect(await verifyBatchProof(vkey, batch)).toBe(true);
    const verifyMcl = await createMclBatchVerifier(vkey);
    expect(verifyMcl(batch)).toBe(true);
    // …and refuse it for a neighbouring statement.
    expect(verifyMcl({ ...batch, publicSignals: batch.publicSignals.map((value, i) => (i === 3 ? value ^ 1n : value)) as unknown as PublicSignalsTuple })).toBe(false);
  });

  it('cancels a proof in progress, and proves again afterwards', async () => {
    const cancelled = await proveExpectingError(honestReadings(64), 'proving');
    expect(cancelled.code).toBe('zk.prove_cancelled');
    const again = await prove(honestReadings(64));
    expect(again.valid).toBe(true);
    // Cancelling ends the worker and the artifacts it held; the next one reads them from the cache.
    expect(again.sources.zkey).toBe('cache');
    const third = await prove(honestReadings(64));
    expect(third.sources.zkey).toBe('memory');
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

describe('a low-memory device', () => {
  it('proves one batch at a time: the second waits, says so, and starts when the first is done', async () => {
    const context = await zk.browser.newContext();
    // navigator.deviceMemory as a 1 GB phone reports it (the one part of a phone emulated here).
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 1 }));
    const page = await context.newPage();
    try {
      await page.goto(zk.url);
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
      const [first, second] = await page.evaluate(
        ([r, c]) => Promise.all([(window as unknown as { outpostZk: Api }).outpostZk.prove(r, c), (window as unknown as { outpostZk: Api }).outpostZk.prove(r, c)]),
        [honestReadings(64), honestClaim()] as const,
      );
      expect([first.valid, second.valid]).toEqual([true, true]);
      expect(first.stages.some((stage) => stage.startsWith('queued'))).toBe(false);
      expect(second.stages.some((stage) => stage.startsWith('queued'))).toBe(true);
      const at = (result: BrowserProveResult, detail: string) => result.startedAt + result.milestones.find((m) => m.detail === detail)!.at;
      expect(at(second, 'witness')).toBeGreaterThanOrEqual(at(first, 'done'));

      // Cancelling a proof that waits its turn (0.5 s in, while the first is proving) takes it out of
      // the line and leaves the running one alone.
      const [running, cancelled, after] = await page.evaluate(([r, c]) => {
        const api = (window as unknown as { outpostZk: Api }).outpostZk;
        return Promise.all([api.prove(r, c), api.proveExpectingError(r, c, 'queued', 500), api.prove(r, c)]);
      }, [honestReadings(64), honestClaim()] as const);
      expect(cancelled.code).toBe('zk.prove_cancelled');
      expect([running.valid, after.valid]).toEqual([true, true]);
      expect(after.stages.some((stage) => stage.startsWith('queued'))).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe('first proof without the network', () => {
  it('names the download that failed, keeps nothing broken, and proves once the files can be fetched', async () => {
    const context = await zk.browser.newContext(); // its own empty Cache API
    const page = await context.newPage();
    try {
      await page.goto(zk.url);
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
      await page.route('**/zk/**', (route) => route.abort('internetdisconnected'));
      const failed = await page.evaluate(([r, c]) => (window as unknown as { outpostZk: Api }).outpostZk.proveExpectingError(r, c), [honestReadings(64), honestClaim()] as const);
      expect(failed.code).toBe('zk.artifact_offline');
      expect(failed.message).toMatch(/Could not download the proving file outpost_batch\.(wasm|zkey|vkey\.json)/);
      await page.unroute('**/zk/**');
      const proved = await page.evaluate(([r, c]) => (window as unknown as { outpostZk: Api }).outpostZk.prove(r, c), [honestReadings(64), honestClaim()] as const);
      expect(proved.valid).toBe(true);
      expect(proved.sources).toEqual({ wasm: 'network', zkey: 'network', vkey: 'network' });
    } finally {
      await context.close();
    }
  });
});

describe('proof panel (src/app/prover/BatchProofPanel.svelte)', () => {
  it('shows progress while proving and a verified result', async () => {
    const page = await zk.browser.newPage();
    try {
      await page.goto(`${zk.url}#panel`);
      // Before this device's first proof there is nothing to estimate from; the page says what the first one costs.
      await textMatching(page.getByTestId('zk-estimate'), /^No proof made on this device \(2 cores(, \d+ GB)?\) yet: the first one also downloads/);
      await page.getByTestId('zk-prove').click();
      await page.getByTestId('zk-progress').waitFor();
      await textMatching(page.getByTestId('zk-verified'), 'yes', 60_000);
      await expect(page.getByTestId('zk-result').textContent()).resolves.toContain('64');
      // Afterwards, the estimate is this proof's time (the result shows it rounded the same way), and it survives a reload.
      const shown = (await page.getByTestId('zk-result').textContent())!.match(/Proving time([\d.]+) s/)![1]!;
      const estimate = new RegExp(`^About ${shown.replace('.', '\\.')} s on this device \\(2 cores(, \\d+ GB)?\\), from its last proof\\.$`);
      await textMatching(page.getByTestId('zk-estimate'), estimate);
      await page.reload();
      await textMatching(page.getByTestId('zk-estimate'), estimate);
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
