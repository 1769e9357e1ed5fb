import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** What the app's prover panel shows as the proven submission (device-proof-json). */
export type ProvenSubmission = { device: string; epoch: number; commitment: string };

/**
 * Through the app: pairs the simulated device on the fake serial port, pulls its readings, proves
 * the newest signed batch in the worker and returns the submission the outbox then takes.
 */
export async function proveBatchThroughApp(page: Page): Promise<ProvenSubmission> {
  await page.getByTestId('connect-serial').click();
  await page.getByTestId('authenticity').filter({ hasText: 'Genuine' }).waitFor({ timeout: 30_000 });
  await page.getByTestId('pull-readings').click();
  expect(await textMatching(page.getByTestId('sync-signed'), '1 of 1', 60_000)).toBe('1 of 1');
  await page.getByTestId('prove-device-batch').click();
  await page.getByTestId('zk-prove').click({ timeout: 30_000 });
  await expect(page.getByTestId('zk-verified').filter({ hasText: /yes|no/ }).textContent({ timeout: 120_000 })).resolves.toBe('yes');
  return JSON.parse((await page.getByTestId('device-proof-json').textContent())!) as ProvenSubmission;
}

/** On the Wallet screen: creates the embedded wallet with `password` and confirms its backup; returns the phrase's words. */
export async function createWallet(page: Page, password: string): Promise<string[]> {
  await page.getByTestId('new-password').fill(password);
  await page.getByTestId('new-password-repeat').fill(password);
  await page.getByTestId('onboard-submit').click();
  await page.getByTestId('account-io').first().waitFor({ timeout: 30_000 });
  return confirmBackup(page);
}

/** Confirms a new wallet's backup by typing back the two words asked for; returns the phrase's words. */
export async function confirmBackup(page: Page): Promise<string[]> {
  const words = await page.getByTestId('backup-phrase').locator('code').allTextContents();
  for (const i of [0, 1]) {
    const input = page.getByTestId(`backup-word-${i}`);
    const position = Number(await input.getAttribute('data-position'));
    await input.fill(words[position - 1]!);
  }
  await page.getByTestId('backup-confirm').click();
  await page.getByTestId('backup').waitFor({ state: 'detached' });
  return words;
}

/**
 * Waits until the element's text matches `expected` (a string: contains it, any case; a RegExp: as
 * given), then returns the text. Reading `textContent()` once races with a screen still updating:
 * the proof panel shows "checking…" before "yes", and the read took whichever came first.
 */
export async function textMatching(locator: Locator, expected: string | RegExp, timeout = 30_000): Promise<string> {
  const target = locator.filter({ hasText: expected }).first();
  try {
    await target.waitFor({ timeout });
  } catch {
    const last = await locator.first().textContent({ timeout: 1_000 }).catch(() => null);
    throw new Error(`the text never matched ${String(expected)} within ${timeout} ms; last seen: ${JSON.stringify(last)}`);
  }
  return (await target.textContent()) ?? '';
}

/** Opens a Wallet screen by its route: '' is the wallet home; 'send', 'receive', 'history', 'security', 'wallets'. */
export async function openWalletScreen(page: Page, screen: '' | 'send' | 'receive' | 'history' | 'security' | 'wallets'): Promise<void> {
  await page.evaluate((hash) => (location.hash = hash), screen ? `#/wallet/${screen}` : '#/wallet');
  if (screen) await page.getByTestId('wallet-back').waitFor({ timeout: 30_000 });
}

