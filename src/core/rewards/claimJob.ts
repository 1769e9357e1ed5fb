import { encodeFunctionData, getAbiItem, getAddress, isAddress, isHex, keccak256, toHex, type Address, type Chain, type Hex, type PublicClient, type Transport } from 'viem';
import { bucketStrategyAbi, dataRewardsAbi } from '../abis/index.js';
import type { JobCall, JobRecord, JobSpec, StepSpec } from '../jobs/index.js';
import { pageLogRange } from '../staking/bucketIndex.js';
import { RewardsError } from './errors.js';
import { readMany } from './read.js';
import { iotx } from './reconcile.js';
import type { DataReward, RewardsContracts } from './types.js';

/**
 * "Claim" on the Rewards screen as ONE transaction job (docs/jobs.md, docs/rewards.md): one
 * reward, all of one kind, or everything, with at most two steps:
 *
 * - 'data': one `DataRewards.claimMany(claims)` of the chosen rewards still open. Landed when every
 *   one is claimed (the contract's own flag) or can no longer be (its window closed), so a resume
 *   never claims twice and never waits for what cannot happen; the call is built from the chain at
 *   the time, so a resume sends only what is still unclaimed.
 * - 'restaking': MSP `claimReward()`, landed as `claimRestakingRewardsJob`'s (restakingJobs.ts):
 *   nothing pending, or a ClaimReward to the account since the block the figures were read at.
 *
 * Params are plain data, enough to rebuild the job after a reload (`rebuildRewardsClaimJob`).
 */

export const REWARDS_CLAIM_JOB_KIND = 'rewards-claim';

export type RewardsClaimSelection = { data: readonly DataReward[]; restaking: boolean };

type ClaimParam = { epoch: number; device: Address; amount: string; proof: Hex[] };
export type RewardsClaimParams = {
  dataRewards: Address | null;
  bucketStrategy: Address | null;
  /** The block the screen's figures were read at (the restaking step's "paid since"). */
  fromBlock: string;
  round: number;
  claims: ClaimParam[];
  restaking: boolean;
};

type AnyClient = PublicClient<Transport, Chain | undefined>;
type RewardsClaimContext = { account: Address; chainId: number; contracts: RewardsContracts; fromBlock: bigint; jobs?: readonly JobRecord[] };

// ─── ids and rounds (as restakingJobs.ts) ────────────────────────────────────

/** The open job of this selection if there is one, else one round past the last finished one. */
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

/** The same selection gives the same id: a digest of what is claimed (3,000 rewards do not fit in an id). */
function baseId(chainId: number, account: Address, claims: readonly ClaimParam[], restaking: boolean): string {
  const subject = [...claims.map((claim) => `${claim.epoch}/${claim.device.toLowerCase()}`), restaking ? 'restaking' : ''].join(',');
  return `${REWARDS_CLAIM_JOB_KIND}:${chainId}:${account.toLowerCase()}:${keccak256(toHex(subject)).slice(2, 18)}`;
}

// ─── steps ───────────────────────────────────────────────────────────────────

/** Of `claims`, those still unclaimed whose window is open, read from the chain now. */
async function stillOpen(client: AnyClient, dataRewards: Address, claims: readonly ClaimParam[]): Promise<ClaimParam[]> {
  const contract = { address: dataRewards, abi: dataRewardsAbi } as const;
  const block = await client.getBlock({ blockTag: 'latest' });
  const epochs = [...new Set(claims.map((claim) => claim.epoch))];
  const options = { blockNumber: block.number };
  const [window, ...states] = await readMany<bigint | readonly [Hex, bigint, bigint, bigint, boolean]>(
    client,
    [{ ...contract, functionName: 'claimWindow' }, ...epochs.map((epoch) => ({ ...contract, functionName: 'epochOf', args: [BigInt(epoch)] }))],
    options,
  );
  const open = new Map(
    epochs.map((epoch, i) => {
      const [, , , postedAt, recovered] = states[i] as readonly [Hex, bigint, bigint, bigint, boolean];
      // Closed when block.timestamp > postedAt + window; the next block is later than this one.
      return [epoch, !recovered && postedAt > 0n && block.timestamp < postedAt + (window as bigint)];
    }),
  );
  const claimed = await readMany<boolean>(client, claims.map((claim) => ({ ...contract, functionName: 'isClaimed', args: [BigInt(claim.epoch), claim.device] })), options);
  return claims.filter((claim, i) => !claimed[i] && open.get(claim.epoch) === true);
}

