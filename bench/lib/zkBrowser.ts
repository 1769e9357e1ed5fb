/**
 * Builds bench/zk-browser (a page around the app's real prover worker) with Vite, serves it and
 * the committed artifacts (public/) on 127.0.0.1, and opens it in headless Chromium.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.map': 'application/json' };

export type ZkBrowser = { page: Page; browser: Browser; url: string; zkRequests: () => number; close: () => Promise<void> };

export async function openZkBrowser(): Promise<ZkBrowser> {
  const outDir = mkdtempSync(join(tmpdir(), 'outpost-zk-browser-'));
  await build({
    root: resolve('bench/zk-browser'),
    configFile: false,
    plugins: [svelte({ compilerOptions: { css: 'injected' } })],
    logLevel: 'warn',
    publicDir: resolve('public'),
    build: { outDir, emptyOutDir: true, target: 'es2022' },
    worker: { format: 'es' },
  });
  let zkRequests = 0;
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    if (path.startsWith('/zk/')) zkRequests++;
    const file = normalize(join(outDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(outDir) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    // From memory in one write, as a static host or CDN serves: the first-proof figure should
    // measure the app, not a file stream in this test process.
    const body = readFileSync(file);
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': body.byteLength });
    response.end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const url = `http://localhost:${typeof address === 'object' && address ? address.port : 0}/`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error));
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
  return {
    page,
    browser,
    url,
    zkRequests: () => zkRequests,
    async close() {
      await browser.close();
      await new Promise<void>((done) => server.close(() => done()));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
