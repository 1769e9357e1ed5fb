import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEther, parseEventLogs, type Address, type Hex } from 'viem';
import { bucketStrategyDevnetAbi, strategyManagerDevnetAbi, systemStakingDevnetAbi } from '../../src/core/abis/index.js';
import { expectRevert } from './helpers/chain.js';
import { deployFixture, type Fixture } from './helpers/fixture.js';

let f: Fixture;
let snap: Hex;
let alice: Address;
let bob: Address;
let carol: Address;
let B: Address;
let S: Address;
let SM: Address;
/** A module of the deployer run by the relay's operator, empty at the start of every test (module 1 carries the devnet's seed stake). */
let M: bigint;
const DAY = 86_400n;
const IOTX = '0x0000000000000000000000000000000000000001';
/** The devnet plan restakes 100 IOTX for 91 days into module 1: weight 110 IOTX. */
const SEED_WEIGHT = parseEther('110');
/** The devnet plan then distributes 100 IOTX of restaking rewards (DEVNET_PARAMS.moduleRewards). */
const SEED_REWARDS = parseEther('100');

beforeAll(async () => {
  f = await deployFixture();
  [alice, bob, carol] = [f.chain.accounts[2]!, f.chain.accounts[3]!, f.chain.accounts[4]!];
  B = f.c.bucketStrategy;
  S = f.c.systemStaking;
  SM = f.c.strategyManager;
  await f.chain.write(B, bucketStrategyDevnetAbi, 'registerModule', [f.operator, 'test module'], { from: f.deployer });
  M = await f.chain.read<bigint>(B, bucketStrategyDevnetAbi, 'moduleCount');
  snap = await f.chain.snapshot();
});
beforeEach(async () => {
  await f.chain.revert(snap);
  snap = await f.chain.snapshot();
});

/** Equal up to a few wei of integer rounding, never above the exact value. */
const near = (got: bigint, exact: bigint) => got <= exact && exact - got <= 2n;

/** Independent restake weight: amount + amount·10·min(duration, 91 days) / 9100 days. */
const weightOf = (duration: bigint, amount: bigint) => amount + (amount * 10n * (duration < 91n * DAY ? duration : 91n * DAY)) / (9100n * DAY);

/** Stakes a locked bucket for `owner` and approves it to the strategy; returns its id. */
async function bucket(owner: Address, amount: bigint, duration = 30n * DAY): Promise<bigint> {
  const receipt = await f.chain.write(S, systemStakingDevnetAbi, 'stake', [duration, f.delegates[0]], { from: owner, value: amount });
  const [staked] = parseEventLogs({ abi: systemStakingDevnetAbi, logs: receipt.logs, eventName: 'Staked' });
  const id = staked!.args.id;
  await f.chain.write(S, systemStakingDevnetAbi, 'approve', [B, id], { from: owner });
  return id;
}
const w = (fn: string, args: readonly unknown[], from: Address, value?: bigint) => f.chain.write(B, bucketStrategyDevnetAbi, fn, args, { from, ...(value ? { value } : {}) });
const r = <T>(fn: string, args: readonly unknown[] = []) => f.chain.read<T>(B, bucketStrategyDevnetAbi, fn, args);
/** Rewards in IOTX through the StrategyManager (IoTeX's path). */
const distribute = (amount: bigint, from = carol) => f.chain.write(SM, strategyManagerDevnetAbi, 'distributeRewards', [IOTX, amount], { from, value: amount });
const pending = (who: Address) => r<bigint>('pendingReward', [IOTX, who]);
/** A require-string revert (IoTeX's reasons). */
const expectReason = (promise: Promise<unknown>, reason: string) => expectRevert(promise, 'Error', [reason]);

