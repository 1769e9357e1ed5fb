/**
 * Devices section → prover: pair the simulated device over the Web-Serial-shaped fixture, pull a
 * signed 64-reading batch, prove it in the app's worker, check the proof again in Node (the
 * relay's verifier), then reload with the artifact URLs unreachable and prove from the cache.
 */
import type { Browser, Page } from 'playwright-core';
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { computeReadingsCommitment } from '../../src/core/zk/commitment.js';
import { readVerificationKey } from '../../src/node/zkArtifacts.js';
import type { PublicSignalsTuple } from '../../src/core/zk/publicSignals.js';
import { verifyBatchProof } from '../../src/core/zk/verify.js';
import { launchChromium, newAppContext, trackPageErrors } from './harness/browser.js';
import { installFakeSerial } from './support/fakeSerial.js';
import { simInPreviousEpoch } from './support/simEpoch.js';
import { textMatching } from './support/appFlows.js';
import { expectScreenOk } from './support/screenChecks.js';

const appUrl = inject('appUrl');
// DEV ONLY test key for the simulated device.
const DEVICE_KEY = `0x${'d4'.repeat(32)}` as Hex;
type Submission = { device: string; epoch: number; commitment: string; signature: Hex; proof: never; publicSignals: string[] };

async function connectAndPull(page: Page): Promise<void> {
  // On My devices the Connect card; after a reload on the device's own page, its Reconnect card.
  await page.getByTestId('connect-serial').or(page.getByTestId('reconnect-serial')).click();
  await page.getByTestId('authenticity').filter({ hasText: 'Genuine' }).waitFor({ timeout: 30_000 });
  await page.getByTestId('pull-readings').click();
  expect(await textMatching(page.getByTestId('sync-signed'), '1 of 1', 60_000)).toBe('1 of 1');
}

async function proveInApp(page: Page): Promise<Submission> {
  await page.getByTestId('prove-device-batch').click();
  await page.getByTestId('zk-prove').click({ timeout: 30_000 });
  await page.getByTestId('zk-progress').waitFor({ timeout: 30_000 });
  await expect(page.getByTestId('zk-verified').filter({ hasText: /yes|no/ }).textContent({ timeout: 120_000 })).resolves.toBe('yes');
  return JSON.parse((await page.getByTestId('device-proof-json').textContent())!) as Submission;
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('Devices: prove a pulled batch', () => {
  it('proves a signed 64-reading batch in the worker, Node verifies it, and it proves again offline from cached artifacts', async () => {
    const device = simInPreviousEpoch('proof-sim', DEVICE_KEY);
    const address = privateKeyToAccount(DEVICE_KEY).address;
    const context = await newAppContext(browser);
    await installFakeSerial(context, device);
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    let zkRequests = 0;
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.includes('/zk/')) zkRequests++;
    });
    await page.goto(`${appUrl}#/devices`);
    await connectAndPull(page);

    const first = await proveInApp(page);
    expect(first.device).toBe(address);
    expect(zkRequests).toBeGreaterThan(0);
    // Independent checks: the commitment is the device's readings' own, and Node's verifier accepts the proof.
    expect(first.commitment).toBe(computeReadingsCommitment(device.readings.slice(0, 64)).toString());
    expect(first.publicSignals[0]).toBe(first.commitment);
    expect(BigInt(first.publicSignals[1]!)).toBe(BigInt(address));
    const vkey = await readVerificationKey();
    await expect(verifyBatchProof(vkey, { proof: first.proof, publicSignals: first.publicSignals.map(BigInt) as unknown as PublicSignalsTuple })).resolves.toBe(true);
    const tampered = [...first.publicSignals.map(BigInt)];
    tampered[0] = tampered[0]! + 1n;
    await expect(verifyBatchProof(vkey, { proof: first.proof, publicSignals: tampered as unknown as PublicSignalsTuple })).resolves.toBe(false);

    // Offline for the proving files: any request under /zk/ fails, so only the Cache API can serve them.
    await page.reload();
    await page.route('**/zk/**', (route) => route.abort('internetdisconnected'));
    const requestsBefore = zkRequests;
    await connectAndPull(page);
    const second = await proveInApp(page);
    expect(second.commitment).toBe(first.commitment);
    await expect(verifyBatchProof(vkey, { proof: second.proof, publicSignals: second.publicSignals.map(BigInt) as unknown as PublicSignalsTuple })).resolves.toBe(true);
    expect(zkRequests).toBe(requestsBefore);
    expect(errors).toEqual([]);
    await expectScreenOk(page, 'the last screen of "proves a signed 64-reading batch in the worker, Node verifies it, a…"');
    await context.close();
  });
});
