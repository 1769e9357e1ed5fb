/**
 * The app's outbox against the real relay and chain: a batch proved in the Devices section is
 * queued while the relay is down, stays queued across a reload, is sent by the service worker's
 * Background Sync with no app page open once the relay is back, and ends anchored on-chain (the
 * relay anchors every 10 s on the devnet stack; the app shows it anchored once it has checked the
 * anchor itself, src/core/anchoring/verify.ts), at a phone's width without sideways scrolling.
 *
 * Relay downtime is emulated at the network boundary with context.route, which in Chromium also
 * covers the service worker's own requests (Playwright's PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS,
 * set below before the browser starts). The browser decides when to fire a sync; the test fires it
 * through CDP (ServiceWorker.dispatchSyncEvent), as Chromium would on regaining connectivity.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { createPublicClient, http, parseEventLogs, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { batchInboxAbi } from '../../src/core/abis/index.js';
import { parseDevnetConfig } from '../../src/core/devnetConfig.js';
import { NETWORKS, toViemChain } from '../../src/core/networks.js';
import { registerDevice } from '../relay/helpers/chain.js';
import { launchChromium, newAppContext, trackPageErrors, waitForServiceWorker } from './harness/browser.js';
import { installFakeSerial } from './support/fakeSerial.js';
import { readStored } from './support/indexedDb.js';
import { simInPreviousEpoch } from './support/simEpoch.js';
import { expectNoHorizontalOverflow } from './support/viewport.js';
import { textMatching, proveBatchThroughApp } from './support/appFlows.js';

const appUrl = inject('appUrl');
const rpcUrl = inject('rpcUrl');
const devnet = parseDevnetConfig(JSON.parse(readFileSync(inject('devnetConfigPath'), 'utf8')));
// DEV ONLY test key for the simulated device.
const DEVICE_KEY = `0x${'e5'.repeat(32)}` as Hex;

let browser: Browser;
beforeAll(async () => {
  process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The registration id CDP needs to dispatch events to the app's service worker. */
async function serviceWorkerRegistrationId(context: BrowserContext, origin: string): Promise<string> {
  const page = context.pages()[0]!;
  const cdp = await context.newCDPSession(page);
  const found = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((registration) => registration.scopeURL.startsWith(origin) && !registration.isDeleted);
      if (ours) resolve(ours.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  const id = await found;
  await cdp.detach();
  return id;
}

type StoredEntry = { state: string; receiptId: string | null; reason: string | null };

/** The single outbox entry as stored in IndexedDB. */
async function readOutboxEntry(page: Page): Promise<StoredEntry | null> {
  const [entry] = await readStored<StoredEntry[]>(page, 'outbox');
  return entry ? { state: entry.state, receiptId: entry.receiptId, reason: entry.reason } : null;
}

describe('Outbox', () => {
  it('queues a proven batch while the relay is down, keeps it across a reload, sends it by Background Sync with no page open, and shows it anchored', async () => {
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
    // Emulates relay downtime at the network boundary: every request to the relay, the page's or
    // the service worker's, fails as if it were unreachable.
    let relayAttempts = 0;
    const relayDown = (route: Route) => {
      relayAttempts++;
      return route.abort('connectionrefused');
    };
    await context.route(`${relayUrl}/**`, relayDown);
    await page.goto(`${appUrl}#/devices`);
    await waitForServiceWorker(page);

    const submission = await proveBatchThroughApp(page);
    const submissionJson = JSON.stringify(submission);
    expect(submission.device).toBe(privateKeyToAccount(DEVICE_KEY).address);

    const entry = page.getByTestId('outbox-entry');
    await expect(entry.getAttribute('data-state', { timeout: 30_000 })).resolves.toBe('queued');
    await textMatching(page.getByTestId('outbox-reason'), 'could not be reached', 30_000);
    expect(relayAttempts).toBeGreaterThan(0);
    await expectNoHorizontalOverflow(page, 'the outbox with a queued batch');

    await page.reload();
    await expect(page.getByTestId('outbox-entry').getAttribute('data-state', { timeout: 30_000 })).resolves.toBe('queued');
    await expect(page.getByTestId('outbox').textContent()).resolves.toContain(`epoch ${submission.epoch}`);

    // Close the app: from here the service worker alone has the batch.
    const origin = new URL(appUrl).origin;
    const registrationId = await serviceWorkerRegistrationId(context, origin);
    await page.close();
    // A page of the app's origin that runs none of the app (the precached manifest), to read IndexedDB and hold a CDP session.
    const blank = await context.newPage();
    await blank.goto(`${appUrl}manifest.webmanifest`);
    const cdp = await context.newCDPSession(blank);
    await cdp.send('ServiceWorker.enable');

    // A sync while the relay is still down: the worker tries, fails, and rejects so the browser retries later.
    const attemptsBefore = relayAttempts;
    await cdp.send('ServiceWorker.dispatchSyncEvent', { origin, registrationId, tag: 'outpost-outbox', lastChance: false });
    await expect.poll(() => relayAttempts, { timeout: 30_000 }).toBeGreaterThan(attemptsBefore);

    // The relay is back: the next sync sends the batch with no app page open.
    await context.unroute(`${relayUrl}/**`, relayDown);
    await cdp.send('ServiceWorker.dispatchSyncEvent', { origin, registrationId, tag: 'outpost-outbox', lastChance: false });
    await expect
      .poll(() => readOutboxEntry(blank), { timeout: 30_000 })
      .toMatchObject({ state: expect.stringMatching(/^(sent|anchored)$/), receiptId: expect.stringMatching(/^0x[0-9a-f]{64}$/), reason: null });

    // Open the app again: it shows the worker's receipt and follows the batch to its anchoring.
    const reopened = await context.newPage();
    const reopenedErrors = trackPageErrors(reopened);
    await reopened.goto(`${appUrl}#/devices`);
    await expect(reopened.getByTestId('outbox-entry').filter({ has: reopened.locator('[data-testid="outbox-receipt"]') }).getAttribute('data-state', { timeout: 30_000 })).resolves.toMatch(/^(sent|anchored)$/);
    await blank.close();
    const receiptId = (await reopened.getByTestId('outbox-receipt').textContent())!.trim() as Hex;
    await expect(reopened.locator('[data-testid="outbox-entry"][data-state="anchored"]').waitFor({ timeout: 90_000 })).resolves.toBeUndefined();
    const txHash = (await reopened.getByTestId('outbox-tx').textContent())!.trim() as Hex;
    await expect(reopened.getByTestId('outbox-state').textContent()).resolves.toBe('Anchored, checked on-chain');
    await expectNoHorizontalOverflow(reopened, 'the outbox with an anchored batch');

    // Independent checks: the relay holds this batch under that receipt, a resend is idempotent, and the tx anchored it.
    // (Through the page, so Node holds no keep-alive sockets to the relay when the harness stops it.)
    const relay = await reopened.evaluate(async ([url, id, body]) => {
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
    expect(reopenedErrors).toEqual([]);
    await context.close();
  });
});
