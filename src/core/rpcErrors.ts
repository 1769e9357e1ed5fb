import { OutpostError } from './errors.js';
import type { Network } from './networks.js';
import type { RpcFailure } from './rpcProbe.js';

/** What an RPC error needs to know of its network: the name people read, and whether it is our local devnet. */
export type NetworkNaming = Pick<Network, 'id' | 'name'>;

/**
 * What to do when a network's RPC does not answer. Only the devnet is started by the developer
 * (`npm run dev`); IoTeX's RPCs are public, and a user there needs to hear that the funds are on
 * the chain, untouched, whatever the app can reach.
 */
function unreachableHint(network: NetworkNaming, rpcUrl: string): string {
  return network.id === 'devnet'
    ? `Start the local stack with \`npm run dev\` (it serves the devnet at ${rpcUrl}), then retry.`
    : `Check your connection and retry. Your funds are on ${network.name} itself, not in this app: nothing is lost while its RPC (${rpcUrl}) is out of reach.`;
}

export class RpcUnreachableError extends OutpostError {
  override name = 'RpcUnreachableError';
  constructor(network: NetworkNaming, rpcUrl: string, details: string) {
    super('rpc.unreachable', `${network.name}'s RPC does not answer.`, { details, hint: unreachableHint(network, rpcUrl) });
  }
}

export class WrongChainError extends OutpostError {
  override name = 'WrongChainError';
  readonly expected: number;
  readonly actual: number;
  constructor(network: NetworkNaming & { chainId: number }, rpcUrl: string, actual: number) {
    super('rpc.wrong_chain', `The RPC at ${rpcUrl} serves chain ${actual}, not ${network.name} (chain ${network.chainId}).`, {
      hint:
        network.id === 'devnet'
          ? 'Restart `npm run dev` so the app reads the devnet it started, or reload the page.'
          : `Point the app at ${network.name}'s RPC.`,
    });
    this.expected = network.chainId;
    this.actual = actual;
  }
}

/** A failed first-screen read (./rpcProbe.ts) as the error a screen shows. */
export function rpcProbeError(network: Network, rpcUrl: string, probe: RpcFailure): OutpostError {
  return probe.reason === 'unreachable' ? new RpcUnreachableError(network, rpcUrl, probe.details) : new WrongChainError(network, rpcUrl, probe.chainId);
}
