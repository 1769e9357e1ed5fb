import { encodeAbiParameters, encodeFunctionData, getAbiItem, getAddress, isAddress, type Address, type Chain, type PublicClient, type Transport } from 'viem';
import { bucketStrategyAbi, bucketStrategyDevnetAbi, systemStakingAbi } from '../abis/index.js';
import { OutpostError } from '../errors.js';
import type { JobRecord, JobSpec, StepSpec } from '../jobs/index.js';
import { pageLogRange } from './bucketIndex.js';
import { ONE_TRANSACTION_RESTAKE, RESTAKE_INTO_MODULE, requireOutpostExtension } from './restakingExtension.js';

/**
 * Restaking as transaction jobs (docs/jobs.md, docs/staking.md "Restaking"): one user action each,
 * every step's `landed()` read from the chain through IoTeX's MSP reads, so a reload, a second tab
 * or a reconnected wallet never repeats what is on-chain.
 *
 * - `restakeJob`, 'approve-and-stake': `SystemStaking.approve(strategy, id)`, then IoTeX's
 *   `stake(id)` (no module; IoTeX testnet too) or our `stake(id, moduleId)` (devnet). Two prompts.
 * - `restakeJob`, 'one-transaction': `SystemStaking.safeTransferFrom(account, strategy, id,
 *   abi.encode(moduleId))`; our strategy restakes the bucket on receipt (devnet only: IoTeX's parks
 *   the NFT for good). One prompt.
 * - `restakeUnstakeJob`: MSP `unstake(ids)` (the 7-day freeze starts); `restakeWithdrawJob`:
 *   `withdraw(ids, recipient)` after it; `claimRestakingRewardsJob`: `claimReward()`.
 *
 * Ids are `<kind>:<chain>:<account>:<subject>#<round>`: the same action finds the same job while it
 * is open, and doing it again after it finished (restake, unstake, withdraw, restake again) starts
 * round n+1 instead of meeting the finished record, which `runJob` would return untouched.
 */

export type RestakeMode = 'approve-and-stake' | 'one-transaction';

/** Wallet prompts per restake, for the screen: MSP's approve + stake, and ours in one. */
export const RESTAKE_PROMPTS: Readonly<Record<RestakeMode, number>> = { 'approve-and-stake': 2, 'one-transaction': 1 };

export const RESTAKING_JOB_KINDS = ['restake', 'restake-unstake', 'restake-withdraw', 'restake-claim'] as const;
type RestakingJobKind = (typeof RESTAKING_JOB_KINDS)[number];

/** Who acts, where, on which contracts; `jobs` (the account's stored jobs) picks the round of a new job. */
export type RestakingContext = {
  account: Address;
  chainId: number;
  systemStaking: Address;
  bucketStrategy: Address;
  jobs?: readonly JobRecord[];
};

type BaseParams = { staking: Address; strategy: Address; round: number };
export type RestakeParams = BaseParams & { bucketId: string; moduleId: string | null; mode: RestakeMode };
export type RestakeIdsParams = BaseParams & { ids: string[] };
export type RestakeWithdrawParams = RestakeIdsParams & { recipient: Address };
export type RestakeClaimParams = BaseParams & { fromBlock: string };

type AnyClient = PublicClient<Transport, Chain | undefined>;

// ─── reads every `landed()` uses (IoTeX's MSP surface) ───────────────────────

const readStaker = (client: AnyClient, strategy: Address, id: bigint) =>
  client.readContract({ address: strategy, abi: bucketStrategyAbi, functionName: 'bucketStaker', args: [id] });
const readStakeStatus = (client: AnyClient, strategy: Address, id: bigint) =>
  client.readContract({ address: strategy, abi: bucketStrategyAbi, functionName: 'stakeStatus', args: [id] });
const same = (a: Address, b: Address) => a.toLowerCase() === b.toLowerCase();

/** The strategy holds the bucket for `account` (restaked, or unstaked and not yet withdrawn). */
async function restakedBy(client: AnyClient, strategy: Address, id: bigint, account: Address): Promise<boolean> {
  return same(await readStaker(client, strategy, id), account);
}

/** The bucket is approved to the strategy (alone, or through approval for all). */
async function approvedTo(client: AnyClient, staking: Address, strategy: Address, id: bigint, account: Address): Promise<boolean> {
  const [approved, all] = await Promise.all([
    client.readContract({ address: staking, abi: systemStakingAbi, functionName: 'getApproved', args: [id] }),
    client.readContract({ address: staking, abi: systemStakingAbi, functionName: 'isApprovedForAll', args: [account, strategy] }),
  ]);
  return all || same(approved, strategy);
}

