import type { Network } from './networks.js';

/** Explorer links; null on a network with no explorer, so the UI can say so instead of linking nowhere. */
export function explorerTxUrl(network: Network, hash: string): string | null {
  return network.explorerUrl ? `${network.explorerUrl}/tx/${hash}` : null;
}

export function explorerAddressUrl(network: Network, address: string): string | null {
  return network.explorerUrl ? `${network.explorerUrl}/address/${address}` : null;
}
