/**
 * Simulated devices for the devnet: a newcomer with no hardware creates one, connects to it and
 * walks the whole ioID journey with a browser alone. The device runs in a worker of this page
 * (simulator.worker.ts) and is reached through a WorkerLink, so the page speaks to it exactly as to
 * a real device: same framing, session, clients and signature checks.
 *
 * DEV ONLY: each record holds the simulated device's secret key in plain text, in this browser's
 * IndexedDB. It is a throwaway key of a device that does not exist, for the devnet only; a real
 * device keeps its key in its own secure element and Outpost never sees it.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, getAddress, hexToBytes, isAddress, isHex, type Address, type Hex } from 'viem';
import { DeviceError } from '../../../device/errors.js';
import { addressFromPublicKey, didFromAddress, publicKeyOf } from '../../../device/identity.js';
import { openOutpostDb, storageErrorFrom } from '../../storage/db.js';
import { connectOver, type ConnectedDevice } from '../connect.js';
import { WorkerLink } from './workerLink.js';

type SimulatedMode = 'outpost' | 'ioconnect';

export type SimulatedDeviceInfo = { address: Address; did: string; name: string; mode: SimulatedMode; createdAt: number };

/** A stored simulated device, keyed by its lowercase address. `secretKey` is DEV ONLY (see above). */
type SimulatedDeviceRecord = { address: Address; name: string; mode: SimulatedMode; secretKey: Hex; createdAt: number };

const MAX_NAME_LENGTH = 64;

const keyOf = (address: Address) => address.toLowerCase();

function addressOfKey(secretKey: Hex): Address {
  return addressFromPublicKey(publicKeyOf(hexToBytes(secretKey)));
}

/** A stored value as a record, or null when it is not one (damaged, or its key does not give its address). */
function readRecord(value: unknown): SimulatedDeviceRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const { address, name, mode, secretKey, createdAt } = value as Record<string, unknown>;
  if (typeof address !== 'string' || !isAddress(address, { strict: false })) return null;
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) return null;
  if (mode !== 'outpost' && mode !== 'ioconnect') return null;
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt) || createdAt < 0) return null;
  if (typeof secretKey !== 'string' || !isHex(secretKey) || secretKey.length !== 66 || !secp256k1.utils.isValidSecretKey(hexToBytes(secretKey))) return null;
  if (addressOfKey(secretKey) !== getAddress(address)) return null;
  return { address: getAddress(address), name, mode, secretKey, createdAt };
}

function infoOf(record: SimulatedDeviceRecord): SimulatedDeviceInfo {
  return { address: record.address, did: didFromAddress(record.address), name: record.name, mode: record.mode, createdAt: record.createdAt };
}

/** Creates a simulated device with a fresh DEV-ONLY key and keeps it in this browser. */
export async function createSimulatedDevice(options: { mode?: SimulatedMode; name?: string } = {}): Promise<SimulatedDeviceInfo> {
  const secretKey = bytesToHex(secp256k1.utils.randomSecretKey());
  const address = addressOfKey(secretKey);
  const name = (options.name?.trim() || `Simulated sensor ${address.slice(2, 6)}`).slice(0, MAX_NAME_LENGTH);
  const record: SimulatedDeviceRecord = { address, name, mode: options.mode ?? 'outpost', secretKey, createdAt: Date.now() };
  try {
    const db = await openOutpostDb();
    await db.put('simulatedDevices', record, keyOf(address));
  } catch (error) {
    throw storageErrorFrom(error, 'save the simulated device');
  }
  return infoOf(record);
}

/** The simulated devices kept in this browser, oldest first; damaged records are left out. */
export async function listSimulatedDevices(): Promise<SimulatedDeviceInfo[]> {
  let stored: unknown[];
  try {
    const db = await openOutpostDb();
    stored = await db.getAll('simulatedDevices');
  } catch (error) {
    throw storageErrorFrom(error, 'read the simulated devices');
  }
  return stored
    .map(readRecord)
    .filter((record): record is SimulatedDeviceRecord => record !== null)
    .sort((a, b) => a.createdAt - b.createdAt)
    .map(infoOf);
}

/** Deletes a simulated device and its key; its on-chain ioID (if any) stays as it is. */
export async function forgetSimulatedDevice(address: Address): Promise<void> {
  try {
    const db = await openOutpostDb();
    await db.delete('simulatedDevices', keyOf(address));
  } catch (error) {
    throw storageErrorFrom(error, 'forget the simulated device');
  }
}

async function readSimulatedDevice(address: Address): Promise<SimulatedDeviceRecord | null> {
  try {
    const db = await openOutpostDb();
    return readRecord(await db.get('simulatedDevices', keyOf(address)));
  } catch (error) {
    throw storageErrorFrom(error, 'read the simulated device');
  }
}

/**
 * Connects to a simulated device: starts its worker and probes it like any device (Outpost
 * protocol, or ioConnect's commands for an ioConnect-mode one). Closing the link stops the worker.
 */
export async function connectSimulated(address: Address, options: { signal?: AbortSignal } = {}): Promise<ConnectedDevice> {
  const record = await readSimulatedDevice(address);
  if (!record) {
    throw new DeviceError('device.simulated_unknown', 'This browser has no simulated device with that address.', {
      details: address,
      hint: 'Simulated devices live in the browser that created them: add a new one on the Devices screen.',
    });
  }
  const { signal } = options;
  return connectOver(
    'simulated',
    signal,
    () =>
      WorkerLink.start(
        new Worker(new URL('./simulator.worker.ts', import.meta.url), { type: 'module', name: 'outpost-simulated-device' }),
        { type: 'start', secretKey: record.secretKey, mode: record.mode, name: record.name, createdAt: record.createdAt },
        signal,
      ),
    { allowIoConnect: record.mode === 'ioconnect' },
  );
}
