import { getAbiItem, type Address, type Chain, type PublicClient, type Transport } from 'viem';
import { bucketStrategyAbi, systemStakingAbi } from '../abis/index.js';
import { OutpostError } from '../errors.js';
import { bucketView, restakeView, type BucketFields, type BucketView, type RestakeView } from './bucketState.js';

/**
 * Finds an account's buckets from the chain and reads them. SystemStaking V3 is not ERC-721
 * Enumerable, so the only way to know which bucket ids an account holds is its Transfer events:
 * a mint is a Transfer from zero, a transfer away or a burn (withdraw, or a bucket merged into
 * another) a Transfer from the account. Applying them in chain order (block, log index) leaves
 * exactly the ids it holds; Staked, Merged or Withdrawal events add nothing to that.
 *
 * IoTeX's API nodes cap a log query's block range (iotex-core api/config.go: `RangeQueryLimit`,
 * 1,000 by default), so the scan goes in pages of `pageSize` blocks, two queries each (Transfer
 * to the account, Transfer from it), and reports progress after every page. After each page the
 * cursor (the last block fully scanned) and the ids held are saved in the cache, so a scan that
 * stops (a closed tab, an RPC error) resumes from the page after, and a later visit reads only
 * the blocks added since. Every query goes through the IoTeX part of the ABI (`systemStakingAbi`).
 */

const TRANSFER = getAbiItem({ abi: systemStakingAbi, name: 'Transfer' });

/** One page's block range by default: IoTeX's default `RangeQueryLimit`. */
const DEFAULT_LOG_PAGE_BLOCKS = 1_000n;

export type BucketScanKey = { chainId: number; contract: Address; account: Address };

export type BucketScanRecord = {
  /** Where the scan started (the contract's deployment block, or 0). A record from another start is ignored. */
  fromBlock: bigint;
  /** Last block whose Transfer events are all applied. */
  scannedTo: bigint;
  /** Bucket ids the account held at `scannedTo`, ascending. */
  ids: bigint[];
  /** The escrows (restaking strategies) this record tracked; a record for another set is ignored. */
  escrows: Address[];
  /** Ids the account sent to one of `escrows` and has not had back (restaked), ascending. */
  escrowed: bigint[];
};

/** Where scans keep their cursor: IndexedDB in the app (src/browser/staking), memory in tests. */
export type BucketScanCache = {
  get(key: BucketScanKey): Promise<BucketScanRecord | undefined>;
  put(key: BucketScanKey, record: BucketScanRecord): Promise<void>;
};

/** One string per chain + contract + account, case-blind. */
export function bucketScanCacheKey({ chainId, contract, account }: BucketScanKey): string {
  return `${chainId}:${contract.toLowerCase()}:${account.toLowerCase()}`;
}

export function memoryBucketScanCache(): BucketScanCache {
  const records = new Map<string, BucketScanRecord>();
  return {
    get: async (key) => {
      const record = records.get(bucketScanCacheKey(key));
      return record && { ...record, ids: [...record.ids], escrows: [...record.escrows], escrowed: [...record.escrowed] };
    },
    put: async (key, record) => {
      records.set(bucketScanCacheKey(key), { ...record, ids: [...record.ids], escrows: [...record.escrows], escrowed: [...record.escrowed] });
    },
  };
}

/** A stored record in storable form (decimal strings: safe in any store and in JSON). */
export type StoredBucketScanRecord = { fromBlock: string; scannedTo: string; ids: string[]; escrows: string[]; escrowed: string[] };

export function toStoredScanRecord(record: BucketScanRecord): StoredBucketScanRecord {
  return {
    fromBlock: record.fromBlock.toString(),
    scannedTo: record.scannedTo.toString(),
    ids: record.ids.map(String),
    escrows: record.escrows.map((escrow) => escrow.toLowerCase()),
    escrowed: record.escrowed.map(String),
  };
}

const DECIMAL = /^\d{1,78}$/;
const HEX_ADDRESS = /^0x[0-9a-f]{40}$/;
const isDecimalList = (value: unknown): value is string[] => Array.isArray(value) && value.every((id) => typeof id === 'string' && DECIMAL.test(id));

