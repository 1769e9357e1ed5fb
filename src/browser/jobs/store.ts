import { readJobRecord } from '../../core/jobs/record.js';
import type { JobRecord, JobStore } from '../../core/jobs/types.js';
import { openOutpostDb, storageErrorFrom } from '../storage/db.js';

/**
 * The job runner's store in the app's IndexedDB (store "jobs", keyed by job id), so a job outlives
 * a reload, a closed tab and a wallet reconnect. Records are validated on read: a damaged one, or
 * one this version cannot run, reads as absent rather than stopping the screen.
 *
 * `lock` uses the Web Locks API, which is shared by every tab of the origin: two tabs resuming
 * the same job would otherwise both send its next step. Where the browser has no Web Locks, only
 * runs within this tab are kept apart.
 */
export function createIndexedDbJobStore(): JobStore {
  const heldHere = new Set<string>();
  return {
    async get(id) {
      try {
        const db = await openOutpostDb();
        return readJobRecord(await db.get('jobs', id)) ?? undefined;
      } catch (error) {
        throw storageErrorFrom(error, 'read a saved transaction job');
      }
    },
    async put(record) {
      try {
        const db = await openOutpostDb();
        await db.put('jobs', record, record.id);
      } catch (error) {
        throw storageErrorFrom(error, 'save the progress of a transaction job');
      }
    },
    async list({ account, chainId }) {
      let stored: unknown[];
      try {
        const db = await openOutpostDb();
        stored = await db.getAll('jobs');
      } catch (error) {
        throw storageErrorFrom(error, 'read the saved transaction jobs');
      }
      // Few records per user; filtering here keeps the address comparison case-blind without an index on a lowercased copy.
      return stored
        .map(readJobRecord)
        .filter((record): record is JobRecord => record !== null && record.chainId === chainId && record.account.toLowerCase() === account.toLowerCase())
        .sort((a, b) => a.createdAt - b.createdAt);
    },
    async delete(id) {
      try {
        const db = await openOutpostDb();
        await db.delete('jobs', id);
      } catch (error) {
        throw storageErrorFrom(error, 'delete a saved transaction job');
      }
    },
    async lock(id) {
      const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
      if (!locks) {
        if (heldHere.has(id)) return null;
        heldHere.add(id);
        return () => heldHere.delete(id);
      }
      return new Promise((resolve, reject) => {
        // The lock is held for as long as the callback's promise is pending; the release function settles it.
        locks
          .request(`outpost-job:${id}`, { ifAvailable: true }, (lock) => {
            if (!lock) {
              resolve(null);
              return undefined;
            }
            return new Promise<void>((release) => resolve(() => release()));
          })
          .catch(reject);
      });
    },
  };
}
