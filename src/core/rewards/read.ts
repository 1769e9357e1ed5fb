import * as v from 'valibot';
import { getAbiItem, getAddress, isAddress, isAddressEqual, zeroHash, type Abi, type Address, type Chain, type Hash, type Hex, type PublicClient, type Transport } from 'viem';
import { bucketStrategyAbi, dataRewardsAbi, ioIDAbi } from '../abis/index.js';
import { rewardLeaf, verifyMerkleProof } from '../batch/merkle.js';
import { ErrorBodySchema, issuesText, RewardsResponseSchema, type RewardClaim } from '../relayWire/schemas.js';
import { pageLogRange } from '../staking/bucketIndex.js';
import { readRestakingFigures } from '../staking/restakingReads.js';
import { readFailed, RewardsError } from './errors.js';
import { iotx, reconcileClaims, reconcileRelayFigure, relayFigureOf, shortAddress, type DueReward, type RelayFigures } from './reconcile.js';
import type { ClaimRecord, DataReward, ReconcileFinding, RestakingReward, RewardsContracts, RewardsOverview, RewardState } from './types.js';

/**
 * What the Rewards screen reads (docs/rewards.md): the account's devices (its ioIDs), each device's
 * rewards from the relay, every one checked against the root DataRewards holds for its epoch before
 * it is offered, restaking's pending rewards, and the account's claim history from the logs.
 *
 * Sized for 100 devices × 30 epochs: the relay is asked per device, 8 at a time; each epoch's
 * `epochOf` is read once; `isClaimed` for every reward goes in one Multicall3 read (chunked by viem),
 * all pinned to one block.
 */

type AnyClient = PublicClient<Transport, Chain | undefined>;

/** Relay requests in flight at once: enough to hide latency, few enough not to look like a flood. */
const RELAY_CONCURRENCY = 8;
const RELAY_TIMEOUT_MS = 15_000;
/** Bytes of calldata per Multicall3 call: viem's default (1 KiB) would split 3,000 reads into hundreds of requests. */
const MULTICALL_CHUNK_BYTES = 32_768;

type Call = { address: Address; abi: Abi; functionName: string; args?: readonly unknown[] };
type ReadOptions = { blockNumber?: bigint; multicallAddress?: Address | null };

/** Every call's result, through Multicall3 when its address is known, one `eth_call` each otherwise (a chain definition without it). */
export async function readMany<T>(client: AnyClient, calls: readonly Call[], options: ReadOptions = {}): Promise<T[]> {
  if (calls.length === 0) return [];
  const multicallAddress = options.multicallAddress ?? client.chain?.contracts?.multicall3?.address;
  const at = options.blockNumber === undefined ? {} : { blockNumber: options.blockNumber };
  if (multicallAddress) {
    return (await client.multicall({ contracts: calls as never, allowFailure: false, multicallAddress, batchSize: MULTICALL_CHUNK_BYTES, ...at })) as T[];
  }
  return Promise.all(calls.map((call) => client.readContract({ ...call, ...at } as never) as Promise<T>));
}

/** Runs `fn` over `items` with at most `limit` running at once, results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const DID = /^did:io:(0x[0-9a-fA-F]{40})$/;

/**
 * The devices whose ioID the account holds: ioID `balanceOf`, `tokenOfOwnerByIndex`, then
 * `wallet(id)`, whose DID (`did:io:0x<device>`) names the device. An ioID whose device was removed
 * has an empty DID and is left out.
 */
export async function devicesOwnedBy(client: AnyClient, ctx: { account: Address; contracts: RewardsContracts } & ReadOptions): Promise<Address[]> {
  const ioid = ctx.contracts.ioid;
  if (ioid === null) return [];
  const options = { blockNumber: ctx.blockNumber, multicallAddress: ctx.multicallAddress };
  try {
    const [count] = await readMany<bigint>(client, [{ address: ioid, abi: ioIDAbi, functionName: 'balanceOf', args: [ctx.account] }], options);
    const indexes = Array.from({ length: Number(count ?? 0n) }, (_, i) => BigInt(i));
    const ids = await readMany<bigint>(client, indexes.map((i) => ({ address: ioid, abi: ioIDAbi, functionName: 'tokenOfOwnerByIndex', args: [ctx.account, i] })), options);
    const wallets = await readMany<readonly [Address, string]>(client, ids.map((id) => ({ address: ioid, abi: ioIDAbi, functionName: 'wallet', args: [id] })), options);
    return wallets.flatMap(([, did]) => {
      const match = DID.exec(did);
      return match ? [getAddress(match[1]!)] : [];
    });
  } catch (error) {
    throw readFailed('the account’s ioIDs', error);
  }
}

