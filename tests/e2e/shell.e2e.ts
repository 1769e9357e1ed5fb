import { execSync } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, newAppContext, trackPageErrors, waitForServiceWorker } from './harness/browser.js';
import { textMatching } from './support/appFlows.js';
import { expectScreenOk } from './support/screenChecks.js';

const appUrl = inject('appUrl');
const rpcUrl = inject('rpcUrl');

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('PWA shell against the running stack', () => {
  it('shows the status of the RPC selected now, not a late answer from the one left behind (issue 14, bug 2)', async () => {
    const context = await newAppContext(browser);
    // Mainnet's RPC fails, but only after 4 s: by then the user has switched back to the devnet.
    await context.route('https://babel-api.mainnet.iotex.io/**', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      await route.abort('connectionrefused');
    });
    const page = await context.newPage();
    await page.goto(`${appUrl}#/settings`);
    await textMatching(page.getByTestId('block-number'), /^\d+$/, 20_000);
    await page.getByTestId('network-select').selectOption('mainnet');
    await textMatching(page.getByTestId('network-status'), 'Checking the RPC', 5_000);
    await page.getByTestId('network-select').selectOption('devnet');
    await textMatching(page.getByTestId('block-number'), /^\d+$/, 20_000);
    // Let mainnet's failure arrive (and a little more): the devnet's status stays on screen.
    await page.waitForTimeout(5_000);
    expect(await page.getByTestId('network-error').count()).toBe(0);
    await expect(page.getByTestId('network-status').textContent()).resolves.toMatch(/Reachable · block \d+/);
    await expectScreenOk(page, 'the last screen of "shows the status of the RPC selected now, not a late answer from th…"');
    await context.close();
  });

  it('loads, registers its service worker, and starts again with the network offline', async () => {
    const context = await newAppContext(browser);
    const page = await context.newPage();
    const errors = trackPageErrors(page);

    await page.goto(appUrl);
    await expect(page.getByRole('navigation', { name: 'Sections' }).textContent()).resolves.toContain('Staking');
    const swUrl = await waitForServiceWorker(page);
    expect(swUrl).toMatch(/\/sw\.js$/);

    // The manifest is linked and names the app.
    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(manifestHref).toBeTruthy();
    const manifest = (await (await page.request.get(new URL(manifestHref!, appUrl).href)).json()) as { short_name: string; icons: unknown[] };
    expect(manifest.short_name).toBe('Outpost');
    expect(manifest.icons.length).toBeGreaterThanOrEqual(2);

    // Settings shows the live devnet: a block number read from the real Hardhat node.
    await page.goto(`${appUrl}#/settings`);
    await textMatching(page.getByTestId('block-number'), /^\d+$/, 20_000);
    await expect(page.getByTestId('rpc-url').textContent()).resolves.toBe(rpcUrl);

    // Next visit with no network at all: the shell comes from the service worker's precache.
    await context.setOffline(true);
    await page.reload();
    await textMatching(page.getByTestId('offline-banner'), 'You are offline', 10_000);
    await expect(page.getByTestId('nav-wallet').textContent()).resolves.toContain('Wallet');
    // The devnet config is still known from the last visit, and the RPC failure is named, not a spinner.
    await textMatching(page.getByTestId('network-error'), 'does not answer', 20_000);

    expect(errors).toEqual([]);
    await expectScreenOk(page, 'the last screen of "loads, registers its service worker, and starts again with the netw…"');
    await context.close();
  });

  it('shows the build commit in Settings → About', async () => {
    const context = await newAppContext(browser);
    const page = await context.newPage();
    await page.goto(`${appUrl}#/settings`);
    // npm test builds the app from this checkout just before the e2e run.
    const head = execSync('git rev-parse --short HEAD').toString().trim();
    await expect(page.getByTestId('build-commit').textContent()).resolves.toBe(head);
    await expectScreenOk(page, 'the last screen of "shows the build commit in Settings → About"');
    await context.close();
  });

  it('converts and rejects addresses in the converter', async () => {
    const context = await newAppContext(browser);
    const page = await context.newPage();
    await page.goto(`${appUrl}#/settings`);
    const input = page.getByLabel('Paste an io1… or 0x… address');
    // Hardhat dev account #0; its io1 form computed with the BIP-173 reference implementation.
    await input.fill('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    await expect(page.getByTestId('converted-io').textContent()).resolves.toBe('io17w0adeg64ky0daxwd2ugyuneellmjgnxa07fhr');
    // The same with its last character mistyped.
    await input.fill('io17w0adeg64ky0daxwd2ugyuneellmjgnxa07fhq');
    await expect(page.getByTestId('address-error').textContent()).resolves.toContain('bad checksum');
    await expectScreenOk(page, 'the last screen of "converts and rejects addresses in the converter"');
    await context.close();
  });
});
