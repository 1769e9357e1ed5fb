import type { Address, PublicClient } from 'viem';
import type { JobRecord, JobSpec } from '../jobs/index.js';
import type { BucketFields, BucketView } from './bucketState.js';

/**
 * The staking actions (issue 16) as transaction jobs (docs/jobs.md): one user action, one job,
 * every step decided from the chain. API committed first so screens can build against it; bodies
 * follow.
 */

export type StakingJobContext = { account: Address; chainId: number; systemStaking: Address };

export type StakingAction =
  | { kind: 'stake'; amount: bigint; durationDays: number; delegate: Address; locked: boolean }
  | { kind: 'unlock'; ids: bigint[] }
  | { kind: 'lock'; ids: bigint[]; durationDays: number }
  | { kind: 'unstake'; ids: bigint[] }
  | { kind: 'withdraw'; ids: bigint[]; recipient: Address }
  | { kind: 'merge'; ids: bigint[]; durationDays: number; addAmount: bigint }
  | { kind: 'expand'; id: bigint; durationDays: number; addAmount: bigint }
  | { kind: 'changeDelegate'; ids: bigint[]; delegate: Address }
  | { kind: 'transfer'; id: bigint; to: Address };

export const STAKING_JOB_KIND = 'staking';

/**
 * A job for one user action (one or many buckets). `options.startBlock` is the block number when
 * the user asked (read it with `client.getBlockNumber()`, or use `prepareStakingJob`): it is part
 * of the id (the same request finds the same job after a reload; the same action asked again later,
 * e.g. unlock after a lock, is a new job) and where a stake looks for the bucket it minted.
 * Required; stakingJob throws without it.
 */
export function stakingJob(ctx: StakingJobContext, action: StakingAction, options?: { startBlock?: bigint }): JobSpec {
  void ctx;
  void action;
  void options;
  throw new Error('not implemented yet');
}

/** `stakingJob` with `startBlock` read from the chain now. */
export async function prepareStakingJob(client: PublicClient, ctx: StakingJobContext, action: StakingAction): Promise<JobSpec> {
  return stakingJob(ctx, action, { startBlock: await client.getBlockNumber({ cacheTime: 0 }) });
}

/** Rebuilds the spec from a stored record (kind STAKING_JOB_KIND, params plain data): for JobsState.register. */
export function rebuildStakingJob(record: JobRecord): JobSpec {
  void record;
  throw new Error('not implemented yet');
}

/**
 * Checks an action against the buckets' current views (bucketView/mergeCheck) before a job is
 * made: throws an OutpostError (staking.* code) naming the refused bucket, the reason and the date
 * it becomes possible.
 */
export function checkStakingAction(action: StakingAction, buckets: { id: bigint; fields: BucketFields; view: BucketView }[], now: bigint): void {
  void action;
  void buckets;
  void now;
  throw new Error('not implemented yet');
}

/** IoTeX's vote weight of a bucket (iotex-core CalculateVoteWeight); a V3 bucket votes as autoStake while locked. */
export function votingPower(fields: BucketFields, options?: { selfStake?: boolean }): bigint {
  void fields;
  void options;
  throw new Error('not implemented yet');
}