/** GET /v1/rewards/{device}, validated with the relay's wire schema; `rewards.relay_unreachable` / `rewards.relay_bad_answer` otherwise. */
export async function fetchDeviceRewards(relayUrl: string, device: Address, fetchFn: typeof fetch = fetch): Promise<RewardClaim[]> {
  const url = `${relayUrl.replace(/\/+$/, '')}/v1/rewards/${getAddress(device)}`;
  const unreachable = (details: string, cause?: unknown) =>
    new RewardsError('rewards.relay_unreachable', 'The relay could not be reached, so data rewards cannot be listed.', {
      details,
      cause,
      hint: 'Rewards already on-chain are still shown. Try again later, or check the relay address in Settings.',
    });
  const bad = (details: string) =>
    new RewardsError('rewards.relay_bad_answer', 'The relay answered something that is not a list of rewards.', {
      details,
      hint: 'Nothing from it is shown. If this persists, the relay is not an Outpost relay or is out of date.',
    });
  let response: Response;
  try {
    // A relay behind a dead network can leave a request open for minutes; the screen has the chain parts meanwhile.
    response = await fetchFn(url, { method: 'GET', signal: AbortSignal.timeout(RELAY_TIMEOUT_MS) });
  } catch (error) {
    throw unreachable(error instanceof Error ? error.message : String(error), error);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const refusal = v.safeParse(ErrorBodySchema, body);
    const details = `HTTP ${response.status}${refusal.success ? ` ${refusal.output.error.code}: ${refusal.output.error.message}` : ''}`;
    throw response.status >= 500 || response.status === 429 ? unreachable(details) : bad(details);
  }
  const parsed = v.safeParse(RewardsResponseSchema, body);
  if (!parsed.success) throw bad(issuesText(parsed.issues));
  // A proof for another device would be checked against the wrong leaf: refuse the answer as a whole.
  const strays = parsed.output.rewards.filter((reward) => !isAddressEqual(reward.device as Address, device));
  if (!isAddressEqual(parsed.output.device as Address, device) || strays.length > 0) throw bad(`asked for ${device}, answered for ${parsed.output.device}`);
  return parsed.output.rewards;
}

type EpochOnChain = { root: Hex; total: bigint; claimed: bigint; postedAt: bigint; recovered: boolean };

const REWARD_CLAIMED = getAbiItem({ abi: dataRewardsAbi, name: 'RewardClaimed' });
const CLAIM_REWARD = getAbiItem({ abi: bucketStrategyAbi, name: 'ClaimReward' });

export type ReadRewardsOverviewInput = {
  account: Address;
  chainId: number;
  contracts: RewardsContracts;
  relayUrl: string | null;
  /** Devices to ask the relay about besides the account's ioIDs (e.g. a device just paired). */
  extraDevices?: Address[];
  fetchFn?: typeof fetch;
  /** Where the claim history starts (the contracts' deployment block; 0 unless known). */
  fromBlock?: bigint;
  /** Blocks per log query (IoTeX's nodes cap a query's range); bucketIndex.ts's default unless told. */
  pageSize?: bigint;
  /** Multicall3's address; the chain definition's unless told. */
  multicallAddress?: Address;
};

