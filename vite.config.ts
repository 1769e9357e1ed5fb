import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vite';
import { devnetConfigPlugin } from './scripts/stack/devnetConfigPlugin.js';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

function shortCommit(): string {
  if (process.env.OUTPOST_COMMIT) return process.env.OUTPOST_COMMIT;
  try {
    return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
}

export default defineConfig({
  define: {
    __OUTPOST_COMMIT__: JSON.stringify(shortCommit()),
    __OUTPOST_BUILT_AT__: JSON.stringify(new Date().toISOString()),
    __OUTPOST_VERSION__: JSON.stringify(pkg.version),
  },
  plugins: [
    svelte(),
    devnetConfigPlugin(resolve(process.env.OUTPOST_DEVNET_CONFIG ?? '.outpost/devnet.json')),
    VitePWA({
      // 'prompt': a waiting service worker never takes over by itself; the app asks the user,
      // and only when no signature or pairing is in progress (src/app/state/pwa.svelte.ts).
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icons/icon.svg'],
      manifest: {
        name: 'Outpost — IoTeX devices & staking',
        short_name: 'Outpost',
        description: 'Pair devices, mint ioIDs, stake IOTX and claim rewards on IoTeX.',
        theme_color: '#0f172a',
        background_color: '#0f172a',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      // Our own service worker (src/app/sw.ts) so Background Sync can send the outbox;
      // Workbox still precaches the build it is given here.
      strategies: 'injectManifest',
      srcDir: 'src/app',
      filename: 'sw.ts',
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
      },
      devOptions: { enabled: false },
    }),
  ],
  build: {
    target: 'es2022',
    sourcemap: true,
    // dist/.vite/manifest.json: the chunk graph the bundle budget (bench/bundle) is measured on.
    manifest: true,
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', strictPort: false },
  preview: { host: '127.0.0.1', strictPort: false },
});
