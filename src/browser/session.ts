import { describeError } from '../core/errors.js';
import { fetchDevnetConfig, parseDevnetConfig, type DevnetConfig } from '../core/devnetConfig.js';
import { DEFAULT_NETWORK, isNetworkId, type NetworkId } from '../core/networks.js';
import { readSetting, writeSetting } from './storage/db.js';

const NETWORK_KEY = 'network';
const DEVNET_KEY = 'devnetConfig';

/** The network the user chose last time, or the default. */
export async function loadSelectedNetwork(): Promise<NetworkId> {
  return (await readSetting(NETWORK_KEY, isNetworkId)) ?? DEFAULT_NETWORK;
}

export async function saveSelectedNetwork(id: NetworkId): Promise<void> {
  await writeSetting(NETWORK_KEY, id);
}

export type DevnetLookup =
  | { config: DevnetConfig; source: 'server' | 'cache'; warning: string | null }
  | { config: null; source: 'none'; warning: string };

/**
 * The running devnet's config: from the server when it answers, else the last one seen (so an
 * offline start still knows the contracts), else none, with the reason.
 */
export async function loadDevnetConfig(origin: string): Promise<DevnetLookup> {
  try {
    const config = await fetchDevnetConfig(origin);
    await writeSetting(DEVNET_KEY, config).catch(() => undefined);
    return { config, source: 'server', warning: null };
  } catch (error) {
    const cached = await readSetting(DEVNET_KEY, (value): value is unknown => value !== undefined).catch(() => undefined);
    if (cached !== undefined) {
      try {
        return { config: parseDevnetConfig(cached), source: 'cache', warning: describeError(error) };
      } catch {
        // A stored config from an older app version that no longer validates: ignore it.
      }
    }
    return { config: null, source: 'none', warning: describeError(error) };
  }
}