export async function readRewardsOverview(client: AnyClient, input: ReadRewardsOverviewInput): Promise<RewardsOverview> {
  const { account, chainId, contracts, relayUrl, fetchFn = fetch } = input;
  const multicallAddress = input.multicallAddress ?? client.chain?.contracts?.multicall3?.address ?? null;
  let block;
  try {
    block = await client.getBlock({ blockTag: 'latest' });
  } catch (error) {
    throw readFailed('the latest block', error);
  }
  const blockNumber = block.number;
  const chainTime = Number(block.timestamp);
  const options = { blockNumber, multicallAddress };

  const owned = await devicesOwnedBy(client, { account, contracts, ...options });
  const devices = [...new Map([...owned, ...(input.extraDevices ?? [])].filter((device) => isAddress(device, { strict: false })).map((device) => [device.toLowerCase(), getAddress(device)])).values()];

  // The relay, per device; a device it cannot answer for leaves the others standing.
  let relayError: unknown = null;
  let relayRewards: RewardClaim[] = [];
  if (relayUrl === null) {
    if (devices.length > 0) {
      relayError = new RewardsError('rewards.relay_unreachable', 'No relay is set for this network, so data rewards cannot be listed.', { hint: 'Set the relay address in Settings.' });
    }
  } else {
    const answers = await mapLimit(devices, RELAY_CONCURRENCY, (device) =>
      fetchDeviceRewards(relayUrl, device, fetchFn).then(
        (rewards) => ({ rewards, error: null }),
        (error: unknown) => ({ rewards: [] as RewardClaim[], error }),
      ),
    );
    relayError = answers.find((answer) => answer.error !== null)?.error ?? null;
    relayRewards = answers.flatMap((answer) => answer.rewards);
  }

  const [data, history, restaking] = await Promise.all([
    checkRewards(client, contracts.dataRewards, relayRewards, chainTime, options),
    readHistory(client, { account, contracts, fromBlock: input.fromBlock ?? 0n, toBlock: blockNumber, pageSize: input.pageSize }),
    readRestaking(client, account, contracts.bucketStrategy, multicallAddress),
  ]);

  // What each reward's claim tells, from the account's own payments.
  const paidData = new Map(history.filter((record) => record.source === 'data').map((record) => [`${record.epoch}:${record.device!.toLowerCase()}`, record]));
  for (const reward of data) {
    const record = paidData.get(`${reward.epoch}:${reward.device.toLowerCase()}`);
    if (record) {
      reward.claimedTx = record.txHash;
      reward.claimedAt = record.at;
    }
  }
  const due: DueReward[] = data
    .filter((reward) => reward.state !== 'unverified')
    .map((reward) => ({ source: 'data', epoch: reward.epoch, device: reward.device, amount: reward.amount, expired: reward.state === 'expired', claimed: reward.state === 'claimed' }));
  const settled = reconcileClaims(due, history);
  // A map, not a search per finding: 3,000 rewards × 3,000 findings would be millions of address comparisons.
  const byKey = new Map(data.map((reward) => [`${reward.epoch}:${reward.device.toLowerCase()}`, reward]));
  for (const finding of settled) {
    if (finding.device !== null) byKey.get(`${finding.epoch}:${finding.device.toLowerCase()}`)?.findings.push(finding);
  }
  const findings = [...data.flatMap((reward) => reward.findings), ...settled.filter((finding) => finding.kind === 'unknown-source')];
  return { account, chainId, block: blockNumber, chainTime, devices, data, restaking, history, findings, relayError };
}

/** Every relay reward checked against the chain: the posted root, the claimed flag, the window. */
async function checkRewards(client: AnyClient, dataRewards: Address | null, rewards: readonly RewardClaim[], chainTime: number, options: ReadOptions): Promise<DataReward[]> {
  if (rewards.length === 0) return [];
  const epochs = [...new Set(rewards.map((reward) => reward.epoch))];
  const onChain = new Map<number, EpochOnChain>();
  let claimWindow = 0n;
  let claimed: boolean[] = [];
  if (dataRewards !== null) {
    const contract = { address: dataRewards, abi: dataRewardsAbi as Abi } as const;
    try {
      const [window, ...states] = await readMany<bigint | readonly [Hex, bigint, bigint, bigint, boolean]>(
        client,
        [{ ...contract, functionName: 'claimWindow' }, ...epochs.map((epoch) => ({ ...contract, functionName: 'epochOf', args: [BigInt(epoch)] }))],
        options,
      );
      claimWindow = window as bigint;
      states.forEach((state, i) => {
        const [root, total, claimedSoFar, postedAt, recovered] = state as readonly [Hex, bigint, bigint, bigint, boolean];
        onChain.set(epochs[i]!, { root, total, claimed: claimedSoFar, postedAt, recovered });
      });
      claimed = await readMany<boolean>(client, rewards.map((reward) => ({ ...contract, functionName: 'isClaimed', args: [BigInt(reward.epoch), getAddress(reward.device)] })), options);
    } catch (error) {
      throw readFailed('the data rewards contract', error);
    }
  }
  return rewards.map((reward, i) => {
    const device = getAddress(reward.device);
    const amount = BigInt(reward.amount);
    const epoch = onChain.get(reward.epoch);
    const findings: ReconcileFinding[] = [];
    const base = { epoch: reward.epoch, device, expected: amount, actual: null };
    const figures: RelayFigures = reward.figures;
    const posted = epoch !== undefined && epoch.root !== zeroHash;
    let state: RewardState;
    if (!posted) {
      state = 'unverified';
      const waiting = reward.status === 'queued' || reward.status === 'sent';
      findings.push({
        ...base,
        kind: 'root-missing',
        severity: waiting ? 'warn' : 'error',
        text:
          dataRewards === null
            ? `Epoch ${reward.epoch}: this network has no data rewards contract, so the relay's ${iotx(amount)} for device ${shortAddress(device)} cannot be checked.`
            : waiting
              ? `Epoch ${reward.epoch}: the relay's root is not on-chain yet (its transaction is ${reward.status}); ${iotx(amount)} for device ${shortAddress(device)} can be claimed once it is.`
              : `Epoch ${reward.epoch}: no root is posted on-chain, yet the relay lists ${iotx(amount)} for device ${shortAddress(device)} (its root transaction is ${reward.status}).`,
      });
    } else if (!verifyMerkleProof(reward.proof as Hash[], epoch.root, rewardLeaf(BigInt(reward.epoch), device, amount))) {
      state = 'unverified';
      findings.push({
        ...base,
        kind: 'proof-not-on-chain',
        severity: 'error',
        text: `Epoch ${reward.epoch}: the relay's proof of ${iotx(amount)} for device ${shortAddress(device)} does not match the root posted on-chain (${epoch.root.slice(0, 10)}…${reward.root.toLowerCase() === epoch.root.toLowerCase() ? '' : `; the relay's root is ${reward.root.slice(0, 10)}…`}).`,
      });
    } else if (claimed[i]) {
      state = 'claimed';
    } else {
      // The contract closes a claim when block.timestamp > closesAt; the next block is at least a second later than this one.
      state = epoch.recovered || chainTime >= Number(epoch.postedAt + claimWindow) ? 'expired' : 'claimable';
    }
    if (posted && state !== 'unverified') {
      const mismatch = reconcileRelayFigure({ epoch: reward.epoch, device, amount, figures });
      if (mismatch) findings.push(mismatch);
    }
    return {
      source: 'data',
      epoch: reward.epoch,
      device,
      amount,
      proof: reward.proof as Hex[],
      state,
      postedAt: posted ? Number(epoch.postedAt) : null,
      closesAt: posted ? Number(epoch.postedAt + claimWindow) : null,
      claimedTx: null,
      claimedAt: null,
      relayFigure: relayFigureOf(figures),
      findings,
    } satisfies DataReward;
  });
}

