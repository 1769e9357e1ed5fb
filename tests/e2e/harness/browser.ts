import type { Browser, BrowserContext, Page } from 'playwright-core';

export { CHROMIUM_PATH, launchChromium } from '../../../scripts/lib/chromium.js';

/** Collects uncaught page errors so a test can assert the app ran clean. */
export function trackPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Waits until a service worker controls the page (registered, activated and claimed). */
export async function waitForServiceWorker(page: Page, timeoutMs = 30_000): Promise<string> {
  return page.evaluate(async (timeout) => {
    const ready = await Promise.race([
      navigator.serviceWorker.ready,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no service worker became ready')), timeout)),
    ]);
    return ready.active?.scriptURL ?? '';
  }, timeoutMs);
}

export async function newAppContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: 'allow' });
}
