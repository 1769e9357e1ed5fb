/**
 * The app's outbox against the real relay and chain: a batch proved in the Devices section is
 * queued while the relay is down, stays queued across a reload, is sent when the relay is back,
 * and ends anchored on-chain (the relay anchors every 10 s on the devnet stack).
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { createPublicClient, http, parseEventLogs, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { batchInboxAbi } from '../../src/core/abis/index.js';
import { parseDevnetConfig } from '../../src/core/devnetConfig.js';
import { NETWORKS, toViemChain } from '../../src/core/networks.js';
import { registerDevice } from '../relay/helpers/chain.js';
import { launchChromium, newAppContext, trackPageErrors } from './harness/browser.js';
import { installFakeSerial } from './support/fakeSerial.js';
import { simInPreviousEpoch } from './support/simEpoch.js';

const appUrl = inject('appUrl');
const rpcUrl = inject('rpcUrl');
const devnet = parseDevnetConfig(JSON.parse(readFileSync(inject('devnetConfigPath'), 'utf8')));
// DEV ONLY test key for the simulated device.
const DEVICE_KEY = `0x${'e5'.repeat(32)}` as Hex;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('Outbox', () => {
  it('queues a proven batch while the relay is down, keeps it across a reload, sends it when the relay is back, and shows it anchored', async () => {
    const relayUrl = devnet.relayUrl!;
    expect(relayUrl).toMatch(/^http/);
    const client = createPublicClient({ chain: toViemChain(NETWORKS.devnet, rpcUrl), transport: http(rpcUrl) }) as PublicClient;
    // The relay refuses devices without an ioID: give the simulated device one (owner: dev account 2).
    await registerDevice({ rpcUrl, devnet, client, stop: async () => {} }, DEVICE_KEY, 2);

    const device = simInPreviousEpoch('outbox-sim', DEVICE_KEY);
    const context = await newAppContext(browser);
    await installFakeSerial(context, device);
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    // Emulates relay downtime at the network boundary: every request to the relay fails as if it were unreachable.
    let relayAttempts = 0;
    await page.route(`${relayUrl}/**`, (route) => {
      relayAttempts++;
      return route.abort('connectionrefused');
    });
    await page.goto(`${appUrl}#/devices`);

    await page.getByTestId('connect-serial').click();
    await page.getByTestId('authenticity').filter({ hasText: 'Genuine' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('pull-readings').click();
    await expect(page.getByTestId('sync-signed').textContent({ timeout: 60_000 })).resolves.toBe('1 of 1');
    await page.getByTestId('prove-device-batch').click();
    await page.getByTestId('zk-prove').click({ timeout: 30_000 });
    await expect(page.getByTestId('zk-verified').filter({ hasText: /yes|no/ }).textContent({ timeout: 120_000 })).resolves.toBe('yes');
    const submissionJson = (await page.getByTestId('device-proof-json').textContent())!;
    const submission = JSON.parse(submissionJson) as { device: string; epoch: number; commitment: string };
    expect(submission.device).toBe(privateKeyToAccount(DEVICE_KEY).address);

    const entry = page.getByTestId('outbox-entry');
    await expect(entry.getAttribute('data-state', { timeout: 30_000 })).resolves.toBe('queued');
    await expect(page.getByTestId('outbox-reason').textContent({ timeout: 30_000 })).resolves.toContain('could not be reached');
    expect(relayAttempts).toBeGreaterThan(0);

    await page.reload();
    await expect(page.getByTestId('outbox-entry').getAttribute('data-state', { timeout: 30_000 })).resolves.toBe('queued');
    await expect(page.getByTestId('outbox').textContent()).resolves.toContain(`epoch ${submission.epoch}`);

    // The relay is back; the browser's offline → online transition makes the outbox retry at once.
    await page.unroute(`${relayUrl}/**`);
    await context.setOffline(true);
    await context.setOffline(false);
    await expect(page.getByTestId('outbox-entry').filter({ has: page.locator('[data-testid="outbox-receipt"]') }).getAttribute('data-state', { timeout: 30_000 })).resolves.toMatch(/^(sent|anchored)$/);
    const receiptId = (await page.getByTestId('outbox-receipt').textContent())!.trim() as Hex;
    await expect(page.locator('[data-testid="outbox-entry"][data-state="anchored"]').waitFor({ timeout: 90_000 })).resolves.toBeUndefined();
    const txHash = (await page.getByTestId('outbox-tx').textContent())!.trim() as Hex;

    // Independent checks: the relay holds this batch under that receipt, a resend is idempotent, and the tx anchored it.
    // (Through the page, so Node holds no keep-alive sockets to the relay when the harness stops it.)
    const relay = await page.evaluate(async ([url, id, body]) => {
      const fetched = await (await fetch(`${url}/v1/batches/${id}`)).json();
      const resend = await fetch(`${url}/v1/batches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return { fetched, resendStatus: resend.status, resend: await resend.json() };
    }, [relayUrl, receiptId, submissionJson] as const);
    const fetched = relay.fetched as { receipt: { id: string; commitment: string; anchor: { txHash: string; merkleRoot: Hex } } };
    expect(fetched.receipt.commitment).toBe(submission.commitment);
    expect(fetched.receipt.anchor.txHash).toBe(txHash);
    expect(relay.resendStatus).toBe(200);
    expect(relay.resend).toMatchObject({ duplicate: true, receipt: { id: receiptId } });
    const receipt = await client.getTransactionReceipt({ hash: txHash });
    expect(receipt.status).toBe('success');
    const anchored = parseEventLogs({ abi: batchInboxAbi, logs: receipt.logs, eventName: 'BatchAnchored' });
    expect(anchored.length).toBe(1);
    expect((anchored[0]!.args as { merkleRoot?: Hex }).merkleRoot).toBe(fetched.receipt.anchor.merkleRoot);
    expect(errors).toEqual([]);
    await context.close();
  });
});
