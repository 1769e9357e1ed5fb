import {
  FEATURES,
  STATIC_ADDRESS_BOOKS,
  featureStatus,
  type AddressBook,
  type Feature,
  type FeatureStatus,
} from './addressBook.js';
import type { DevnetConfig } from './devnetConfig.js';
import { getNetwork, type Network, type NetworkId } from './networks.js';

/** Everything a feature needs to know about the network the user chose. */
export type NetworkContext = {
  network: Network;
  rpcUrl: string;
  relayUrl: string | null;
  addressBook: AddressBook;
  features: Record<Feature, FeatureStatus>;
};

/**
 * Picks the address book for a network: IoTeX's published addresses for testnet/mainnet, the
 * deploy script's for devnet (empty when no devnet config is known yet, so every feature reports
 * itself unavailable instead of pointing at stale addresses).
 */
export function resolveNetworkContext(id: NetworkId, devnet: DevnetConfig | null): NetworkContext {
  const network = getNetwork(id);
  const addressBook: AddressBook = id === 'devnet' ? { ...(devnet?.contracts ?? {}) } : { ...STATIC_ADDRESS_BOOKS[id] };
  const rpcUrl = id === 'devnet' && devnet ? devnet.rpcUrl : network.rpcUrl;
  const relayUrl = id === 'devnet' ? (devnet?.relayUrl ?? null) : null;
  const features = {} as Record<Feature, FeatureStatus>;
  for (const feature of Object.keys(FEATURES) as Feature[]) {
    features[feature] = featureStatus(addressBook, feature, network.name);
  }
  return { network, rpcUrl, relayUrl, addressBook, features };
}
