import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, quiet on a closed network, with Web Bluetooth switched on (Linux
 * needs the feature flag for navigator.bluetooth to exist). Shared by the e2e harness and
 * `npm run screenshots`. See ../shared/notes/toolchain.md.
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
