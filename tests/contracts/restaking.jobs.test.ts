/**
 * The restaking jobs and reads of src/core/staking/restaking*.ts on Hardhat's EVM with the devnet's
 * contracts (same deploy plan: the relay's module with its 100 IOTX bucket restaked, and the seed
 * 100 IOTX distribution). Jobs run on the real runner through viem's wallet actions; every expected
 * figure is read from the chain (nonces, Approval/ClaimReward events, ownerOf, restakeOf,
 * balances) or worked out by hand from the contract's formula, never taken from the code under test.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEther, parseEventLogs, type Address, type Hex, type PublicClient } from 'viem';
import { hardhat } from 'viem/chains';
import { bucketStrategyDevnetAbi, strategyManagerDevnetAbi, systemStakingDevnetAbi } from '../../src/core/abis/index.js';
import { JobPausedError } from '../../src/core/jobs/errors.js';
import { createMemoryJobStore, runJob, type JobRecord } from '../../src/core/jobs/index.js';
import { MULTICALL3_ADDRESS } from '../../src/core/networks.js';
import {
  claimRestakingRewardsJob,
  rebuildRestakingJob,
  restakeJob,
  restakeUnstakeJob,
  restakeWithdrawJob,
  RESTAKE_PROMPTS,
  type RestakingContext,
} from '../../src/core/staking/restakingJobs.js';
import { IOTX_REWARD_TOKEN, readRestakingFigures, readRestakingModules } from '../../src/core/staking/restakingReads.js';
import { Crash, diesAfterSending } from '../support/jobCrash.js';
import { countingWallet } from './helpers/countingWallet.js';
import { deployFixture, type Fixture } from './helpers/fixture.js';

let f: Fixture;
let snap: Hex;
let alice: Address;
let S: Address;
let B: Address;
const DAY = 86_400n;
/** The relay's module bucket the deploy plan restakes: 100 IOTX locked 91 days → 100 + 100·10·91/9100 = 110 IOTX. */
const MODULE_BUCKET_WEIGHT = parseEther('110');
/** Alice's bucket below: 10 IOTX locked 30 days → 10e18 + 10e18·10·30/9100 = 10e18 + 329,670,329,670,329,670 (floored). */
const ALICE_WEIGHT = 10_329_670_329_670_329_670n;

beforeAll(async () => {
  f = await deployFixture();
  alice = f.chain.accounts[2]!;
  S = f.c.systemStaking;
  B = f.c.bucketStrategy;
  snap = await f.chain.snapshot();
});
beforeEach(async () => {
  await f.chain.revert(snap);
  snap = await f.chain.snapshot();
});

const client = (): PublicClient => f.chain.publicClient;
const nonceOf = (account: Address) => client().getTransactionCount({ address: account });
const ctx = (jobs?: JobRecord[]): RestakingContext => ({ account: alice, chainId: hardhat.id, systemStaking: S, bucketStrategy: B, ...(jobs ? { jobs } : {}) });
const restakeOf = (bucket: bigint) => f.chain.read<readonly [Address, bigint, bigint, bigint]>(B, bucketStrategyDevnetAbi, 'restakeOf', [bucket]);
const ownerOf = (bucket: bigint) => f.chain.read<Address>(S, systemStakingDevnetAbi, 'ownerOf', [bucket]);

async function lockedBucket(amount = parseEther('10'), duration = 30n * DAY): Promise<bigint> {
  const receipt = await f.chain.write(S, systemStakingDevnetAbi, 'stake', [duration, f.delegates[0]], { from: alice, value: amount });
  return parseEventLogs({ abi: systemStakingDevnetAbi, logs: receipt.logs, eventName: 'Staked' })[0]!.args.id;
}

/** Alice's wallet, counting what it is asked to send. */
const aliceWallet = () => countingWallet(f.chain.provider, alice);

async function approvalsToStrategy(bucket: bigint): Promise<number> {
  const logs = await client().getContractEvents({ address: S, abi: systemStakingDevnetAbi, eventName: 'Approval', fromBlock: 0n });
  return logs.filter((log) => log.args.tokenId === bucket && log.args.approved === B).length;
}