/** Of `ids`, those the strategy holds for `account` in MSP `stakeStatus` `status` (1 restaked, 2 unstaked). */
async function idsInStatus(client: AnyClient, strategy: Address, account: Address, ids: readonly bigint[], status: 1 | 2): Promise<bigint[]> {
  const states = await Promise.all(ids.map(async (id) => ({ id, status: await readStakeStatus(client, strategy, id), mine: await restakedBy(client, strategy, id, account) })));
  return states.filter((state) => state.status === status && state.mine).map((state) => state.id);
}

// ─── ids and rounds ──────────────────────────────────────────────────────────

const jobBase = (kind: RestakingJobKind, chainId: number, account: Address, subject: string) => `${kind}:${chainId}:${account.toLowerCase()}:${subject}`;

/** The open job of this action if there is one, else one round past the last finished one. */
function roundFor(jobs: readonly JobRecord[] | undefined, base: string): number {
  let last = 0;
  for (const job of jobs ?? []) {
    const match = job.id.startsWith(`${base}#`) ? Number(job.id.slice(base.length + 1)) : NaN;
    if (!Number.isSafeInteger(match)) continue;
    if (job.status !== 'done' && job.status !== 'cancelled') return match;
    last = Math.max(last, match);
  }
  return last + 1;
}

function identity<Params>(ctx: RestakingContext, kind: RestakingJobKind, subject: string, title: string, params: Omit<Params, 'round' | 'staking' | 'strategy'>, round?: number) {
  const base = jobBase(kind, ctx.chainId, ctx.account, subject);
  const chosen = round ?? roundFor(ctx.jobs, base);
  return {
    id: `${base}#${chosen}`,
    kind,
    title,
    account: ctx.account,
    chainId: ctx.chainId,
    params: { ...params, staking: getAddress(ctx.systemStaking), strategy: getAddress(ctx.bucketStrategy), round: chosen } as Params,
  };
}

