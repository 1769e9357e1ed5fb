import type { Browser } from 'playwright-core';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FIRST_SCREEN_BUDGET_BYTES, measureBundle } from '../../scripts/bundle/firstScreen.js';
import { launchChromium, newAppContext } from './harness/browser.js';

const appUrl = inject('appUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('first-screen bundle budget', () => {
  it('keeps the JavaScript of the first screen within 150 KB gzipped', () => {
    const report = measureBundle('dist');
    expect(report.firstScreen.length).toBeGreaterThan(0);
    expect(report.firstScreenGzipBytes).toBeLessThanOrEqual(FIRST_SCREEN_BUDGET_BYTES);
  });

  it('loads no chain, prover or WalletConnect code until a screen asks for it', async () => {
    const report = measureBundle('dist');
    // Modules that must stay out of the first screen; the chain client exists today, so this can fail.
    // Rollup may emit src/core/rpc.ts as a shared chunk (manifest key `_rpc-….js`), so match it by chunk name too.
    const isChainClient = (chunk: { source: string; name: string }): boolean => chunk.source === 'src/core/rpc.ts' || chunk.name === 'rpc';
    const heavy = report.lazy.filter((chunk) => isChainClient(chunk) || /snarkjs|walletconnect|@wagmi/i.test(chunk.source));
    const rpcChunk = heavy.find(isChainClient);
    expect(rpcChunk, 'the chain client (src/core/rpc.ts) is not a lazy chunk').toBeDefined();
    // The chain client carries viem's public client: a chunk this size cannot be a stray re-export.
    expect(rpcChunk!.gzipBytes).toBeGreaterThan(20 * 1024);

    const context = await newAppContext(browser);
    const page = await context.newPage();
    const fetched: { url: string; gzip: number }[] = [];
    page.on('response', async (response) => {
      if (response.request().resourceType() !== 'script') return;
      const body = await response.body().catch(() => Buffer.alloc(0));
      fetched.push({ url: response.url(), gzip: gzipSync(body).length });
    });
    await page.goto(appUrl);
    await page.getByTestId('nav-devices').waitFor();
    await page.waitForLoadState('networkidle');
    expect(fetched.length).toBeGreaterThan(0);
    // What a real browser fetched for the first screen fits the same budget…
    expect(fetched.reduce((sum, script) => sum + script.gzip, 0)).toBeLessThanOrEqual(FIRST_SCREEN_BUDGET_BYTES);
    // …and none of the heavy chunks was among it.
    const fetchedPaths = fetched.map((script) => new URL(script.url).pathname.slice(1));
    for (const chunk of heavy) expect(fetchedPaths, `${chunk.source} loaded on the first screen`).not.toContain(chunk.file);

    // Opening Staking does load the chain client (its exposure figures): the split works both
    // ways. The header's reachability probe is plain fetch (src/core/rpcProbe.ts), so it loads none.
    await page.getByTestId('nav-staking').click();
    await page.getByTestId('exposure-window').waitFor({ timeout: 20_000 });
    expect(fetched.map((script) => new URL(script.url).pathname.slice(1))).toContain(rpcChunk!.file);
    await context.close();
  });
});