async function restakeWithJob(bucket: bigint, moduleId: bigint | null): Promise<void> {
  await runJob(client(), aliceWallet(), createMemoryJobStore(), restakeJob(ctx(), { bucketId: bucket, moduleId, mode: 'approve-and-stake' }));
}

describe('restake jobs', () => {
  it('approve + stake into a module, stopped after the approval landed and run again: one approval, two transactions in all', async () => {
    const bucket = await lockedBucket();
    const before = await nonceOf(alice);
    const store = createMemoryJobStore();
    const controller = new AbortController();
    const first = aliceWallet();
    const spec = restakeJob(ctx(), { bucketId: bucket, moduleId: f.moduleId, mode: 'approve-and-stake' });
    await expect(
      runJob(client(), first, store, spec, {
        signal: controller.signal,
        // The page is left as soon as step 1 is confirmed: the runner stops before step 2.
        onProgress: (p) => {
          if (p.step === 1 && p.phase === 'step-done') controller.abort(new JobPausedError(spec.title));
        },
      }),
    ).rejects.toBeInstanceOf(JobPausedError);
    expect(first.sent.length).toBe(1);
    expect(await f.chain.read(S, systemStakingDevnetAbi, 'getApproved', [bucket])).toBe(B);
    const paused = (await store.get(spec.id))!;
    expect(paused.status).toBe('paused');

    // After a reload the journey rebuilds the spec from the stored record.
    const second = aliceWallet();
    const record = await runJob(client(), second, store, rebuildRestakingJob(paused));
    expect(record.status).toBe('done');
    expect(second.sent.length).toBe(1);
    expect(await nonceOf(alice)).toBe(before + 2);
    expect(await approvalsToStrategy(bucket)).toBe(1);
    expect(await ownerOf(bucket)).toBe(B);
    const [staker, moduleId, weight] = await restakeOf(bucket);
    expect([staker, moduleId, weight]).toEqual([alice, f.moduleId, ALICE_WEIGHT]);
    expect(RESTAKE_PROMPTS['approve-and-stake']).toBe(2);
  });

  it('approve + IoTeX’s stake(bucketId) with no module: the bucket is restaked into the strategy alone', async () => {
    const bucket = await lockedBucket();
    const before = await nonceOf(alice);
    await restakeWithJob(bucket, null);
    expect(await nonceOf(alice)).toBe(before + 2);
    const [staker, moduleId] = await restakeOf(bucket);
    expect([staker, moduleId]).toEqual([alice, 0n]);
  });

  it('one transaction (safeTransferFrom with the module in data): one prompt, no approval, restaked into the module', async () => {
    const bucket = await lockedBucket();
    const before = await nonceOf(alice);
    const wallet = aliceWallet();
    const record = await runJob(client(), wallet, createMemoryJobStore(), restakeJob(ctx(), { bucketId: bucket, moduleId: f.moduleId, mode: 'one-transaction' }));
    expect(record.steps.map((step) => step.status.kind)).toEqual(['confirmed']);
    expect(wallet.sent.length).toBe(RESTAKE_PROMPTS['one-transaction']);
    expect(wallet.sent.length).toBe(1);
    expect(await nonceOf(alice)).toBe(before + 1);
    expect(await approvalsToStrategy(bucket)).toBe(0);
    expect(await restakeOf(bucket)).toEqual([alice, f.moduleId, ALICE_WEIGHT, 0n]);
    expect(await f.chain.read(B, bucketStrategyDevnetAbi, 'moduleWeight', [f.moduleId])).toBe(MODULE_BUCKET_WEIGHT + ALICE_WEIGHT);
  });

  it('restaking the same bucket again after withdrawing it is a new round, not the finished job', async () => {
    const bucket = await lockedBucket();
    const store = createMemoryJobStore();
    const first = await runJob(client(), aliceWallet(), store, restakeJob(ctx(), { bucketId: bucket, moduleId: null, mode: 'one-transaction' }));
    await runJob(client(), aliceWallet(), store, restakeUnstakeJob(ctx(), { ids: [bucket] }));
    await f.chain.increaseTime(7n * DAY);
    await runJob(client(), aliceWallet(), store, restakeWithdrawJob(ctx(), { ids: [bucket], recipient: alice }));
    expect(await ownerOf(bucket)).toBe(alice);
    const jobs = await store.list({ account: alice, chainId: hardhat.id });
    const again = restakeJob(ctx(jobs), { bucketId: bucket, moduleId: null, mode: 'one-transaction' });
    expect(again.id).not.toBe(first.id);
    const record = await runJob(client(), aliceWallet(), store, again);
    expect(record.steps[0]!.status.kind).toBe('confirmed');
    expect(await ownerOf(bucket)).toBe(B);
  });
});