const idList = (ids: readonly bigint[]) => [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const bucketsText = (ids: readonly bigint[]) => (ids.length === 1 ? `bucket #${ids[0]}` : `${ids.length} buckets (#${ids.join(', #')})`);

function requireIds(ids: readonly bigint[], what: string): bigint[] {
  const list = idList(ids);
  if (list.length === 0) throw new OutpostError('staking.restaking_job_invalid', `Choose at least one restaked bucket to ${what}.`, { hint: 'Pick the buckets in the list, then try again.' });
  return list;
}

// ─── restake ─────────────────────────────────────────────────────────────────

export type RestakeInput = { bucketId: bigint; moduleId: bigint | null; mode: RestakeMode; round?: number };

/**
 * Restakes a locked bucket of the account. A module (devnet) is any id ≥ 1; null restakes into the
 * strategy alone, which is what IoTeX's MSP does. Outpost extensions are refused on IoTeX networks
 * here, when the job is built, before anything can be sent.
 */
export function restakeJob(ctx: RestakingContext, input: RestakeInput): JobSpec<RestakeParams> {
  const { bucketId, moduleId, mode } = input;
  if (mode === 'one-transaction') requireOutpostExtension(ctx.chainId, ONE_TRANSACTION_RESTAKE);
  if (moduleId !== null) requireOutpostExtension(ctx.chainId, RESTAKE_INTO_MODULE);
  const { account, systemStaking: staking, bucketStrategy: strategy } = ctx;
  const into = moduleId === null ? 'restaking' : `module ${moduleId}`;
  const restaked = (client: AnyClient) => restakedBy(client, strategy, bucketId, account);

  const steps: StepSpec[] =
    mode === 'one-transaction'
      ? [
          {
            id: 'restake',
            label: `Restake bucket #${bucketId} into ${into} (one transaction)`,
            landed: restaked,
            request: () => ({
              to: staking,
              data: encodeFunctionData({
                abi: systemStakingAbi,
                functionName: 'safeTransferFrom',
                args: [account, strategy, bucketId, encodeAbiParameters([{ type: 'uint256' }], [moduleId ?? 0n])],
              }),
              abi: systemStakingAbi,
            }),
          },
        ]
      : [
          {
            id: 'approve',
            label: `Approve bucket #${bucketId} to the restaking contract`,
            // The stake uses the approval up: once restaked, the approval step counts as landed too.
            landed: async (client) => (await approvedTo(client, staking, strategy, bucketId, account)) || (await restaked(client)),
            request: () => ({ to: staking, data: encodeFunctionData({ abi: systemStakingAbi, functionName: 'approve', args: [strategy, bucketId] }), abi: systemStakingAbi }),
          },
          {
            id: 'stake',
            label: `Restake bucket #${bucketId} into ${into}`,
            landed: restaked,
            request: () =>
              moduleId === null
                ? { to: strategy, data: encodeFunctionData({ abi: bucketStrategyAbi, functionName: 'stake', args: [bucketId] }), abi: bucketStrategyAbi }
                : { to: strategy, data: encodeFunctionData({ abi: bucketStrategyDevnetAbi, functionName: 'stake', args: [bucketId, moduleId] }), abi: bucketStrategyDevnetAbi },
          },
        ];
  const title = `Restake bucket #${bucketId}${moduleId === null ? '' : ` into module ${moduleId}`}`;
  const params = { bucketId: bucketId.toString(), moduleId: moduleId === null ? null : moduleId.toString(), mode };
  return { ...identity<RestakeParams>(ctx, 'restake', `${bucketId}:${mode}`, title, params, input.round), steps };
}

// ─── unstake, withdraw ───────────────────────────────────────────────────────

/** MSP `unstake(ids)`: the buckets stop counting (and earning) at once and their 7-day freeze starts. One prompt for all. */
export function restakeUnstakeJob(ctx: RestakingContext, input: { ids: readonly bigint[]; round?: number }): JobSpec<RestakeIdsParams> {
  const ids = requireIds(input.ids, 'unstake');
  const { account, bucketStrategy: strategy } = ctx;
  /** Those still restaked by the account: a resume unstakes only these. */
  const toDo = (client: AnyClient) => idsInStatus(client, strategy, account, ids, 1);
  const step: StepSpec = {
    id: 'unstake',
    label: `Unstake ${bucketsText(ids)} from restaking (starts the 7-day freeze)`,
    // Stays true after the withdraw: stakeStatus is then 0, not 1.
    landed: async (client) => (await toDo(client)).length === 0,
    request: async (client) => ({ to: strategy, data: encodeFunctionData({ abi: bucketStrategyAbi, functionName: 'unstake', args: [await toDo(client)] }), abi: bucketStrategyAbi }),
  };
  const title = `Unstake ${bucketsText(ids)} from restaking`;
  return { ...identity<RestakeIdsParams>(ctx, 'restake-unstake', ids.join(','), title, { ids: ids.map(String) }, input.round), steps: [step] };
}

/** MSP `withdraw(ids, recipient)` once the freeze has passed: the buckets go back to `recipient` (the account or another address). */
export function restakeWithdrawJob(ctx: RestakingContext, input: { ids: readonly bigint[]; recipient: Address; round?: number }): JobSpec<RestakeWithdrawParams> {
  const ids = requireIds(input.ids, 'withdraw');
  if (!isAddress(input.recipient, { strict: false })) {
    throw new OutpostError('staking.restaking_job_invalid', 'The recipient of the withdrawn buckets is not an address.', { details: input.recipient, hint: 'Enter a 0x… or io1… address.' });
  }
  const recipient = getAddress(input.recipient);
  const { account, bucketStrategy: strategy } = ctx;
  /** Those the strategy still holds for the account, unstaked: a resume withdraws only these. */
  const toDo = (client: AnyClient) => idsInStatus(client, strategy, account, ids, 2);
  const step: StepSpec = {
    id: 'withdraw',
    label: `Withdraw ${bucketsText(ids)} from restaking to ${same(recipient, account) ? 'this account' : recipient}`,
    landed: async (client) => (await toDo(client)).length === 0,
    request: async (client) => ({ to: strategy, data: encodeFunctionData({ abi: bucketStrategyAbi, functionName: 'withdraw', args: [await toDo(client), recipient] }), abi: bucketStrategyAbi }),
  };
  const title = `Withdraw ${bucketsText(ids)} from restaking`;
  return { ...identity<RestakeWithdrawParams>(ctx, 'restake-withdraw', ids.join(','), title, { ids: ids.map(String), recipient }, input.round), steps: [step] };
}

// ─── claim ───────────────────────────────────────────────────────────────────

const CLAIM_REWARD = getAbiItem({ abi: bucketStrategyAbi, name: 'ClaimReward' });

/**
 * IoTeX's `claimReward()`: pays the account's pending rewards of every reward token. `fromBlock` is
 * the block the pending figures the person chose to claim were read at. Landed: nothing is pending,
 * or the strategy has paid the account (a ClaimReward log) since that block. The second half matters
 * because rewards keep arriving: a distribution landing between the claim and a resume's check
 * makes something pending again, and a check on "all zero" alone would claim a second time.
 */
export function claimRestakingRewardsJob(ctx: RestakingContext, input: { fromBlock: bigint; round?: number }): JobSpec<RestakeClaimParams> {
  const { account, bucketStrategy: strategy } = ctx;
  const { fromBlock } = input;
  const step: StepSpec = {
    id: 'claim',
    label: 'Claim restaking rewards',
    landed: async (client) => {
      const pending = await client.readContract({ address: strategy, abi: bucketStrategyAbi, functionName: 'pendingRewards', args: [account] });
      if (pending.every((amount) => amount === 0n)) return true;
      return paidSince(client, strategy, account, fromBlock + 1n);
    },
    request: () => ({ to: strategy, data: encodeFunctionData({ abi: bucketStrategyAbi, functionName: 'claimReward', args: [] }), abi: bucketStrategyAbi }),
  };
  return { ...identity<RestakeClaimParams>(ctx, 'restake-claim', 'rewards', 'Claim restaking rewards', { fromBlock: fromBlock.toString() }, input.round), steps: [step] };
}

/** Whether the strategy paid `account` any reward from `fromBlock` on (paged: IoTeX caps log ranges). */
async function paidSince(client: AnyClient, strategy: Address, account: Address, fromBlock: bigint): Promise<boolean> {
  const latest = await client.getBlockNumber({ cacheTime: 0 });
  let paid = false;
  await pageLogRange(
    { fromBlock, toBlock: latest },
    (from, to) => (paid ? Promise.resolve([]) : client.getLogs({ address: strategy, event: CLAIM_REWARD, args: { staker: account }, fromBlock: from, toBlock: to })),
    (logs) => {
      if (logs.length > 0) paid = true;
    },
  );
  return paid;
}

// ─── rebuilding after a reload ───────────────────────────────────────────────

const DECIMAL = /^\d{1,78}$/;

function invalid(record: JobRecord, what: string): OutpostError {
  return new OutpostError('staking.restaking_job_invalid', `The stored job “${record.title}” cannot be read back.`, {
    details: what,
    hint: 'Cancel it and start the action again: steps already on-chain are found and skipped.',
  });
}

/** For `JobsState.register(kind, rebuildRestakingJob)`: the spec again from a stored record's kind and params. */
export function rebuildRestakingJob(record: JobRecord): JobSpec {
  const params = (record.params ?? {}) as Record<string, unknown>;
  const address = (key: string): Address => {
    const value = params[key];
    if (typeof value !== 'string' || !isAddress(value, { strict: false })) throw invalid(record, `${key} is not an address`);
    return getAddress(value);
  };
  const integer = (key: string): bigint => {
    const value = params[key];
    if (typeof value !== 'string' || !DECIMAL.test(value)) throw invalid(record, `${key} is not a decimal integer`);
    return BigInt(value);
  };
  const ids = (): bigint[] => {
    const value = params.ids;
    if (!Array.isArray(value) || !value.every((id) => typeof id === 'string' && DECIMAL.test(id))) throw invalid(record, 'ids is not a list of bucket ids');
    return value.map((id) => BigInt(id as string));
  };
  const round = params.round;
  if (typeof round !== 'number' || !Number.isSafeInteger(round) || round < 1) throw invalid(record, 'round is not a positive integer');
  const ctx: RestakingContext = { account: record.account, chainId: record.chainId, systemStaking: address('staking'), bucketStrategy: address('strategy') };
  switch (record.kind as RestakingJobKind) {
    case 'restake': {
      const mode = params.mode;
      if (mode !== 'approve-and-stake' && mode !== 'one-transaction') throw invalid(record, `unknown restake mode ${String(mode)}`);
      return restakeJob(ctx, { bucketId: integer('bucketId'), moduleId: params.moduleId === null ? null : integer('moduleId'), mode, round });
    }
    case 'restake-unstake':
      return restakeUnstakeJob(ctx, { ids: ids(), round });
    case 'restake-withdraw':
      return restakeWithdrawJob(ctx, { ids: ids(), recipient: address('recipient'), round });
    case 'restake-claim':
      return claimRestakingRewardsJob(ctx, { fromBlock: integer('fromBlock'), round });
    default:
      throw invalid(record, `kind ${record.kind} is not a restaking job`);
  }
}
