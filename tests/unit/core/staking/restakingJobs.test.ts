/** The pure parts of the restaking jobs: ids and rounds, the calls they build, rebuilding from records, the extension guard. */
import { decodeFunctionData, getAddress, type Address, type PublicClient } from 'viem';
import { describe, expect, it } from 'vitest';
import { bucketStrategyDevnetAbi, systemStakingAbi } from '../../../../src/core/abis/index.js';
import type { JobRecord, JobSpec } from '../../../../src/core/jobs/index.js';
import { requireOutpostExtension, ONE_TRANSACTION_RESTAKE } from '../../../../src/core/staking/restakingExtension.js';
import { claimRestakingRewardsJob, rebuildRestakingJob, restakeJob, restakeUnstakeJob, restakeWithdrawJob, type RestakingContext } from '../../../../src/core/staking/restakingJobs.js';

const account = getAddress('0x00000000000000000000000000000000000000aa');
const staking = getAddress('0x0000000000000000000000000000000000005555');
const strategy = getAddress('0x000000000000000000000000000000000000bbbb');
const ctx: RestakingContext = { account, chainId: 31337, systemStaking: staking, bucketStrategy: strategy };
/** request() of these steps reads nothing from the client. */
const noClient = {} as PublicClient;

function recordOf(spec: JobSpec, status: JobRecord['status']): JobRecord {
  return { ...spec, status, steps: [], error: null, batch: null, createdAt: 0, updatedAt: 0 } as JobRecord;
}

describe('ids', () => {
  it('are kind, chain, account, subject and round', () => {
    expect(restakeJob(ctx, { bucketId: 12n, moduleId: 1n, mode: 'approve-and-stake' }).id).toBe('restake:31337:0x00000000000000000000000000000000000000aa:12:approve-and-stake#1');
    expect(restakeUnstakeJob(ctx, { ids: [3n, 1n, 3n] }).id).toBe('restake-unstake:31337:0x00000000000000000000000000000000000000aa:1,3#1');
  });

  it('an open job of the same action is found again; a finished one moves to the next round', () => {
    const first = restakeJob(ctx, { bucketId: 12n, moduleId: null, mode: 'one-transaction' });
    expect(restakeJob({ ...ctx, jobs: [recordOf(first, 'paused')] }, { bucketId: 12n, moduleId: null, mode: 'one-transaction' }).id).toBe(first.id);
    const done = [recordOf(first, 'done'), recordOf(restakeJob(ctx, { bucketId: 12n, moduleId: null, mode: 'one-transaction', round: 2 }), 'cancelled')];
    expect(restakeJob({ ...ctx, jobs: done }, { bucketId: 12n, moduleId: null, mode: 'one-transaction' }).id.endsWith(':12:one-transaction#3')).toBe(true);
    // Another bucket's jobs do not count.
    expect(restakeJob({ ...ctx, jobs: done }, { bucketId: 1n, moduleId: null, mode: 'one-transaction' }).id.endsWith('#1')).toBe(true);
  });
});

describe('calls', () => {
  it('approve + stake: approve(strategy, id), then stake(id) without a module and stake(id, module) with one', async () => {
    const [approve, stake] = restakeJob(ctx, { bucketId: 7n, moduleId: null, mode: 'approve-and-stake' }).steps;
    const approveCall = await approve!.request(noClient);
    expect(approveCall.to).toBe(staking);
    expect(decodeFunctionData({ abi: systemStakingAbi, data: approveCall.data! })).toEqual({ functionName: 'approve', args: [strategy, 7n] });
    expect(decodeFunctionData({ abi: bucketStrategyDevnetAbi, data: (await stake!.request(noClient)).data! })).toEqual({ functionName: 'stake', args: [7n] });
    const [, intoModule] = restakeJob(ctx, { bucketId: 7n, moduleId: 2n, mode: 'approve-and-stake' }).steps;
    expect(decodeFunctionData({ abi: bucketStrategyDevnetAbi, data: (await intoModule!.request(noClient)).data! })).toEqual({ functionName: 'stake', args: [7n, 2n] });
  });

  it('one transaction: safeTransferFrom(account, strategy, id, abi.encode(moduleId)), module 0 when none', async () => {
    const [step] = restakeJob(ctx, { bucketId: 7n, moduleId: 2n, mode: 'one-transaction' }).steps;
    const decoded = decodeFunctionData({ abi: systemStakingAbi, data: (await step!.request(noClient)).data! });
    expect(decoded).toEqual({ functionName: 'safeTransferFrom', args: [account, strategy, 7n, `0x${'0'.repeat(63)}2`] });
    const [none] = restakeJob(ctx, { bucketId: 7n, moduleId: null, mode: 'one-transaction' }).steps;
    expect(decodeFunctionData({ abi: systemStakingAbi, data: (await none!.request(noClient)).data! }).args![3]).toBe(`0x${'0'.repeat(64)}`);
  });

  it('refuses an empty bucket list and a recipient that is not an address', () => {
    expect(() => restakeUnstakeJob(ctx, { ids: [] })).toThrow(expect.objectContaining({ code: 'staking.restaking_job_invalid' }));
    expect(() => restakeWithdrawJob(ctx, { ids: [1n], recipient: 'bob' as Address })).toThrow(/not an address/);
  });
});

