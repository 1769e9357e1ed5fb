import { bucketScanCacheKey, readStoredScanRecord, toStoredScanRecord, type BucketScanCache } from '../../core/staking/bucketIndex.js';
import { openOutpostDb, storageErrorFrom } from '../storage/db.js';

/**
 * The bucket scans' cursors in the app's IndexedDB (store "stakingScans", one record per
 * chain + contract + account), so a reload, a closed tab or a scan cut short by the network
 * resumes from the last page it saved and never reads the history from genesis again. Records
 * are decimal strings and validated on read: a damaged one reads as absent and the scan starts
 * over, which costs time but never shows a wrong bucket list.
 */
export function createIndexedDbScanCache(): BucketScanCache {
  return {
    async get(key) {
      try {
        const db = await openOutpostDb();
        return readStoredScanRecord(await db.get('stakingScans', bucketScanCacheKey(key)));
      } catch (error) {
        throw storageErrorFrom(error, 'read where the bucket search stopped');
      }
    },
    async put(key, record) {
      try {
        const db = await openOutpostDb();
        await db.put('stakingScans', toStoredScanRecord(record), bucketScanCacheKey(key));
      } catch (error) {
        throw storageErrorFrom(error, 'save the progress of the bucket search');
      }
    },
  };
}
