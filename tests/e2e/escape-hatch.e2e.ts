/**
 * The trust model in the app, at a phone's viewport, against the real chain and the real relay:
 * (a) a receipt whose Merkle proof, or whose root on-chain, does not match is not shown as
 *     anchored, and the outbox names the check that failed; once the relay answers honestly the
 *     same batch is shown anchored (so the checks do pass on a true anchor);
 * (b) a batch the relay censors (refused as `replay`) reaches the chain through the escape hatch:
 *     the outbox sends BatchInbox.submitBatch through the wallet's confirmation (gas, decoded
 *     call, simulation), the wallet history tracks it, the outbox shows it "submitted on-chain",
 *     and the test reads directSubmitted(device, epoch) and the BatchSubmitted event itself.
 *
 * The relay misbehaves through a small HTTP proxy in front of the one the stack started
 * (support/relayProxy.ts): the only mocked boundary. The app finds its relay in /devnet.json, so the
 * test serves the stack's own config with relayUrl pointing at the proxy.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createPublicClient, http, parseEventLogs, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { batchInboxAbi, bucketStrategyDevnetAbi } from '../../src/core/abis/index.js';
import { parseDevnetConfig } from '../../src/core/devnetConfig.js';
import { NETWORKS, toViemChain } from '../../src/core/networks.js';
import { registerDevice } from '../relay/helpers/chain.js';
import { launchChromium, newAppContext, trackPageErrors } from './harness/browser.js';
import { installFakeSerial } from './support/fakeSerial.js';
import { readStored } from './support/indexedDb.js';
import { startRelayProxy, type RelayProxy } from './support/relayProxy.js';
import { expectNoHorizontalOverflow } from './support/viewport.js';
import { simInPreviousEpoch } from './support/simEpoch.js';
import { confirmBackup, openWalletScreen, proveBatchThroughApp, textMatching } from './support/appFlows.js';

const appUrl = inject('appUrl');
const rpcUrl = inject('rpcUrl');
const devnetJson = JSON.parse(readFileSync(inject('devnetConfigPath'), 'utf8')) as Record<string, unknown>;
const devnet = parseDevnetConfig(devnetJson);
const client = createPublicClient({ chain: toViemChain(NETWORKS.devnet, rpcUrl), transport: http(rpcUrl) }) as PublicClient;
const batchInbox = devnet.contracts.batchInbox!;
const MODULE_ID = BigInt(devnet.extra!.moduleId as number);
const PASSWORD = 'e2e escape hatch password';
// DEV ONLY test keys for the simulated devices (one per test: the relay and the chain key by device).
const TAMPERED_DEVICE_KEY = `0x${'e6'.repeat(32)}` as Hex;
const CENSORED_DEVICE_KEY = `0x${'e7'.repeat(32)}` as Hex;
const UNANCHORED_DEVICE_KEY = `0x${'e8'.repeat(32)}` as Hex;

let browser: Browser;
let proxy: RelayProxy;
beforeAll(async () => {
  // Lets context.route see the service worker's own requests too (it fetches /devnet.json for the app).
  process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';
  browser = await launchChromium();
  proxy = await startRelayProxy(devnet.relayUrl!);
});
afterAll(async () => {
  await browser?.close();
  await proxy?.close();
});

/** A phone-sized app context whose /devnet.json names the proxy as the relay (everything else as the stack wrote it). */
async function appThroughProxy(): Promise<BrowserContext> {
  const context = await newAppContext(browser);
  await context.route(`${appUrl}devnet.json`, (route) => route.fulfill({ status: 200, contentType: 'application/json', headers: { 'cache-control': 'no-store' }, body: JSON.stringify({ ...devnetJson, relayUrl: proxy.url }) }));
  return context;
}

