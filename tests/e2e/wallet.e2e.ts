import type { Browser, Page } from 'playwright-core';
import { createPublicClient, http, parseEther, type Hash } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEV_ONLY_KEYS, injectWallets } from './fixtures/injectedWallet.js';
import { launchChromium, newAppContext, trackPageErrors } from './harness/browser.js';
import { findSecretLeaks } from '../support/secretLeaks.js';
import { readStored } from './support/indexedDb.js';
import { confirmBackup, openWalletScreen } from './support/appFlows.js';
import { expectScreenOk } from './support/screenChecks.js';

const appUrl = inject('appUrl');
const rpcUrl = inject('rpcUrl');
const chain = createPublicClient({ transport: http(rpcUrl) });
const PASSWORD = 'e2e wallet password';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const text = (page: Page, testId: string, timeout = 30_000) => page.getByTestId(testId).first().textContent({ timeout });

async function waitForStatus(page: Page, hash: string, status: string): Promise<void> {
  await page.locator(`[data-testid="history-item"][data-hash="${hash}"][data-status="${status}"]`).waitFor({ timeout: 60_000 });
}

/** Sends `amount` IOTX from the active wallet through the send form and its confirmation; the mined hash. */
async function sendAndConfirm(page: Page, to: string, amount: string): Promise<Hash> {
  await openWalletScreen(page, 'send');
  await page.getByTestId('send-to').fill(to);
  await page.getByTestId('send-amount').fill(amount);
  await page.getByTestId('send-submit').click();
  await page.locator('[data-testid="confirm-simulation"]', { hasText: 'will succeed' }).waitFor({ timeout: 30_000 });
  await page.getByTestId('confirm-approve').click();
  const hash = (await page.getByTestId('send-result').getAttribute('data-hash', { timeout: 30_000 })) as Hash;
  await page.getByTestId('send-result-history').click();
  await waitForStatus(page, hash, 'confirmed');
  return hash;
}

describe('embedded wallet on the local chain', () => {
  it('creates, backs up, gets devnet funds, sends, confirms, and after a reload is locked with the same balance and history', async () => {
    const context = await newAppContext(browser);
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await page.goto(`${appUrl}#/wallet`);

    // Create.
    await page.getByTestId('new-password').fill(PASSWORD);
    await page.getByTestId('new-password-repeat').fill(PASSWORD);
    await page.getByTestId('onboard-submit').click();
    const io = (await text(page, 'account-io'))!;
    expect(io).toMatch(/^io1/);

    // Back up: read the phrase, type back the two words asked for.
    const words = await confirmBackup(page);
    expect(words).toHaveLength(12);
    await openWalletScreen(page, 'receive');
    await page.getByTestId('receive-qr').locator('svg').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('receive-qr').locator('svg').count()).resolves.toBe(1);
    await openWalletScreen(page, '');

    // Devnet funds.
    await expect(text(page, 'balance')).resolves.toBe('0');
    await page.getByTestId('faucet').click();
    await page.locator('[data-testid="balance"]', { hasText: /^10$/ }).waitFor({ timeout: 30_000 });

    // Named errors before anything is signed.
    await openWalletScreen(page, 'send');
    await page.getByTestId('send-to').fill('io17w0adeg64ky0daxwd2ugyuneellmjgnxa07fhq');
    await page.getByTestId('send-amount').fill('1');
    await page.getByTestId('send-submit').click();
    await expect(text(page, 'send-error')).resolves.toContain('bad checksum');
    await page.getByTestId('send-to').fill('io17w0adeg64ky0daxwd2ugyuneellmjgnxa07fhr');
    await page.getByTestId('send-amount').fill('11');
    await page.getByTestId('send-submit').click();
    await page.locator('[data-testid="send-error"]', { hasText: 'more than the balance' }).waitFor();

    // Send 1.5 IOTX to Hardhat dev account #0 by its io1 address; confirm after reading it.
    const recipient = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266' as const;
    const before = await chain.getBalance({ address: recipient });
    await page.getByTestId('send-amount').fill('1.5');
    await page.getByTestId('send-submit').click();
    await expect(text(page, 'confirm-network')).resolves.toContain('31337');
    await expect(text(page, 'confirm-amount')).resolves.toBe('1.5 IOTX');
    await expect(text(page, 'confirm-to')).resolves.toContain('io17w0adeg64ky0daxwd2ugyuneellmjgnxa07fhr');
    await expect(text(page, 'confirm-fee')).resolves.toMatch(/^(≈ )?0\.0*[1-9]\d? IOTX$/);
    await page.locator('[data-testid="confirm-simulation"]', { hasText: 'will succeed' }).waitFor();
    await page.getByTestId('confirm-approve').click();

    const hash = (await page.getByTestId('send-result').getAttribute('data-hash', { timeout: 30_000 })) as Hash;
    await page.getByTestId('send-result-history').click();
    await waitForStatus(page, hash, 'confirmed');
    const receipt = await chain.getTransactionReceipt({ hash });
    expect(receipt.status).toBe('success');
    expect((await chain.getBalance({ address: recipient })) - before).toBe(parseEther('1.5'));
    await openWalletScreen(page, '');
    await page.locator('[data-testid="balance"]', { hasText: /^8\.49/ }).waitFor({ timeout: 30_000 });
    const balance = await text(page, 'balance');

    // Reload: locked; wrong password named; right password gives the same balance and history.
    await page.reload();
    await page.getByTestId('unlock').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('balance').count()).resolves.toBe(0);
    await page.getByTestId('unlock-password').fill('not the password');
    await page.getByTestId('unlock-submit').click();
    await expect(text(page, 'unlock-error')).resolves.toContain('does not unlock');
    await page.getByTestId('unlock-password').fill(PASSWORD);
    await page.getByTestId('unlock-submit').click();
    await page.locator('[data-testid="balance"]', { hasText: balance! }).waitFor({ timeout: 30_000 });
    await expect(text(page, 'account-io')).resolves.toBe(io);
    await openWalletScreen(page, 'history');
    await waitForStatus(page, hash, 'confirmed');

    // The stored record holds no phrase.
    // The phrase is fresh randomness on purpose; it is printed on failure so the case can be replayed.
    const stored = await readStored(page, 'wallet', 'vault');
    expect(stored).toMatchObject({ kind: 'mnemonic' });
    expect(findSecretLeaks(stored, { mnemonic: words.join(' ') }), `phrase: ${words.join(' ')}`).toEqual([]);

    expect(errors).toEqual([]);
    await expectScreenOk(page, 'the last screen of "creates, backs up, gets devnet funds, sends, confirms, and after a …"');
    await context.close();
  });
});

