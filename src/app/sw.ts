/// <reference lib="webworker" />
/**
 * Outpost's service worker (built by vite-plugin-pwa in injectManifest mode):
 * - precaches the app shell and serves index.html for navigations, so the app starts offline;
 * - keeps the running stack's /devnet.json fresh when online and the last copy when offline;
 * - waits for the page to ask before taking over (the page holds the request back while a
 *   signature or pairing is in progress, src/app/state/pwa.svelte.ts);
 * - on Background Sync, sends the outbox's queued batches to their relay, with no page open;
 * - on Periodic Background Sync, checks reminders from the saved facts (no network needed) and
 *   shows what is newly due; a click on a reminder opens the app at its screen (docs/reminders.md).
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { drainOutbox, OUTBOX_SYNC_TAG } from '../browser/outbox/outbox.js';
import { checkReminders, REMINDERS_SYNC_TAG, setBadge } from '../browser/reminders/reminders.js';

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

self.addEventListener('periodicsync', (event) => {
  const sync = event as SyncEvent;
  if (sync.tag !== REMINDERS_SYNC_TAG) return;
  sync.waitUntil(
    checkReminders(Math.floor(Date.now() / 1000), { registration: self.registration }).then((due) => setBadge(due.length)),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const hash = (event.notification.data as { url?: unknown } | null)?.url;
  // Only the app's own hash routes: a notification never opens another site.
  const target = new URL(`/${typeof hash === 'string' && hash.startsWith('#/') ? hash : ''}`, self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (open) {
        await open.focus();
        await open.navigate(target).catch(() => undefined);
        return;
      }
      await self.clients.openWindow(target);
    })(),
  );
});
