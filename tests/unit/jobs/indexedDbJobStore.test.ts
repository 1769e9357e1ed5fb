/**
 * The job store over a real IndexedDB implementation (fake-indexeddb, the spec in JS): the
 * upgrade from the database as version 3 left it keeps every record, jobs survive a "reload" (a
 * new store object on the same database) and resume there, and damaged records read as absent.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { createIndexedDbJobStore } from '../../../src/browser/jobs/store.js';
import { openOutpostDb } from '../../../src/browser/storage/db.js';
import { runJob, type JobRecord, type JobSpec } from '../../../src/core/jobs/index.js';
import { Crash, crashingView } from '../../support/jobCrash.js';
import { ALICE, CHAIN_ID, FakeChain, FakeWallet } from '../core/jobs/fakeChain.js';

function twoStepJob(chain: FakeChain, id: string): JobSpec {
  return { id, kind: 'restake', title: 'Restake', account: ALICE, chainId: CHAIN_ID, params: { bucket: '3' }, steps: [chain.step('approve', ['staked']), chain.step('stake')] };
}

const newChain = () => new FakeChain({ approve: { sets: 'approved' }, stake: { requires: ['approved'], sets: 'staked', clears: ['approved'] } });

describe('IndexedDB job store', () => {
  // Runs first: the database is created as the previous version of the app (3) created it.
  it('the upgrade to version 4 adds "jobs" and keeps the settings, wallet and outbox records', async () => {
    const old = await openDB('outpost', 3, {
      upgrade(db) {
        db.createObjectStore('settings');
        db.createObjectStore('wallet');
        db.createObjectStore('outbox');
      },
    });
    await old.put('settings', 'testnet', 'network');
    await old.put('wallet', { vault: 'sealed' }, 'vault');
    await old.put('outbox', { id: 'entry-1', state: 'queued' }, 'entry-1');
    old.close();

    const db = await openOutpostDb();
    // Versions 5 (staking scan cursors), 6 (devices) and 7 (reminders, rewards cache) came after "jobs"; an upgrade from 3 walks through every step.
    expect(db.version).toBe(7);
    expect([...db.objectStoreNames].sort()).toEqual(['devices', 'jobs', 'outbox', 'reminders', 'rewardsCache', 'settings', 'simulatedDevices', 'stakingScans', 'wallet']);
    expect(await db.get('settings', 'network')).toBe('testnet');
    expect(await db.get('wallet', 'vault')).toEqual({ vault: 'sealed' });
    expect(await db.get('outbox', 'entry-1')).toEqual({ id: 'entry-1', state: 'queued' });
  });

  it('a job stopped after its approval was sent resumes from a new store (a reload) without a second approval', async () => {
    const chain = newChain();
    const first = new FakeWallet(chain);
    const dying = crashingView(createIndexedDbJobStore(), (record) => record.steps[0]?.status.kind === 'sent');
    await expect(runJob(chain.client, first, dying, twoStepJob(chain, 'reload-1'))).rejects.toBeInstanceOf(Crash);

    const afterReload = createIndexedDbJobStore();
    const stored = await afterReload.get('reload-1');
    expect(stored?.steps.map((step) => step.status.kind)).toEqual(['sent', 'waiting']);
    const second = new FakeWallet(chain);
    const record = await runJob(chain.client, second, afterReload, twoStepJob(chain, 'reload-1'));
    expect(record.status).toBe('done');
    expect(first.sent).toEqual(['approve']);
    expect(second.sent).toEqual(['stake']);
    expect(chain.minedActions).toEqual(['approve', 'stake']);
  });

  it('lists the jobs of one account on one chain (address case does not matter), skipping damaged records', async () => {
    const store = createIndexedDbJobStore();
    const chain = newChain();
    await runJob(chain.client, new FakeWallet(chain), store, twoStepJob(chain, 'list-1'));
    const other: JobRecord = { ...(await store.get('list-1'))!, id: 'list-2', chainId: 4689, createdAt: 1 };
    await store.put(other);
    const db = await openOutpostDb();
    await db.put('jobs', { id: 'broken', kind: 'restake' }, 'broken');

    const listed = await store.list({ account: ALICE.toUpperCase().replace('0X', '0x') as typeof ALICE, chainId: CHAIN_ID });
    expect(listed.map((record) => record.id)).toContain('list-1');
    expect(listed.map((record) => record.id)).not.toContain('list-2');
    expect(listed.map((record) => record.id)).not.toContain('broken');
    expect((await store.list({ account: ALICE, chainId: 4689 })).map((record) => record.id)).toEqual(['list-2']);
    expect(await store.get('broken')).toBeUndefined();

    await store.delete('list-2');
    expect(await store.get('list-2')).toBeUndefined();
  });

  it('holds a job for one runner at a time', async () => {
    const store = createIndexedDbJobStore();
    const release = await store.lock('held');
    expect(release).toBeTypeOf('function');
    expect(await store.lock('held')).toBeNull();
    release!();
    const again = await store.lock('held');
    expect(again).toBeTypeOf('function');
    again!();
  });
});