describe('passkey unlock (WebAuthn PRF)', () => {
  // Chromium's virtual authenticator (CDP WebAuthn domain) stands in for the phone's platform
  // authenticator: a real CTAP2 credential with the PRF extension, minus the fingerprint prompt.
  it('adds a passkey with the password, then unlocks with the passkey alone to the same account', async () => {
    const context = await newAppContext(browser);
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', ctap2Version: 'ctap2_1', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, hasPrf: true, automaticPresenceSimulation: true },
    });
    await page.goto(`${appUrl}#/wallet`);
    await page.getByTestId('new-password').fill(PASSWORD);
    await page.getByTestId('new-password-repeat').fill(PASSWORD);
    await page.getByTestId('onboard-submit').click();
    const io = (await text(page, 'account-io'))!;

    // Adding a passkey asks for the password first: a wrong one adds nothing.
    await openWalletScreen(page, 'security');
    await page.getByTestId('security-action').selectOption('passkey');
    await page.getByTestId('security-password').fill('not the password');
    await page.getByTestId('security-submit').click();
    await expect(text(page, 'security-error')).resolves.toContain('does not unlock');
    await page.getByTestId('security-action').selectOption('passkey');
    await page.getByTestId('security-password').fill(PASSWORD);
    await page.getByTestId('security-submit').click();
    await expect(text(page, 'security-output')).resolves.toContain('Passkey added');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.isResidentCredential).toBe(true);

    // Locked after a reload: the passkey alone unlocks the same account, with no password typed.
    await page.reload();
    await page.getByTestId('unlock-passkey').click({ timeout: 30_000 });
    await openWalletScreen(page, '');
    await expect(text(page, 'account-io')).resolves.toBe(io);
    // The authenticator really signed an assertion for it (its signature counter moved).
    const after = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(after.credentials[0]!.signCount).toBeGreaterThan(credentials[0]!.signCount);

    // The vault holds the passkey's wrap of the vault key.
    const vault = await readStored<{ passkeys: unknown[] }>(page, 'wallet', 'vault');
    expect(vault.passkeys).toHaveLength(1);
    expect(errors).toEqual([]);
    await expectScreenOk(page, 'the last screen of "adds a passkey with the password, then unlocks with the passkey alo…"');
    await context.close();
  });
});

