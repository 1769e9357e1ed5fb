/**
 * The devnet's search for incoming IOTX as stored in IndexedDB (fake-indexeddb): a second search
 * reads only the blocks mined since, and a restarted devnet (block `high` has another hash) starts
 * over and forgets the transfers of the old chain. The chain is a stand-in holding blocks in
 * memory, which counts the blocks read; the real chain path runs in tests/e2e/wallet-history.e2e.ts.
 */
import 'fake-indexeddb/auto';
import type { Address, Hash, PublicClient } from 'viem';
import { describe, expect, it } from 'vitest';
import { findIncoming } from '../../../src/browser/wallet/incoming.js';
import { listTxs } from '../../../src/browser/wallet/store.js';
import { NETWORKS } from '../../../src/core/networks.js';

const ME: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const OTHER: Address = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const hash = (chain: number, n: number) => `0x${chain.toString(16).padStart(8, '0')}${n.toString(16).padStart(56, '0')}` as Hash;

/** A chain of `head + 1` blocks; block n of chain `id` has hash (id, n); `transfers` maps a block to a value sent to ME. */
function fakeChain(id: number, head: number, transfers: Record<number, bigint>) {
  const read: number[] = [];
  const client = {
    getBlockNumber: async () => BigInt(head),
    getBlock: async ({ blockNumber, includeTransactions }: { blockNumber: bigint; includeTransactions?: boolean }) => {
      const n = Number(blockNumber);
      if (includeTransactions) read.push(n);
      const value = transfers[n];
      return {
        number: blockNumber,
        hash: hash(id, n),
        timestamp: 1_764_670_000n + blockNumber,
        transactions: value ? [{ hash: hash(id + 100, n), from: OTHER, to: ME, value, nonce: n }] : [],
      };
    },
  } as unknown as PublicClient;
  return { client, read, grow: (to: number) => (head = to) };
}

describe('devnet incoming scan', () => {
  it('reads each block once across searches, and starts over on a restarted chain', async () => {
    const network = NETWORKS.devnet;
    const first = fakeChain(1, 120, { 7: 10n ** 19n, 130: 5n });
    const noProgress = () => undefined;

    await findIncoming(first.client, network, 'http://fake', ME, noProgress, { limits: { pageSize: 50, budget: 100 } });
    // Budget 100 of 121 blocks: 120 down to 21 read; 21 left.
    expect(first.read.length).toBe(100);
    expect(Math.min(...first.read)).toBe(21);
    expect((await listTxs(network.chainId, ME)).length).toBe(0);

    first.grow(130);
    first.read.length = 0;
    const result = await findIncoming(first.client, network, 'http://fake', ME, noProgress, { limits: { pageSize: 50, budget: 100 } });
    // The 10 new blocks (121-130), then the 21 old ones (20-0): 31 in all, none twice.
    expect([...first.read].sort((a, b) => a - b)).toEqual([...Array.from({ length: 21 }, (_, i) => i), ...Array.from({ length: 10 }, (_, i) => 121 + i)]);
    expect(result.blocksLeft).toBe(0);
    const found = await listTxs(network.chainId, ME);
    expect(found.map((tx) => [tx.blockNumber, tx.value, tx.direction])).toEqual([
      ['130', '5', 'in'],
      ['7', '10000000000000000000', 'in'],
    ]);

    // The devnet restarted: block 130 is another block now, and nothing was sent to ME on it.
    const second = fakeChain(2, 140, {});
    await findIncoming(second.client, network, 'http://fake', ME, noProgress, { limits: { pageSize: 50, budget: 1000 } });
    expect(second.read.length).toBe(141);
    expect(await listTxs(network.chainId, ME)).toEqual([]);
  });
});
