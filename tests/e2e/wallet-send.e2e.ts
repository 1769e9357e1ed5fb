/**
 * Sending IOTX as a person would on a phone (issue 14): Max, the fee and total in the
 * confirmation, a Reject that is a neutral "cancelled", the send that follows, the entry in
 * History; and the warnings for one's own address and a contract. Everything runs against the
 * real devnet; the expected figures are worked out here from the chain, not read from the app.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { createPublicClient, formatEther, http, parseEther, type Address, type Hash } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEV_ONLY_KEYS, injectWallets } from './fixtures/injectedWallet.js';
import { launchChromium, newAppContext, trackPageErrors } from './harness/browser.js';
import { createWallet, openWalletScreen, textMatching } from './support/appFlows.js';
import { expectScreenOk } from './support/screenChecks.js';

const appUrl = inject('appUrl');
const rpcUrl = inject('rpcUrl');
const chain = createPublicClient({ transport: http(rpcUrl) });
// The stack's own deployment record: any contract it deployed will do as "a contract address".
const devnetJson = JSON.parse(readFileSync(inject('devnetConfigPath'), 'utf8')) as { contracts: Record<string, Address | null> };
const PASSWORD = 'e2e send password';
const PLAIN_TRANSFER_GAS = 21_000n;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const text = (page: Page, testId: string) => page.getByTestId(testId).first().textContent({ timeout: 30_000 });

/** The amount field once Max has filled it (Max reads the chain first, so the value arrives a moment after the press). */
async function amountAfterMax(page: Page): Promise<string> {
  await page.getByTestId('send-amount').fill('');
  await page.getByTestId('send-max').click();
  const filled = await page.waitForFunction(() => (document.querySelector('[data-testid="send-amount"]') as HTMLInputElement | null)?.value || null, null, { timeout: 30_000 });
  return (await filled.jsonValue()) as string;
}

async function review(page: Page): Promise<void> {
  await page.getByTestId('send-submit').click();
  await textMatching(page.getByTestId('confirm-simulation'), /This transfer will succeed \(gas \d+\)/);
}

