import type { Address } from 'viem';
import {
  DEFAULT_REMINDER_SETTINGS,
  dueReminders,
  parseReminderFacts,
  parseReminderSettings,
  type Reminder,
  type ReminderFacts,
  type ReminderSettings,
} from '../../core/reminders/reminders.js';
import { openOutpostDb, storageErrorFrom } from '../storage/db.js';

/**
 * Reminders in the browser (docs/reminders.md): settings and the last facts per chain + account in
 * IndexedDB (store "reminders"), evaluated by the page and by the service worker alike; each newly
 * due reminder is shown once as a system notification when the person allowed them. Records are
 * validated on read.
 */

/** The Periodic Background Sync tag the service worker checks reminders on. */
export const REMINDERS_SYNC_TAG = 'outpost-reminders';
/** How often the browser may wake the service worker for reminders (it decides; this is the floor asked for). */
const PERIODIC_MIN_INTERVAL_MS = 6 * 3600 * 1000;
/** Other copies of this module (another tab, the service worker, a test bundle) hear of changes here. */
const CHANNEL = 'outpost-reminders';

export type ReminderScope = { account: Address; chainId: number };

const scopeOf = ({ account, chainId }: ReminderScope) => `${chainId}:${account.toLowerCase()}`;
const settingsKey = (scope: ReminderScope) => `settings:${scopeOf(scope)}`;
const factsKey = (scope: ReminderScope) => `facts:${scopeOf(scope)}`;
const notifiedKey = (scope: ReminderScope) => `notified:${scopeOf(scope)}`;

function announce(): void {
  if (typeof BroadcastChannel === 'undefined') return;
  // A channel of its own, so that listeners in this same page (the tab bar's badges after the
  // Rewards screen's report) hear it too; a channel does not hear its own messages.
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage('changed');
  channel.close();
}

/** Called when settings or facts change anywhere (this page too); returns the unsubscribe. */
export function onRemindersChanged(listener: () => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = () => listener();
  return () => channel.close();
}

/** The saved settings, or the defaults (all off) when none were saved; a damaged record throws ReminderError. */
export async function readReminderSettings(scope: ReminderScope): Promise<ReminderSettings> {
  let stored: unknown;
  try {
    stored = await (await openOutpostDb()).get('reminders', settingsKey(scope));
  } catch (error) {
    throw storageErrorFrom(error, 'read the reminder settings');
  }
  return stored === undefined ? DEFAULT_REMINDER_SETTINGS : parseReminderSettings(stored);
}

export async function writeReminderSettings(scope: ReminderScope, settings: ReminderSettings): Promise<void> {
  try {
    await (await openOutpostDb()).put('reminders', parseReminderSettings(settings), settingsKey(scope));
  } catch (error) {
    throw storageErrorFrom(error, 'save the reminder settings');
  }
  announce();
}

/** A stored facts record, or null when there is none or it is damaged (as good as none: the next save replaces it). */
function factsOrNull(stored: unknown): ReminderFacts | null {
  if (stored === undefined) return null;
  try {
    return parseReminderFacts(stored);
  } catch {
    return null;
  }
}

async function readFacts(key: string): Promise<ReminderFacts | null> {
  return factsOrNull(await (await openOutpostDb()).get('reminders', key));
}

/** The facts saved for an account on a chain; null when none (or a damaged record). */
export async function readReminderFacts(scope: ReminderScope): Promise<ReminderFacts | null> {
  try {
    return await readFacts(factsKey(scope));
  } catch (error) {
    throw storageErrorFrom(error, 'read the facts for reminders');
  }
}

/**
 * Replaces the facts under `key` with `next(previous)` in one readwrite transaction, so that a
 * gathering and the Rewards screen's report arriving together cannot overwrite each other's part.
 */
async function mergeFacts(key: string, next: (previous: ReminderFacts | null) => ReminderFacts): Promise<void> {
  const tx = (await openOutpostDb()).transaction('reminders', 'readwrite');
  const previous = factsOrNull(await tx.store.get(key));
  await Promise.all([tx.store.put(parseReminderFacts(next(previous)), key), tx.done]);
}

/**
 * Saves what the app last read for an account on a chain. The Rewards screen reports the claimable
 * amount on its own (reportClaimable): facts with `claimableWei` null keep the one saved.
 */
export async function saveReminderFacts(facts: ReminderFacts): Promise<void> {
  try {
    await mergeFacts(factsKey(facts), (previous) => ({ ...facts, claimableWei: facts.claimableWei ?? previous?.claimableWei ?? null }));
  } catch (error) {
    throw storageErrorFrom(error, 'save the facts for reminders');
  }
  announce();
}

/** The Rewards screen's claimable amount for an account on a chain, merged into the saved facts. */
export async function reportClaimable(account: Address, chainId: number, wei: bigint): Promise<void> {
  try {
    await mergeFacts(factsKey({ account, chainId }), (previous) =>
      previous ? { ...previous, claimableWei: wei } : { account, chainId, at: Math.floor(Date.now() / 1000), claimableWei: wei, withdrawableAt: [], devices: [] },
    );
  } catch (error) {
    throw storageErrorFrom(error, 'save the claimable rewards for reminders');
  }
  announce();
}