/** The account's payments: DataRewards `RewardClaimed` (owner = account) and BucketStrategy `ClaimReward` (staker = account), oldest first, with block times. */
async function readHistory(
  client: AnyClient,
  input: { account: Address; contracts: RewardsContracts; fromBlock: bigint; toBlock: bigint; pageSize: bigint | undefined },
): Promise<ClaimRecord[]> {
  const { account, contracts } = input;
  const { dataRewards, bucketStrategy } = contracts;
  const found: (Omit<ClaimRecord, 'at'> & { logIndex: number })[] = [];
  if (dataRewards === null && bucketStrategy === null) return [];
  await pageLogRange(
    { fromBlock: input.fromBlock, toBlock: input.toBlock, ...(input.pageSize ? { pageSize: input.pageSize } : {}) },
    (from, to) =>
      Promise.all([
        dataRewards === null ? [] : client.getLogs({ address: dataRewards, event: REWARD_CLAIMED, args: { owner: account }, fromBlock: from, toBlock: to, strict: true }),
        bucketStrategy === null ? [] : client.getLogs({ address: bucketStrategy, event: CLAIM_REWARD, args: { staker: account }, fromBlock: from, toBlock: to, strict: true }),
      ]),
    ([data, restaking]) => {
      for (const log of data) {
        found.push({ source: 'data', amount: log.args.amount, token: null, epoch: Number(log.args.epoch), device: getAddress(log.args.device), txHash: log.transactionHash, block: log.blockNumber, logIndex: log.logIndex });
      }
      for (const log of restaking) {
        found.push({ source: 'restaking', amount: log.args.amount, token: getAddress(log.args.token), epoch: null, device: null, txHash: log.transactionHash, block: log.blockNumber, logIndex: log.logIndex });
      }
    },
  );
  found.sort((a, b) => (a.block === b.block ? a.logIndex - b.logIndex : a.block < b.block ? -1 : 1));
  const blocks = [...new Set(found.map((record) => record.block))];
  let times: bigint[];
  try {
    times = await mapLimit(blocks, RELAY_CONCURRENCY, async (blockNumber) => (await client.getBlock({ blockNumber })).timestamp);
  } catch (error) {
    throw readFailed('the claim history', error);
  }
  const timeOf = new Map(blocks.map((blockNumber, i) => [blockNumber, Number(times[i])]));
  return found.map(({ logIndex: _logIndex, ...record }) => ({ ...record, at: timeOf.get(record.block) ?? 0 }));
}

/** MSP `pendingRewards` per reward token, through the restaking screen's own read (restakingReads.ts). */
async function readRestaking(client: AnyClient, account: Address, strategy: Address | null, multicallAddress: Address | null): Promise<RestakingReward[]> {
  if (strategy === null) return [];
  let strategyManager: Address;
  try {
    strategyManager = await client.readContract({ address: strategy, abi: bucketStrategyAbi, functionName: 'strategyManager' });
  } catch (error) {
    throw readFailed('restaking rewards', error);
  }
  // The reward-rate estimate is not shown here: a one-block window keeps its log read to one page.
  const figures = await readRestakingFigures(client, { strategy, strategyManager, account, rewardWindowBlocks: 1n, ...(multicallAddress ? { multicallAddress } : {}) });
  return figures.rewards.map((reward) => ({ source: 'restaking', strategy, token: reward.token, symbol: reward.symbol ?? shortAddress(reward.token), pending: reward.pending }));
}
