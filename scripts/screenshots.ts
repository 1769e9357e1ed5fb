/**
 * `npm run screenshots`: pictures of the main screens at a phone's size (390×844) and a desktop's
 * (1280×800), so anyone can look at the app without running it. Starts the same stack as the e2e
 * harness (chain with our contracts, relay, the built app served by `vite preview`, on free ports),
 * walks the app as a new user would (first run, create a wallet, each wallet screen, the other
 * sections) and waits for each screen's content, never for a fixed time. Writes PNGs into
 * screenshots/ (not committed) and prints where they went.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './lib/chromium.js';
import { startStack } from './stack/stack.js';

const OUT_DIR = resolve('screenshots');
const WORK_DIR = resolve('.outpost/screenshots');
// DEV ONLY: the password of a throwaway wallet in a throwaway browser profile.
const PASSWORD = 'screenshots only password';

const VIEWPORTS = [
  { name: 'phone', size: { width: 390, height: 844 } },
  { name: 'desktop', size: { width: 1280, height: 800 } },
] as const;

/** How long one screen may take to show its content (the first wallet screen loads wagmi and viem). */
const CONTENT_TIMEOUT_MS = 30_000;

async function ensureBuilt(): Promise<void> {
  if (existsSync('dist/index.html') && existsSync('dist/sw.js')) {
    console.log(`Using the built app in dist/ (built ${statSync('dist/index.html').mtime.toISOString()}); run \`npx vite build\` first to picture newer code.`);
    return;
  }
  console.log('dist/ has no built app: building it first (vite build)…');
  const { build } = await import('vite');
  await build({ logLevel: 'warn' });
}

/** Lets lazy chunks and the chain reads they start settle; the app polls the chain, so "idle" may never come. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
}

class Shooter {
  readonly files: string[] = [];
  private index = 0;

  constructor(
    private readonly page: Page,
    private readonly dir: string,
  ) {}

  async shoot(name: string): Promise<void> {
    await settle(this.page);
    const file = join(this.dir, `${String(++this.index).padStart(2, '0')}-${name}.png`);
    // The whole page, with the tab bar (sticky to the screen's bottom) at the page's bottom: the
    // window grows to the page's height for the shot instead of stitching one screen's worth.
    const screen = this.page.viewportSize()!;
    const page = await this.page.locator('html').boundingBox();
    await this.page.setViewportSize({ width: screen.width, height: Math.max(screen.height, Math.ceil(page?.height ?? 0)) });
    await this.page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
    await this.page.setViewportSize(screen);
    this.files.push(file);
  }
}

/** Goes to a route and waits until one of `contents` (test ids) shows. */
async function open(page: Page, hash: string, ...contents: string[]): Promise<void> {
  // Same document, new hash: the app's router follows, as with a tapped link.
  await page.goto(new URL(hash, page.url()).href);
  const shown = contents.map((id) => page.getByTestId(id)).reduce((any, next) => any.or(next));
  await shown.first().waitFor({ timeout: CONTENT_TIMEOUT_MS });
}

/** Creates the embedded wallet as a new user does, and confirms its backup by typing back the words asked for. */
async function createWallet(page: Page): Promise<void> {
  await page.getByTestId('new-password').fill(PASSWORD);
  await page.getByTestId('new-password-repeat').fill(PASSWORD);
  await page.getByTestId('onboard-submit').click();
  await page.getByTestId('account-io').first().waitFor({ timeout: CONTENT_TIMEOUT_MS });
}

async function confirmBackup(page: Page): Promise<void> {
  const words = await page.getByTestId('backup-phrase').locator('code').allTextContents();
  for (const i of [0, 1]) {
    const input = page.getByTestId(`backup-word-${i}`);
    await input.fill(words[Number(await input.getAttribute('data-position')) - 1] ?? '');
  }
  await page.getByTestId('backup-confirm').click();
  await page.getByTestId('backup').waitFor({ state: 'detached' });
}

