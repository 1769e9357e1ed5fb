import type { Address } from 'viem';
import { myDeviceKey, readMyDevice, type MyDevice, type MyDeviceStore } from '../../core/devices/myDevice.js';
import { openOutpostDb, storageErrorFrom } from '../storage/db.js';

/**
 * My devices in the app's IndexedDB (store "devices", keyed by network + account + device), so a
 * paired device is still listed after a reload or a closed tab. Records are validated on read: a
 * damaged one reads as absent rather than stopping the screen.
 */
export function createIndexedDbDeviceStore(): MyDeviceStore {
  return {
    async get(key) {
      try {
        const db = await openOutpostDb();
        return readMyDevice(await db.get('devices', myDeviceKey(key)));
      } catch (error) {
        throw storageErrorFrom(error, 'read a saved device');
      }
    },
    async put(device) {
      try {
        const db = await openOutpostDb();
        await db.put('devices', device, myDeviceKey(device));
      } catch (error) {
        throw storageErrorFrom(error, 'save the device in My devices');
      }
    },
    async list({ chainId, account }) {
      let stored: unknown[];
      try {
        const db = await openOutpostDb();
        stored = await db.getAll('devices');
      } catch (error) {
        throw storageErrorFrom(error, 'read My devices');
      }
      const mine = (owner: Address | null) => owner === null || (account !== null && owner.toLowerCase() === account.toLowerCase());
      return stored
        .map(readMyDevice)
        .filter((device): device is MyDevice => device !== null && device.chainId === chainId && mine(device.account))
        .sort((a, b) => b.lastSeenAt - a.lastSeenAt);
    },
    async delete(key) {
      try {
        const db = await openOutpostDb();
        await db.delete('devices', myDeviceKey(key));
      } catch (error) {
        throw storageErrorFrom(error, 'remove the device from My devices');
      }
    },
  };
}
