/**
 * RPC errors name the network they are about, and only the devnet's tell the user to start
 * `npm run dev` (issue 14): on IoTeX's networks that advice would be nonsense to a user.
 */
import { describe, expect, it } from 'vitest';
import { NETWORKS } from '../../../src/core/networks.js';
import { RpcUnreachableError, WrongChainError } from '../../../src/core/rpcErrors.js';

describe('RPC errors per network', () => {
  it("says which network's RPC does not answer, and the devnet hint only on the devnet", () => {
    const testnet = new RpcUnreachableError(NETWORKS.testnet, 'https://babel-api.testnet.iotex.io', 'fetch failed');
    expect(testnet.code).toBe('rpc.unreachable');
    expect(testnet.shortMessage).toBe("IoTeX Testnet's RPC does not answer.");
    expect(testnet.hint).not.toContain('npm run dev');
    expect(testnet.hint).toContain('https://babel-api.testnet.iotex.io');
    expect(testnet.details).toBe('fetch failed');

    const mainnet = new RpcUnreachableError(NETWORKS.mainnet, 'https://babel-api.mainnet.iotex.io', 'timeout');
    expect(mainnet.shortMessage).toBe("IoTeX Mainnet's RPC does not answer.");
    expect(mainnet.hint).not.toContain('npm run dev');

    const devnet = new RpcUnreachableError(NETWORKS.devnet, 'http://127.0.0.1:8545', 'connection refused');
    expect(devnet.shortMessage).toBe("Devnet (local)'s RPC does not answer.");
    expect(devnet.hint).toContain('`npm run dev`');
    expect(devnet.hint).toContain('http://127.0.0.1:8545');
  });

  it('names the chain found and the network expected when an RPC serves another chain', () => {
    const error = new WrongChainError(NETWORKS.testnet, 'https://rpc.example', 4689);
    expect(error.code).toBe('rpc.wrong_chain');
    expect(error.shortMessage).toBe('The RPC at https://rpc.example serves chain 4689, not IoTeX Testnet (chain 4690).');
    expect([error.expected, error.actual]).toEqual([4690, 4689]);
    expect(error.hint).not.toContain('npm run dev');
    expect(new WrongChainError(NETWORKS.devnet, 'http://127.0.0.1:8545', 1).hint).toContain('npm run dev');
  });
});