export type CheckOptions = {
  /** Only this chain's (and this account's) reminders; every saved one without. */
  chainId?: number;
  account?: Address | null;
  /** Where notifications are shown; the page's or the worker's own registration when not given. */
  registration?: ServiceWorkerRegistration | null;
};

/**
 * Evaluates the saved settings against the saved facts at `now` (wall-clock unix seconds), shows
 * each newly due reminder once as a notification (when permission is granted), and returns every
 * reminder due now (for badges). A key leaves the "notified" list once its condition is no longer
 * due, so the same condition coming back later notifies again.
 */
export async function checkReminders(now: number, options: CheckOptions = {}): Promise<Reminder[]> {
  let db: Awaited<ReturnType<typeof openOutpostDb>>;
  let factKeys: string[];
  try {
    db = await openOutpostDb();
    factKeys = (await db.getAllKeys('reminders', IDBKeyRange.bound('facts:', 'facts:\uffff'))).map(String);
  } catch (error) {
    throw storageErrorFrom(error, 'read the reminders');
  }
  const registration = options.registration === undefined ? await ownRegistration() : options.registration;
  const canNotify = registration !== null && notificationPermission() === 'granted';
  const all: Reminder[] = [];
  for (const key of factKeys) {
    const facts = await readFacts(key);
    if (!facts) continue;
    if (options.chainId !== undefined && facts.chainId !== options.chainId) continue;
    if (options.account && facts.account.toLowerCase() !== options.account.toLowerCase()) continue;
    // Damaged settings count as all off: no reminder rather than a wrong one (the app says so).
    const settings = await readReminderSettings(facts).catch(() => DEFAULT_REMINDER_SETTINGS);
    const due = dueReminders(settings, facts, now);
    all.push(...due);
    const stored = await db.get('reminders', notifiedKey(facts));
    const notified = new Set(Array.isArray(stored) ? stored.filter((item): item is string => typeof item === 'string') : []);
    const keep: string[] = [];
    for (const reminder of due) {
      if (!notified.has(reminder.key) && canNotify) {
        try {
          await registration.showNotification(reminder.title, { body: reminder.body, tag: reminder.key, data: { url: reminder.url } });
          notified.add(reminder.key);
        } catch {
          // Not shown (the permission was withdrawn meanwhile): tried again at the next check.
        }
      }
      if (notified.has(reminder.key)) keep.push(reminder.key);
    }
    await db.put('reminders', keep, notifiedKey(facts));
  }
  return all;
}

function notificationPermission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

async function ownRegistration(): Promise<ServiceWorkerRegistration | null> {
  const scope = globalThis as { registration?: unknown };
  if (typeof ServiceWorkerRegistration !== 'undefined' && scope.registration instanceof ServiceWorkerRegistration) return scope.registration;
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return null;
  return (await navigator.serviceWorker.getRegistration().catch(() => undefined)) ?? null;
}

/** The app icon's badge (installed apps): the number of reminders due; cleared at 0. Silently absent elsewhere. */
export async function setBadge(count: number): Promise<void> {
  const nav = navigator as Navigator & { setAppBadge?: (count?: number) => Promise<void>; clearAppBadge?: () => Promise<void> };
  try {
    if (count > 0) await nav.setAppBadge?.(count);
    else await nav.clearAppBadge?.();
  } catch {
    // Refused outside an installed app on some platforms: the tab bar's badges still show.
  }
}

/** Which of the reminder paths this browser has (feature detection only). */
export type ReminderSupport = { serviceWorker: boolean; notifications: boolean; periodicSync: boolean; appBadge: boolean };

export function reminderSupport(): ReminderSupport {
  return {
    serviceWorker: 'serviceWorker' in navigator,
    notifications: typeof Notification !== 'undefined',
    periodicSync: typeof ServiceWorkerRegistration !== 'undefined' && 'periodicSync' in ServiceWorkerRegistration.prototype,
    appBadge: 'setAppBadge' in navigator,
  };
}

type PeriodicSyncRegistration = ServiceWorkerRegistration & {
  periodicSync?: { register(tag: string, options: { minInterval: number }): Promise<void> };
};

/**
 * Asks the browser to wake the service worker now and then to check reminders with no page open.
 * Chromium allows it only to installed apps with some use ('periodic-background-sync' permission).
 */
export async function registerPeriodicCheck(): Promise<'registered' | 'not-permitted' | 'unsupported'> {
  if (!reminderSupport().periodicSync) return 'unsupported';
  const registration = (await navigator.serviceWorker.getRegistration().catch(() => undefined)) as PeriodicSyncRegistration | undefined;
  if (!registration?.periodicSync) return 'unsupported';
  try {
    const status = await navigator.permissions.query({ name: 'periodic-background-sync' as PermissionName });
    if (status.state !== 'granted') return 'not-permitted';
    await registration.periodicSync.register(REMINDERS_SYNC_TAG, { minInterval: PERIODIC_MIN_INTERVAL_MS });
    return 'registered';
  } catch {
    return 'not-permitted';
  }
}