describe('injected wallets through EIP-6963', () => {
  it('lists two injected wallets by name, connects one and sends a transaction it signs', async () => {
    const context = await newAppContext(browser);
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    const log = await injectWallets(page, rpcUrl, [
      { name: 'Fixture Wallet One', rdns: 'test.outpost.one', privateKey: DEV_ONLY_KEYS.one },
      { name: 'Fixture Wallet Two', rdns: 'test.outpost.two', privateKey: DEV_ONLY_KEYS.two },
    ]);
    await page.goto(`${appUrl}#/wallet/wallets`);
    await page.locator('[data-testid="wallet-option"][data-name="Fixture Wallet Two"]').waitFor({ timeout: 30_000 });
    const names = await page.getByTestId('wallet-option').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-name')));
    expect(names).toEqual(expect.arrayContaining(['Fixture Wallet One', 'Fixture Wallet Two']));
    // No project id in this build: no WalletConnect button that could only fail, and one line on why.
    expect(names).not.toContain('WalletConnect');
    await expect(text(page, 'walletconnect-unconfigured')).resolves.toContain('no WalletConnect project id');

    await page.locator('[data-testid="wallet-option"][data-name="Fixture Wallet Two"]').click();
    await expect(text(page, 'active-wallet')).resolves.toBe('Fixture Wallet Two');
    const from = privateKeyToAccount(DEV_ONLY_KEYS.two).address;

    const hash = await sendAndConfirm(page, '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', '0.25');

    const tx = await chain.getTransaction({ hash });
    expect(tx.from.toLowerCase()).toBe(from.toLowerCase());
    expect(tx.value).toBe(parseEther('0.25'));
    expect(log.some((entry) => entry.method === 'eth_sendTransaction' && entry.wallet === 'Fixture Wallet Two')).toBe(true);
    expect(log.some((entry) => entry.wallet === 'Fixture Wallet One' && entry.method === 'eth_sendTransaction')).toBe(false);

    expect(errors).toEqual([]);
    await expectScreenOk(page, 'the last screen of "lists two injected wallets by name, connects one and sends a transa…"');
    await context.close();
  });
  it('a wallet on another chain: a refused switch is a named error and no wallet becomes active; an accepted one sends on the local chain', async () => {
    const IOTEX_MAINNET = 4689;
    const context = await newAppContext(browser);
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    const log = await injectWallets(page, rpcUrl, [
      { name: 'Fixture Wallet Stubborn', rdns: 'test.outpost.stubborn', privateKey: DEV_ONLY_KEYS.one, chainId: IOTEX_MAINNET, refusesSwitch: true },
      { name: 'Fixture Wallet Agreeable', rdns: 'test.outpost.agreeable', privateKey: DEV_ONLY_KEYS.two, chainId: IOTEX_MAINNET },
    ]);
    await page.goto(`${appUrl}#/wallet/wallets`);
    const option = (name: string) => page.locator(`[data-testid="wallet-option"][data-name="${name}"]`);
    await option('Fixture Wallet Stubborn').waitFor({ timeout: 30_000 });

    await option('Fixture Wallet Stubborn').click();
    const refusal = await text(page, 'external-error');
    expect(refusal).toContain('Fixture Wallet Stubborn did not switch to');
    expect(refusal).toContain('yourself');
    await expect(page.getByTestId('active-wallet').count()).resolves.toBe(0);
    expect(log.some((entry) => entry.wallet === 'Fixture Wallet Stubborn' && entry.method === 'wallet_switchEthereumChain')).toBe(true);

    await option('Fixture Wallet Agreeable').click();
    await expect(text(page, 'active-wallet')).resolves.toBe('Fixture Wallet Agreeable');
    await expect(page.getByTestId('external-error').count()).resolves.toBe(0);
    const hash = await sendAndConfirm(page, '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', '0.125');
    const tx = await chain.getTransaction({ hash });
    expect(tx.from.toLowerCase()).toBe(privateKeyToAccount(DEV_ONLY_KEYS.two).address.toLowerCase());
    expect(tx.value).toBe(parseEther('0.125'));

    expect(errors).toEqual([]);
    await expectScreenOk(page, 'the last screen of "a wallet on another chain: a refused switch is a named error and no…"');
    await context.close();
  });
});