describe('rebuildRestakingJob', () => {
  it('gives back the same id, steps and params from a stored record of each kind', () => {
    const specs: JobSpec[] = [
      restakeJob(ctx, { bucketId: 9n, moduleId: 1n, mode: 'approve-and-stake', round: 4 }),
      restakeJob(ctx, { bucketId: 9n, moduleId: null, mode: 'one-transaction' }),
      restakeUnstakeJob(ctx, { ids: [2n, 5n] }),
      restakeWithdrawJob(ctx, { ids: [2n], recipient: getAddress('0x00000000000000000000000000000000000000cc') }),
      claimRestakingRewardsJob(ctx, { fromBlock: 120n }),
    ];
    for (const spec of specs) {
      // Through JSON, as the store keeps it.
      const stored = JSON.parse(JSON.stringify(recordOf(spec, 'paused'))) as JobRecord;
      const rebuilt = rebuildRestakingJob(stored);
      expect([rebuilt.id, rebuilt.kind, rebuilt.params, rebuilt.steps.map((step) => step.id)]).toEqual([spec.id, spec.kind, spec.params, spec.steps.map((step) => step.id)]);
    }
  });

  it('a damaged record is staking.restaking_job_invalid, naming what is wrong', () => {
    const spec = restakeJob(ctx, { bucketId: 9n, moduleId: null, mode: 'approve-and-stake' });
    const broken = (params: Record<string, unknown>) => ({ ...recordOf(spec, 'paused'), params: { ...(spec.params as object), ...params } });
    expect(() => rebuildRestakingJob(broken({ bucketId: '-1' }))).toThrow(expect.objectContaining({ code: 'staking.restaking_job_invalid', details: 'bucketId is not a decimal integer' }));
    expect(() => rebuildRestakingJob(broken({ mode: 'teleport' }))).toThrow(expect.objectContaining({ details: 'unknown restake mode teleport' }));
    expect(() => rebuildRestakingJob(broken({ strategy: 'nowhere' }))).toThrow(expect.objectContaining({ details: 'strategy is not an address' }));
    expect(() => rebuildRestakingJob({ ...recordOf(spec, 'paused'), kind: 'stake' })).toThrow(expect.objectContaining({ details: 'kind stake is not a restaking job' }));
  });
});

describe('requireOutpostExtension', () => {
  it('passes on the devnet and names the network and the alternative elsewhere', () => {
    expect(() => requireOutpostExtension(31337, ONE_TRANSACTION_RESTAKE)).not.toThrow();
    expect(() => requireOutpostExtension(4689, ONE_TRANSACTION_RESTAKE)).toThrow(
      expect.objectContaining({
        code: 'staking.extension_unavailable',
        shortMessage: 'One-transaction restake (safeTransferFrom to the strategy) is an Outpost feature of the local devnet only; IoTeX Mainnet does not have it.',
        hint: 'On IoTeX Mainnet, restake with approve + stake (2 wallet prompts), which IoTeX’s MSP supports.',
      }),
    );
    expect(() => requireOutpostExtension(4690, ONE_TRANSACTION_RESTAKE)).toThrow(/IoTeX Testnet does not have it/);
    expect(() => requireOutpostExtension(1, ONE_TRANSACTION_RESTAKE)).toThrow(/chain 1 does not have it/);
  });
});
