import { readFileSync, writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, newAppContext, trackPageErrors, waitForServiceWorker } from './harness/browser.js';
import { expectScreenOk } from './support/screenChecks.js';

const appUrl = inject('appUrl');
const SW_PATH = 'dist/sw.js';
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

describe('new version of the app', () => {
  it('waits for the user instead of swapping code underneath, then updates on request', async () => {
    const context = await newAppContext(browser);
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await page.goto(appUrl);
    await waitForServiceWorker(page);
    await page.reload(); // now controlled by the service worker
    const controllerBefore = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null);
    expect(controllerBefore).toMatch(/\/sw\.js$/);
    await expect(page.getByTestId('update-banner').count()).resolves.toBe(0);

    // Deploy a "new version": any byte change to sw.js makes the browser install it.
    writeFileSync(SW_PATH, `${originalSw}\n// e2e: a newer build\n`);
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration?.update();
    });

    await page.getByTestId('update-banner').waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('update-banner').textContent()).resolves.toContain('A new version of Outpost is ready');
    // The new worker waits: nothing took over by itself.
    const waiting = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return { waiting: Boolean(registration?.waiting), controller: navigator.serviceWorker.controller?.scriptURL ?? null };
    });
    expect(waiting.waiting).toBe(true);
    expect(waiting.controller).toBe(controllerBefore);

    // The user agrees: the page reloads under the new worker.
    const reloaded = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Reload to update' }).click();
    await reloaded;
    await page.getByTestId('nav-devices').waitFor();
    const after = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return { waiting: Boolean(registration?.waiting), active: registration?.active?.state ?? null };
    });
    expect(after).toEqual({ waiting: false, active: 'activated' });
    await expect(page.getByTestId('update-banner').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await expectScreenOk(page, 'the last screen of "waits for the user instead of swapping code underneath, then update…"');
    await context.close();
  });
});
