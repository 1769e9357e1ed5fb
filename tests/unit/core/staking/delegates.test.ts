/**
 * Delegates: IoTeX's staking candidates over eth_call (a fake node answering with a handwritten
 * fixture in the shape iotex-core's ethabi v1 `candidates(uint32,uint32)` returns; IoTeX's RPCs are
 * unreachable here), names by address, and the search.
 */
import { createPublicClient, custom, decodeFunctionData, encodeAbiParameters, toFunctionSelector, type Address, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { toIoAddress } from '../../../../src/core/address.js';
import { OutpostError } from '../../../../src/core/errors.js';
import { delegateName, IOTEX_STAKING_PROTOCOL, readIotexCandidates, searchDelegates, type Delegate } from '../../../../src/core/staking/delegates.js';

const CHAIN = { id: 4690, name: 'test', nativeCurrency: { name: 'IOTX', symbol: 'IOTX', decimals: 18 }, rpcUrls: { default: { http: ['http://x'] } } } as const;

// Handwritten: the candidate tuple as iotex-core's stake_candidates.go declares it.
const CANDIDATE_TUPLE = {
  type: 'tuple[]',
  components: [
    { name: 'ownerAddress', type: 'address' },
    { name: 'operatorAddress', type: 'address' },
    { name: 'rewardAddress', type: 'address' },
    { name: 'name', type: 'string' },
    { name: 'totalWeightedVotes', type: 'uint256' },
    { name: 'selfStakeBucketIdx', type: 'uint64' },
    { name: 'selfStakingTokens', type: 'uint256' },
  ],
} as const;

const addr = (n: number) => `0x${n.toString(16).padStart(40, '0')}` as Address;
const FIXTURE = Array.from({ length: 5 }, (_, i) => ({
  ownerAddress: addr(0x100 + i),
  operatorAddress: addr(0x200 + i),
  rewardAddress: addr(0x300 + i),
  name: ['metanyx', 'iotexlab', 'hashquark', 'iotexteam', 'binance'][i]!,
  totalWeightedVotes: BigInt([30, 50, 10, 50, 20][i]!) * 10n ** 24n,
  selfStakeBucketIdx: BigInt(i),
  selfStakingTokens: 10n ** 24n,
}));

function candidateNode() {
  const calls: [number, number][] = [];
  const request = async ({ method, params }: { method: string; params?: unknown }) => {
    if (method !== 'eth_call') throw new Error(`unexpected ${method}`);
    const [{ to, data }] = params as [{ to: Address; data: Hex }];
    if (to.toLowerCase() !== IOTEX_STAKING_PROTOCOL.toLowerCase()) throw new Error('wrong address');
    expect(data.slice(0, 10)).toBe(toFunctionSelector('candidates(uint32,uint32)'));
    const { args } = decodeFunctionData({
      abi: [{ type: 'function', name: 'candidates', stateMutability: 'view', inputs: [{ name: 'offset', type: 'uint32' }, { name: 'limit', type: 'uint32' }], outputs: [] }],
      data,
    });
    const [offset, limit] = args as [number, number];
    calls.push([offset, limit]);
    return encodeAbiParameters([CANDIDATE_TUPLE], [FIXTURE.slice(offset, offset + limit)]);
  };
  return { calls, client: createPublicClient({ chain: CHAIN, transport: custom({ request }, { retryCount: 0 }) }) };
}

describe('IoTeX staking candidates', () => {
  it('reads every page until a short one, most-voted first, with names and operators', async () => {
    const { client, calls } = candidateNode();
    const delegates = await readIotexCandidates(client, { pageSize: 2 });
    expect(calls).toEqual([[0, 2], [2, 2], [4, 2]]);
    // Votes 50 (iotexlab, then iotexteam: stable), 30, 20, 10.
    expect(delegates.map((d) => d.name)).toEqual(['iotexlab', 'iotexteam', 'metanyx', 'binance', 'hashquark']);
    expect(delegates[0]).toMatchObject({ name: 'iotexlab', totalWeightedVotes: 50n * 10n ** 24n });
    expect(delegates[0]!.address.toLowerCase()).toBe(addr(0x101));
    expect(delegates[0]!.operator!.toLowerCase()).toBe(addr(0x201));
  });

  it('a failing node is a staking.delegates_failed error', async () => {
    const client = createPublicClient({ chain: CHAIN, transport: custom({ request: async () => { throw new Error('unreachable'); } }, { retryCount: 0 }) });
    const error = await readIotexCandidates(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutpostError);
    expect((error as OutpostError).code).toBe('staking.delegates_failed');
  });
});

const LIST: Delegate[] = [
  { address: '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc', name: 'outpost-alpha' },
  { address: '0x976EA74026E726554dB657fA54763abd0C3a0aa9', name: 'outpost-beta' },
  { address: '0x14dC79964da2C08b23698B3D3cc7Ca32193d9955', name: 'gamma-outpost' },
  { address: '0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f', name: 'beta' },
];

describe('searchDelegates and delegateName', () => {
  it('ranks an exact name, then name prefixes, then names containing the query', () => {
    expect(searchDelegates(LIST, 'beta').map((d) => d.name)).toEqual(['beta', 'outpost-beta']);
    expect(searchDelegates(LIST, 'OUTPOST').map((d) => d.name)).toEqual(['outpost-alpha', 'outpost-beta', 'gamma-outpost']);
    expect(searchDelegates(LIST, '  gam ').map((d) => d.name)).toEqual(['gamma-outpost']);
  });

  it('finds by 0x or io1 address prefix (3 characters or more), and nothing for a miss', () => {
    expect(searchDelegates(LIST, '0x976e').map((d) => d.name)).toEqual(['outpost-beta']);
    const io = toIoAddress(LIST[2]!.address);
    expect(searchDelegates(LIST, io.slice(0, 12)).map((d) => d.name)).toEqual(['gamma-outpost']);
    expect(searchDelegates(LIST, 'zzz')).toEqual([]);
  });

  it('an empty query lists everyone in the list order', () => {
    expect(searchDelegates(LIST, '')).toEqual(LIST);
  });

  it('names an address case-blind, null when unknown', () => {
    expect(delegateName(LIST, '0x976ea74026e726554db657fa54763abd0c3a0aa9')).toBe('outpost-beta');
    expect(delegateName(LIST, '0x0000000000000000000000000000000000000001')).toBeNull();
  });
});
