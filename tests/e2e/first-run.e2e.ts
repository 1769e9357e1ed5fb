/**
 * Issue 14's first run: a new user lands on Devices and is told where to start (a wallet, or a
 * device). The card must go when a wallet exists, in the same session and after a reload.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, newAppContext, trackPageErrors } from './harness/browser.js';
import { createWallet } from './support/appFlows.js';
import { expectScreenOk } from './support/screenChecks.js';

const appUrl = inject('appUrl');
const PASSWORD = 'e2e first run password';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Devices, settled: the connect card is there and the lazy first-run card had its chance to load and read storage. */
async function openDevices(page: Page): Promise<void> {
  await page.getByTestId('nav-devices').click();
  await page.getByTestId('connect-card').waitFor();
  await page.waitForLoadState('networkidle');
}

describe('first run', () => {
  it('first run shows the start card, and it goes away once a wallet exists', async () => {
    const context = await newAppContext(browser);
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await page.goto(`${appUrl}#/devices`);
    const card = page.getByTestId('first-run');
    await card.waitFor();
    await expect(card.getByRole('heading').textContent()).resolves.toBe('Where to start');
    await expect(page.getByTestId('first-run-wallet').textContent()).resolves.toBe('Create a wallet');
    await expect(page.getByTestId('first-run-pair').textContent()).resolves.toBe('Pair a device');
    // One line each on why.
    await expect(card.locator('p').count()).resolves.toBe(2);
    await expectScreenOk(page, 'Devices, first run');

    await page.getByTestId('first-run-wallet').click();
    await page.locator('main[data-section="wallet"]').waitFor();
    await page.getByTestId('onboard').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).hash).toBe('#/wallet');
    await createWallet(page, PASSWORD);

    // Same session: the wallet session knows, no reload needed.
    await openDevices(page);
    await expect(card.count()).resolves.toBe(0);
    await expectScreenOk(page, 'Devices with a wallet');

    // After a reload the wallet is locked and its code not loaded: the stored vault alone hides the card.
    await page.reload();
    await page.getByTestId('connect-card').waitFor();
    await page.waitForLoadState('networkidle');
    await expect(card.count()).resolves.toBe(0);
    await expectScreenOk(page, 'Devices with a wallet, after a reload');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('"Pair a device" leads to the connect card', async () => {
    const context = await newAppContext(browser);
    const page = await context.newPage();
    await page.goto(`${appUrl}#/devices`);
    await page.getByTestId('outbox').waitFor();
    // Scrolled to the bottom (the outbox, ioID), the connect card is out of view until the button brings it back.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.getByTestId('first-run-pair').click();
    await page.waitForFunction(() => document.activeElement?.closest('#connect-device') !== null);
    // Chromium here has Web Bluetooth, so the first way to connect is the Bluetooth button.
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe('connect-ble');
    await page.waitForFunction(() => {
      const box = document.getElementById('connect-device')!.getBoundingClientRect();
      // Scrolled to the card's top lands within a pixel of 0 (layout works in fractions of a pixel).
      return box.top > -1 && box.top < window.innerHeight;
    });
    await expectScreenOk(page, 'Devices, after "Pair a device"');
    await context.close();
  });
});
