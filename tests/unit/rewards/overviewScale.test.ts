/**
 * readRewardsOverview at the size the screen must handle, 100 devices × 30 epochs, over a stub
 * client that counts what it is asked: the relay asked per device at most 8 at a time, `epochOf` once
 * per epoch, every read in two Multicall3 calls, and all 3,000 proofs checked against the roots.
 */
import { describe, expect, it } from 'vitest';
import { getAddress, type Address, type PublicClient } from 'viem';
import { buildMerkleTree, rewardLeaf } from '../../../src/core/batch/merkle.js';
import { readRewardsOverview } from '../../../src/core/rewards/read.js';

const DEVICES = Array.from({ length: 100 }, (_, i) => getAddress(`0x${(i + 1).toString(16).padStart(40, '0')}`));
const EPOCHS = Array.from({ length: 30 }, (_, i) => i + 1);
const amountOf = (epoch: number, index: number) => BigInt(epoch * 1000 + index + 1);

describe('readRewardsOverview at scale', () => {
  it('100 devices × 30 epochs: bounded relay concurrency, one epochOf per epoch, two multicalls', async () => {
    const trees = new Map(EPOCHS.map((epoch) => [epoch, buildMerkleTree(DEVICES.map((device, i) => rewardLeaf(BigInt(epoch), device, amountOf(epoch, i))))]));
    let inFlight = 0;
    let maxInFlight = 0;
    const fetchFn = (async (url: string) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      const device = getAddress(url.split('/').at(-1)!);
      const index = DEVICES.indexOf(device);
      const rewards = EPOCHS.map((epoch) => {
        const tree = trees.get(epoch)!;
        return { epoch, device, amount: amountOf(epoch, index).toString(), root: tree.root, leaf: tree.leaves[index], proof: tree.proof(index), status: 'confirmed', txHash: null, figures: null };
      });
      inFlight--;
      return new Response(JSON.stringify({ device, rewards }));
    }) as unknown as typeof fetch;

    const calls: string[][] = [];
    const client = {
      chain: undefined,
      getBlock: async () => ({ number: 1_000n, timestamp: 5_000n }),
      getLogs: async () => [],
      multicall: async ({ contracts }: { contracts: { functionName: string; args?: readonly unknown[] }[] }) => {
        calls.push(contracts.map((c) => c.functionName));
        return contracts.map((c) => {
          if (c.functionName === 'claimWindow') return 86_400n;
          if (c.functionName === 'epochOf') return [trees.get(Number(c.args![0]))!.root, 1n, 0n, 4_000n, false];
          if (c.functionName === 'isClaimed') return false;
          throw new Error(`unexpected ${c.functionName}`);
        });
      },
    } as unknown as PublicClient;

    const overview = await readRewardsOverview(client, {
      account: '0x00000000000000000000000000000000000A11CE' as Address,
      chainId: 31337,
      contracts: { dataRewards: '0x00000000000000000000000000000000000000aa', ioidRegistry: null, ioid: null, bucketStrategy: null },
      relayUrl: 'http://relay.test',
      extraDevices: DEVICES,
      fetchFn,
      multicallAddress: '0xcA11bde05977b3631167028862bE2a173976CA11',
    });
    expect(overview.relayError).toBeNull();
    expect(overview.data).toHaveLength(3000);
    expect(overview.data.every((reward) => reward.state === 'claimable')).toBe(true);
    expect(overview.findings).toEqual([]);
    expect(maxInFlight).toBeLessThanOrEqual(8);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(calls.map((names) => names.length)).toEqual([31, 3000]);
    expect(calls[0]!.filter((name) => name === 'epochOf')).toHaveLength(30);
  });
});