/** Reads a stored record back; anything damaged reads as absent, so the scan starts over rather than trusting it. */
export function readStoredScanRecord(value: unknown): BucketScanRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { fromBlock, scannedTo, ids, escrows, escrowed } = value as Record<string, unknown>;
  if (typeof fromBlock !== 'string' || !DECIMAL.test(fromBlock)) return undefined;
  if (typeof scannedTo !== 'string' || !DECIMAL.test(scannedTo)) return undefined;
  if (!isDecimalList(ids) || !isDecimalList(escrowed)) return undefined;
  if (!Array.isArray(escrows) || !escrows.every((escrow) => typeof escrow === 'string' && HEX_ADDRESS.test(escrow))) return undefined;
  return {
    fromBlock: BigInt(fromBlock),
    scannedTo: BigInt(scannedTo),
    ids: ids.map((id) => BigInt(id)),
    escrows: escrows as Address[],
    escrowed: escrowed.map((id) => BigInt(id)),
  };
}

export type ScanProgress = {
  /** The page just applied (inclusive). */
  pageFrom: bigint;
  pageTo: bigint;
  /** The whole scan of this call: from its first block to its target. */
  scanFrom: bigint;
  target: bigint;
  /** Blocks done out of blocks to do in this call, for a progress bar. */
  blocksDone: bigint;
  blocksTotal: bigint;
  pagesDone: number;
  /** Ids held as of `pageTo`. */
  found: number;
};

export type ScanBucketIdsOptions = {
  contract: Address;
  account: Address;
  cache: BucketScanCache;
  /** Where the contract's history starts; 0 unless known (IoTeX: the V3 deployment block saves pages). */
  fromBlock?: bigint;
  /**
   * Contracts that hold buckets on the account's behalf (the restaking BucketStrategy): ids the
   * account sends there are kept as `escrowed` (restaked) instead of forgotten.
   */
  escrows?: readonly Address[];
  /** Scan up to here; the latest block unless told. */
  toBlock?: bigint;
  /** Blocks per log query. */
  pageSize?: bigint;
  /** Smallest page when the node refuses a range and the scan halves it. */
  minPageSize?: bigint;
  onProgress?: (progress: ScanProgress) => void;
  signal?: AbortSignal;
};

export type ScanResult = {
  ids: bigint[];
  /** Ids sent to an escrow and not back (restaked, possibly withdrawn elsewhere since: the reads tell). */
  escrowed: bigint[];
  scannedTo: bigint;
  /** Pages read by this call (0 when the cache was already current). */
  pages: number;
  /** Whether this call started from the cached cursor. */
  resumed: boolean;
};

type AnyClient = PublicClient<Transport, Chain | undefined>;

type TransferLog = { blockNumber: bigint | null; logIndex: number | null; args: { from?: Address; to?: Address; tokenId?: bigint } };

/** Whether a node's refusal is about the size of the query (so a smaller page may pass). */
function isRangeRefusal(error: unknown): boolean {
  const text = `${(error as { details?: unknown })?.details ?? ''} ${(error as Error)?.message ?? ''}`.toLowerCase();
  return /range|limit|too (many|large)|exceed|10000|query returned more/.test(text);
}

/** One page of a paged log query: its inclusive block range and its place in the scan. */
export type LogPage = { fromBlock: bigint; toBlock: bigint; index: number };

/**
 * Walks `fromBlock`..`toBlock` in pages of at most `pageSize` blocks, in order: `readPage` queries
 * one page's logs, `onPage` applies them before the next page is read (so a caller can save a
 * cursor per page). A node that refuses a range as too large gets the same page again at half the
 * size, down to `minPageSize`; any other failure is `staking.logs_failed`. Returns the pages read.
 * Used for every staking log scan (bucket Transfers here, restaking modules and rewards in
 * restakingReads.ts), since IoTeX's nodes cap a query's block range.
 */
export async function pageLogRange<T>(
  range: { fromBlock: bigint; toBlock: bigint; pageSize?: bigint; minPageSize?: bigint; signal?: AbortSignal },
  readPage: (fromBlock: bigint, toBlock: bigint) => Promise<T>,
  onPage: (result: T, page: LogPage) => Promise<void> | void,
): Promise<number> {
  let pageSize = range.pageSize ?? DEFAULT_LOG_PAGE_BLOCKS;
  const minPageSize = range.minPageSize ?? 1n;
  if (pageSize < 1n) throw new RangeError('pageSize must be at least one block');
  let start = range.fromBlock;
  let pages = 0;
  while (start <= range.toBlock) {
    range.signal?.throwIfAborted();
    const end = start + pageSize - 1n < range.toBlock ? start + pageSize - 1n : range.toBlock;
    let result: T;
    try {
      result = await readPage(start, end);
    } catch (error) {
      if (pageSize > minPageSize && isRangeRefusal(error)) {
        // The node wants smaller ranges than configured: halve and try the same page again.
        pageSize = pageSize / 2n > minPageSize ? pageSize / 2n : minPageSize;
        continue;
      }
      throw logsFailed(error);
    }
    await onPage(result, { fromBlock: start, toBlock: end, index: pages });
    pages += 1;
    start = end + 1n;
  }
  return pages;
}

