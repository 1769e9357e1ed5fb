/// <reference lib="webworker" />
/**
 * Outpost's service worker (built by vite-plugin-pwa in injectManifest mode):
 * - precaches the app shell and serves index.html for navigations, so the app starts offline;
 * - keeps the running stack's /devnet.json fresh when online and the last copy when offline;
 * - waits for the page to ask before taking over (the page holds the request back while a
 *   signature or pairing is in progress, src/app/state/pwa.svelte.ts);
 * - on Background Sync, sends the outbox's queued batches to their relay, with no page open.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { drainOutbox, OUTBOX_SYNC_TAG } from '../browser/outbox/outbox.js';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Parameters<typeof precacheAndRoute>[0] };

/** A Background Sync event (not in TypeScript's webworker lib). */
type SyncEvent = ExtendableEvent & { readonly tag: string; readonly lastChance: boolean };

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/devnet\.json$/, /^\/api\//] }));
registerRoute(({ url }) => url.origin === self.location.origin && url.pathname === '/devnet.json', new NetworkFirst({ cacheName: 'outpost-devnet-config', networkTimeoutSeconds: 3 }));

self.addEventListener('sync', (event) => {
  const sync = event as SyncEvent;
  if (sync.tag !== OUTBOX_SYNC_TAG) return;
  // A rejection tells the browser to fire the sync again later; the batches stay queued meanwhile.
  sync.waitUntil(drainOutbox().then(() => undefined));
});
