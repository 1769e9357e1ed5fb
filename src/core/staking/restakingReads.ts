import { erc20Abi, getAbiItem, type Address, type Chain, type Hash, type PublicClient, type Transport } from 'viem';
import { bucketStrategyAbi, bucketStrategyDevnetAbi, strategyManagerAbi } from '../abis/index.js';
import { OutpostError } from '../errors.js';
import { logsFailed, pageLogRange } from './bucketIndex.js';
import { MODULE_READS, requireOutpostExtension } from './restakingExtension.js';

/**
 * What the restaking screens read, through Multicall3 pinned to one block (as bucketIndex.ts does)
 * and paged log queries (bucketIndex.ts's `pageLogRange`: IoTeX's nodes cap a query's range).
 *
 * - `readRestakingFigures`: IoTeX's MSP surface, on every network with a strategy: total restaked,
 *   the account's restaked amount, its pending reward per reward token, and a reward rate
 *   *estimate* from the strategy's ReceiveRewards events over a recent window.
 * - `readRestakingModules`: Outpost's modules (devnet only, refused elsewhere by
 *   restakingExtension.ts): owner, operator, restaked weight, slash count and slash history.
 *
 * Rewards are not per module, in MSP or in ours: the strategy pays each staker pro rata to its
 * restaked amount across the whole strategy (`accTokenPerAmount` per token). Splitting a pending
 * figure by the account's module weights today would be an invention, since the weights while the
 * rewards accrued may have differed; so pending rewards are per reward token, for the strategy.
 */

type AnyClient = PublicClient<Transport, Chain | undefined>;

/** MSP's reward token standing for native IOTX. */
export const IOTX_REWARD_TOKEN: Address = '0x0000000000000000000000000000000000000001';

/** 1 day of IoTeX's 5-second blocks: the reward-rate window unless told. */
const DEFAULT_REWARD_WINDOW_BLOCKS = 17_280n;
const YEAR_SECONDS = 365n * 86_400n;
/** The shortest history a yearly rate is scaled from (a day); below it the estimate gives what arrived, not a rate. */
const MIN_RATE_WINDOW_SECONDS = 86_400n;
/** Fixed-point scale of the rate before it becomes a number. */
const RATE_SCALE = 10n ** 12n;

type ReadOptions = {
  /** Multicall3's address; the chain definition's `contracts.multicall3` unless told. */
  multicallAddress?: Address;
  /** Where the strategy's history starts (its deployment block; 0 unless known). */
  fromBlock?: bigint;
  /** Blocks per log query. */
  pageSize?: bigint;
  signal?: AbortSignal;
};

function multicallOf(client: AnyClient, options: ReadOptions): Address {
  const address = options.multicallAddress ?? client.chain?.contracts?.multicall3?.address;
  if (!address) {
    throw new OutpostError('staking.no_multicall', 'This network has no Multicall3 address configured, so restaking cannot be read in one go.', {
      hint: 'Add contracts.multicall3 to the network definition (src/core/networks.ts).',
    });
  }
  return address;
}

function readFailed(error: unknown): OutpostError {
  if (error instanceof OutpostError) return error;
  return new OutpostError('staking.read_failed', 'Outpost could not read restaking from the network.', { hint: 'Check the connection and try again.', cause: error });
}

// ─── strategy figures (IoTeX's surface) ──────────────────────────────────────

type RewardTokenFigure = {
  token: Address;
  /** "IOTX" for MSP's address(1); the token's symbol() otherwise, or null when it has none. */
  symbol: string | null;
  /** The account's claimable amount now (`pendingRewards`). */
  pending: bigint;
};

/**
 * An estimate, not a promise: what the strategy received per restaked unit over a recent window,
 * scaled to a year. Past distributions say nothing certain about future ones, and the total
 * restaked moves.
 */
export type RewardRateEstimate = {
  fromBlock: bigint;
  toBlock: bigint;
  fromTime: bigint;
  toTime: bigint;
  /** toTime - fromTime. */
  windowSeconds: bigint;
  /**
   * Per reward token: what arrived in the window, and that ÷ totalAmount × (year ÷ window). The
   * yearly rate is null while the window is shorter than MIN_RATE_WINDOW_SECONDS: one distribution
   * a minute after a chain started would otherwise read as millions of percent a year.
   */
  perToken: { token: Address; received: bigint; yearlyRate: number | null }[];
};

export type RestakingFigures = {
  blockNumber: bigint;
  timestamp: bigint;
  /** Restaked amount of every staker (weights: amount plus up to 10% for long locks). */
  totalAmount: bigint;
  /** The account's restaked amount (`amount(staker)`), same unit. */
  accountAmount: bigint;
  /** Pending rewards per reward token, in StrategyManager's order (IOTX first). */
  rewards: RewardTokenFigure[];
  /** Null when nothing is restaked or the window has no length. */
  rewardRate: RewardRateEstimate | null;
};

const RECEIVE_REWARDS = getAbiItem({ abi: bucketStrategyAbi, name: 'ReceiveRewards' });