/**
 * The ids of the buckets `account` holds on `contract`, resuming from the cache's cursor. Saves the
 * cursor after every page, so an interrupted scan never reads a block twice.
 */
export async function scanBucketIds(client: AnyClient, options: ScanBucketIdsOptions): Promise<ScanResult> {
  const { contract, account, cache, fromBlock = 0n, onProgress, signal } = options;
  const pageSize = options.pageSize ?? DEFAULT_LOG_PAGE_BLOCKS;
  const minPageSize = options.minPageSize ?? 1n;
  const chainId = client.chain?.id ?? (await client.getChainId());
  const key: BucketScanKey = { chainId, contract, account };

  const escrows = [...new Set((options.escrows ?? []).map((escrow) => escrow.toLowerCase() as Address))].sort();
  const cached = await cache.get(key);
  const resumed = cached !== undefined && cached.fromBlock === fromBlock && cached.escrows.join() === escrows.join();
  const held = new Set<bigint>(resumed ? cached.ids : []);
  const escrowed = new Set<bigint>(resumed ? cached.escrowed : []);
  const start = resumed ? cached.scannedTo + 1n : fromBlock;
  let scannedTo = resumed ? cached.scannedTo : fromBlock - 1n;

  let target: bigint;
  try {
    target = options.toBlock ?? (await client.getBlockNumber({ cacheTime: 0 }));
  } catch (error) {
    throw logsFailed(error);
  }
  const scanFrom = start;
  const pages = await pageLogRange(
    { fromBlock: start, toBlock: target, pageSize, minPageSize, ...(signal ? { signal } : {}) },
    async (from, to) => {
      const [received, sent] = await Promise.all([
        client.getLogs({ address: contract, event: TRANSFER, args: { to: account }, fromBlock: from, toBlock: to, strict: true }),
        client.getLogs({ address: contract, event: TRANSFER, args: { from: account }, fromBlock: from, toBlock: to, strict: true }),
      ]);
      return [...received, ...sent] as TransferLog[];
    },
    async (logs, page) => {
      applyTransfers(held, escrowed, escrows, logs, account);
      scannedTo = page.toBlock;
      await cache.put(key, { fromBlock, scannedTo, ids: sorted(held), escrows, escrowed: sorted(escrowed) });
      onProgress?.({
        pageFrom: page.fromBlock,
        pageTo: page.toBlock,
        scanFrom,
        target,
        blocksDone: page.toBlock - scanFrom + 1n,
        blocksTotal: target - scanFrom + 1n,
        pagesDone: page.index + 1,
        found: held.size,
      });
    },
  );
  return { ids: sorted(held), escrowed: sorted(escrowed), scannedTo, pages, resumed };
}

