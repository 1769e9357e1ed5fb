/**
 * Reminders over a real IndexedDB implementation (fake-indexeddb): the upgrade to version 7 adds
 * "reminders" and "rewardsCache" and keeps My devices; facts merge with the reported claimable
 * amount; a check notifies each newly due reminder once, again only after the condition went away
 * and came back, and never without permission; the rewards cache round-trips.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkReminders, readReminderSettings, reportClaimable, saveReminderFacts, writeReminderSettings } from '../../../src/browser/reminders/reminders.js';
import { openOutpostDb } from '../../../src/browser/storage/db.js';
import { readRewardsCache, writeRewardsCache } from '../../../src/browser/storage/rewardsCache.js';

const ME = '0x1111111111111111111111111111111111111111';
const OTHER = '0x3333333333333333333333333333333333333333';
const DEVICE = '0x2222222222222222222222222222222222222222';
const CHAIN = 31337;
const NOW = 1_800_000_000;
const IOTX = 1_000_000_000_000_000_000n;

type Shown = { title: string; options: { body?: string; tag?: string; data?: unknown } };
function fakeRegistration(): { registration: ServiceWorkerRegistration; shown: Shown[] } {
  const shown: Shown[] = [];
  const registration = {
    showNotification: (title: string, options: Shown['options']) => {
      shown.push({ title, options });
      return Promise.resolve();
    },
  } as unknown as ServiceWorkerRegistration;
  return { registration, shown };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('reminders in IndexedDB', () => {
  // Runs first: the database is created as version 6 created it.
  it('the upgrade to version 7 adds "reminders" and "rewardsCache" and keeps My devices', async () => {
    const old = await openDB('outpost', 6, {
      upgrade(db) {
        for (const store of ['settings', 'wallet', 'outbox', 'jobs', 'stakingScans', 'devices', 'simulatedDevices']) db.createObjectStore(store);
      },
    });
    await old.put('devices', { name: 'kept' }, 'device-1');
    old.close();

    const db = await openOutpostDb();
    expect(db.version).toBe(7);
    expect([...db.objectStoreNames].sort()).toEqual(['devices', 'jobs', 'outbox', 'reminders', 'rewardsCache', 'settings', 'simulatedDevices', 'stakingScans', 'wallet']);
    expect(await db.get('devices', 'device-1')).toEqual({ name: 'kept' });
  });

  it('settings default to all off, are saved per account and chain, and a damaged record is a named error', async () => {
    expect(await readReminderSettings({ account: ME, chainId: CHAIN })).toEqual({ claimable: { on: false, thresholdWei: IOTX }, withdrawable: { on: false }, silentDevice: { on: false, hours: 24 } });
    const mine = { claimable: { on: true, thresholdWei: 3n * IOTX }, withdrawable: { on: false }, silentDevice: { on: true, hours: 4 } };
    await writeReminderSettings({ account: ME, chainId: CHAIN }, mine);
    expect(await readReminderSettings({ account: ME, chainId: CHAIN })).toEqual(mine);
    expect((await readReminderSettings({ account: ME, chainId: 1 })).claimable.on).toBe(false);
    await (await openOutpostDb()).put('reminders', { claimable: 'yes' }, `settings:${CHAIN}:${OTHER}`);
    await expect(readReminderSettings({ account: OTHER, chainId: CHAIN })).rejects.toMatchObject({ code: 'reminders.settings_invalid' });
  });

  it('the reported claimable amount survives a later gathering that does not know it', async () => {
    await reportClaimable(ME, CHAIN, 7n * IOTX);
    await saveReminderFacts({ account: ME, chainId: CHAIN, at: NOW - 10, claimableWei: null, withdrawableAt: [], devices: [{ address: DEVICE, name: 'Roof', lastSyncedAt: NOW - 5 * 3600 }] });
    const stored = await (await openOutpostDb()).get('reminders', `facts:${CHAIN}:${ME}`);
    expect(stored).toMatchObject({ claimableWei: 7n * IOTX, devices: [{ address: DEVICE, name: 'Roof', lastSyncedAt: NOW - 5 * 3600 }] });
  });

  it('a claimable report and a gathering saved at the same moment both survive (neither overwrites the other)', async () => {
    const scope = `facts:${CHAIN}:${OTHER}`;
    const gathered = { account: OTHER, chainId: CHAIN, at: NOW - 10, claimableWei: null, withdrawableAt: [], devices: [{ address: DEVICE, name: 'Porch', lastSyncedAt: NOW - 3600 }] } as const;
    await Promise.all([reportClaimable(OTHER, CHAIN, 9n * IOTX), saveReminderFacts({ ...gathered, devices: [...gathered.devices], withdrawableAt: [] })]);
    expect(await (await openOutpostDb()).get('reminders', scope)).toMatchObject({ claimableWei: 9n * IOTX, devices: [{ address: DEVICE, name: 'Porch' }] });
    // The other order of arrival.
    await (await openOutpostDb()).delete('reminders', scope);
    await Promise.all([saveReminderFacts({ ...gathered, devices: [...gathered.devices], withdrawableAt: [] }), reportClaimable(OTHER, CHAIN, 8n * IOTX)]);
    expect(await (await openOutpostDb()).get('reminders', scope)).toMatchObject({ claimableWei: 8n * IOTX, devices: [{ address: DEVICE, name: 'Porch' }] });
    await (await openOutpostDb()).delete('reminders', scope);
  });

  it('notifies each due reminder once, with its tag and route, and returns them for badges', async () => {
    vi.stubGlobal('Notification', { permission: 'granted' });
    const { registration, shown } = fakeRegistration();
    // From the test before: settings claimable ≥ 3 IOTX and silent ≥ 4 h; facts 7 IOTX and a device silent 5 h.
    const due = await checkReminders(NOW, { registration, chainId: CHAIN, account: ME });
    expect(due.map((reminder) => reminder.kind)).toEqual(['claimable', 'silentDevice']);
    expect(shown).toEqual([
      { title: 'Rewards to claim', options: { body: '7 IOTX can be claimed (your reminder is set at 3 IOTX).', tag: `claimable:${CHAIN}:${ME}`, data: { url: '#/rewards' } } },
      {
        title: 'A device is silent',
        options: { body: 'Roof: no readings synced for 5 hours.', tag: `silent:${CHAIN}:${ME}:${DEVICE}:${NOW - 5 * 3600}`, data: { url: `#/devices/device/${DEVICE}` } },
      },
    ]);
    // The same conditions a check later: still due (badges), not notified again.
    expect(await checkReminders(NOW + 300, { registration, chainId: CHAIN, account: ME })).toHaveLength(2);
    expect(shown).toHaveLength(2);
  });

  it('a condition that went away and came back notifies again', async () => {
    vi.stubGlobal('Notification', { permission: 'granted' });
    const { registration, shown } = fakeRegistration();
    await reportClaimable(ME, CHAIN, 1n * IOTX); // claimed: below 3 IOTX
    expect((await checkReminders(NOW, { registration, chainId: CHAIN, account: ME })).map((reminder) => reminder.kind)).toEqual(['silentDevice']);
    expect(shown).toEqual([]);
    await reportClaimable(ME, CHAIN, 4n * IOTX);
    await checkReminders(NOW, { registration, chainId: CHAIN, account: ME });
    expect(shown.map((item) => item.title)).toEqual(['Rewards to claim']);
  });

  it('without permission nothing is shown, the due list still comes back, and a later grant notifies then', async () => {
    await saveReminderFacts({ account: OTHER, chainId: CHAIN, at: NOW, claimableWei: null, withdrawableAt: [{ label: 'Bucket #4', at: NOW - 1 }], devices: [] });
    await writeReminderSettings({ account: OTHER, chainId: CHAIN }, { claimable: { on: false, thresholdWei: IOTX }, withdrawable: { on: true }, silentDevice: { on: false, hours: 24 } });
    const { registration, shown } = fakeRegistration();
    vi.stubGlobal('Notification', { permission: 'denied' });
    expect((await checkReminders(NOW, { registration, account: OTHER })).map((reminder) => reminder.body)).toEqual(['Bucket #4 can be withdrawn now.']);
    expect(shown).toEqual([]);
    vi.stubGlobal('Notification', { permission: 'granted' });
    await checkReminders(NOW, { registration, account: OTHER });
    expect(shown.map((item) => item.options.body)).toEqual(['Bucket #4 can be withdrawn now.']);
  });

  it('with no filter a check covers every saved account (the service worker)', async () => {
    vi.stubGlobal('Notification', { permission: 'granted' });
    const kinds = (await checkReminders(NOW, { registration: null })).map((reminder) => `${reminder.kind}:${reminder.key.split(':')[2]}`);
    expect(kinds.sort()).toEqual([`claimable:${ME}`, `silentDevice:${ME}`, `withdrawable:${OTHER}`].sort());
  });
});

describe('rewards cache', () => {
  it('saves a value with its time and reads it back; an unknown key or damaged envelope reads as null', async () => {
    await writeRewardsCache('rewards:31337:me', { pending: 12n, list: ['a'] }, 1_700_000_000_000);
    expect(await readRewardsCache('rewards:31337:me')).toEqual({ savedAt: 1_700_000_000_000, value: { pending: 12n, list: ['a'] } });
    expect(await readRewardsCache('nothing')).toBeNull();
    await (await openOutpostDb()).put('rewardsCache', { value: 1 }, 'damaged');
    expect(await readRewardsCache('damaged')).toBeNull();
  });
});
