import * as v from 'valibot';
import { getAddress, isAddress, type Address } from 'viem';
import { OutpostError } from '../errors.js';

/**
 * A device in My devices (issue 15): what the app remembers of a device it paired, so the device
 * outlives the tab. Only identity and local facts are kept; what the chain says about the device
 * (its ioID, ERC-6551 account, project) is read from the chain each time it is shown.
 */
export type DeviceTransport = 'ble' | 'serial' | 'simulated';

export type MyDevice = {
  chainId: number;
  /** The wallet account the device was paired under; null when it was paired with no wallet active. */
  account: Address | null;
  address: Address;
  did: string;
  /** The owner's name for it (editable); a default from its address at pairing. */
  name: string;
  transport: DeviceTransport;
  protocol: 'outpost' | 'ioconnect';
  pairedAt: number;
  lastSeenAt: number;
  /** When its readings were last pulled; null if never. */
  lastSyncedAt: number | null;
};

/** The store of My devices (IndexedDB in the app: src/browser/devices/store.ts). */
export type MyDeviceStore = {
  get(key: MyDeviceKey): Promise<MyDevice | null>;
  put(device: MyDevice): Promise<void>;
  /** The devices of a network and account, plus those paired there with no wallet, newest first. */
  list(filter: { chainId: number; account: Address | null }): Promise<MyDevice[]>;
  delete(key: MyDeviceKey): Promise<void>;
};

export type MyDeviceKey = Pick<MyDevice, 'chainId' | 'account' | 'address'>;

const MAX_DEVICE_NAME_LENGTH = 40;

/** One record per network, account and device: the same device paired under two accounts is two entries. */
export function myDeviceKey({ chainId, account, address }: MyDeviceKey): string {
  return `${chainId}:${account ? account.toLowerCase() : 'none'}:${address.toLowerCase()}`;
}

export function defaultDeviceName(address: Address, transport: DeviceTransport): string {
  return `${transport === 'simulated' ? 'Simulated device' : 'Device'} ${address.slice(2, 6).toLowerCase()}`;
}

class DeviceNameError extends OutpostError {
  override name = 'DeviceNameError';
}

/** The name as it will be kept: trimmed, one line, 1–40 characters. */
export function checkDeviceName(input: string): string {
  const name = input.replace(/\s+/g, ' ').trim();
  if (name.length === 0) throw new DeviceNameError('device.name_empty', 'A device needs a name.', { hint: 'Type a name, for example "Rooftop sensor".' });
  if ([...name].length > MAX_DEVICE_NAME_LENGTH) {
    throw new DeviceNameError('device.name_too_long', `The name is ${[...name].length} characters long; at most ${MAX_DEVICE_NAME_LENGTH} fit.`, {
      hint: 'Use a shorter name.',
    });
  }
  return name;
}

const AddressSchema = v.pipe(
  v.string(),
  v.check((value) => isAddress(value, { strict: false })),
  v.transform((value) => getAddress(value)),
);
const TimeSchema = v.pipe(v.number(), v.integer(), v.minValue(0));
const MyDeviceSchema = v.object({
  chainId: v.pipe(v.number(), v.integer(), v.minValue(1)),
  account: v.nullable(AddressSchema),
  address: AddressSchema,
  did: v.pipe(v.string(), v.regex(/^did:io:0x[0-9a-f]{40}$/)),
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_DEVICE_NAME_LENGTH * 2)),
  transport: v.picklist(['ble', 'serial', 'simulated']),
  protocol: v.picklist(['outpost', 'ioconnect']),
  pairedAt: TimeSchema,
  lastSeenAt: TimeSchema,
  lastSyncedAt: v.nullable(TimeSchema),
});

/** A stored record, validated: a damaged one (or one from a future version) reads as absent. */
export function readMyDevice(value: unknown): MyDevice | null {
  const result = v.safeParse(MyDeviceSchema, value);
  if (!result.success) return null;
  const device = result.output;
  // The DID is derived from the address; a record where they disagree was not written by us.
  return device.did === `did:io:${device.address.toLowerCase()}` ? device : null;
}
