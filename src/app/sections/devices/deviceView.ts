import { isAddressEqual, type Address } from 'viem';
import type { MyDevice } from '../../../core/devices/myDevice.js';
import { formatRelativeTime } from '../../../core/humanTime.js';
import type { IoidView } from './myDevices.svelte.js';

/** What My devices and a device's page say about a device, in words (no logic in the markup). */
export type DeviceText = {
  simulated: boolean;
  transport: string;
  ioid: string;
  ioidState: 'minted' | 'minted-elsewhere' | 'none' | 'reading' | 'unknown';
  lastSeen: string;
  lastSynced: string;
};

const TRANSPORT = { ble: 'Bluetooth', serial: 'USB serial', simulated: 'Simulated (in this page)' } as const;

export function deviceText(device: MyDevice, ioid: IoidView | undefined, account: Address | null, now: number): DeviceText {
  const base = {
    simulated: device.transport === 'simulated',
    transport: `${TRANSPORT[device.transport]} · ${device.protocol === 'outpost' ? 'Outpost protocol' : 'ioConnect'}`,
    lastSeen: formatRelativeTime(device.lastSeenAt, now),
    lastSynced: device.lastSyncedAt === null ? 'never' : formatRelativeTime(device.lastSyncedAt, now),
  };
  if (!ioid || ioid.state === 'reading') return { ...base, ioid: 'Reading the chain…', ioidState: 'reading' };
  if (ioid.state === 'unavailable') return { ...base, ioid: ioid.reason, ioidState: 'unknown' };
  if (ioid.state === 'failed') return { ...base, ioid: 'Could not read its ioID from the chain', ioidState: 'unknown' };
  const status = ioid.status;
  if (!status.registered) return { ...base, ioid: 'No ioID yet', ioidState: 'none' };
  const mine = account !== null && isAddressEqual(status.owner, account);
  return { ...base, ioid: mine ? `ioID #${status.tokenId}` : `ioID #${status.tokenId}, owned by ${status.owner}`, ioidState: mine ? 'minted' : 'minted-elsewhere' };
}