/** Applies one page of Transfer logs in chain order; a log in both queries (a self-transfer) counts once. */
function applyTransfers(held: Set<bigint>, escrowed: Set<bigint>, escrows: readonly string[], logs: TransferLog[], account: Address): void {
  const seen = new Set<string>();
  const ordered = logs
    .filter((log) => {
      const id = `${log.blockNumber}:${log.logIndex}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .sort((a, b) => (a.blockNumber! === b.blockNumber! ? a.logIndex! - b.logIndex! : a.blockNumber! < b.blockNumber! ? -1 : 1));
  const me = account.toLowerCase();
  for (const { args } of ordered) {
    if (args.tokenId === undefined) continue;
    if (args.from?.toLowerCase() === me) {
      held.delete(args.tokenId);
      if (args.to && escrows.includes(args.to.toLowerCase())) escrowed.add(args.tokenId);
    }
    if (args.to?.toLowerCase() === me) {
      held.add(args.tokenId);
      escrowed.delete(args.tokenId);
    }
  }
}

const sorted = (ids: Iterable<bigint>) => [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

export function logsFailed(error: unknown): OutpostError {
  return new OutpostError('staking.logs_failed', 'Outpost could not read the staking history from the network.', {
    hint: 'Check the connection and try again: the buckets found so far are kept and the search goes on from where it stopped.',
    cause: error,
  });
}

type ReadBucket = { id: bigint; owner: Address; fields: BucketFields };
type ReadRestake = { id: bigint; fields: BucketFields; restake: RestakeView; weight: bigint };

type BucketReads = {
  /** The block every read is pinned to, and its timestamp (the `now` of the states). */
  blockNumber: bigint;
  timestamp: bigint;
  paused: boolean;
  /** Buckets the account holds at `blockNumber`; ids burned or moved since the scan are left out. */
  buckets: ReadBucket[];
  /** Buckets the strategy holds for the account (restaked, or unstaked and not yet withdrawn). */
  restaked: ReadRestake[];
};

export type ReadBucketsOptions = {
  contract: Address;
  account: Address;
  ids: readonly bigint[];
  /** Ids sent to the strategy (the scan's `escrowed`), read with the strategy's restake state. */
  escrowed?: readonly bigint[];
  /** The restaking BucketStrategy (MSP), when the network has one. */
  strategy?: Address | undefined;
  /** Multicall3's address; the chain definition's `contracts.multicall3` unless told. */
  multicallAddress?: Address;
  /** Calldata bytes per Multicall3 call (viem's `batchSize`). */
  batchSize?: number;
};

/**
 * Reads `bucketOf` and `ownerOf` of every id, and `paused`, through Multicall3, all pinned to one
 * block so states and times agree with each other.
 */
async function readBuckets(client: AnyClient, options: ReadBucketsOptions): Promise<BucketReads> {
  const { contract, account, ids, strategy, batchSize = 16_384 } = options;
  const escrowed = strategy ? (options.escrowed ?? []) : [];
  const multicallAddress = options.multicallAddress ?? client.chain?.contracts?.multicall3?.address;
  if (!multicallAddress) {
    throw new OutpostError('staking.no_multicall', 'This network has no Multicall3 address configured, so buckets cannot be read in one go.', {
      hint: 'Add contracts.multicall3 to the network definition (src/core/networks.ts).',
    });
  }
  try {
    const block = await client.getBlock({ blockTag: 'latest' });
    const staking = { address: contract, abi: systemStakingAbi } as const;
    const calls = [
      { ...staking, functionName: 'paused' } as const,
      ...ids.flatMap((id) => [
        { ...staking, functionName: 'bucketOf', args: [id] } as const,
        { ...staking, functionName: 'ownerOf', args: [id] } as const,
      ]),
    ];
    const msp = { address: strategy!, abi: bucketStrategyAbi } as const;
    const restakeCalls = escrowed.flatMap((id) => [
      { ...staking, functionName: 'bucketOf', args: [id] } as const,
      { ...msp, functionName: 'bucketStaker', args: [id] } as const,
      { ...msp, functionName: 'stakeStatus', args: [id] } as const,
      { ...msp, functionName: 'unstakeTime', args: [id] } as const,
      { ...msp, functionName: 'withdrawTime', args: [id] } as const,
    ]);
    const results = await client.multicall({ contracts: [...calls, ...restakeCalls], allowFailure: true, blockNumber: block.number, multicallAddress, batchSize });
    const [pausedResult, ...all] = results;
    const rest = all.slice(0, ids.length * 2);
    const restakeResults = all.slice(ids.length * 2);
    if (pausedResult?.status !== 'success') throw pausedResult?.error ?? new Error('paused() failed');
    const me = account.toLowerCase();
    const buckets: ReadBucket[] = [];
    ids.forEach((id, index) => {
      const bucket = rest[index * 2];
      const owner = rest[index * 2 + 1];
      // A failed read is a bucket burned (withdrawn or merged away) after the scan.
      if (bucket?.status !== 'success' || owner?.status !== 'success') return;
      if ((owner.result as Address).toLowerCase() !== me) return;
      buckets.push({ id, owner: owner.result as Address, fields: bucket.result as BucketFields });
    });
    const restaked: ReadRestake[] = [];
    escrowed.forEach((id, index) => {
      const [bucket, staker, status, unstakeTime, withdrawTime] = restakeResults.slice(index * 5, index * 5 + 5);
      // Withdrawn from the strategy since (to another recipient, or burned): not the account's any more.
      if (bucket?.status !== 'success' || staker?.status !== 'success' || (staker.result as Address).toLowerCase() !== me) return;
      if (status?.status !== 'success' || unstakeTime?.status !== 'success') return;
      const view = restakeView(
        {
          stakeStatus: Number(status.result),
          unstakeTime: unstakeTime.result as bigint,
          withdrawTime: withdrawTime?.status === 'success' ? (withdrawTime.result as bigint) : null,
        },
        block.timestamp,
      );
      if (!view) return;
      const fields = bucket.result as BucketFields;
      restaked.push({ id, fields, restake: view, weight: 0n });
    });
    // The weight comes from the strategy itself: IoTeX's deployed MSP and the interface spec differ on
    // the formula (docs/contracts.md), so it is read, not computed. It needs each bucket's duration and
    // amount, hence a second call, made only when something is restaked.
    if (restaked.length > 0) {
      const weights = await client.multicall({
        contracts: restaked.map(({ fields }) => ({ ...msp, functionName: 'calculateBucketRestakeAmount', args: [fields.duration, fields.amount] }) as const),
        allowFailure: false,
        blockNumber: block.number,
        multicallAddress,
        batchSize,
      });
      restaked.forEach((bucket, index) => {
        bucket.weight = weights[index] as bigint;
      });
    }
    return { blockNumber: block.number, timestamp: block.timestamp, paused: pausedResult.result as boolean, buckets, restaked };
  } catch (error) {
    throw new OutpostError('staking.read_failed', 'Outpost could not read the buckets from the network.', {
      hint: 'Check the connection and try again.',
      cause: error,
    });
  }
}

export type AccountBucket = { id: bigint; fields: BucketFields; view: BucketView };

/**
 * A bucket the restaking strategy holds for the account; `view` shows the staking actions refused
 * (not held); `weight` is the strategy's `calculateBucketRestakeAmount` for it.
 */
export type RestakedBucket = AccountBucket & { restake: RestakeView; weight: bigint };

export type AccountBuckets = {
  blockNumber: bigint;
  timestamp: bigint;
  paused: boolean;
  buckets: AccountBucket[];
  /** Buckets restaked (or unstaking from restaking) for the account; empty without `strategy`. */
  restaked: RestakedBucket[];
  totals: {
    /** Sum of every held bucket's amount (staked, unstaking or waiting to be withdrawn). */
    staked: bigint;
    /** Sum of held buckets that can be withdrawn now. */
    withdrawable: bigint;
    /** Sum of the amounts of buckets restaked now (not unstaking). */
    restaked: bigint;
  };
  scan: ScanResult;
};

/** What the staking screens call: scan (resuming from the cache), read through Multicall3, derive each state. */
export async function listAccountBuckets(
  client: AnyClient,
  options: ScanBucketIdsOptions & Pick<ReadBucketsOptions, 'multicallAddress' | 'batchSize' | 'strategy'>,
): Promise<AccountBuckets> {
  const escrows = options.strategy ? [options.strategy, ...(options.escrows ?? [])] : options.escrows;
  const scan = await scanBucketIds(client, { ...options, ...(escrows ? { escrows } : {}) });
  const reads = await readBuckets(client, { ...options, ids: scan.ids, escrowed: scan.escrowed });
  const buckets = reads.buckets.map(({ id, fields }) => ({ id, fields, view: bucketView(fields, { now: reads.timestamp, paused: reads.paused }) }));
  let staked = 0n;
  let withdrawable = 0n;
  for (const { fields, view } of buckets) {
    staked += fields.amount;
    if (view.status === 'withdrawable') withdrawable += fields.amount;
  }
  const restaked = reads.restaked.map(({ id, fields, restake, weight }) => ({
    id,
    fields,
    restake,
    weight,
    view: bucketView(fields, { now: reads.timestamp, paused: reads.paused, owned: false }),
  }));
  const restakedTotal = restaked.filter((bucket) => bucket.restake.status === 'restaked').reduce((sum, bucket) => sum + bucket.fields.amount, 0n);
  return {
    blockNumber: reads.blockNumber,
    timestamp: reads.timestamp,
    paused: reads.paused,
    buckets,
    restaked,
    totals: { staked, withdrawable, restaked: restakedTotal },
    scan,
  };
}