describe('BucketStrategy: restaking locked buckets into modules', () => {
  it('calculateBucketRestakeAmount: up to +10% for locks up to 91 days', async () => {
    for (const [d, a] of [[0n, 100n], [91n * DAY, 9100n], [365n * DAY, parseEther('1000')], [30n * DAY, parseEther('7')], [1n, 10n ** 18n]] as const) {
      expect(await r('calculateBucketRestakeAmount', [d, a])).toBe(weightOf(d, a));
    }
    expect(await r('calculateBucketRestakeAmount', [365n * DAY, parseEther('1000')])).toBe(parseEther('1100'));
  });

  it('stake(bucketId, moduleId) takes the approved, locked bucket NFT and records its weight in the module and the strategy', async () => {
    const id = await bucket(alice, parseEther('100'));
    const receipt = await w('stake', [id, M], alice);
    const weight = weightOf(30n * DAY, parseEther('100'));
    const events = parseEventLogs({ abi: bucketStrategyDevnetAbi, logs: receipt.logs });
    expect(events.map((e) => e.eventName)).toEqual(['Stake', 'ModuleJoined']);
    expect(events[0]?.args).toEqual({ staker: alice, bucketId: id, bucketAmount: parseEther('100'), stakingAmount: weight });
    expect(events[1]?.args).toEqual({ bucketId: id, moduleId: M });
    expect(await f.chain.read(S, systemStakingDevnetAbi, 'ownerOf', [id])).toBe(B);
    expect(await r('restakeOf', [id])).toEqual([alice, M, weight, 0n]);
    expect(await r('amount', [alice])).toBe(weight);
    expect(await r('totalAmount')).toBe(weight + SEED_WEIGHT);
    expect(await f.chain.read(SM, strategyManagerDevnetAbi, 'shares', [alice])).toBe(weight);
    expect(await f.chain.read(SM, strategyManagerDevnetAbi, 'totalShares', [])).toBe(weight + SEED_WEIGHT);
    expect(await r('moduleInfo', [M])).toEqual([f.deployer, f.operator, weight, 10n ** 18n, 0n]);
    expect(await r('stakerBuckets', [alice])).toEqual([id]);
    // IoTeX's stake(bucketId) restakes into no module: it earns rewards but backs (and risks) nothing.
    const id2 = await bucket(bob, parseEther('5'));
    await w('stake', [id2], bob);
    expect(await r('restakeOf', [id2])).toEqual([bob, 0n, weightOf(30n * DAY, parseEther('5')), 0n]);
    expect(await r('moduleWeight', [1n])).toBe(SEED_WEIGHT);
  });

  it('stake refuses unapproved, unlocked, foreign buckets and unknown modules', async () => {
    const receipt = await f.chain.write(S, systemStakingDevnetAbi, 'stake', [DAY, f.delegates[0]], { from: alice, value: parseEther('2') });
    const id = parseEventLogs({ abi: systemStakingDevnetAbi, logs: receipt.logs, eventName: 'Staked' })[0]!.args.id;
    await expectRevert(w('stake', [id, M], alice), 'ERC721InsufficientApproval', [B, id]);
    await f.chain.write(S, systemStakingDevnetAbi, 'approve', [B, id], { from: alice });
    await expectRevert(w('stake', [id, 99n], alice), 'UnknownModule', [99n]);
    await expectReason(w('stake', [id, M], bob), 'not owner');
    await f.chain.write(S, systemStakingDevnetAbi, 'unlock', [id], { from: alice });
    await expectReason(w('stake', [id, M], alice), 'not locking bucket');
  });

  it('rewards split pro rata to restaked amount across the strategy; claims are exact, once, and never exceed deposits', async () => {
    const a = await bucket(alice, parseEther('30'));
    const b = await bucket(bob, parseEther('10'), 91n * DAY);
    await w('stake', [a, M], alice);
    await w('stake', [b], bob);
    const wa = weightOf(30n * DAY, parseEther('30'));
    const wb = weightOf(91n * DAY, parseEther('10'));
    const total = wa + wb + SEED_WEIGHT;
    // The devnet plan distributed 100 IOTX when the seed bucket was the only one restaked: all of it is the deployer's.
    const seedPending = await pending(f.deployer);
    expect(SEED_REWARDS - seedPending).toBeLessThanOrEqual(1n);
    const reward = parseEther('7');
    const receipt = await distribute(reward);
    expect(parseEventLogs({ abi: strategyManagerDevnetAbi, logs: receipt.logs, eventName: 'DistributeRewards' })[0]?.args).toEqual({ strategy: B, token: IOTX, rewards: reward });
    expect(parseEventLogs({ abi: bucketStrategyDevnetAbi, logs: receipt.logs, eventName: 'ReceiveRewards' })[0]?.args).toEqual({ sender: SM, token: IOTX, amount: reward });
    const pa = await pending(alice);
    const pb = await pending(bob);
    // Floor of the exact share, off by at most one wei.
    expect(reward * wa / total - pa).toBeLessThanOrEqual(1n);
    expect(reward * wb / total - pb).toBeLessThanOrEqual(1n);
    expect(pa + pb + (await pending(f.deployer)) - seedPending).toBeLessThanOrEqual(reward);
    expect(await r('pendingRewards', [alice])).toEqual([pa]);
    const before = await f.chain.balance(B);
    const claim = await w('claimReward', [], alice);
    expect(parseEventLogs({ abi: bucketStrategyDevnetAbi, logs: claim.logs })[0]?.args).toEqual({ token: IOTX, staker: alice, amount: pa });
    expect(before - (await f.chain.balance(B))).toBe(pa);
    // Nothing more to claim: no event, nothing paid.
    const again = await w('claimReward', [IOTX], alice);
    expect(again.logs).toEqual([]);
    // A late restaker gets nothing from earlier rewards.
    const c = await bucket(carol, parseEther('50'));
    await w('stake', [c, M], carol);
    expect(await pending(carol)).toBe(0n);
    // A restaker adding a bucket is paid what it had earned (IoTeX's settlement on every amount change).
    const b2 = await bucket(bob, parseEther('1'));
    const restake = await w('stake', [b2], bob);
    expect(parseEventLogs({ abi: bucketStrategyDevnetAbi, logs: restake.logs, eventName: 'ClaimReward' })[0]?.args).toEqual({ token: IOTX, staker: bob, amount: pb });
    expect(await pending(bob)).toBe(0n);
  });

  it('the devnet plan leaves one ReceiveRewards through the manager: 100 IOTX over the seed bucket', async () => {
    const logs = await f.chain.publicClient.getContractEvents({ address: B, abi: bucketStrategyDevnetAbi, eventName: 'ReceiveRewards', fromBlock: 0n });
    expect(logs.map((log) => log.args)).toEqual([{ sender: SM, token: IOTX, amount: SEED_REWARDS }]);
    // 100 IOTX × 1e36 / 110 IOTX restaked, floored.
    expect(await r('accTokenPerAmount', [IOTX])).toBe((SEED_REWARDS * 10n ** 36n) / SEED_WEIGHT);
    expect(await f.chain.balance(B)).toBe(SEED_REWARDS);
  });

  it('rewards with nothing restaked: the manager refuses them; sent to the strategy directly they are kept as remainingReward', async () => {
    // Unstake the devnet's seed bucket so nothing is restaked.
    await w('unstake', [[1n]], f.deployer);
    await expectReason(distribute(1n), 'zero total shares');
    // (The devnet plan's seed rewards moved it once, while the seed bucket was restaked.)
    const acc = await r<bigint>('accTokenPerAmount', [IOTX]);
    await w('distributeRewards', [IOTX, 5n], carol, 5n);
    expect(await r('remainingReward', [IOTX])).toBe(5n);
    expect(await r('accTokenPerAmount', [IOTX])).toBe(acc);
  });

  it('unstake stops rewards, pays earned ones, and starts the 7-day freeze; withdraw returns the bucket', async () => {
    const a = await bucket(alice, parseEther('10'), 0n);
    const b = await bucket(bob, parseEther('10'), 0n);
    await w('stake', [a, M], alice);
    await w('stake', [b, M], bob);
    await distribute(parseEther('13'));
    await expectReason(w('unstake', [[a]], bob), 'not staker');
    await expectReason(w('withdraw', [[a], alice], alice), 'not unstake bucket');
    await expectReason(r('withdrawTime', [a]), 'invalid bucket');
    const earned = await pending(alice);
    expect(near(earned, parseEther('1'))).toBe(true);
    const receipt = await w('unstake', [[a]], alice);
    expect(parseEventLogs({ abi: bucketStrategyDevnetAbi, logs: receipt.logs }).map((e) => [e.eventName, e.args])).toEqual([
      ['Unstake', { staker: alice, bucketId: a }],
      ['ClaimReward', { token: IOTX, staker: alice, amount: earned }],
    ]);
    const unstakedAt = await f.chain.now();
    expect(await r('stakeStatus', [a])).toBe(2);
    expect(await r('unstakeTime', [a])).toBe(unstakedAt);
    expect(await r('withdrawTime', [a])).toBe(unstakedAt + 7n * DAY);
    expect(await r('stakerBuckets', [alice])).toEqual([]);
    await expectReason(w('unstake', [[a]], alice), 'not staking bucket');
    expect(await r('amount', [alice])).toBe(0n);
    expect(await r('moduleWeight', [M])).toBe(parseEther('10'));
    await distribute(parseEther('12'));
    expect(await pending(alice)).toBe(0n);
    expect(near(await pending(bob), parseEther('2'))).toBe(true);
    await expectReason(w('withdraw', [[a], alice], alice), 'withdraw freeze');
    await f.chain.increaseTime(7n * DAY);
    await expectReason(w('withdraw', [[a], alice], bob), 'not staker');
    const out = await w('withdraw', [[a], carol], alice);
    expect(parseEventLogs({ abi: bucketStrategyDevnetAbi, logs: out.logs, eventName: 'Withdraw' })[0]?.args).toEqual({ staker: alice, bucketId: a });
    expect(await f.chain.read(S, systemStakingDevnetAbi, 'ownerOf', [a])).toBe(carol);
    expect((await f.chain.read<{ amount: bigint }>(S, systemStakingDevnetAbi, 'bucketOf', [a])).amount).toBe(parseEther('10'));
    expect([await r('stakeStatus', [a]), await r('bucketStaker', [a]), await r('bucketAmount', [a]), await r('unstakeTime', [a])]).toEqual([0, '0x0000000000000000000000000000000000000000', 0n, 0n]);
  });

  it('deposit adds IOTX to a restaked bucket and to its restaked amount; poke refuses a bucket that did not grow', async () => {
    const a = await bucket(alice, parseEther('10'), 91n * DAY);
    await w('stake', [a, M], alice);
    await expectReason(w('deposit', [a], alice), 'zero amount');
    await expectReason(w('deposit', [99n], alice, 1n), 'not staking bucket');
    const receipt = await w('deposit', [a], bob, parseEther('5'));
    expect(parseEventLogs({ abi: bucketStrategyDevnetAbi, logs: receipt.logs, eventName: 'Deposit' })[0]?.args).toEqual({ staker: alice, bucketId: a, depositAmount: parseEther('5'), stakingAmount: parseEther('5.5') });
    expect((await f.chain.read<{ amount: bigint }>(S, systemStakingDevnetAbi, 'bucketOf', [a])).amount).toBe(parseEther('15'));
    expect(await r('bucketAmount', [a])).toBe(parseEther('15'));
    expect(await r('amount', [alice])).toBe(parseEther('16.5'));
    expect(await r('moduleWeight', [M])).toBe(parseEther('16.5'));
    await expectReason(w('poke', [a], alice), 'invalid bucket amount');
    await expectReason(w('poke', [77n], alice), 'not staking bucket');
  });

  it('slashing: bounded per slash, shared equally by the module, realised lazily (realizeSlash), newcomers unaffected', async () => {
    const slasher = f.chain.accounts[9]!;
    await expectRevert(w('slashModule', [M], slasher), 'NotSlasher', [slasher]);
    await expectRevert(w('setSlasher', [slasher], alice), 'OwnableUnauthorizedAccount');
    await w('setSlasher', [slasher], f.deployer);
    const a = await bucket(alice, parseEther('100'), 0n);
    await w('stake', [a, M], alice);
    const receipt = await w('slashModule', [M], slasher);
    expect(parseEventLogs({ abi: bucketStrategyDevnetAbi, logs: receipt.logs })[0]?.args).toEqual({ moduleId: M, bps: 500n, weightBefore: parseEther('100'), weightAfter: parseEther('95') });
    expect((await r<unknown[]>('restakeOf', [a]))[2]).toBe(parseEther('95'));
    expect(await r('moduleWeight', [M])).toBe(parseEther('95'));
    // Bob joins after the slash and is not touched by it.
    const b = await bucket(bob, parseEther('100'), 0n);
    await w('stake', [b, M], bob);
    expect(near((await r<bigint[]>('restakeOf', [b]))[2]!, parseEther('100'))).toBe(true);
    // realizeSlash takes Alice's loss in SystemStaking, sends it to the treasury and lowers her restaked amount.
    const treasury = await r<Address>('treasury');
    const before = await f.chain.balance(treasury);
    const realized = await w('realizeSlash', [a], carol);
    expect(parseEventLogs({ abi: bucketStrategyDevnetAbi, logs: realized.logs }).map((e) => e.eventName)).toEqual(['SlashRealized']);
    expect((await f.chain.read<{ amount: bigint }>(S, systemStakingDevnetAbi, 'bucketOf', [a])).amount).toBe(parseEther('95'));
    expect((await f.chain.balance(treasury)) - before).toBe(parseEther('5'));
    expect(await r('bucketAmount', [a])).toBe(parseEther('95'));
    expect(await r('amount', [alice])).toBe(parseEther('95'));
    expect((await r<unknown[]>('restakeOf', [a]))[2]).toBe(parseEther('95'));
    expect(near(await r<bigint>('moduleWeight', [M]), parseEther('195'))).toBe(true);
    // A second realisation takes nothing more; Bob owes nothing.
    expect((await w('realizeSlash', [a], carol)).logs).toEqual([]);
    expect((await w('realizeSlash', [b], carol)).logs).toEqual([]);
    await expectRevert(w('realizeSlash', [77n], carol), 'NotRestaked', [77n]);
    await expectRevert(w('slashModule', [99n], slasher), 'UnknownModule');
    await expectRevert(w('setTreasury', ['0x0000000000000000000000000000000000000000'], f.deployer), 'ZeroAddress');
  });

  it('a bucket slashed during its unstake freeze pays at withdraw', async () => {
    const slasher = f.chain.accounts[9]!;
    await w('setSlasher', [slasher], f.deployer);
    const a = await bucket(alice, parseEther('100'), 0n);
    await w('stake', [a, M], alice);
    await w('unstake', [[a]], alice);
    expect(await r('moduleWeight', [M])).toBe(0n);
    await w('slashModule', [M], slasher);
    await f.chain.increaseTime(7n * DAY);
    const out = await w('withdraw', [[a], alice], alice);
    expect(parseEventLogs({ abi: bucketStrategyDevnetAbi, logs: out.logs }).map((e) => e.eventName)).toEqual(['SlashRealized', 'Withdraw']);
    expect((await f.chain.read<{ amount: bigint }>(S, systemStakingDevnetAbi, 'bucketOf', [a])).amount).toBe(parseEther('95'));
  });

  it('a module slashed down to nothing refuses new stake', async () => {
    const slasher = f.chain.accounts[9]!;
    await w('setSlasher', [slasher], f.deployer);
    // 5% per slash: 0.95^270 < 1e-6, the floor below which a module is wiped out.
    for (let i = 0; i < 270; i++) await w('slashModule', [M], slasher);
    const a = await bucket(alice, parseEther('1'));
    await expectRevert(w('stake', [a, M], alice), 'ModuleWipedOut', [M]);
  });

  it('the constructor bounds the slash fraction to 10% and needs a treasury and a manager', async () => {
    const artifact = 'contracts/restaking/BucketStrategy.sol:BucketStrategy';
    const zero = '0x0000000000000000000000000000000000000000';
    const args = (bps: bigint, treasury: Address = f.deployer, manager: Address = SM) => [f.deployer, S, manager, f.c.bucketRewardPool, bps, treasury];
    expect(await f.chain.deployRevertName(artifact, args(1001n))).toBe('SlashTooLarge');
    expect(await f.chain.deployRevertName(artifact, args(0n))).toBe('SlashTooLarge');
    expect(await f.chain.deployRevertName(artifact, args(500n, zero))).toBe('ZeroAddress');
    expect(await f.chain.deployRevertName(artifact, args(500n, f.deployer, zero))).toBe('ZeroAddress');
    expect(await f.chain.deployRevertName(artifact, args(1000n))).toBeNull();
    expect(await r('MAX_SLASH_BPS')).toBe(1000n);
  });

  it('modules: anyone registers with an operator; only the module owner replaces it', async () => {
    const zero = '0x0000000000000000000000000000000000000000';
    await expectRevert(w('registerModule', [zero, 'x'], bob), 'ZeroAddress');
    const receipt = await w('registerModule', [carol, 'second'], bob);
    const id = M + 1n;
    expect(parseEventLogs({ abi: bucketStrategyDevnetAbi, logs: receipt.logs })[0]?.args).toEqual({ moduleId: id, owner: bob, operator: carol, name: 'second' });
    await expectRevert(w('setOperator', [id, alice], alice), 'NotModuleOwner', [id, alice]);
    await expectRevert(w('setOperator', [id, zero], bob), 'ZeroAddress');
    await expectRevert(w('setOperator', [9n, alice], bob), 'UnknownModule');
    await w('setOperator', [id, alice], bob);
    expect(await r('operatorOf', [id])).toBe(alice);
    expect(await r('operatorOf', [M])).toBe(f.operator);
  });
});