function dataStep(dataRewards: Address, claims: readonly ClaimParam[]): StepSpec {
  const sum = claims.reduce((total, claim) => total + BigInt(claim.amount), 0n);
  return {
    id: 'data',
    label: `Claim ${claims.length === 1 ? `the data reward of epoch ${claims[0]!.epoch}` : `${claims.length} data rewards`} (${iotx(sum)})`,
    landed: async (client) => (await stillOpen(client, dataRewards, claims)).length === 0,
    request: async (client) => {
      const open = await stillOpen(client, dataRewards, claims);
      if (open.length === 0) throw nothingToClaim();
      const args = open.map((claim) => ({ epoch: BigInt(claim.epoch), device: claim.device, amount: BigInt(claim.amount), proof: claim.proof }));
      return { to: dataRewards, data: encodeFunctionData({ abi: dataRewardsAbi, functionName: 'claimMany', args: [args] }), abi: dataRewardsAbi };
    },
  };
}

const CLAIM_REWARD = getAbiItem({ abi: bucketStrategyAbi, name: 'ClaimReward' });

/** The step of restakingJobs.ts's claimRestakingRewardsJob, rebuilt here with the same `landed`. */
function restakingStep(strategy: Address, account: Address, fromBlock: bigint): StepSpec {
  return {
    id: 'restaking',
    label: 'Claim restaking rewards',
    landed: async (client) => {
      const pending = await client.readContract({ address: strategy, abi: bucketStrategyAbi, functionName: 'pendingRewards', args: [account] });
      if (pending.every((amount) => amount === 0n)) return true;
      // Rewards keep arriving: a distribution between the claim and a resume makes something pending again.
      const latest = await client.getBlockNumber({ cacheTime: 0 });
      let paid = false;
      await pageLogRange(
        { fromBlock: fromBlock + 1n, toBlock: latest },
        (from, to) => (paid ? Promise.resolve([]) : client.getLogs({ address: strategy, event: CLAIM_REWARD, args: { staker: account }, fromBlock: from, toBlock: to })),
        (logs) => {
          if (logs.length > 0) paid = true;
        },
      );
      return paid;
    },
    request: () => ({ to: strategy, data: encodeFunctionData({ abi: bucketStrategyAbi, functionName: 'claimReward', args: [] }), abi: bucketStrategyAbi }),
  };
}

function nothingToClaim(): RewardsError {
  return new RewardsError('rewards.nothing_to_claim', 'There is nothing left to claim in this selection.', {
    hint: 'Rewards already claimed, expired or not yet verified against the chain cannot be claimed. Refresh the list.',
  });
}

function noContract(what: string): RewardsError {
  return new RewardsError('rewards.no_contract', `This network has no ${what} contract configured, so its rewards cannot be claimed.`, {
    hint: 'Choose a network that has it, or claim the other kind alone.',
  });
}

function build(account: Address, chainId: number, params: RewardsClaimParams): JobSpec<RewardsClaimParams> {
  const steps: StepSpec[] = [];
  if (params.claims.length > 0) {
    if (params.dataRewards === null) throw noContract('data rewards');
    steps.push(dataStep(params.dataRewards, params.claims));
  }
  if (params.restaking) {
    if (params.bucketStrategy === null) throw noContract('restaking');
    steps.push(restakingStep(params.bucketStrategy, account, BigInt(params.fromBlock)));
  }
  if (steps.length === 0) throw nothingToClaim();
  const n = params.claims.length;
  const parts = [n > 0 ? `${n} data reward${n === 1 ? '' : 's'}` : null, params.restaking ? 'restaking rewards' : null].filter(Boolean);
  return {
    id: `${baseId(chainId, account, params.claims, params.restaking)}#${params.round}`,
    kind: REWARDS_CLAIM_JOB_KIND,
    title: `Claim ${parts.join(' and ')}`,
    account,
    chainId,
    params,
    steps,
  };
}

/**
 * The job for a selection. Only claimable data rewards go in (claimed, expired and unverified ones
 * would make the whole claimMany revert), each (epoch, device) once; `rewards.nothing_to_claim` when
 * nothing is left, `rewards.no_contract` when the network lacks the contract.
 */
