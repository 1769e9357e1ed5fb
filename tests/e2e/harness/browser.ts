import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, quiet on a closed network, with Web Bluetooth switched on (Linux
 * needs the feature flag for navigator.bluetooth to exist). See ../shared/notes/toolchain.md.
 * `extraArgs` come after these defaults (e.g. the fake camera flags of wallet-scan.e2e.ts).
 */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--enable-features=WebBluetooth',
      ...extraArgs,
    ],
  });
}

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
