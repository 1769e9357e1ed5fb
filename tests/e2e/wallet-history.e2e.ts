/**
 * History as a user meets it, at 390×844 against the real devnet: the faucet's transfer shows as
 * incoming (found by the app's block scan), a send shows its fee as the receipt has it, and a
 * pending transaction can be sped up or cancelled with the same nonce while automine is off.
 * Every screen visited is checked for sideways scrolling and with axe (serious/critical fail).
 * Only the devnet path runs here: IoTeX's indexer cannot be reached from this machine (its client
 * is unit-tested on a handwritten answer, tests/unit/wallet/indexer.test.ts).
 */
import type { Browser, Page } from 'playwright-core';
import { createPublicClient, http, parseEther, type Address, type Hash } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEV_ONLY_KEYS, injectWallets } from './fixtures/injectedWallet.js';
import { launchChromium, newAppContext, trackPageErrors } from './harness/browser.js';
import { createWallet, openWalletScreen } from './support/appFlows.js';
import { expectScreenOk } from './support/screenChecks.js';

const appUrl = inject('appUrl');
const rpcUrl = inject('rpcUrl');
const chain = createPublicClient({ transport: http(rpcUrl) });
const PASSWORD = 'e2e history password';
/** DEV ONLY: Hardhat's dev account #0, which the devnet faucet sends from. */
const FAUCET: Address = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
/** A recipient no other test touches, so its balance moves only by what this file sends. */
const RECIPIENT: Address = privateKeyToAccount(generatePrivateKey()).address;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
// The chain is shared by every e2e file: whatever a test did to mining is undone, pass or fail.
afterEach(async () => {
  await chain.request({ method: 'evm_setAutomine', params: [true] } as never);
});

const item = (page: Page, hash: string) => page.locator(`[data-testid="history-item"][data-hash="${hash}"]`);

/** Creates a wallet and gets the faucet's 10 IOTX (sent by Hardhat's dev account #0: incoming for this wallet). */
async function fundedWallet(page: Page): Promise<void> {
  await page.goto(`${appUrl}#/wallet`);
  await createWallet(page, PASSWORD);
  await page.getByTestId('faucet').click();
  await page.locator('[data-testid="balance"]', { hasText: /^10$/ }).waitFor({ timeout: 30_000 });
}

/** Sends through the form and its confirmation; the hash as the app shows it once the wallet took it. */
async function send(page: Page, to: string, amount: string): Promise<Hash> {
  await openWalletScreen(page, 'send');
  await page.getByTestId('send-to').fill(to);
  await page.getByTestId('send-amount').fill(amount);
  await page.getByTestId('send-submit').click();
  await page.getByTestId('confirm-approve').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="confirm-simulation"]', { hasText: /succe/ }).waitFor({ timeout: 30_000 });
  await page.getByTestId('confirm-approve').click();
  return (await page.getByTestId('send-result').getAttribute('data-hash', { timeout: 30_000 })) as Hash;
}

/** With automine off: sends, opens History from the result and waits for the entry to show pending. */
async function sendPending(page: Page, amount: string): Promise<Hash> {
  const hash = await send(page, RECIPIENT, amount);
  await page.getByTestId('send-result-history').click();
  await item(page, hash).and(page.locator('[data-status="pending"]')).waitFor({ timeout: 30_000 });
  return hash;
}