export function rewardsClaimJob(ctx: RewardsClaimContext, selection: RewardsClaimSelection): JobSpec<RewardsClaimParams> {
  const claims = new Map<string, ClaimParam>();
  for (const reward of selection.data) {
    if (reward.state !== 'claimable') continue;
    const device = getAddress(reward.device);
    claims.set(`${reward.epoch}:${device}`, { epoch: reward.epoch, device, amount: reward.amount.toString(), proof: [...reward.proof] });
  }
  const sorted = [...claims.values()].sort((a, b) => a.epoch - b.epoch || a.device.toLowerCase().localeCompare(b.device.toLowerCase()));
  const base = baseId(ctx.chainId, ctx.account, sorted, selection.restaking);
  const { dataRewards, bucketStrategy } = ctx.contracts;
  return build(ctx.account, ctx.chainId, {
    dataRewards: dataRewards && getAddress(dataRewards),
    bucketStrategy: bucketStrategy && getAddress(bucketStrategy),
    fromBlock: ctx.fromBlock.toString(),
    round: roundFor(ctx.jobs, base),
    claims: sorted,
    restaking: selection.restaking,
  });
}

// ─── rebuilding after a reload ───────────────────────────────────────────────

const DECIMAL = /^\d{1,78}$/;

function invalid(record: JobRecord, what: string): RewardsError {
  return new RewardsError('rewards.job_invalid', `The stored job “${record.title}” cannot be read back.`, {
    details: what,
    hint: 'Cancel it and claim again from the Rewards screen: what was already claimed is found and skipped.',
  });
}

/** For `JobsState.register(REWARDS_CLAIM_JOB_KIND, rebuildRewardsClaimJob)`: the spec again from a stored record. */
export function rebuildRewardsClaimJob(record: JobRecord): JobSpec {
  if (record.kind !== REWARDS_CLAIM_JOB_KIND) throw invalid(record, `kind ${record.kind} is not a rewards claim`);
  const params = (record.params ?? {}) as Record<string, unknown>;
  const optionalAddress = (key: string): Address | null => {
    const value = params[key];
    if (value === null) return null;
    if (typeof value !== 'string' || !isAddress(value, { strict: false })) throw invalid(record, `${key} is not an address`);
    return getAddress(value);
  };
  const { fromBlock, round, restaking, claims } = params;
  if (typeof fromBlock !== 'string' || !DECIMAL.test(fromBlock)) throw invalid(record, 'fromBlock is not a decimal integer');
  if (typeof round !== 'number' || !Number.isSafeInteger(round) || round < 1) throw invalid(record, 'round is not a positive integer');
  if (typeof restaking !== 'boolean') throw invalid(record, 'restaking is not true or false');
  if (!Array.isArray(claims)) throw invalid(record, 'claims is not a list');
  const read = claims.map((claim: unknown, i): ClaimParam => {
    const c = (claim ?? {}) as Record<string, unknown>;
    const ok =
      typeof c.epoch === 'number' &&
      Number.isSafeInteger(c.epoch) &&
      c.epoch >= 0 &&
      typeof c.device === 'string' &&
      isAddress(c.device, { strict: false }) &&
      typeof c.amount === 'string' &&
      DECIMAL.test(c.amount) &&
      Array.isArray(c.proof) &&
      c.proof.every((node) => typeof node === 'string' && isHex(node, { strict: true }) && node.length === 66);
    if (!ok) throw invalid(record, `claim ${i + 1} is not an (epoch, device, amount, proof)`);
    return { epoch: c.epoch as number, device: getAddress(c.device as string), amount: c.amount as string, proof: c.proof as Hex[] };
  });
  const rebuilt: RewardsClaimParams = { dataRewards: optionalAddress('dataRewards'), bucketStrategy: optionalAddress('bucketStrategy'), fromBlock, round, claims: read, restaking };
  try {
    return build(record.account, record.chainId, rebuilt);
  } catch (error) {
    throw error instanceof RewardsError && error.code !== 'rewards.job_invalid' ? invalid(record, error.shortMessage) : error;
  }
}

/** Gas the call would take from `account` now (the node's estimate), for the cost warning. */
export function estimateClaimGas(client: AnyClient, account: Address, call: JobCall): Promise<bigint> {
  return client.estimateGas({ account, to: call.to, ...(call.data ? { data: call.data } : {}), ...(call.value ? { value: call.value } : {}) });
}
