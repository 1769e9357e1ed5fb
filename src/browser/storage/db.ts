import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { OutpostError } from '../../core/errors.js';

/**
 * The app's one IndexedDB database. Each feature owns its object stores; adding a store means
 * bumping DB_VERSION and adding a step to `upgrade`, never editing an earlier step, so that
 * every user's database walks the same path.
 */
const DB_NAME = 'outpost';
const DB_VERSION = 7;

export interface OutpostDB extends DBSchema {
  /** Small app-wide settings, one record per key; values are validated on read. */
  settings: { key: string; value: unknown };
  /** The embedded wallet's encrypted vault and this app's transaction history (src/browser/wallet/store.ts). */
  wallet: { key: string; value: unknown };
  /** Proven device batches on their way to the relay, keyed by entry id (src/core/outbox). */
  outbox: { key: string; value: unknown };
  /** Transaction jobs (src/core/jobs), keyed by job id; records are validated on read (src/browser/jobs/store.ts). */
  jobs: { key: string; value: unknown };
  /** Bucket-scan cursors per chain + contract + account (src/browser/staking/scanCache.ts); validated on read. */
  stakingScans: { key: string; value: unknown };
  /** My devices: every device paired, keyed by chain + account + device address (src/browser/devices/store.ts); validated on read. */
  devices: { key: string; value: unknown };
  /** Simulated devices (devnet demo only) and their DEV-ONLY keys (src/browser/device/simulated); validated on read. */
  simulatedDevices: { key: string; value: unknown };
  /** Reminders per chain + account: settings, the last facts, keys already notified (src/browser/reminders); validated on read. */
  reminders: { key: string; value: unknown };
  /** The Rewards screen's last reads, keyed by the screen, as { savedAt, value } (src/browser/storage/rewardsCache.ts). */
  rewardsCache: { key: string; value: unknown };
}

export class StorageError extends OutpostError {
  override name = 'StorageError';
}

export function storageErrorFrom(error: unknown, action: string): StorageError {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'QuotaExceededError') {
    return new StorageError('storage.full', `The browser's storage is full, so Outpost could not ${action}.`, {
      hint: 'Free some space (Settings → Storage, or the browser site settings) and try again. Nothing was lost.',
      cause: error,
    });
  }
  return new StorageError('storage.failed', `Outpost could not ${action} in browser storage.`, {
    details: error instanceof Error ? error.message : String(error),
    hint: 'Private windows and some browser settings block storage; use a normal window.',
    cause: error,
  });
}

let dbPromise: Promise<IDBPDatabase<OutpostDB>> | null = null;

export function openOutpostDb(): Promise<IDBPDatabase<OutpostDB>> {
  dbPromise ??= openDB<OutpostDB>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) db.createObjectStore('settings');
      if (oldVersion < 2) db.createObjectStore('wallet');
      if (oldVersion < 3) db.createObjectStore('outbox');
      if (oldVersion < 4) db.createObjectStore('jobs');
      if (oldVersion < 5) db.createObjectStore('stakingScans');
      if (oldVersion < 6) {
        db.createObjectStore('devices');
        db.createObjectStore('simulatedDevices');
      }
      if (oldVersion < 7) {
        db.createObjectStore('reminders');
        db.createObjectStore('rewardsCache');
      }
    },
    blocked() {
      // Another tab holds an older version open; it will close itself on `versionchange`.
    },
    terminated() {
      dbPromise = null;
    },
  }).then((db) => {
    // An update in another tab needs the database: let go instead of blocking it.
    db.addEventListener('versionchange', () => {
      db.close();
      dbPromise = null;
    });
    return db;
  });
  dbPromise.catch(() => {
    dbPromise = null;
  });
  return dbPromise;
}

/** Reads a setting and validates it; an invalid stored value reads as absent. */
export async function readSetting<T>(key: string, validate: (value: unknown) => value is T): Promise<T | undefined> {
  try {
    const db = await openOutpostDb();
    const value = await db.get('settings', key);
    return validate(value) ? value : undefined;
  } catch (error) {
    throw storageErrorFrom(error, `read the setting "${key}"`);
  }
}

export async function writeSetting(key: string, value: unknown): Promise<void> {
  try {
    const db = await openOutpostDb();
    await db.put('settings', value, key);
  } catch (error) {
    throw storageErrorFrom(error, `save the setting "${key}"`);
  }
}