export type ReadRestakingFiguresOptions = ReadOptions & {
  strategy: Address;
  strategyManager: Address;
  account: Address;
  /** How many recent blocks the reward-rate estimate looks at; 17,280 (a day on IoTeX) unless told. */
  rewardWindowBlocks?: bigint;
};

export async function readRestakingFigures(client: AnyClient, options: ReadRestakingFiguresOptions): Promise<RestakingFigures> {
  const { strategy, strategyManager, account } = options;
  const multicallAddress = multicallOf(client, options);
  let block;
  try {
    block = await client.getBlock({ blockTag: 'latest' });
  } catch (error) {
    throw readFailed(error);
  }
  const msp = { address: strategy, abi: bucketStrategyAbi } as const;
  let totalAmount: bigint;
  let accountAmount: bigint;
  let tokens: readonly Address[];
  let pending: readonly bigint[];
  try {
    [totalAmount, accountAmount, pending, tokens] = await client.multicall({
      contracts: [
        { ...msp, functionName: 'totalAmount' },
        { ...msp, functionName: 'amount', args: [account] },
        { ...msp, functionName: 'pendingRewards', args: [account] },
        { address: strategyManager, abi: strategyManagerAbi, functionName: 'rewardTokens' },
      ],
      allowFailure: false,
      blockNumber: block.number,
      multicallAddress,
    });
  } catch (error) {
    throw readFailed(error);
  }
  const symbols = await readSymbols(client, tokens, block.number, multicallAddress);
  const rewards = tokens.map((token, i) => ({ token, symbol: symbols[i] ?? null, pending: pending[i] ?? 0n }));
  const rewardRate = await estimateRewardRate(client, { ...options, totalAmount, latest: block.number, latestTime: block.timestamp, tokens });
  return { blockNumber: block.number, timestamp: block.timestamp, totalAmount, accountAmount, rewards, rewardRate };
}

async function readSymbols(client: AnyClient, tokens: readonly Address[], blockNumber: bigint, multicallAddress: Address): Promise<(string | null)[]> {
  const erc20s = tokens.filter((token) => token.toLowerCase() !== IOTX_REWARD_TOKEN);
  const results =
    erc20s.length === 0
      ? []
      : await client.multicall({ contracts: erc20s.map((address) => ({ address, abi: erc20Abi, functionName: 'symbol' }) as const), allowFailure: true, blockNumber, multicallAddress }).catch(() => []);
  return tokens.map((token) => {
    if (token.toLowerCase() === IOTX_REWARD_TOKEN) return 'IOTX';
    const result = results[erc20s.indexOf(token)];
    return result?.status === 'success' ? (result.result as string) : null;
  });
}

async function estimateRewardRate(
  client: AnyClient,
  options: ReadRestakingFiguresOptions & { totalAmount: bigint; latest: bigint; latestTime: bigint; tokens: readonly Address[] },
): Promise<RewardRateEstimate | null> {
  const { strategy, totalAmount, latest, latestTime, tokens } = options;
  if (totalAmount === 0n) return null;
  const window = options.rewardWindowBlocks ?? DEFAULT_REWARD_WINDOW_BLOCKS;
  const historyStart = options.fromBlock ?? 0n;
  const fromBlock = latest - window + 1n > historyStart ? latest - window + 1n : historyStart;
  const received = new Map<string, bigint>(tokens.map((token) => [token.toLowerCase(), 0n]));
  let fromTime: bigint;
  try {
    fromTime = (await client.getBlock({ blockNumber: fromBlock })).timestamp;
  } catch (error) {
    throw logsFailed(error);
  }
  const windowSeconds = latestTime - fromTime;
  if (windowSeconds <= 0n) return null;
  await pageLogRange(
    { fromBlock, toBlock: latest, ...(options.pageSize ? { pageSize: options.pageSize } : {}), ...(options.signal ? { signal: options.signal } : {}) },
    (from, to) => client.getLogs({ address: strategy, event: RECEIVE_REWARDS, fromBlock: from, toBlock: to, strict: true }),
    (logs) => {
      for (const { args } of logs) {
        const key = args.token.toLowerCase();
        received.set(key, (received.get(key) ?? 0n) + args.amount);
      }
    },
  );
  const perToken = tokens.map((token) => {
    const amount = received.get(token.toLowerCase()) ?? 0n;
    if (windowSeconds < MIN_RATE_WINDOW_SECONDS) return { token, received: amount, yearlyRate: null };
    const scaled = (amount * YEAR_SECONDS * RATE_SCALE) / (totalAmount * windowSeconds);
    return { token, received: amount, yearlyRate: Number(scaled) / Number(RATE_SCALE) };
  });
  return { fromBlock, toBlock: latest, fromTime, toTime: latestTime, windowSeconds, perToken };
}

// ─── modules (Outpost's extension, devnet) ───────────────────────────────────

type ModuleSlash = {
  blockNumber: bigint;
  /** The block's timestamp. */
  time: bigint;
  /** Fraction of the module's weight taken, in basis points. */
  bps: bigint;
  weightBefore: bigint;
  weightAfter: bigint;
  transactionHash: Hash;
};