/** Creates the embedded wallet, confirms the backup and takes devnet funds (as in wallet.e2e.ts). */
async function createFundedWallet(page: Page): Promise<void> {
  await page.getByTestId('nav-wallet').click();
  await page.getByTestId('new-password').fill(PASSWORD);
  await page.getByTestId('new-password-repeat').fill(PASSWORD);
  await page.getByTestId('onboard-submit').click();
  await page.getByTestId('account-io').first().waitFor({ timeout: 30_000 });
  await confirmBackup(page);
  await page.getByTestId('faucet').click();
  await page.locator('[data-testid="balance"]', { hasText: /^10$/ }).waitFor({ timeout: 30_000 });
}

describe('the outbox does not take the relay’s word (phone viewport)', () => {
  it('names the failed check for a tampered proof and for a root not on-chain, and shows anchored only once the anchor verifies', async () => {
    await registerDevice({ rpcUrl, devnet, client, stop: async () => {} }, TAMPERED_DEVICE_KEY, 3);
    proxy.mode = 'tamper-proof';
    const context = await appThroughProxy();
    await installFakeSerial(context, simInPreviousEpoch('tamper-sim', TAMPERED_DEVICE_KEY));
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await page.goto(`${appUrl}#/devices`);
    const sent = await proveBatchThroughApp(page);
    expect(sent.device).toBe(privateKeyToAccount(TAMPERED_DEVICE_KEY).address);

    // The relay anchors for real; the proxy flips a byte of the proof it hands back.
    const entry = page.getByTestId('outbox-entry');
    const check = page.getByTestId('outbox-check');
    // expect.poll, so a failure names the check that was shown instead.
    await expect.poll(() => check.getAttribute('data-check', { timeout: 1_000 }).catch(() => null), { timeout: 90_000 }).toBe('proof');
    await expect(entry.getAttribute('data-state')).resolves.toBe('sent');
    await expect(check.textContent()).resolves.toContain('Merkle proof check failed');
    await expect(page.getByTestId('outbox-tx').count()).resolves.toBe(0);
    await expectNoHorizontalOverflow(page, 'the outbox with a failed proof check');
    expect(proxy.seen.some((line) => line.startsWith('GET /v1/batches/0x'))).toBe(true);

    // A self-consistent proof to a root BatchInbox never saw: the on-chain check fails.
    proxy.mode = 'fake-root';
    await expect.poll(() => check.getAttribute('data-check', { timeout: 1_000 }).catch(() => null), { timeout: 60_000 }).toBe('onchain');
    await expect(entry.getAttribute('data-state')).resolves.toBe('sent');
    await expect(check.textContent()).resolves.toContain('On-chain root check failed');
    await expect(check.textContent()).resolves.toContain(`not anchored on-chain under module ${MODULE_ID}`);
    await expectNoHorizontalOverflow(page, 'the outbox with a failed on-chain check');

    // The relay's true answer passes every check.
    proxy.mode = 'honest';
    await expect.poll(async () => `${await entry.getAttribute('data-state')}: ${await entry.textContent()}`, { timeout: 60_000 }).toMatch(/^anchored: /);
    await expect(page.getByTestId('outbox-state').textContent()).resolves.toBe('Anchored, checked on-chain');
    const receiptId = (await page.getByTestId('outbox-receipt').textContent())!.trim();
    const txHash = (await page.getByTestId('outbox-tx').textContent())!.trim() as Hex;
    // Independently: the anchoring transaction's event names a root BatchInbox holds under the module, unslashed.
    const receipt = await client.getTransactionReceipt({ hash: txHash });
    const [anchored] = parseEventLogs({ abi: batchInboxAbi, logs: receipt.logs, eventName: 'BatchAnchored' });
    expect(anchored!.args.moduleId).toBe(MODULE_ID);
    const [, , anchoredAt, slashed] = await client.readContract({ address: batchInbox, abi: batchInboxAbi, functionName: 'batchOf', args: [MODULE_ID, anchored!.args.merkleRoot] });
    expect(anchoredAt).toBeGreaterThan(0n);
    expect(slashed).toBe(false);
    expect(receiptId).toMatch(/^0x[0-9a-f]{64}$/);
    await expectNoHorizontalOverflow(page, 'the outbox with an anchored batch');

    // The Staking screen states the exposure with the chain's own figures.
    const challengeWindow = await client.readContract({ address: batchInbox, abi: batchInboxAbi, functionName: 'CHALLENGE_WINDOW' });
    const freeze = await client.readContract({ address: devnet.contracts.bucketStrategy!, abi: bucketStrategyDevnetAbi, functionName: 'UNSTAKE_FREEZE_TIME' });
    await page.getByTestId('nav-staking').click();
    expect(await textMatching(page.getByTestId('exposure-challenge'), `${Number(challengeWindow) / 86_400} days`, 30_000)).toBe(`${Number(challengeWindow) / 86_400} days`);
    await expect(page.getByTestId('exposure-freeze-time').textContent()).resolves.toBe(`${Number(freeze) / 86_400} days`);
    await expect(page.getByTestId('exposure-before').textContent()).resolves.toContain('before you joined');
    await expectNoHorizontalOverflow(page, 'the Staking screen');

    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the escape hatch (phone viewport)', () => {
  it('puts a batch the relay censors on-chain from the outbox, through the wallet’s confirmation, and never twice', async () => {
    await registerDevice({ rpcUrl, devnet, client, stop: async () => {} }, CENSORED_DEVICE_KEY, 3);
    proxy.mode = 'refuse-replay';
    const context = await appThroughProxy();
    await installFakeSerial(context, simInPreviousEpoch('censored-sim', CENSORED_DEVICE_KEY));
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await page.goto(`${appUrl}#/wallet`);
    await createFundedWallet(page);

    await page.getByTestId('nav-devices').click();
    const sent = await proveBatchThroughApp(page);
    const device = privateKeyToAccount(CENSORED_DEVICE_KEY).address;
    expect(sent.device).toBe(device);

    // Refused without cause: the outbox says so and offers the hatch.
    const entry = page.getByTestId('outbox-entry');
    await page.locator('[data-testid="outbox-entry"][data-state="failed"]').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('outbox-hatch-why').textContent()).resolves.toContain('replay');
    expect(proxy.seen).toContain('POST /v1/batches');
    await expectNoHorizontalOverflow(page, 'the outbox offering the escape hatch');

    // The wallet's one confirmation: the decoded call, its gas and fee, and a passing simulation.
    await page.getByTestId('outbox-submit-direct').click();
    await textMatching(page.getByTestId('confirm-kind'), 'submitBatch', 30_000);
    await expect(page.getByTestId('confirm-to').textContent()).resolves.toContain(batchInbox);
    await expect(page.getByTestId('field-signature').textContent()).resolves.toMatch(/0x[0-9a-f]{130}/);
    await expect(page.getByTestId('field-pB[1][0]').count()).resolves.toBe(1);
    await expect(page.getByTestId('confirm-fee').textContent()).resolves.toMatch(/^(≈ )?0\.0*[1-9]\d? IOTX$/);
    await page.locator('[data-testid="confirm-simulation"]', { hasText: /will succeed \(gas \d+\)/ }).waitFor({ timeout: 30_000 });
    await expectNoHorizontalOverflow(page, 'the confirmation of submitBatch');
    await page.getByTestId('confirm-approve').click();

    await page.locator('[data-testid="outbox-entry"][data-state="submitted"]').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('outbox-state').textContent()).resolves.toBe('Submitted on-chain');
    const txHash = (await page.getByTestId('outbox-direct-tx').textContent())!.trim() as Hex;
    await expect(page.getByTestId('outbox-submit-direct').count()).resolves.toBe(0);
    await expectNoHorizontalOverflow(page, 'the outbox with a submitted batch');

    // On-chain, read by the test: the transaction's BatchSubmitted event is this batch, and directSubmitted is set.
    const receipt = await client.getTransactionReceipt({ hash: txHash });
    expect(receipt.status).toBe('success');
    expect(receipt.to?.toLowerCase()).toBe(batchInbox.toLowerCase());
    const [event] = parseEventLogs({ abi: batchInboxAbi, logs: receipt.logs, eventName: 'BatchSubmitted' });
    expect(event!.args.device).toBe(device);
    expect(event!.args.commitment).toBe(BigInt(sent.commitment));
    const epochSeconds = await client.readContract({ address: batchInbox, abi: batchInboxAbi, functionName: 'epochSeconds' });
    await expect(client.readContract({ address: batchInbox, abi: batchInboxAbi, functionName: 'directSubmitted', args: [device, event!.args.windowStart / epochSeconds] })).resolves.toBe(true);
    expect(event!.args.windowStart / epochSeconds).toBe(BigInt(sent.epoch));

    // Tracked like any transaction: the wallet's history has it, confirmed.
    await page.getByTestId('nav-wallet').click();
    await openWalletScreen(page, 'history');
    await page.locator(`[data-testid="history-item"][data-hash="${txHash}"][data-status="confirmed"]`).waitFor({ timeout: 60_000 });
    await expectNoHorizontalOverflow(page, 'the wallet history');

    // After a reload the outbox still knows, and offers nothing to send again.
    await page.goto(`${appUrl}#/devices`);
    await page.reload();
    await page.locator('[data-testid="outbox-entry"][data-state="submitted"]').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('outbox-direct-tx').textContent()).resolves.toBe(txHash);
    await expect(page.getByTestId('outbox-submit-direct').count()).resolves.toBe(0);
    const stored = await readStored<Array<{ state: string; direct: { txHash: string } | null }>>(page, 'outbox');
    expect(stored.map((item) => [item.state, item.direct?.txHash])).toEqual([['submitted', txHash]]);
    const all = await client.getContractEvents({ address: batchInbox, abi: batchInboxAbi, eventName: 'BatchSubmitted', args: { device }, fromBlock: 0n });
    expect(all.map((log) => log.transactionHash)).toEqual([txHash]);
    await expect(entry.count()).resolves.toBe(1);
    await expectNoHorizontalOverflow(page, 'the outbox after a reload');

    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens when the relay accepts a batch but does not anchor it in the time its /v1/info promises', async () => {
    proxy.mode = 'accept-never-anchor';
    proxy.promiseSeconds = 12;
    const context = await appThroughProxy();
    await installFakeSerial(context, simInPreviousEpoch('unanchored-sim', UNANCHORED_DEVICE_KEY));
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await page.goto(`${appUrl}#/devices`);
    await proveBatchThroughApp(page);

    // Accepted, with a receipt, and the promised time not over: the outbox says when the hatch opens.
    await page.locator('[data-testid="outbox-entry"][data-state="sent"]').waitFor({ timeout: 30_000 });
    await textMatching(page.getByTestId('outbox-hatch-wait'), /If the relay has not anchored it in \d+ s/, 10_000);
    await expect(page.getByTestId('outbox-submit-direct').count()).resolves.toBe(0);
    const [stored] = await readStored<Array<{ receivedAt: number; anchorDeadline: number }>>(page, 'outbox');
    expect(stored!.anchorDeadline - stored!.receivedAt).toBe(12_000);
    await expectNoHorizontalOverflow(page, 'the outbox waiting for the promised anchoring');

    // The promise runs out: the hatch opens; without a wallet it says what to do rather than fail.
    await page.getByTestId('outbox-submit-direct').waitFor({ timeout: 45_000 });
    expect(Date.now()).toBeGreaterThanOrEqual(stored!.anchorDeadline);
    await expect(page.getByTestId('outbox-hatch-why').textContent()).resolves.toContain('did not anchor the batch in the time it promised');
    await page.getByTestId('outbox-submit-direct').click();
    await textMatching(page.getByTestId('outbox-direct-notice'), 'none is connected', 30_000);
    await expect(page.getByTestId('outbox-entry').getAttribute('data-state')).resolves.toBe('sent');
    await expectNoHorizontalOverflow(page, 'the outbox with the hatch open');
    expect(proxy.seen).toContain('GET /v1/info');

    expect(errors).toEqual([]);
    await context.close();
  });
});
