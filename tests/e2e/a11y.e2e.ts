/**
 * Accessibility: axe-core on every screen a user can reach, at a phone's size and at a desktop's,
 * against the built app and the real stack. A serious or critical violation fails the screen with
 * the rule, the elements and axe's advice; moderate ones are printed, not failed.
 *
 * Screens are opened through the app as a person would (tabs, forms, the simulated device on a
 * Web-Serial-shaped port); each check runs on what is rendered at that moment, so a state that is
 * not opened here is not checked.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, newAppContext, waitForServiceWorker } from './harness/browser.js';
import { confirmBackup, openWalletScreen, textMatching } from './support/appFlows.js';
import { describeFinding, runAxe } from './support/axe.js';
import { installFakeSerial } from './support/fakeSerial.js';
import { simInPreviousEpoch } from './support/simEpoch.js';

const appUrl = inject('appUrl');
const PASSWORD = 'e2e a11y password';
// DEV ONLY test key for the simulated device.
const DEVICE_KEY = `0x${'a7'.repeat(32)}` as Hex;
const SW_PATH = 'dist/sw.js';

const VIEWPORTS = [
  { name: 'phone 390×844', size: { width: 390, height: 844 } },
  { name: 'desktop 1280×800', size: { width: 1280, height: 800 } },
] as const;
type Viewport = (typeof VIEWPORTS)[number];

let browser: Browser;
let originalSw: string;
beforeAll(async () => {
  browser = await launchChromium();
  originalSw = readFileSync(SW_PATH, 'utf8');
});
afterAll(async () => {
  writeFileSync(SW_PATH, originalSw);
  await browser?.close();
});

async function openContext(viewport: Viewport): Promise<BrowserContext> {
  const context = await newAppContext(browser);
  const page = await context.newPage();
  await page.setViewportSize(viewport.size);
  return context;
}

/**
 * Runs axe on the page as it is and records the screen as checked. Soft assertions: one run names
 * every screen that fails, not just the first.
 */
async function checkScreen(page: Page, viewport: Viewport, screen: string): Promise<void> {
  // Svelte's transitions and lazy chunks settle within a frame or two; axe reads computed colours.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  const report = await runAxe(page);
  const where = `${screen} at ${viewport.name}`;
  console.info(`axe: ${where}: ${report.blocking.length} serious/critical, ${report.moderate.length} moderate, ${report.minor.length} minor`);
  for (const finding of report.moderate) console.info(`  moderate on ${where}: ${describeFinding(finding)}`);
  if (report.needsReview.length > 0) console.info(`  axe could not decide on ${where}: ${report.needsReview.join(', ')}`);
  expect.soft(report.blocking.map(describeFinding), `serious/critical axe violations on ${where}`).toEqual([]);
}

const goTo = async (page: Page, section: string) => {
  await page.getByTestId(`nav-${section}`).click();
  await page.locator(`main[data-section="${section}"]`).waitFor();
};