describe('sending IOTX', () => {
  it('sends with Max, shows the total, is cancelled in the wallet (neutral), sends again and opens it from History', async () => {
    const context = await newAppContext(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(appUrl).origin });
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await page.goto(`${appUrl}#/wallet`);
    await createWallet(page, PASSWORD);
    const ownIo = (await text(page, 'account-io'))!;

    // The home: copy the account's address, with a visible "Copied".
    await page.getByTestId('account-io-copy').click();
    await textMatching(page.getByTestId('account-io-copied'), 'Copied');
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(ownIo);
    await page.getByTestId('faucet').click();
    await page.locator('[data-testid="balance"]', { hasText: /^10$/ }).waitFor({ timeout: 30_000 });
    await expectScreenOk(page, 'wallet home');

    await openWalletScreen(page, 'send');
    await textMatching(page.getByTestId('send-balance'), /^10$/);
    await expectScreenOk(page, 'send');

    // Warnings before anything is confirmed: one's own address, and a contract (bytecode on chain).
    await page.getByTestId('send-to').fill(ownIo);
    await textMatching(page.getByTestId('send-warning-self'), 'your own address');
    // BatchInbox has no receive(): it refuses IOTX, and Review says so as the contract's answer.
    const contract = devnetJson.contracts.batchInbox!;
    expect(await chain.getCode({ address: contract })).toMatch(/^0x[0-9a-f]{2,}/);
    await page.getByTestId('send-to').fill(contract);
    await textMatching(page.getByTestId('send-warning-contract'), 'is a contract');
    await expect(page.getByTestId('send-warning-self').count()).resolves.toBe(0);
    await page.getByTestId('send-amount').fill('1');
    await page.getByTestId('send-submit').click();
    await expect(page.getByTestId('send-error').getAttribute('data-code', { timeout: 30_000 })).resolves.toBe('chain.reverted');
    await expect(text(page, 'send-error')).resolves.toContain('The recipient refuses this transfer');
    await expect(page.getByTestId('confirm').count()).resolves.toBe(0);
    await expectScreenOk(page, 'send with a contract warning');

    // A fresh account: a plain person's address, no warning.
    const recipient = privateKeyToAccount(generatePrivateKey()).address;
    await page.getByTestId('send-to').fill(recipient);
    await page.getByTestId('send-warning-contract').waitFor({ state: 'detached' });

    // Max: the balance less the fee reserve, shown with a one-line reason.
    const maxTyped = await amountAfterMax(page);
    await textMatching(page.getByTestId('send-fee-reserve'), /IOTX$/);
    expect(parseEther(maxTyped)).toBeGreaterThan(parseEther('9.99'));
    expect(parseEther(maxTyped)).toBeLessThan(parseEther('10'));

    // The confirmation: the amount, a rounded fee, and a total that is the whole balance.
    await review(page);
    const shownAmount = (await text(page, 'confirm-amount'))!;
    expect(shownAmount).toMatch(/^9\.99\d* IOTX$/);
    const fee = (await text(page, 'confirm-fee'))!;
    // Two significant digits, never 18 decimals.
    expect(fee).toMatch(/^(≈ )?0\.0*[1-9]\d? IOTX$/);
    await expect(text(page, 'confirm-total')).resolves.toBe('10 IOTX');
    await expectScreenOk(page, 'confirmation');

    // Reject: a neutral note, no error, nothing on chain.
    await page.getByTestId('confirm-reject').click();
    const cancelled = page.getByTestId('send-cancelled');
    await expect(textMatching(cancelled, 'Cancelled')).resolves.toBe('Cancelled, nothing was sent.');
    await expect(cancelled.getAttribute('class')).resolves.not.toMatch(/error/);
    await expect(page.getByTestId('send-error').count()).resolves.toBe(0);
    await expect(page.locator('[role="alert"]').count()).resolves.toBe(0);
    await expectScreenOk(page, 'send, cancelled');

    // Send again (Max still chosen: priced anew) and approve.
    await review(page);
    await page.getByTestId('confirm-approve').click();
    const hash = (await page.getByTestId('send-result').getAttribute('data-hash', { timeout: 30_000 })) as Hash;
    await expect(text(page, 'send-result-no-explorer')).resolves.toContain('No explorer for a local chain');
    await expect(text(page, 'send-result-hash')).resolves.toBe(hash);
    await expect(page.getByTestId('send-cancelled').count()).resolves.toBe(0);
    await expectScreenOk(page, 'send, sent');

    // On chain: Max sent the balance less gas × maxFeePerGas; what is left is the unspent part of that reserve.
    const receipt = await chain.waitForTransactionReceipt({ hash });
    const tx = await chain.getTransaction({ hash });
    expect(receipt.status).toBe('success');
    const from = tx.from;
    const balanceBefore = parseEther('10');
    // The gas limit is the node's estimate (Hardhat's may run a gas over); a plain transfer uses exactly 21000.
    expect(receipt.gasUsed).toBe(PLAIN_TRANSFER_GAS);
    expect(tx.value).toBe(balanceBefore - tx.gas * tx.maxFeePerGas!);
    await expect(chain.getBalance({ address: recipient })).resolves.toBe(tx.value);
    const left = await chain.getBalance({ address: from });
    expect(left).toBe(balanceBefore - tx.value - receipt.gasUsed * receipt.effectiveGasPrice);
    expect(left).toBe(tx.gas * tx.maxFeePerGas! - PLAIN_TRANSFER_GAS * receipt.effectiveGasPrice);
    // Only dust: less than the fee reserve itself.
    expect(left).toBeLessThan(tx.gas * tx.maxFeePerGas!);
    console.info(`Max sent ${formatEther(tx.value)} IOTX; ${left} wei of the fee reserve left unspent`);

    // Max on the dust: nothing can be sent, and the field never shows a negative amount.
    await expect(amountAfterMax(page)).resolves.toBe('0');

    // History: the sent entry, confirmed.
    await page.getByTestId('send-result-history').click();
    await page.locator(`[data-testid="history-item"][data-hash="${hash}"][data-status="confirmed"]`).waitFor({ timeout: 60_000 });
    await expectScreenOk(page, 'history');

    expect(errors).toEqual([]);
    await context.close();
  });

  it('a browser wallet that says no (EIP-1193 4001) is a neutral "cancelled" as well', async () => {
    const context = await newAppContext(browser);
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    const log = await injectWallets(page, rpcUrl, [{ name: 'Fixture Wallet Reluctant', rdns: 'test.outpost.reluctant', privateKey: DEV_ONLY_KEYS.one, refusesSends: true }]);
    const from = privateKeyToAccount(DEV_ONLY_KEYS.one).address;
    const nonceBefore = await chain.getTransactionCount({ address: from });
    await page.goto(`${appUrl}#/wallet/wallets`);
    await page.locator('[data-testid="wallet-option"][data-name="Fixture Wallet Reluctant"]').click({ timeout: 30_000 });
    await textMatching(page.getByTestId('active-wallet'), 'Fixture Wallet Reluctant');

    await openWalletScreen(page, 'send');
    await page.getByTestId('send-to').fill(privateKeyToAccount(generatePrivateKey()).address);
    await page.getByTestId('send-amount').fill('0.1');
    await review(page);
    await page.getByTestId('confirm-approve').click();
    await expect(textMatching(page.getByTestId('send-cancelled'), 'Cancelled')).resolves.toBe('Cancelled, nothing was sent.');
    await expect(page.getByTestId('send-error').count()).resolves.toBe(0);
    expect(log.filter((entry) => entry.method === 'eth_sendTransaction')).toHaveLength(1);
    await expect(chain.getTransactionCount({ address: from })).resolves.toBe(nonceBefore);
    await expectScreenOk(page, 'send, cancelled in the browser wallet');
    expect(errors).toEqual([]);
    await context.close();
  });
});