export type RestakingModule = {
  id: bigint;
  /** From ModuleRegistered; null when the event was before `fromBlock`. */
  name: string | null;
  owner: Address;
  operator: Address;
  /** Restaked weight now, after slashes (buckets in their unstake freeze do not count). */
  weight: bigint;
  /** Slash factor, 1e18 = never slashed. */
  factor: bigint;
  slashCount: bigint;
  /** Oldest first. */
  slashes: ModuleSlash[];
};

const MODULE_REGISTERED = getAbiItem({ abi: bucketStrategyDevnetAbi, name: 'ModuleRegistered' });
const MODULE_SLASHED = getAbiItem({ abi: bucketStrategyDevnetAbi, name: 'ModuleSlashed' });

/** Every module of our BucketStrategy with its state and slash history. Devnet only (throws `staking.extension_unavailable` elsewhere). */
export async function readRestakingModules(client: AnyClient, options: ReadOptions & { strategy: Address }): Promise<{ blockNumber: bigint; modules: RestakingModule[] }> {
  const chainId = client.chain?.id ?? (await client.getChainId());
  requireOutpostExtension(chainId, MODULE_READS);
  const { strategy } = options;
  const multicallAddress = multicallOf(client, options);
  const ours = { address: strategy, abi: bucketStrategyDevnetAbi } as const;
  let blockNumber: bigint;
  let infos: (readonly [Address, Address, bigint, bigint, bigint])[];
  try {
    blockNumber = await client.getBlockNumber({ cacheTime: 0 });
    const count = await client.readContract({ ...ours, functionName: 'moduleCount', blockNumber });
    const ids = Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1));
    infos = await client.multicall({ contracts: ids.map((id) => ({ ...ours, functionName: 'moduleInfo', args: [id] }) as const), allowFailure: false, blockNumber, multicallAddress });
  } catch (error) {
    throw readFailed(error);
  }
  const names = new Map<bigint, string>();
  const slashes = new Map<bigint, Omit<ModuleSlash, 'time'>[]>();
  await pageLogRange(
    { fromBlock: options.fromBlock ?? 0n, toBlock: blockNumber, ...(options.pageSize ? { pageSize: options.pageSize } : {}), ...(options.signal ? { signal: options.signal } : {}) },
    (from, to) =>
      Promise.all([
        client.getLogs({ address: strategy, event: MODULE_REGISTERED, fromBlock: from, toBlock: to, strict: true }),
        client.getLogs({ address: strategy, event: MODULE_SLASHED, fromBlock: from, toBlock: to, strict: true }),
      ]),
    ([registered, slashed]) => {
      for (const { args } of registered) names.set(args.moduleId, args.name);
      for (const log of slashed) {
        const list = slashes.get(log.args.moduleId) ?? [];
        list.push({ blockNumber: log.blockNumber, bps: log.args.bps, weightBefore: log.args.weightBefore, weightAfter: log.args.weightAfter, transactionHash: log.transactionHash });
        slashes.set(log.args.moduleId, list);
      }
    },
  );
  const times = await blockTimes(client, [...slashes.values()].flat().map((slash) => slash.blockNumber));
  const modules = infos.map(([owner, operator, weight, factor, slashCount], i) => {
    const id = BigInt(i + 1);
    return {
      id,
      name: names.get(id) ?? null,
      owner,
      operator,
      weight,
      factor,
      slashCount,
      slashes: (slashes.get(id) ?? []).map((slash) => ({ ...slash, time: times.get(slash.blockNumber) ?? 0n })),
    };
  });
  return { blockNumber, modules };
}

/** Timestamps of the given blocks, each read once. */
async function blockTimes(client: AnyClient, blocks: readonly bigint[]): Promise<Map<bigint, bigint>> {
  const unique = [...new Set(blocks)];
  try {
    const read = await Promise.all(unique.map((blockNumber) => client.getBlock({ blockNumber })));
    return new Map(read.map((block, i) => [unique[i]!, block.timestamp]));
  } catch (error) {
    throw readFailed(error);
  }
}

/** The module each restaked bucket backs (`restakeOf`; 0 for none), by id. Devnet only, like every module read. */
export async function readBucketModules(client: AnyClient, options: Pick<ReadOptions, 'multicallAddress'> & { strategy: Address; ids: readonly bigint[] }): Promise<Map<bigint, bigint>> {
  const chainId = client.chain?.id ?? (await client.getChainId());
  requireOutpostExtension(chainId, MODULE_READS);
  if (options.ids.length === 0) return new Map();
  try {
    const results = await client.multicall({
      contracts: options.ids.map((id) => ({ address: options.strategy, abi: bucketStrategyDevnetAbi, functionName: 'restakeOf', args: [id] }) as const),
      allowFailure: false,
      multicallAddress: multicallOf(client, options),
    });
    return new Map(results.map(([, moduleId], i) => [options.ids[i]!, moduleId]));
  } catch (error) {
    throw readFailed(error);
  }
}