describe('unstake, freeze, withdraw', () => {
  it('unstake starts the 7-day freeze: withdraw is refused in simulation before it, goes through after, and the bucket is alice’s again', async () => {
    const bucket = await lockedBucket();
    await restakeWithJob(bucket, f.moduleId);
    const store = createMemoryJobStore();
    const unstaked = await runJob(client(), aliceWallet(), store, restakeUnstakeJob(ctx(), { ids: [bucket] }));
    expect(unstaked.status).toBe('done');
    const unstakedAt = await f.chain.now();
    expect(await f.chain.read(B, bucketStrategyDevnetAbi, 'stakeStatus', [bucket])).toBe(2);
    expect(await f.chain.read(B, bucketStrategyDevnetAbi, 'withdrawTime', [bucket])).toBe(unstakedAt + 7n * DAY);
    // Out of the module's weight at once.
    expect(await f.chain.read(B, bucketStrategyDevnetAbi, 'moduleWeight', [f.moduleId])).toBe(MODULE_BUCKET_WEIGHT);

    const early = aliceWallet();
    const withdraw = restakeWithdrawJob(ctx(), { ids: [bucket], recipient: alice });
    await expect(runJob(client(), early, store, withdraw)).rejects.toMatchObject({ code: 'job.simulation_reverted' });
    expect(early.sent.length).toBe(0);

    await f.chain.increaseTime(7n * DAY);
    const record = await runJob(client(), aliceWallet(), store, rebuildRestakingJob((await store.get(withdraw.id))!));
    expect(record.status).toBe('done');
    expect(await ownerOf(bucket)).toBe(alice);
    expect(await f.chain.read(B, bucketStrategyDevnetAbi, 'stakeStatus', [bucket])).toBe(0);
  });

  it('withdraws to another address, and a resumed unstake of two buckets sends only the one still restaked', async () => {
    const [one, two] = [await lockedBucket(), await lockedBucket()];
    await restakeWithJob(one, f.moduleId);
    await restakeWithJob(two, null);
    // Bucket one is unstaked elsewhere (another app) before the job runs.
    await f.chain.write(B, bucketStrategyDevnetAbi, 'unstake', [[one]], { from: alice });
    const before = await nonceOf(alice);
    const record = await runJob(client(), aliceWallet(), createMemoryJobStore(), restakeUnstakeJob(ctx(), { ids: [two, one] }));
    expect(record.status).toBe('done');
    expect(await nonceOf(alice)).toBe(before + 1);
    expect(await f.chain.read(B, bucketStrategyDevnetAbi, 'stakeStatus', [two])).toBe(2);

    const bob = f.chain.accounts[3]!;
    await f.chain.increaseTime(7n * DAY);
    await runJob(client(), aliceWallet(), createMemoryJobStore(), restakeWithdrawJob(ctx(), { ids: [one, two], recipient: bob }));
    expect([await ownerOf(one), await ownerOf(two)]).toEqual([bob, bob]);
  });
});

