import { createPublicClient, http, type PublicClient } from 'viem';
import { toViemChain, type Network } from './networks.js';

/**
 * viem's public client for a network's RPC, for every chain read beyond the reachability probe
 * (./rpcProbe.ts). Its errors are worded per network in ./rpcErrors.ts.
 */
export function createNetworkClient(network: Network, rpcUrl: string, timeoutMs = 8000): PublicClient {
  return createPublicClient({
    chain: toViemChain(network, rpcUrl),
    transport: http(rpcUrl, { timeout: timeoutMs, retryCount: 1 }),
  });
}