describe.each(VIEWPORTS)('axe-core at $name', (viewport) => {
  it('first run, before any wallet: every section, the wallet onboarding tabs, the address converter and the offline banner', async () => {
    const context = await openContext(viewport);
    const page = context.pages()[0]!;
    await page.goto(`${appUrl}#/devices`);
    await page.getByTestId('outbox').waitFor();
    await checkScreen(page, viewport, 'Devices (no device, empty outbox)');

    await goTo(page, 'staking');
    await page.getByTestId('exposure').waitFor();
    await checkScreen(page, viewport, 'Staking');

    await goTo(page, 'rewards');
    await checkScreen(page, viewport, 'Rewards');

    await goTo(page, 'settings');
    await textMatching(page.getByTestId('block-number'), /^\d+$/, 20_000);
    await checkScreen(page, viewport, 'Settings');
    await page.getByLabel('Paste an io1… or 0x… address').fill('io17w0adeg64ky0daxwd2ugyuneellmjgnxa07fhq');
    await page.getByTestId('address-error').waitFor();
    await checkScreen(page, viewport, 'Settings, address converter error');

    await goTo(page, 'wallet');
    await page.getByTestId('onboard').waitFor({ timeout: 30_000 });
    await checkScreen(page, viewport, 'Wallet onboarding: create');
    for (const [tab, name] of [['mnemonic', 'recovery phrase'], ['privateKey', 'private key'], ['keystore', 'keystore file']] as const) {
      await page.getByTestId(`onboard-${tab}`).click();
      await checkScreen(page, viewport, `Wallet onboarding: import by ${name}`);
    }
    await page.getByTestId('onboard-create').click();
    await page.getByTestId('new-password').fill('short');
    await page.getByTestId('new-password-repeat').fill('other');
    await page.getByTestId('onboard-submit').click();
    await page.getByTestId('onboard-error').waitFor();
    await checkScreen(page, viewport, 'Wallet onboarding: error');

    await waitForServiceWorker(page);
    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('offline-banner').waitFor({ timeout: 10_000 });
    await checkScreen(page, viewport, 'Offline banner');
    await context.close();
  });

  it('with a wallet: backup, wallet home, the send confirmation dialog, the other sections, and the locked wallet', async () => {
    const context = await openContext(viewport);
    const page = context.pages()[0]!;
    await page.goto(`${appUrl}#/wallet`);
    await page.getByTestId('new-password').fill(PASSWORD);
    await page.getByTestId('new-password-repeat').fill(PASSWORD);
    await page.getByTestId('onboard-submit').click();
    await page.getByTestId('backup').waitFor({ timeout: 30_000 });
    await checkScreen(page, viewport, 'Wallet backup (recovery phrase and confirmation)');

    await confirmBackup(page);
    await page.getByTestId('account').waitFor();
    await checkScreen(page, viewport, 'Wallet home (backed up, empty history)');

    await page.getByTestId('faucet').click();
    await page.locator('[data-testid="balance"]', { hasText: /^10$/ }).waitFor({ timeout: 30_000 });
    await openWalletScreen(page, 'receive');
    await page.getByTestId('receive-qr').locator('svg').waitFor({ timeout: 30_000 });
    await checkScreen(page, viewport, 'Wallet receive');
    await openWalletScreen(page, 'wallets');
    await checkScreen(page, viewport, 'Wallet: other wallets');
    await openWalletScreen(page, 'send');
    await page.getByTestId('send-to').fill('io17w0adeg64ky0daxwd2ugyuneellmjgnxa07fhq');
    await page.getByTestId('send-amount').fill('1');
    await page.getByTestId('send-submit').click();
    await page.getByTestId('send-error').waitFor();
    await checkScreen(page, viewport, 'Wallet send error');

    // Hardhat dev account #0 by its io1 address.
    await page.getByTestId('send-to').fill('io17w0adeg64ky0daxwd2ugyuneellmjgnxa07fhr');
    await page.getByTestId('send-submit').click();
    await page.locator('[data-testid="confirm-simulation"]', { hasText: 'will succeed' }).waitFor({ timeout: 30_000 });
    await checkScreen(page, viewport, 'Confirmation dialog (send)');
    await page.getByTestId('confirm-approve').click();
    await page.getByTestId('send-result').waitFor({ timeout: 30_000 });
    await checkScreen(page, viewport, 'Wallet send: sent');
    await page.getByTestId('send-result-history').click();
    await page.locator('[data-testid="history-item"][data-direction="out"][data-status="confirmed"]').waitFor({ timeout: 60_000 });
    await checkScreen(page, viewport, 'Wallet history');

    await openWalletScreen(page, 'security');

    await page.getByTestId('security-action').selectOption('keystore');
    await checkScreen(page, viewport, 'Wallet security: export keystore form');
    await page.getByTestId('security-action').selectOption('phrase');
    await page.getByTestId('security-password').fill(PASSWORD);
    await page.getByTestId('security-submit').click();
    await page.getByTestId('security-output').waitFor({ timeout: 30_000 });
    await checkScreen(page, viewport, 'Wallet security: recovery phrase shown');

    for (const section of ['devices', 'staking', 'rewards', 'settings'] as const) {
      await goTo(page, section);
      await checkScreen(page, viewport, `${section[0]!.toUpperCase()}${section.slice(1)} (with a wallet)`);
    }

    await page.reload();
    await goTo(page, 'wallet');
    await page.getByTestId('unlock').waitFor({ timeout: 30_000 });
    await checkScreen(page, viewport, 'Wallet locked');
    await page.getByTestId('unlock-password').fill('not the password');
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('unlock-error').waitFor({ timeout: 30_000 });
    await checkScreen(page, viewport, 'Wallet unlock error');
    await context.close();
  });

  it('Devices: a browser without device APIs, and a paired simulated device with readings and the proof panel', async () => {
    const bare = await openContext(viewport);
    await bare.addInitScript(() => {
      // As on iOS: neither Web Bluetooth nor Web Serial.
      delete (Navigator.prototype as unknown as Record<string, unknown>).bluetooth;
      delete (Navigator.prototype as unknown as Record<string, unknown>).serial;
    });
    const barePage = bare.pages()[0]!;
    await barePage.goto(`${appUrl}#/devices`);
    await barePage.getByTestId('no-device-api').waitFor();
    await checkScreen(barePage, viewport, 'Devices (browser without device APIs)');
    await bare.close();

    const context = await openContext(viewport);
    // Readings in the previous relay epoch: a closed epoch is what the app offers to prove.
    const device = simInPreviousEpoch('a11y-sim', DEVICE_KEY);
    await installFakeSerial(context, device);
    const page = context.pages()[0]!;
    await page.goto(`${appUrl}#/devices`);
    await page.getByTestId('connect-serial').click();
    await page.getByTestId('authenticity').filter({ hasText: 'Genuine' }).waitFor({ timeout: 30_000 });
    await checkScreen(page, viewport, 'Devices (paired, genuine, Wi-Fi and reset)');
    await page.getByTestId('reset-start').click();
    await page.getByTestId('reset-confirm').waitFor();
    await checkScreen(page, viewport, 'Devices (factory reset, asking to confirm)');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('pull-readings').click();
    await page.getByTestId('sync-result').waitFor({ timeout: 60_000 });
    await checkScreen(page, viewport, 'Devices (readings pulled)');
    await page.getByTestId('prove-device-batch').click();
    await page.getByTestId('zk-prove').waitFor({ timeout: 30_000 });
    await checkScreen(page, viewport, 'Devices (proof panel, not yet proved)');
    await context.close();
  });

  it('the update banner', async () => {
    const context = await openContext(viewport);
    const page = context.pages()[0]!;
    await page.goto(`${appUrl}#/devices`);
    await waitForServiceWorker(page);
    await page.reload();
    // Any byte change to sw.js is a new version to the browser (as in pwa-update.e2e.ts).
    writeFileSync(SW_PATH, `${originalSw}\n// e2e a11y: a newer build\n`);
    try {
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
      await page.getByTestId('update-banner').waitFor({ timeout: 20_000 });
      await checkScreen(page, viewport, 'Update banner');
    } finally {
      writeFileSync(SW_PATH, originalSw);
    }
    await context.close();
  });
});
