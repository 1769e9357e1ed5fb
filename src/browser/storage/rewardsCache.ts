import { openOutpostDb, storageErrorFrom } from './db.js';

/** One cached read of the Rewards screen: when it was saved (ms) and what was read. */
export type RewardsCacheEntry = { savedAt: number; value: unknown };

/**
 * A small key → value cache for the Rewards screen (store "rewardsCache"), so the last figures show
 * at once and offline, marked with when they were read. The value is the caller's to validate:
 * this layer only checks the envelope, and a damaged envelope reads as absent.
 */
export async function readRewardsCache(key: string): Promise<RewardsCacheEntry | null> {
  let stored: unknown;
  try {
    stored = await (await openOutpostDb()).get('rewardsCache', key);
  } catch (error) {
    throw storageErrorFrom(error, 'read the saved rewards');
  }
  if (typeof stored !== 'object' || stored === null) return null;
  const { savedAt, value } = stored as { savedAt?: unknown; value?: unknown };
  return typeof savedAt === 'number' && Number.isFinite(savedAt) && 'value' in stored ? { savedAt, value } : null;
}

/** Saves `value` under `key`, stamped now; values must be structured-cloneable (bigint is). */
export async function writeRewardsCache(key: string, value: unknown, savedAt: number = Date.now()): Promise<void> {
  try {
    await (await openOutpostDb()).put('rewardsCache', { savedAt, value } satisfies RewardsCacheEntry, key);
  } catch (error) {
    throw storageErrorFrom(error, 'save the rewards read');
  }
}
