import { createPublicClient, http, type PublicClient } from 'viem';
import { firstLine, OutpostError } from './errors.js';
import { toViemChain, type Network } from './networks.js';

export class RpcUnreachableError extends OutpostError {
  override name = 'RpcUnreachableError';
  constructor(rpcUrl: string, details: string) {
    super('rpc.unreachable', `The network's RPC at ${rpcUrl} does not answer.`, {
      details,
      hint: 'Check your connection. For devnet, make sure `npm run dev` is running.',
    });
  }
}

export class WrongChainError extends OutpostError {
  override name = 'WrongChainError';
  readonly expected: number;
  readonly actual: number;
  constructor(rpcUrl: string, expected: number, actual: number) {
    super('rpc.wrong_chain', `The RPC at ${rpcUrl} serves chain ${actual}, not the expected chain ${expected}.`, {
      hint: 'Point the app at the right RPC for this network.',
    });
    this.expected = expected;
    this.actual = actual;
  }
}

export function createNetworkClient(network: Network, rpcUrl: string, timeoutMs = 8000): PublicClient {
  return createPublicClient({
    chain: toViemChain(network, rpcUrl),
    transport: http(rpcUrl, { timeout: timeoutMs, retryCount: 1 }),
  });
}

export type NetworkProbe = { chainId: number; blockNumber: bigint; latencyMs: number };

/** Asks the RPC which chain it serves and its head block; fails fast with a specific error. */
export async function probeNetwork(network: Network, rpcUrl: string, timeoutMs = 5000): Promise<NetworkProbe> {
  const client = createNetworkClient(network, rpcUrl, timeoutMs);
  const started = performance.now();
  let chainId: number;
  let blockNumber: bigint;
  try {
    [chainId, blockNumber] = await Promise.all([client.getChainId(), client.getBlockNumber({ cacheTime: 0 })]);
  } catch (error) {
    throw new RpcUnreachableError(rpcUrl, firstLine(error));
  }
  if (chainId !== network.chainId) throw new WrongChainError(rpcUrl, network.chainId, chainId);
  return { chainId, blockNumber, latencyMs: Math.round(performance.now() - started) };
}