/** Stakes 2 IOTX for 7 days through the Stake screen (the wallet has the devnet faucet's 10 IOTX), with its confirmation pictured. */
async function stakeOnce(page: Page, shots: Shooter): Promise<void> {
  await open(page, '#/staking/stake', 'stake-form');
  await page.getByTestId('stake-amount').fill('2');
  await page.getByTestId('stake-days').fill('7');
  await page.getByTestId('stake-delegate-option').first().check({ timeout: CONTENT_TIMEOUT_MS });
  await page.getByTestId('stake-unlocked').check();
  await shots.shoot('staking-stake');
  await page.getByTestId('stake-submit').click();
  for (let step = 0; step < 2; step++) {
    const dialog = page.locator('[data-testid="confirm"][data-kind="job-step"]');
    await dialog.getByTestId('confirm-simulation').filter({ hasText: /Will succeed/ }).waitFor({ timeout: CONTENT_TIMEOUT_MS });
    if (step === 0) await shots.shoot('staking-confirm-step');
    await dialog.getByTestId('confirm-approve').click();
    await dialog.waitFor({ state: 'detached' });
  }
  await page.locator('[data-testid="job"][data-status="done"]').first().waitFor({ timeout: CONTENT_TIMEOUT_MS });
  await shots.shoot('staking-job-done');
}

async function shootViewport(browser: Browser, appUrl: string, viewport: (typeof VIEWPORTS)[number]): Promise<string[]> {
  const dir = join(OUT_DIR, viewport.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // A fresh profile per size: each starts as a first run. No service worker: nothing to update mid-run.
  const context = await browser.newContext({ viewport: viewport.size, serviceWorkers: 'block' });
  const page = await context.newPage();
  const shots = new Shooter(page, dir);

  await page.goto(`${appUrl}#/devices`);
  await page.getByTestId('first-run').waitFor({ timeout: CONTENT_TIMEOUT_MS });
  await page.getByTestId('outbox').waitFor({ timeout: CONTENT_TIMEOUT_MS });
  await shots.shoot('devices-first-run');

  await open(page, '#/wallet', 'onboard');
  await shots.shoot('wallet-onboarding');
  await createWallet(page);
  await page.getByTestId('balance').filter({ hasText: /\d/ }).waitFor({ timeout: CONTENT_TIMEOUT_MS });
  await shots.shoot('wallet-home-new');
  await confirmBackup(page);
  await page.getByTestId('faucet').click();
  await page.locator('[data-testid="balance"]', { hasText: /^10$/ }).waitFor({ timeout: CONTENT_TIMEOUT_MS });
  await shots.shoot('wallet-home');

  const walletScreens = [
    ['send', 'send-to'],
    ['receive', 'receive-qr'],
    ['history', 'history-empty', 'history'],
    ['security', 'auto-lock'],
    ['wallets', 'external-wallets'],
  ] as const;
  for (const [screen, ...contents] of walletScreens) {
    await open(page, `#/wallet/${screen}`, ...contents);
    await shots.shoot(`wallet-${screen}`);
  }

  await open(page, '#/staking', 'staking-totals');
  await shots.shoot('staking-empty');
  await stakeOnce(page, shots);
  await open(page, '#/staking', 'bucket-row');
  await shots.shoot('staking-my-buckets');
  const bucket = await page.getByTestId('bucket-row').first().getAttribute('data-bucket-id');
  await open(page, `#/staking/bucket/${bucket}`, 'bucket-title');
  await shots.shoot('staking-bucket');
  await open(page, '#/staking/restake', 'restake-form');
  await shots.shoot('staking-restake');
  await open(page, '#/staking/modules', 'module', 'modules-none');
  await shots.shoot('staking-modules');
  await page.goto(new URL('#/rewards', page.url()).href);
  await page.locator('main[data-section="rewards"] h1').waitFor({ timeout: CONTENT_TIMEOUT_MS });
  await shots.shoot('rewards');
  await open(page, '#/settings', 'block-number');
  await page.getByTestId('block-number').filter({ hasText: /^\d+$/ }).waitFor({ timeout: CONTENT_TIMEOUT_MS });
  await shots.shoot('settings');
  await open(page, '#/devices', 'connect-card');
  await shots.shoot('devices-with-wallet');

  await context.close();
  return shots.files;
}

async function main(): Promise<void> {
  await ensureBuilt();
  console.log('Starting the stack (chain, contracts, relay, app) on free ports…');
  const stack = await startStack({
    app: 'preview',
    ports: { chain: 0, app: 0, relay: 0 },
    relayDataDir: join(WORK_DIR, 'relay'),
    configPath: join(WORK_DIR, 'devnet.json'),
    echo: false,
  });
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    for (const viewport of VIEWPORTS) {
      const files = await shootViewport(browser, stack.appUrl!, viewport);
      console.log(`${viewport.name} (${viewport.size.width}×${viewport.size.height}): ${files.length} screenshots in ${join(OUT_DIR, viewport.name)}`);
      for (const file of files) console.log(`  ${file}`);
    }
  } finally {
    await browser?.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error('npm run screenshots failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
