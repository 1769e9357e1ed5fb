import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, newAppContext, trackPageErrors } from './harness/browser.js';
import { confirmBackup } from './support/appFlows.js';

const appUrl = inject('appUrl');
const PASSWORD = 'e2e errors password';
const WRONG = 'hunter2 wrong password';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('errors reach the screen as short message, fix and copyable details (390×844)', () => {
  it('a wallet refusal: wrong password on unlock', async () => {
    const context = await newAppContext(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(appUrl).origin });
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await page.goto(`${appUrl}#/wallet`);
    await page.getByTestId('new-password').fill(PASSWORD);
    await page.getByTestId('new-password-repeat').fill(PASSWORD);
    await page.getByTestId('onboard-submit').click();
    await page.getByTestId('account-io').waitFor({ timeout: 30_000 });
    const words = await confirmBackup(page);

    await page.reload();
    await page.getByTestId('unlock').waitFor({ timeout: 30_000 });
    await page.getByTestId('unlock-password').fill(WRONG);
    await page.getByTestId('unlock-submit').click();

    const notice = page.getByTestId('unlock-error');
    await expect(notice.getAttribute('data-code', { timeout: 30_000 })).resolves.toBe('wallet.wrong_password');
    await expect(notice.locator('[data-part="message"]').textContent()).resolves.toBe('That password does not unlock this wallet.');
    await expect(notice.locator('[data-part="hint"]').textContent()).resolves.toBe('Check the password (it is case-sensitive) and try again.');

    await page.getByTestId('unlock-error-copy').click();
    const shown = (await page.getByTestId('unlock-error-report').textContent({ timeout: 10_000 }))!;
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(shown);
    expect(copied).toContain('code: wallet.wrong_password');
    expect(copied).toContain('fix: Check the password');
    expect(copied).toContain('screen: wallet/unlock');
    expect(copied).toMatch(/network: \w+/);
    expect(copied).toMatch(/app version: \S+/);
    // Nothing secret went along: neither password nor the recovery phrase.
    expect(copied).not.toContain(WRONG);
    expect(copied).not.toContain(PASSWORD);
    expect(copied).not.toContain(words.join(' '));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an input refusal on Settings: a mistyped address', async () => {
    const context = await newAppContext(browser);
    const page = await context.newPage();
    await page.goto(`${appUrl}#/settings`);
    const input = page.getByLabel('Paste an io1… or 0x… address');
    await input.fill('io17w0adeg64ky0daxwd2ugyuneellmjgnxa07fhq');
    const notice = page.getByTestId('address-error');
    await expect(notice.getAttribute('data-code', { timeout: 30_000 })).resolves.toBe('address.bad_bech32_checksum');
    await expect(notice.locator('[data-part="hint"]').textContent()).resolves.toContain('io1');
    await page.getByTestId('address-error-copy').click();
    await expect(page.getByTestId('address-error-report').textContent({ timeout: 10_000 })).resolves.toContain('code: address.bad_bech32_checksum');
    await context.close();
  });
});
