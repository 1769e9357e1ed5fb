/**
 * Log paging and cache resume of the bucket index, over a fake JSON-RPC node (an EIP-1193
 * `request` behind viem's real client) that keeps Transfer logs, answers eth_getLogs by range and
 * topics, and records every range it was asked for. Expected ids come from the test's own list of
 * transfers, applied by hand.
 */
import { createPublicClient, custom, encodeEventTopics, numberToHex, pad, type Address, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { systemStakingAbi } from '../../../../src/core/abis/index.js';
import { OutpostError } from '../../../../src/core/errors.js';
import {
  bucketScanCacheKey,
  memoryBucketScanCache,
  readStoredScanRecord,
  scanBucketIds,
  toStoredScanRecord,
  type ScanProgress,
} from '../../../../src/core/staking/bucketIndex.js';

const CONTRACT: Address = '0x65B0c0548ee8D899578513Be0cB5305AFbf05292';
const ME: Address = '0x1111111111111111111111111111111111111111';
const OTHER: Address = '0x2222222222222222222222222222222222222222';
const ZERO: Address = '0x0000000000000000000000000000000000000000';
const STRATEGY: Address = '0x699366f36DA4C2f69B27eC63a635FFB6Ea31D927';
const CHAIN = { id: 4689, name: 'test', nativeCurrency: { name: 'IOTX', symbol: 'IOTX', decimals: 18 }, rpcUrls: { default: { http: ['http://x'] } } } as const;

type Transfer = { block: bigint; logIndex: number; from: Address; to: Address; id: bigint };

class FakeNode {
  calls: { from: bigint; to: bigint }[] = [];
  /** Refuse ranges wider than this many blocks, as IoTeX's nodes do. */
  maxRange: bigint | null = null;
  /** Throw a network error from this eth_getLogs call (1-based) on, to interrupt a scan (viem's retries fail too). */
  failFromCall: number | null = null;

  constructor(
    public head: bigint,
    public transfers: Transfer[],
  ) {}

  request = async ({ method, params }: { method: string; params?: unknown }): Promise<unknown> => {
    if (method === 'eth_blockNumber') return numberToHex(this.head);
    if (method === 'eth_chainId') return numberToHex(CHAIN.id);
    if (method !== 'eth_getLogs') throw new Error(`unexpected ${method}`);
    const [filter] = params as [{ fromBlock: Hex; toBlock: Hex; topics: (Hex | null)[]; address: Address }];
    const from = BigInt(filter.fromBlock);
    const to = BigInt(filter.toBlock);
    this.calls.push({ from, to });
    if (this.failFromCall !== null && this.calls.length >= this.failFromCall) throw new Error('socket hang up');
    if (this.maxRange !== null && to - from + 1n > this.maxRange) throw new Error('block range exceeds the limit of 1000');
    return this.transfers
      .filter((t) => t.block >= from && t.block <= to)
      .map((t) => ({ t, topics: encodeEventTopics({ abi: systemStakingAbi, eventName: 'Transfer', args: { from: t.from, to: t.to, tokenId: t.id } }) as Hex[] }))
      .filter(({ topics }) => filter.topics.every((topic, i) => topic === null || topic === undefined || topic.toLowerCase() === topics[i]!.toLowerCase()))
      .map(({ t, topics }) => ({
        address: CONTRACT,
        topics,
        data: '0x',
        blockNumber: numberToHex(t.block),
        blockHash: pad(numberToHex(t.block)),
        logIndex: numberToHex(t.logIndex),
        transactionHash: pad(numberToHex(t.block * 1000n + BigInt(t.logIndex))),
        transactionIndex: '0x0',
        removed: false,
      }));
  };

  /** Blocks asked for more than once across every call so far. */
  rereadBlocks(): bigint[] {
    const counts = new Map<bigint, number>();
    // Each page is two queries (to me, from me): count a block once per page, i.e. per distinct range.
    const ranges = new Map<string, { from: bigint; to: bigint }>();
    for (const call of this.calls) ranges.set(`${call.from}-${call.to}`, call);
    for (const { from, to } of ranges.values()) for (let b = from; b <= to; b++) counts.set(b, (counts.get(b) ?? 0) + 1);
    return [...counts].filter(([, n]) => n > 1).map(([b]) => b);
  }
}

const clientFor = (node: FakeNode) => createPublicClient({ chain: CHAIN, transport: custom({ request: node.request }, { retryDelay: 1 }) });

// My history: minted 1 (block 5), 2 (block 1,500), 3 (block 2,999); 2 sent away (block 3,000);
// 4 received from OTHER (block 4,200); 1 burned by a merge (block 4,200, later log); 5 minted to OTHER.
// Held at the end: 3 and 4.
const HISTORY: Transfer[] = [
  { block: 5n, logIndex: 0, from: ZERO, to: ME, id: 1n },
  { block: 1_500n, logIndex: 2, from: ZERO, to: ME, id: 2n },
  { block: 2_999n, logIndex: 0, from: ZERO, to: ME, id: 3n },
  { block: 3_000n, logIndex: 1, from: ME, to: OTHER, id: 2n },
  { block: 4_200n, logIndex: 0, from: OTHER, to: ME, id: 4n },
  { block: 4_200n, logIndex: 3, from: ME, to: ZERO, id: 1n },
  { block: 4_300n, logIndex: 0, from: ZERO, to: OTHER, id: 5n },
];

describe('scanBucketIds', () => {
  it('pages the range, two queries a page, and applies transfers in chain order', async () => {
    const node = new FakeNode(4_999n, HISTORY);
    const progress: ScanProgress[] = [];
    const result = await scanBucketIds(clientFor(node), { contract: CONTRACT, account: ME, cache: memoryBucketScanCache(), pageSize: 1_000n, onProgress: (p) => progress.push(p) });
    expect(result).toEqual({ ids: [3n, 4n], escrowed: [], scannedTo: 4_999n, pages: 5, resumed: false });
    // Blocks 0..4,999 in pages of 1,000: 5 pages, 10 queries.
    expect(node.calls).toHaveLength(10);
    expect([...new Set(node.calls.map((c) => `${c.from}-${c.to}`))]).toEqual(['0-999', '1000-1999', '2000-2999', '3000-3999', '4000-4999']);
    expect(node.rereadBlocks()).toEqual([]);
    expect(progress.map((p) => [p.blocksDone, p.blocksTotal, p.found])).toEqual([
      [1_000n, 5_000n, 1], // id 1
      [2_000n, 5_000n, 2], // + 2
      [3_000n, 5_000n, 3], // + 3
      [4_000n, 5_000n, 2], // - 2
      [5_000n, 5_000n, 2], // + 4 - 1
    ]);
  });

  it('a second scan reads only the blocks added since, and none when nothing was added', async () => {
    const node = new FakeNode(4_999n, HISTORY);
    const cache = memoryBucketScanCache();
    const client = clientFor(node);
    await scanBucketIds(client, { contract: CONTRACT, account: ME, cache, pageSize: 1_000n });
    node.calls = [];
    const again = await scanBucketIds(client, { contract: CONTRACT, account: ME, cache, pageSize: 1_000n });
    expect(again).toEqual({ ids: [3n, 4n], escrowed: [], scannedTo: 4_999n, pages: 0, resumed: true });
    expect(node.calls).toEqual([]);

    node.head = 5_400n;
    node.transfers = [...HISTORY, { block: 5_200n, logIndex: 0, from: ZERO, to: ME, id: 6n }];
    const later = await scanBucketIds(client, { contract: CONTRACT, account: ME, cache, pageSize: 1_000n });
    expect(later).toEqual({ ids: [3n, 4n, 6n], escrowed: [], scannedTo: 5_400n, pages: 1, resumed: true });
    expect(node.calls.map((c) => [c.from, c.to])).toEqual([[5_000n, 5_400n], [5_000n, 5_400n]]);
  });

  it('an interrupted scan resumes after the last saved page: no block is read twice', async () => {
    const node = new FakeNode(4_999n, HISTORY);
    const cache = memoryBucketScanCache();
    const client = clientFor(node);
    node.failFromCall = 7; // the 4th page's first query
    const error = await scanBucketIds(client, { contract: CONTRACT, account: ME, cache, pageSize: 1_000n }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutpostError);
    expect((error as OutpostError).code).toBe('staking.logs_failed');
    expect(await cache.get({ chainId: 4689, contract: CONTRACT, account: ME })).toEqual({ fromBlock: 0n, scannedTo: 2_999n, ids: [1n, 2n, 3n], escrows: [], escrowed: [] });

    // The failed page's range was asked (and refused); everything else exactly once.
    const failedPage = node.calls.slice(6).map((c) => `${c.from}-${c.to}`);
    node.calls = node.calls.slice(0, 6);
    node.failFromCall = null;
    const resumed = await scanBucketIds(client, { contract: CONTRACT, account: ME, cache, pageSize: 1_000n });
    expect(failedPage.every((range) => range === '3000-3999')).toBe(true);
    expect(resumed).toEqual({ ids: [3n, 4n], escrowed: [], scannedTo: 4_999n, pages: 2, resumed: true });
    expect(node.rereadBlocks()).toEqual([]);
    expect(node.calls.at(6)).toEqual({ from: 3_000n, to: 3_999n });
  });

  it('an aborted scan stops between pages and keeps what it saved', async () => {
    const node = new FakeNode(4_999n, HISTORY);
    const cache = memoryBucketScanCache();
    const controller = new AbortController();
    const run = scanBucketIds(clientFor(node), {
      contract: CONTRACT, account: ME, cache, pageSize: 1_000n,
      signal: controller.signal,
      onProgress: (p) => { if (p.pagesDone === 2) controller.abort(); },
    });
    await expect(run).rejects.toThrow();
    expect((await cache.get({ chainId: 4689, contract: CONTRACT, account: ME }))?.scannedTo).toBe(1_999n);
    expect(node.calls).toHaveLength(4);
  });

  it('halves the page when the node refuses the range, down to what it accepts', async () => {
    const node = new FakeNode(4_999n, HISTORY);
    node.maxRange = 1_000n;
    const result = await scanBucketIds(clientFor(node), { contract: CONTRACT, account: ME, cache: memoryBucketScanCache(), pageSize: 4_000n });
    expect(result.ids).toEqual([3n, 4n]);
    // 4,000 refused, 2,000 refused, 1,000 accepted from then on: 0-999 ... 4000-4999.
    const accepted = [...new Set(node.calls.filter((c) => c.to - c.from + 1n <= 1_000n).map((c) => `${c.from}-${c.to}`))];
    expect(accepted).toEqual(['0-999', '1000-1999', '2000-2999', '3000-3999', '4000-4999']);
  });

  it('ids sent to an escrow (the restaking strategy) are kept as escrowed until they come back', async () => {
    // 3 restaked at 5,000, 4 restaked at 5,100, 4 withdrawn back to me at 5,300, 3 withdrawn to OTHER at 5,400 (still escrowed: the reads tell).
    const transfers: Transfer[] = [
      ...HISTORY,
      { block: 5_000n, logIndex: 0, from: ME, to: STRATEGY, id: 3n },
      { block: 5_100n, logIndex: 0, from: ME, to: STRATEGY, id: 4n },
      { block: 5_300n, logIndex: 0, from: STRATEGY, to: ME, id: 4n },
      { block: 5_400n, logIndex: 0, from: STRATEGY, to: OTHER, id: 3n },
    ];
    const cache = memoryBucketScanCache();
    const node = new FakeNode(5_200n, transfers);
    const first = await scanBucketIds(clientFor(node), { contract: CONTRACT, account: ME, cache, escrows: [STRATEGY], pageSize: 1_000n });
    expect(first).toMatchObject({ ids: [], escrowed: [3n, 4n] });
    node.head = 5_500n;
    const second = await scanBucketIds(clientFor(node), { contract: CONTRACT, account: ME, cache, escrows: [STRATEGY.toLowerCase() as Address], pageSize: 1_000n });
    expect(second).toMatchObject({ ids: [4n], escrowed: [3n], resumed: true, pages: 1 });
    // Another escrow set is another question: the scan starts over.
    const other = await scanBucketIds(clientFor(node), { contract: CONTRACT, account: ME, cache, pageSize: 1_000n });
    expect(other).toMatchObject({ ids: [4n], escrowed: [], resumed: false });
  });

  it('a cache record from another start block is not trusted', async () => {
    const node = new FakeNode(4_999n, HISTORY);
    const cache = memoryBucketScanCache();
    await cache.put({ chainId: 4689, contract: CONTRACT, account: ME }, { fromBlock: 4_000n, scannedTo: 4_999n, ids: [4n], escrows: [], escrowed: [] });
    const result = await scanBucketIds(clientFor(node), { contract: CONTRACT, account: ME, cache, pageSize: 5_000n });
    expect(result).toMatchObject({ ids: [3n, 4n], resumed: false, pages: 1 });
  });

  it('keys records by chain, contract and account, case-blind', () => {
    expect(bucketScanCacheKey({ chainId: 4689, contract: CONTRACT, account: ME })).toBe(`4689:${CONTRACT.toLowerCase()}:${ME.toLowerCase()}`);
  });

  it('stored records round-trip; damaged ones read as absent', () => {
    const record = { fromBlock: 7n, scannedTo: 9_000_000n, ids: [1n, 2n ** 80n], escrows: [STRATEGY.toLowerCase() as Address], escrowed: [3n] };
    expect(readStoredScanRecord(JSON.parse(JSON.stringify(toStoredScanRecord(record))))).toEqual(record);
    expect(readStoredScanRecord({ fromBlock: '7', scannedTo: '-1', ids: [], escrows: [], escrowed: [] })).toBeUndefined();
    expect(readStoredScanRecord({ fromBlock: '7', scannedTo: '8', ids: [1], escrows: [], escrowed: [] })).toBeUndefined();
    expect(readStoredScanRecord({ fromBlock: '7', scannedTo: '8', ids: [], escrows: ['nope'], escrowed: [] })).toBeUndefined();
    // A record from before escrows were tracked is not trusted either.
    expect(readStoredScanRecord({ fromBlock: '7', scannedTo: '8', ids: ['1'] })).toBeUndefined();
    expect(readStoredScanRecord(null)).toBeUndefined();
  });
});
