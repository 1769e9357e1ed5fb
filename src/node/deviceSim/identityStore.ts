import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes, isHex } from 'viem';
import { DeviceError } from '../../device/errors.js';

export const DEFAULT_SIM_DIR = '.outpost/devices';

type StoredIdentity = { devOnly: true; warning: string; name: string; secretKey: string; createdAt: string };

/**
 * A simulated device's identity key, kept across runs in <dir>/<name>.json so the same
 * simulated device keeps the same did:io. DEV ONLY: the key is stored unencrypted because it is a
 * throwaway test key for a simulator; a real device keeps its key in a secure element.
 */
export function loadOrCreateSimIdentity(name: string, dir = DEFAULT_SIM_DIR): { secretKey: Uint8Array; path: string; created: boolean } {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
    throw new DeviceError('device.sim_name', `"${name}" is not a usable simulated device name.`, { hint: 'Use letters, digits, dot, dash or underscore (at most 64).' });
  }
  const path = join(dir, `${name}.json`);
  if (existsSync(path)) {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as Partial<StoredIdentity>;
    if (!stored.devOnly || typeof stored.secretKey !== 'string' || !isHex(stored.secretKey) || !secp256k1.utils.isValidSecretKey(hexToBytes(stored.secretKey))) {
      throw new DeviceError('device.sim_identity', `${path} is not a valid simulated device identity.`, { hint: 'Delete it to create a new identity (the device gets a new did).' });
    }
    return { secretKey: hexToBytes(stored.secretKey), path, created: false };
  }
  mkdirSync(dir, { recursive: true });
  const secretKey = secp256k1.utils.randomSecretKey();
  const stored: StoredIdentity = {
    devOnly: true,
    warning: 'DEV ONLY: simulated device key, stored unencrypted. Never use it for anything of value.',
    name,
    secretKey: bytesToHex(secretKey),
    createdAt: new Date().toISOString(),
  };
  writeFileSync(path, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  return { secretKey, path, created: true };
}