describe('claiming restaking rewards', () => {
  async function distribute(amount: bigint): Promise<bigint> {
    const receipt = await f.chain.write(f.c.strategyManager, strategyManagerDevnetAbi, 'distributeRewards', [IOTX_REWARD_TOKEN, amount], { value: amount });
    return receipt.blockNumber;
  }

  it('pays alice her pro-rata share of a distribution: the balance grows by it less the fee', async () => {
    const bucket = await lockedBucket();
    await restakeWithJob(bucket, f.moduleId);
    await distribute(parseEther('50'));
    // 50 IOTX × alice's weight ÷ (110 IOTX + alice's weight), worked out by hand: 4.29224… IOTX.
    const exact = (parseEther('50') * ALICE_WEIGHT) / (MODULE_BUCKET_WEIGHT + ALICE_WEIGHT);
    expect(exact).toBe(4_292_237_442_922_374_429n);
    const balance = await f.chain.balance(alice);
    const figures = await readRestakingFigures(client(), { strategy: B, strategyManager: f.c.strategyManager, account: alice, multicallAddress: MULTICALL3_ADDRESS });
    const record = await runJob(client(), aliceWallet(), createMemoryJobStore(), claimRestakingRewardsJob(ctx(), { fromBlock: figures.blockNumber }));
    const hash = record.steps[0]!.status.kind === 'confirmed' ? record.steps[0]!.status.hash! : null;
    const receipt = await client().getTransactionReceipt({ hash: hash! });
    const claimed = parseEventLogs({ abi: bucketStrategyDevnetAbi, logs: receipt.logs, eventName: 'ClaimReward' })[0]!.args.amount;
    // The contract rounds each staker's debt up: the payout is at most the exact share, within a few wei.
    expect(exact - claimed >= 0n && exact - claimed <= 2n).toBe(true);
    expect(await f.chain.balance(alice)).toBe(balance + claimed - receipt.gasUsed * receipt.effectiveGasPrice);
    expect(await f.chain.read(B, bucketStrategyDevnetAbi, 'pendingRewards', [alice])).toEqual([0n]);
  });

  it('crashed after the wallet sent the claim, and rewards arrived before the resume: the claim counts as landed, no second claim', async () => {
    const bucket = await lockedBucket();
    await restakeWithJob(bucket, f.moduleId);
    const fromBlock = await distribute(parseEther('50'));
    const store = createMemoryJobStore();
    const spec = claimRestakingRewardsJob(ctx(), { fromBlock });
    const before = await nonceOf(alice);
    await expect(runJob(client(), diesAfterSending(aliceWallet()), store, spec)).rejects.toBeInstanceOf(Crash);
    await distribute(parseEther('5'));
    const pending = await f.chain.read<readonly bigint[]>(B, bucketStrategyDevnetAbi, 'pendingRewards', [alice]);
    expect(pending[0]! > 0n).toBe(true);

    const wallet = aliceWallet();
    const record = await runJob(client(), wallet, store, rebuildRestakingJob((await store.get(spec.id))!));
    expect(record.steps[0]!.status.kind).toBe('skipped-already-landed');
    expect(wallet.sent.length).toBe(0);
    expect(await nonceOf(alice)).toBe(before + 1);
  });
});

describe('Outpost extensions are refused on IoTeX networks', () => {
  for (const chainId of [4689, 4690]) {
    it(`chain ${chainId}: one-transaction restake, restaking into a module and module reads throw staking.extension_unavailable; MSP's approve + stake builds`, async () => {
      const iotex: RestakingContext = { ...ctx(), chainId };
      expect(() => restakeJob(iotex, { bucketId: 1n, moduleId: null, mode: 'one-transaction' })).toThrow(expect.objectContaining({ code: 'staking.extension_unavailable' }));
      expect(() => restakeJob(iotex, { bucketId: 1n, moduleId: 1n, mode: 'approve-and-stake' })).toThrow(/Restaking into a module is an Outpost feature of the local devnet only/);
      expect(restakeJob(iotex, { bucketId: 1n, moduleId: null, mode: 'approve-and-stake' }).steps.map((step) => step.id)).toEqual(['approve', 'stake']);
      const iotexClient = { ...client(), chain: { ...hardhat, id: chainId } } as unknown as PublicClient;
      await expect(readRestakingModules(iotexClient, { strategy: B })).rejects.toMatchObject({ code: 'staking.extension_unavailable' });
    });
  }
});

