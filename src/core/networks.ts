import type { Chain } from 'viem';
import { OutpostError } from './errors.js';

export type NetworkId = 'devnet' | 'testnet' | 'mainnet';

export type Network = {
  id: NetworkId;
  name: string;
  chainId: number;
  /** Default JSON-RPC endpoint; devnet's real one comes from the running stack's config. */
  rpcUrl: string;
  /** Block explorer base URL, or null where none exists (a local chain). */
  explorerUrl: string | null;
  /** Whether funds here are real: real networks guard receive addresses behind a backup. */
  realFunds: boolean;
  multicall3: `0x${string}` | null;
};

/**
 * Multicall3's canonical address. IoTeX mainnet has it there; IoTeX testnet has its own deployment
 * (../shared/spec/iotex-interfaces.md); the devnet gets it at the canonical address from the
 * deploy script (scripts/deploy/multicall3.ts).
 */
export const MULTICALL3_ADDRESS = '0xcA11bde05977b3631167028862bE2a173976CA11';

export const NETWORKS: Readonly<Record<NetworkId, Network>> = {
  devnet: {
    id: 'devnet',
    name: 'Devnet (local)',
    chainId: 31337,
    rpcUrl: 'http://127.0.0.1:8545',
    explorerUrl: null,
    realFunds: false,
    multicall3: MULTICALL3_ADDRESS,
  },
  testnet: {
    id: 'testnet',
    name: 'IoTeX Testnet',
    chainId: 4690,
    rpcUrl: 'https://babel-api.testnet.iotex.io',
    explorerUrl: 'https://testnet.iotexscan.io',
    realFunds: false,
    multicall3: '0xb5cecD6894c6f473Ec726A176f1512399A2e355d',
  },
  mainnet: {
    id: 'mainnet',
    name: 'IoTeX Mainnet',
    chainId: 4689,
    rpcUrl: 'https://babel-api.mainnet.iotex.io',
    explorerUrl: 'https://iotexscan.io',
    realFunds: true,
    multicall3: MULTICALL3_ADDRESS,
  },
};

export const NETWORK_IDS = Object.keys(NETWORKS) as NetworkId[];
export const DEFAULT_NETWORK: NetworkId = 'devnet';

export class UnknownNetworkError extends OutpostError {
  override name = 'UnknownNetworkError';
  constructor(value: string | number) {
    super('network.unknown', `Outpost does not know the network "${value}".`, {
      hint: `Choose one of: ${NETWORK_IDS.join(', ')} (chain ids ${NETWORK_IDS.map((id) => NETWORKS[id].chainId).join(', ')}).`,
    });
  }
}

export function isNetworkId(value: unknown): value is NetworkId {
  return typeof value === 'string' && Object.hasOwn(NETWORKS, value);
}

export function getNetwork(id: string): Network {
  if (!isNetworkId(id)) throw new UnknownNetworkError(id);
  return NETWORKS[id];
}

export function networkByChainId(chainId: number): Network {
  const found = NETWORK_IDS.map((id) => NETWORKS[id]).find((network) => network.chainId === chainId);
  if (!found) throw new UnknownNetworkError(chainId);
  return found;
}

/** A viem chain for the network, with the RPC URL actually in use. */
export function toViemChain(network: Network, rpcUrl: string = network.rpcUrl): Chain {
  return {
    id: network.chainId,
    name: network.name,
    nativeCurrency: { name: 'IoTeX', symbol: 'IOTX', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    ...(network.explorerUrl ? { blockExplorers: { default: { name: 'IoTeXScan', url: network.explorerUrl } } } : {}),
    ...(network.multicall3 ? { contracts: { multicall3: { address: network.multicall3 } } } : {}),
    testnet: !network.realFunds,
  };
}
