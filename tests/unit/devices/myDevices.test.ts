/**
 * My devices over a real IndexedDB implementation (fake-indexeddb): devices survive a "reload"
 * (a new store on the same database), are listed per network and per account (plus those paired
 * with no wallet), and a damaged record reads as absent. Names are checked before they are kept.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createIndexedDbDeviceStore } from '../../../src/browser/devices/store.js';
import { openOutpostDb } from '../../../src/browser/storage/db.js';
import { checkDeviceName, readMyDevice, type MyDevice } from '../../../src/core/devices/myDevice.js';

const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const DEVICE_A = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const DEVICE_B = '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65';

function device(overrides: Partial<MyDevice> = {}): MyDevice {
  const address = overrides.address ?? DEVICE_A;
  return {
    chainId: 31337,
    account: ALICE,
    address,
    did: `did:io:${address.toLowerCase()}`,
    name: 'Rooftop sensor',
    transport: 'ble',
    protocol: 'outpost',
    pairedAt: 1_000,
    lastSeenAt: 2_000,
    lastSyncedAt: null,
    ...overrides,
  };
}

describe('My devices store', () => {
  it('keeps a device across a reload and lists it for its network and account only', async () => {
    await createIndexedDbDeviceStore().put(device());
    await createIndexedDbDeviceStore().put(device({ address: DEVICE_B, did: `did:io:${DEVICE_B.toLowerCase()}`, account: BOB, lastSeenAt: 3_000 }));
    await createIndexedDbDeviceStore().put(device({ chainId: 4690 }));

    const reloaded = createIndexedDbDeviceStore();
    expect((await reloaded.list({ chainId: 31337, account: ALICE })).map((d) => d.address)).toEqual([DEVICE_A]);
    expect((await reloaded.list({ chainId: 31337, account: BOB })).map((d) => d.address)).toEqual([DEVICE_B]);
    expect((await reloaded.list({ chainId: 4690, account: ALICE })).map((d) => d.chainId)).toEqual([4690]);
    // The account is matched case-blind: a wallet may hand out a lowercase address.
    expect(await reloaded.list({ chainId: 31337, account: ALICE.toLowerCase() as `0x${string}` })).toHaveLength(1);
    expect(await reloaded.get({ chainId: 31337, account: ALICE, address: DEVICE_A })).toEqual(device());
  });

  it('lists a device paired with no wallet under every account of its network, newest first', async () => {
    const store = createIndexedDbDeviceStore();
    const carol = '0x976EA74026E726554dB657fA54763abd0C3a0aa9';
    const orphan = '0x14dC79964da2C08b23698B3D3cc7Ca32193d9955';
    await store.put(device({ account: null, address: orphan, did: `did:io:${orphan.toLowerCase()}`, lastSeenAt: 9_000 }));
    await store.put(device({ account: carol, lastSeenAt: 5_000 }));
    expect((await store.list({ chainId: 31337, account: carol })).map((d) => d.address)).toEqual([orphan, DEVICE_A]);
    expect((await store.list({ chainId: 31337, account: null })).map((d) => d.address)).toEqual([orphan]);
  });

  it('a damaged record, or one whose DID is not its address, reads as absent', async () => {
    const db = await openOutpostDb();
    await db.put('devices', { ...device(), transport: 'carrier pigeon' }, '31337:damaged');
    await db.put('devices', { ...device(), did: `did:io:${DEVICE_B.toLowerCase()}` }, '31337:forged');
    const store = createIndexedDbDeviceStore();
    const all = await store.list({ chainId: 31337, account: ALICE });
    expect(all.every((d) => d.did === `did:io:${d.address.toLowerCase()}`)).toBe(true);
    expect(readMyDevice({ ...device(), transport: 'carrier pigeon' })).toBeNull();
    expect(readMyDevice({ ...device(), did: `did:io:${DEVICE_B.toLowerCase()}` })).toBeNull();
    expect(readMyDevice({ ...device(), lastSeenAt: -1 })).toBeNull();
  });

  it('forgets a device', async () => {
    const store = createIndexedDbDeviceStore();
    const key = { chainId: 31337, account: ALICE, address: DEVICE_A } as const;
    await store.put(device());
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
  });
});

describe('device names', () => {
  it('trims, folds whitespace and refuses empty or over-long names with named errors', () => {
    expect(checkDeviceName('  Rooftop \n sensor ')).toBe('Rooftop sensor');
    expect(() => checkDeviceName('   ')).toThrow(expect.objectContaining({ code: 'device.name_empty' }));
    expect(() => checkDeviceName('x'.repeat(41))).toThrow(expect.objectContaining({ code: 'device.name_too_long' }));
    expect(checkDeviceName('é'.repeat(40))).toHaveLength(40);
  });
});