describe('reads', () => {
  it('modules: name, owner, operator, weight and slash history as the chain has them, read in pages of 3 blocks', async () => {
    const bucket = await lockedBucket();
    await restakeWithJob(bucket, f.moduleId);
    // BatchInbox is the slasher; here it is impersonated to slash once (5%).
    const inbox = f.c.batchInbox;
    await f.chain.provider.request({ method: 'hardhat_impersonateAccount', params: [inbox] } as never);
    await f.chain.provider.request({ method: 'hardhat_setBalance', params: [inbox, '0x56BC75E2D63100000'] } as never);
    const receipt = await f.chain.write(B, bucketStrategyDevnetAbi, 'slashModule', [f.moduleId], { from: inbox });
    const slashedAt = (await client().getBlock({ blockNumber: receipt.blockNumber })).timestamp;

    const { modules } = await readRestakingModules(client(), { strategy: B, multicallAddress: MULTICALL3_ADDRESS, pageSize: 3n });
    const before = MODULE_BUCKET_WEIGHT + ALICE_WEIGHT;
    const after = (before * 9_500n) / 10_000n;
    expect(modules).toHaveLength(1);
    expect(modules[0]).toMatchObject({ id: f.moduleId, name: 'outpost-relay', owner: f.deployer, operator: f.operator, weight: after, factor: 95n * 10n ** 16n, slashCount: 1n });
    expect(modules[0]!.slashes).toEqual([{ blockNumber: receipt.blockNumber, time: slashedAt, bps: 500n, weightBefore: before, weightAfter: after, transactionHash: receipt.transactionHash }]);
  });

  it('strategy figures: a window shorter than a day gives what arrived, not a yearly rate', async () => {
    const figures = await readRestakingFigures(client(), { strategy: B, strategyManager: f.c.strategyManager, account: alice, multicallAddress: MULTICALL3_ADDRESS });
    const rate = figures.rewardRate!;
    const genesis = (await client().getBlock({ blockNumber: 0n })).timestamp;
    // The devnet's history is a few dozen blocks a second apart: far under a day.
    expect(figures.timestamp - genesis < 86_400n).toBe(true);
    expect(rate.perToken).toEqual([{ token: IOTX_REWARD_TOKEN, received: parseEther('100'), yearlyRate: null }]);
  });

  it('strategy figures: totals, alice’s amount, pending per token, and the reward rate over the window', async () => {
    const bucket = await lockedBucket();
    await restakeWithJob(bucket, null);
    // Two days of history, so the window is long enough to scale to a year.
    await f.chain.increaseTime(2n * DAY);
    const figures = await readRestakingFigures(client(), { strategy: B, strategyManager: f.c.strategyManager, account: alice, multicallAddress: MULTICALL3_ADDRESS, pageSize: 4n });
    expect(figures.totalAmount).toBe(MODULE_BUCKET_WEIGHT + ALICE_WEIGHT);
    expect(figures.accountAmount).toBe(ALICE_WEIGHT);
    // The seed distribution came before alice restaked: nothing pending for her.
    expect(figures.rewards).toEqual([{ token: IOTX_REWARD_TOKEN, symbol: 'IOTX', pending: 0n }]);
    // The window covers the whole devnet history (fewer than 17,280 blocks): the seed's 100 IOTX.
    const rate = figures.rewardRate!;
    expect(rate.fromBlock).toBe(0n);
    const genesis = (await client().getBlock({ blockNumber: 0n })).timestamp;
    expect(rate.windowSeconds).toBe(figures.timestamp - genesis);
    expect(rate.perToken[0]!.received).toBe(parseEther('100'));
    const yearly = (100 * 365 * 86_400) / (Number(MODULE_BUCKET_WEIGHT + ALICE_WEIGHT) / 1e18) / Number(rate.windowSeconds);
    expect(rate.perToken[0]!.yearlyRate).toBeCloseTo(yearly, 6);
  });
});