describe('wallet history', () => {
  it('an incoming faucet transfer appears in History with time and fee', async () => {
    const context = await newAppContext(browser);
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await fundedWallet(page);
    await expectScreenOk(page, 'the wallet home');

    await openWalletScreen(page, 'history');
    const incoming = page.locator('[data-testid="history-item"][data-direction="in"]');
    await incoming.first().waitFor({ timeout: 60_000 });
    await expect(incoming.count()).resolves.toBe(1);
    const faucetHash = (await incoming.getAttribute('data-hash')) as Hash;
    // The chain, not the app, says what this transfer was.
    const faucetTx = await chain.getTransaction({ hash: faucetHash });
    expect(faucetTx.from.toLowerCase()).toBe(FAUCET.toLowerCase());
    expect(faucetTx.value).toBe(parseEther('10'));
    const me = faucetTx.to!;
    await expect(incoming.getByTestId('history-amount').textContent()).resolves.toBe('+10 IOTX');
    await expect(incoming.getByTestId('history-fee').textContent()).resolves.toBe('No fee paid by you');
    const faucetBlock = await chain.getBlock({ blockNumber: faucetTx.blockNumber! });
    await expect(incoming.getByTestId('history-time').getAttribute('datetime')).resolves.toBe(new Date(Number(faucetBlock.timestamp) * 1000).toISOString());
    await expect(incoming.getByTestId('history-time').textContent()).resolves.toMatch(/^(just now|\d+ minutes? ago)$/);
    await expectScreenOk(page, 'History with an incoming transfer');

    // An outgoing one: its fee is gasUsed × effectiveGasPrice from its receipt.
    const sent = await send(page, RECIPIENT, '1.25');
    await page.getByTestId('send-result-history').click();
    await item(page, sent).and(page.locator('[data-status="confirmed"]')).waitFor({ timeout: 60_000 });
    const receipt = await chain.getTransactionReceipt({ hash: sent });
    expect(receipt.from.toLowerCase()).toBe(me.toLowerCase());
    const fee = receipt.gasUsed * receipt.effectiveGasPrice;
    const feeNode = item(page, sent).getByTestId('history-fee');
    await expect(feeNode.getAttribute('data-wei')).resolves.toBe(fee.toString());
    // Shown to at most three significant digits, and within half a unit of the last one shown.
    const shown = (await feeNode.textContent())!.match(/^Fee (0\.(0*)(\d{1,3})) IOTX$/);
    expect(shown, `fee text: ${await feeNode.textContent()}`).not.toBeNull();
    const decimals = shown![1]!.length - 2;
    const shownWei = BigInt(shown![3]!) * 10n ** BigInt(18 - decimals);
    const halfUnit = 10n ** BigInt(18 - decimals) / 2n;
    expect(shownWei - fee <= halfUnit && fee - shownWei <= halfUnit, `${shown![1]} IOTX for ${fee} wei`).toBe(true);
    await expect(item(page, sent).getByTestId('history-amount').textContent()).resolves.toBe('−1.25 IOTX');
    const sentBlock = await chain.getBlock({ blockNumber: receipt.blockNumber });
    await expect(item(page, sent).getByTestId('history-time').getAttribute('datetime')).resolves.toBe(new Date(Number(sentBlock.timestamp) * 1000).toISOString());
    await expectScreenOk(page, 'History with an incoming and an outgoing transfer');

    // Both are stored: after a reload (locked) and unlock, History lists them again.
    await page.reload();
    await page.getByTestId('unlock-password').fill(PASSWORD);
    await page.getByTestId('unlock-submit').click();
    // The reload kept the History route: it opens again once unlocked.
    await item(page, faucetHash).and(page.locator('[data-direction="in"]')).waitFor({ timeout: 30_000 });
    await expect(item(page, sent).getByTestId('history-fee').getAttribute('data-wei')).resolves.toBe(fee.toString());
    const stored = await page.evaluate(async (account) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('outpost');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const read = (key: string) => new Promise<unknown>((resolve) => {
        const request = db.transaction('wallet').objectStore('wallet').get(key);
        request.onsuccess = () => resolve(request.result);
      });
      return read(`scan:31337:${account.toLowerCase()}`);
    }, me);
    // The scan remembers how far it read: from genesis to at least the faucet's block.
    expect(stored).toMatchObject({ low: 0 });
    expect((stored as { high: number }).high).toBeGreaterThanOrEqual(Number(faucetTx.blockNumber));

    expect(errors).toEqual([]);
    await context.close();
  });

  it('speed up a pending transaction on a devnet with automine off, and the replacement lands', async () => {
    const context = await newAppContext(browser);
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await fundedWallet(page);
    const recipientBefore = await chain.getBalance({ address: RECIPIENT });

    await chain.request({ method: 'evm_setAutomine', params: [false] } as never);
    const original = await sendPending(page, '2');
    await expectScreenOk(page, 'History with a pending transaction');
    const originalTx = await chain.getTransaction({ hash: original });
    expect(originalTx.blockNumber).toBeNull();

    await item(page, original).getByTestId('history-speed-up').click();
    await page.getByTestId('confirm-approve').waitFor({ timeout: 30_000 });
    await expectScreenOk(page, 'the speed-up confirmation');
    await page.getByTestId('confirm-approve').click();
    const replacementItem = page.locator('[data-testid="history-item"]', { has: page.getByTestId('history-replaces') });
    await replacementItem.waitFor({ timeout: 30_000 });
    const replacement = (await replacementItem.getAttribute('data-hash')) as Hash;
    expect(replacement).not.toBe(original);

    // On the node, before mining: the same nonce, and both fee caps at least 10% higher.
    const replacementTx = await chain.getTransaction({ hash: replacement });
    expect(replacementTx.nonce).toBe(originalTx.nonce);
    expect(replacementTx.to?.toLowerCase()).toBe(RECIPIENT.toLowerCase());
    expect(replacementTx.value).toBe(parseEther('2'));
    expect(replacementTx.maxFeePerGas! * 100n).toBeGreaterThanOrEqual(originalTx.maxFeePerGas! * 110n);
    expect(replacementTx.maxPriorityFeePerGas! * 100n).toBeGreaterThanOrEqual(originalTx.maxPriorityFeePerGas! * 110n);

    await chain.request({ method: 'evm_mine', params: [] } as never);
    const receipt = await chain.getTransactionReceipt({ hash: replacement });
    expect(receipt.status).toBe('success');
    await expect(chain.getTransactionReceipt({ hash: original })).rejects.toThrow(/could not be found/);
    expect((await chain.getBalance({ address: RECIPIENT })) - recipientBefore).toBe(parseEther('2'));

    await item(page, replacement).and(page.locator('[data-status="confirmed"]')).waitFor({ timeout: 60_000 });
    await item(page, original).and(page.locator('[data-status="replaced"]')).waitFor({ timeout: 60_000 });
    await expect(item(page, original).getByTestId('history-replaced-by').getAttribute('data-hash')).resolves.toBe(replacement);
    await expect(item(page, replacement).getByTestId('history-fee').getAttribute('data-wei')).resolves.toBe((receipt.gasUsed * receipt.effectiveGasPrice).toString());
    await expect(item(page, original).getByTestId('history-speed-up').count()).resolves.toBe(0);
    await expectScreenOk(page, 'History with a replaced transaction');

    // Cancel: a 0-value transfer to oneself at the pending one's nonce; the recipient gets nothing.
    const second = await sendPending(page, '3');
    const secondTx = await chain.getTransaction({ hash: second });
    await item(page, second).getByTestId('history-cancel').click();
    await page.getByTestId('confirm-approve').click({ timeout: 30_000 });
    const cancelItem = page.locator('[data-testid="history-item"]', { has: page.getByTestId('history-replaces').filter({ hasText: 'Cancels' }) });
    await cancelItem.waitFor({ timeout: 30_000 });
    const cancel = (await cancelItem.getAttribute('data-hash')) as Hash;
    const cancelTx = await chain.getTransaction({ hash: cancel });
    expect(cancelTx.nonce).toBe(secondTx.nonce);
    expect(cancelTx.to?.toLowerCase()).toBe(secondTx.from.toLowerCase());
    expect(cancelTx.value).toBe(0n);
    const recipientBeforeCancel = await chain.getBalance({ address: RECIPIENT });
    await chain.request({ method: 'evm_mine', params: [] } as never);
    await item(page, second).and(page.locator('[data-status="replaced"]')).waitFor({ timeout: 60_000 });
    await item(page, cancel).and(page.locator('[data-status="confirmed"]')).waitFor({ timeout: 60_000 });
    expect(await chain.getBalance({ address: RECIPIENT })).toBe(recipientBeforeCancel);

    expect(errors).toEqual([]);
    await context.close();
  });

  it('says plainly that nothing was replaced when the original is mined before the speed-up is sent', async () => {
    const context = await newAppContext(browser);
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await fundedWallet(page);

    await chain.request({ method: 'evm_setAutomine', params: [false] } as never);
    const original = await sendPending(page, '1');
    await item(page, original).getByTestId('history-speed-up').click();
    await page.getByTestId('confirm-approve').waitFor({ timeout: 30_000 });
    // The original is mined while the confirmation is open.
    await chain.request({ method: 'evm_mine', params: [] } as never);
    await page.getByTestId('confirm-approve').click();

    const notice = item(page, original).getByTestId('history-replace-error');
    await notice.waitFor({ timeout: 30_000 });
    await expect(notice.getAttribute('data-code')).resolves.toBe('wallet.replacement_too_late');
    await expect(notice.locator('[data-part="message"]').textContent()).resolves.toBe('The original transaction was mined first; nothing was replaced.');
    await item(page, original).and(page.locator('[data-status="confirmed"]')).waitFor({ timeout: 60_000 });
    expect((await chain.getTransactionReceipt({ hash: original })).status).toBe('success');
    await expectScreenOk(page, 'History after a speed-up came too late');

    expect(errors).toEqual([]);
    await context.close();
  });

  it('names an external wallet that ignores the nonce: its "speed-up" is a new transaction, and both go through', async () => {
    const context = await newAppContext(browser);
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    // The fixture wallet signs with its own nonce and fees, as some extension wallets do.
    await injectWallets(page, rpcUrl, [{ name: 'Fixture Wallet One', rdns: 'test.outpost.one', privateKey: DEV_ONLY_KEYS.one }]);
    await page.goto(`${appUrl}#/wallet/wallets`);
    await page.locator('[data-testid="wallet-option"][data-name="Fixture Wallet One"]').click({ timeout: 30_000 });
    await page.getByTestId('active-wallet').filter({ hasText: 'Fixture Wallet One' }).waitFor({ timeout: 30_000 });

    const recipientBefore = await chain.getBalance({ address: RECIPIENT });
    await chain.request({ method: 'evm_setAutomine', params: [false] } as never);
    const original = await sendPending(page, '0.5');
    const originalTx = await chain.getTransaction({ hash: original });
    await item(page, original).getByTestId('history-speed-up').click();
    await page.getByTestId('confirm-approve').click({ timeout: 30_000 });

    const notice = item(page, original).getByTestId('history-replace-error');
    await notice.waitFor({ timeout: 30_000 });
    await expect(notice.getAttribute('data-code')).resolves.toBe('wallet.nonce_ignored');
    await expect(notice.locator('[data-part="message"]').textContent()).resolves.toBe(
      `Fixture Wallet One sent a new transaction (nonce ${originalTx.nonce + 1}) instead of replacing nonce ${originalTx.nonce}: both may now go through.`,
    );
    await expectScreenOk(page, 'History after a wallet ignored the nonce');
    // The second transaction is listed as a send of its own, not as a replacement.
    const others = page.locator('[data-testid="history-item"][data-status="pending"]').filter({ hasNot: page.getByTestId('history-replaces') });
    await expect(others.count()).resolves.toBe(2);

    await chain.request({ method: 'evm_mine', params: [] } as never);
    await item(page, original).and(page.locator('[data-status="confirmed"]')).waitFor({ timeout: 60_000 });
    // Both transfers landed: nothing was replaced.
    expect((await chain.getBalance({ address: RECIPIENT })) - recipientBefore).toBe(parseEther('1'));

    expect(errors).toEqual([]);
    await context.close();
  });
});
