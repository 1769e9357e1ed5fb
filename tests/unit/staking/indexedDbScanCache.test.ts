/**
 * The bucket-scan cache over a real IndexedDB implementation (fake-indexeddb, the spec in JS): the
 * upgrade from version 4 (the database as the jobs release left it) adds the store and keeps the
 * jobs, records survive a "reload" (a new cache on the same database) and a scan resumes from
 * them, and damaged records read as absent.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { createPublicClient, custom, numberToHex, type Address } from 'viem';
import { describe, expect, it } from 'vitest';
import { createIndexedDbScanCache } from '../../../src/browser/staking/scanCache.js';
import { openOutpostDb } from '../../../src/browser/storage/db.js';
import { bucketScanCacheKey, scanBucketIds } from '../../../src/core/staking/bucketIndex.js';

const CONTRACT: Address = '0x0ddaD4bB92D5d7aAFECC9108E04B0Ac9d7426322';
const ME: Address = '0x1111111111111111111111111111111111111111';
const KEY = { chainId: 4690, contract: CONTRACT, account: ME };

describe('IndexedDB bucket-scan cache', () => {
  // Runs first: the database is created as version 4 created it.
  it('the upgrade to version 5 adds "stakingScans" and keeps the jobs', async () => {
    const old = await openDB('outpost', 4, {
      upgrade(db) {
        for (const store of ['settings', 'wallet', 'outbox', 'jobs']) db.createObjectStore(store);
      },
    });
    await old.put('jobs', { id: 'job-1' }, 'job-1');
    old.close();

    const db = await openOutpostDb();
    expect(db.version).toBe(7);
    expect([...db.objectStoreNames].sort()).toEqual(['devices', 'jobs', 'outbox', 'reminders', 'rewardsCache', 'settings', 'simulatedDevices', 'stakingScans', 'wallet']);
    expect(await db.get('jobs', 'job-1')).toEqual({ id: 'job-1' });
  });

  it('a record saved by one cache is read by another (a reload), bigints intact', async () => {
    await createIndexedDbScanCache().put(KEY, { fromBlock: 0n, scannedTo: 30_000_000n, ids: [3n, 2n ** 70n], escrows: [], escrowed: [5n] });
    expect(await createIndexedDbScanCache().get(KEY)).toEqual({ fromBlock: 0n, scannedTo: 30_000_000n, ids: [3n, 2n ** 70n], escrows: [], escrowed: [5n] });
    // Another account on the same contract has no record.
    expect(await createIndexedDbScanCache().get({ ...KEY, account: CONTRACT })).toBeUndefined();
  });

  it('a scan after a reload reads only the blocks after the stored cursor', async () => {
    const cache = createIndexedDbScanCache();
    const key = { ...KEY, account: '0x3333333333333333333333333333333333333333' as Address };
    await cache.put(key, { fromBlock: 0n, scannedTo: 1_999n, ids: [], escrows: [], escrowed: [] });
    const ranges: string[] = [];
    const client = createPublicClient({
      chain: { id: 4690, name: 't', nativeCurrency: { name: 'IOTX', symbol: 'IOTX', decimals: 18 }, rpcUrls: { default: { http: ['http://x'] } } },
      transport: custom({
        request: async ({ method, params }: { method: string; params?: unknown }) => {
          if (method === 'eth_blockNumber') return numberToHex(2_499n);
          const [filter] = params as [{ fromBlock: string; toBlock: string }];
          ranges.push(`${BigInt(filter.fromBlock)}-${BigInt(filter.toBlock)}`);
          return [];
        },
      }),
    });
    const result = await scanBucketIds(client, { contract: CONTRACT, account: key.account, cache: createIndexedDbScanCache(), pageSize: 1_000n });
    expect(result).toMatchObject({ resumed: true, scannedTo: 2_499n, pages: 1 });
    expect(ranges).toEqual(['2000-2499', '2000-2499']);
  });

  it('a damaged record reads as absent', async () => {
    const db = await openOutpostDb();
    await db.put('stakingScans', { fromBlock: 'zero', scannedTo: '5', ids: [] }, bucketScanCacheKey({ ...KEY, chainId: 1 }));
    expect(await createIndexedDbScanCache().get({ ...KEY, chainId: 1 })).toBeUndefined();
  });
});
