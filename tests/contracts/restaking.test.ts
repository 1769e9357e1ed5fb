import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { encodeAbiParameters, getAddress, keccak256, parseEther, parseEventLogs, toHex, type Abi, type Address, type Hex, type TransactionReceipt } from 'viem';
import { bucketStrategyDevnetAbi, projectAbi, projectRegistryAbi, strategyManagerDevnetAbi, systemStakingDevnetAbi } from '../../src/core/abis/index.js';
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

/*
 * One-transaction restake (issue 16, an Outpost extension IoTeX's MSP does not have):
 * `SystemStaking.safeTransferFrom(owner, BucketStrategy, bucketId, abi.encode(moduleId))` restakes the
 * bucket for its owner with no approve, against IoTeX's two prompts (approve, then stake).
 */
const ZERO = '0x0000000000000000000000000000000000000000';
const ownerOf = (id: bigint) => f.chain.read<Address>(S, systemStakingDevnetAbi, 'ownerOf', [id]);
/** The `data` that names a module. */
const moduleData = (moduleId: bigint) => encodeAbiParameters([{ type: 'uint256' }], [moduleId]);

/** A fresh locked bucket of `owner` (not approved to anyone); returns its id. */
async function lockedBucket(owner: Address, amount: bigint, duration = 30n * DAY): Promise<bigint> {
  const receipt = await f.chain.write(S, systemStakingDevnetAbi, 'stake', [duration, f.delegates[0]], { from: owner, value: amount });
  return parseEventLogs({ abi: systemStakingDevnetAbi, logs: receipt.logs, eventName: 'Staked' })[0]!.args.id;
}
/** The one-transaction restake: SystemStaking's safeTransferFrom to the strategy, sent by `by` (the owner unless an operator). */
const sendToStrategy = (owner: Address, id: bigint, data: Hex | null, by: Address = owner) =>
  f.chain.write(S, systemStakingDevnetAbi, 'safeTransferFrom', data === null ? [owner, B, id] : [owner, B, id, data], { from: by });
/** The strategy's events in a receipt, in order, as [name, args]. */
const strategyEvents = (receipt: TransactionReceipt) =>
  parseEventLogs({ abi: bucketStrategyDevnetAbi, logs: receipt.logs.filter((log) => getAddress(log.address) === B) }).map((e) => [e.eventName, e.args]);

describe('BucketStrategy one-transaction restake (Outpost extension, issue 16): safeTransferFrom with the module in data', () => {
  it('restakes into the module for an existing restaker: record, weight, events, reward settlement; unstake and withdraw as for the two-step restake', async () => {
    // Alice restakes a first bucket the IoTeX way (approve + stake), then rewards arrive.
    const first = await lockedBucket(alice, parseEther('30'));
    await f.chain.write(S, systemStakingDevnetAbi, 'approve', [B, first], { from: alice });
    await w('stake', [first, M], alice);
    const w1 = 30n * 10n ** 18n + (30n * 10n ** 18n * 10n * 30n) / 9100n; // 30 IOTX for 30 days
    expect(w1).toBe(weightOf(30n * DAY, parseEther('30')));
    const seedWeight = SEED_WEIGHT;
    const seedPending = await r<bigint>('pendingReward', [IOTX, f.deployer]);
    const reward = parseEther('7');
    await distribute(reward);
    const share1 = (reward * w1) / (w1 + seedWeight);

    // One transaction: no approve; 50 IOTX locked for 91 days (weight 55 IOTX).
    const second = await lockedBucket(alice, parseEther('50'), 91n * DAY);
    const w2 = parseEther('55');
    const balanceBefore = await f.chain.balance(alice);
    const receipt = await sendToStrategy(alice, second, moduleData(M));
    const paid = receipt.gasUsed * receipt.effectiveGasPrice;
    const events = strategyEvents(receipt);
    expect(events.map(([name]) => name)).toEqual(['ClaimReward', 'Stake', 'ModuleJoined']);
    // The settlement pays what the first bucket earned: its exact share, floored, at most one wei under.
    const claimed = (events[0]![1] as { amount: bigint }).amount;
    expect(events[0]![1]).toEqual({ token: IOTX, staker: alice, amount: claimed });
    expect(share1 - claimed >= 0n && share1 - claimed <= 1n).toBe(true);
    expect((await f.chain.balance(alice)) - balanceBefore + paid).toBe(claimed);
    expect(events[1]![1]).toEqual({ staker: alice, bucketId: second, bucketAmount: parseEther('50'), stakingAmount: w2 });
    expect(events[2]![1]).toEqual({ bucketId: second, moduleId: M });

    expect(await ownerOf(second)).toBe(B);
    expect(await r('restakeOf', [second])).toEqual([alice, M, w2, 0n]);
    expect(await r('stakerBuckets', [alice])).toEqual([first, second]);
    expect(await r('stakeStatus', [second])).toBe(1);
    expect(await r('bucketStaker', [second])).toBe(alice);
    expect(await r('amount', [alice])).toBe(w1 + w2);
    expect(await r('totalAmount')).toBe(w1 + w2 + seedWeight);
    expect(await r('moduleWeight', [M])).toBe(w1 + w2);
    expect(await f.chain.read(SM, strategyManagerDevnetAbi, 'shares', [alice])).toBe(w1 + w2);
    expect(await r('pendingReward', [IOTX, alice])).toBe(0n);

    // Later rewards count both buckets.
    const reward2 = parseEther('3');
    await distribute(reward2);
    const share2 = (reward2 * (w1 + w2)) / (w1 + w2 + seedWeight);
    const pending2 = await r<bigint>('pendingReward', [IOTX, alice]);
    expect(share2 - pending2 >= 0n && share2 - pending2 <= 1n).toBe(true);
    // The seed restaker's share of both distributions is untouched by Alice's one-transaction restake.
    // Exactly reward·110/(w1 + 110) + reward2·110/(w1 + w2 + 110) IOTX as a fraction num/den, to within 2 wei under
    // and 1 wei over (pending is a floor: the fraction the seed reward's floor dropped can come back here as 1 wei).
    const [t1, t2] = [w1 + seedWeight, w1 + w2 + seedWeight];
    const [num, den] = [reward * seedWeight * t2 + reward2 * seedWeight * t1, t1 * t2];
    const seedGot = (await r<bigint>('pendingReward', [IOTX, f.deployer])) - seedPending;
    expect(seedGot * den <= num + den && num - seedGot * den <= 2n * den).toBe(true);

    // Unstake, 7-day freeze, withdraw: as for a bucket restaked in two steps.
    const unstake = await w('unstake', [[second]], alice);
    expect(strategyEvents(unstake)).toEqual([
      ['Unstake', { staker: alice, bucketId: second }],
      ['ClaimReward', { token: IOTX, staker: alice, amount: pending2 }],
    ]);
    expect(await r('moduleWeight', [M])).toBe(w1);
    expect(await r('amount', [alice])).toBe(w1);
    await expectReason(w('withdraw', [[second], alice], alice), 'withdraw freeze');
    await f.chain.increaseTime(7n * DAY);
    const out = await w('withdraw', [[second], alice], alice);
    expect(strategyEvents(out)).toEqual([['Withdraw', { staker: alice, bucketId: second }]]);
    expect(await ownerOf(second)).toBe(alice);
    expect((await f.chain.read<{ amount: bigint }>(S, systemStakingDevnetAbi, 'bucketOf', [second])).amount).toBe(parseEther('50'));
    expect(await r('stakeStatus', [second])).toBe(0);
  });

  it('module id 0 in data, or empty data, restakes into no module (like IoTeX stake(bucketId)), never parks the bucket', async () => {
    const a = await lockedBucket(alice, parseEther('10'), 0n);
    const b = await lockedBucket(bob, parseEther('20'), 91n * DAY);
    const ra = await sendToStrategy(alice, a, moduleData(0n));
    const rb = await sendToStrategy(bob, b, null);
    expect(strategyEvents(ra)).toEqual([['Stake', { staker: alice, bucketId: a, bucketAmount: parseEther('10'), stakingAmount: parseEther('10') }]]);
    expect(strategyEvents(rb)).toEqual([['Stake', { staker: bob, bucketId: b, bucketAmount: parseEther('20'), stakingAmount: parseEther('22') }]]);
    expect(await r('restakeOf', [a])).toEqual([alice, 0n, parseEther('10'), 0n]);
    expect(await r('restakeOf', [b])).toEqual([bob, 0n, parseEther('22'), 0n]);
    expect(await r('moduleWeight', [M])).toBe(0n);
    expect(await r('moduleWeight', [1n])).toBe(parseEther('110'));
    // Empty data left Bob a way out: unstake, freeze, withdraw.
    await w('unstake', [[b]], bob);
    await f.chain.increaseTime(7n * DAY);
    await w('withdraw', [[b], bob], bob);
    expect(await ownerOf(b)).toBe(bob);
  });

  it('an approved operator’s transfer restakes for the owner `from`, not for the operator', async () => {
    const a = await lockedBucket(alice, parseEther('10'), 0n);
    const c = await lockedBucket(alice, parseEther('4'), 0n);
    await f.chain.write(S, systemStakingDevnetAbi, 'approve', [bob, a], { from: alice });
    await f.chain.write(S, systemStakingDevnetAbi, 'setApprovalForAll', [carol, true], { from: alice });
    const receipt = await sendToStrategy(alice, a, moduleData(M), bob);
    await sendToStrategy(alice, c, moduleData(M), carol);
    expect(strategyEvents(receipt)[0]).toEqual(['Stake', { staker: alice, bucketId: a, bucketAmount: parseEther('10'), stakingAmount: parseEther('10') }]);
    expect(await r('stakerBuckets', [alice])).toEqual([a, c]);
    expect(await r('amount', [alice])).toBe(parseEther('14'));
    expect(await r('stakerBuckets', [bob])).toEqual([]);
    expect(await r('amount', [bob])).toBe(0n);
    expect(await r('amount', [carol])).toBe(0n);
    await expectReason(w('unstake', [[a]], bob), 'not staker');
    // A stranger cannot do it.
    const d = await lockedBucket(alice, parseEther('1'), 0n);
    await expectRevert(sendToStrategy(alice, d, moduleData(M), bob), 'ERC721InsufficientApproval', [bob, d]);
  });

  it('refuses an unlocked bucket (IoTeX’s reason), an unknown module and a wiped-out one; the bucket stays with its owner', async () => {
    const a = await lockedBucket(alice, parseEther('2'), DAY);
    await f.chain.write(S, systemStakingDevnetAbi, 'unlock', [a], { from: alice });
    await expectReason(sendToStrategy(alice, a, moduleData(M)), 'not locking bucket');
    await expectReason(sendToStrategy(alice, a, null), 'not locking bucket');
    const b = await lockedBucket(alice, parseEther('2'));
    await expectRevert(sendToStrategy(alice, b, moduleData(99n)), 'UnknownModule', [99n]);
    const slasher = f.chain.accounts[9]!;
    await w('setSlasher', [slasher], f.deployer);
    // 5% per slash: 0.95^270 < 1e-6, the floor below which a module is wiped out.
    for (let i = 0; i < 270; i++) await w('slashModule', [M], slasher);
    await expectRevert(sendToStrategy(alice, b, moduleData(M)), 'ModuleWipedOut', [M]);
    expect([await ownerOf(a), await ownerOf(b)]).toEqual([alice, alice]);
    expect(await r('stakerBuckets', [alice])).toEqual([]);
    expect(await r('bucketStaker', [b])).toBe(ZERO);
  });

  it('refuses malformed data and NFTs of any other contract', async () => {
    const a = await lockedBucket(alice, parseEther('2'));
    for (const data of ['0x01', `0x${'00'.repeat(31)}`, `${moduleData(M)}00`, `${moduleData(M)}${moduleData(M).slice(2)}`] as Hex[]) {
      await expectRevert(sendToStrategy(alice, a, data), 'MalformedRestakeData', [data]);
    }
    expect(await ownerOf(a)).toBe(alice);
    // A project NFT (ioID's Project contract) sent to the strategy would be stranded there.
    const registered = await f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', ['foreign-nft', 0], { from: alice });
    const projectId = parseEventLogs({ abi: projectAbi, logs: registered.logs, eventName: 'Transfer' })[0]!.args.tokenId;
    for (const data of [null, moduleData(M)]) {
      const transfer = f.chain.write(f.c.project, projectAbi, 'safeTransferFrom', data === null ? [alice, B, projectId] : [alice, B, projectId, data], { from: alice });
      await expectRevert(transfer, 'NotBucketToken', [f.c.project]);
    }
    expect(await f.chain.read(f.c.project, projectAbi, 'ownerOf', [projectId])).toBe(alice);
    // Called directly, not from SystemStaking, it refuses too (no staker record can be forged).
    await expectRevert(w('onERC721Received', [alice, alice, a, moduleData(M)], alice), 'NotBucketToken', [alice]);
  });

  it('the reentrancy guard refuses a restake attempted inside a reward payment, and allows it outside', async () => {
    const artifact = 'contracts/test/TestReentrantRestaker.sol:TestReentrantRestaker';
    const { abi } = JSON.parse(readFileSync('artifacts/contracts/test/TestReentrantRestaker.sol/TestReentrantRestaker.json', 'utf8')) as { abi: Abi };
    const helper = await f.chain.deploy(artifact, [S, B]);
    const hw = (fn: string, args: readonly unknown[] = [], value?: bigint) => f.chain.write(helper, abi, fn, args, { from: alice, ...(value ? { value } : {}) });
    const idOf = (receipt: TransactionReceipt) => parseEventLogs({ abi: systemStakingDevnetAbi, logs: receipt.logs, eventName: 'Staked' })[0]!.args.id;
    const restakedId = idOf(await hw('stakeBucket', [0n, f.delegates[0]], parseEther('10')));
    const spare = idOf(await hw('stakeBucket', [0n, f.delegates[0]], parseEther('10')));
    await hw('restake', [restakedId]);
    await hw('setSpareBucket', [spare]);
    await distribute(parseEther('12'));
    // claimReward pays the helper while the strategy's guard is held; the helper's receive tries the restake.
    const claim = await hw('claim');
    expect(strategyEvents(claim).map(([name]) => name)).toEqual(['ClaimReward']);
    expect(await f.chain.read(helper, abi, 'attempted')).toBe(true);
    // OpenZeppelin's ReentrancyGuardReentrantCall(), bubbled up through SystemStaking's safeTransferFrom.
    expect(await f.chain.read(helper, abi, 'reentryError')).toBe(keccak256(toHex('ReentrancyGuardReentrantCall()')).slice(0, 10));
    expect(await ownerOf(spare)).toBe(helper);
    expect(await r('bucketStaker', [spare])).toBe(ZERO);
    // Outside any strategy call the same transfer restakes (10 IOTX locked for 0 days: weight 10 IOTX).
    await hw('sendSpare');
    expect(await r('restakeOf', [spare])).toEqual([helper, 0n, parseEther('10'), 0n]);
    expect(await r('stakerBuckets', [helper])).toEqual([restakedId, spare]);
  });

  it('gas and prompts: one transaction (safeTransferFrom with the module) against approve + stake(bucketId, moduleId), existing restaker', async () => {
    const first = await lockedBucket(alice, parseEther('100'));
    await f.chain.write(S, systemStakingDevnetAbi, 'approve', [B, first], { from: alice });
    await w('stake', [first, M], alice);
    const id = await lockedBucket(alice, parseEther('100'));
    const before = await f.chain.snapshot();
    const approve = await f.chain.write(S, systemStakingDevnetAbi, 'approve', [B, id], { from: alice });
    const stake = await w('stake', [id, M], alice);
    const twoStep = { prompts: 2, gas: approve.gasUsed + stake.gasUsed };
    const twoStepState = [await r('restakeOf', [id]), await r('amount', [alice]), await r('moduleWeight', [M])];
    await f.chain.revert(before);
    const one = await sendToStrategy(alice, id, moduleData(M));
    const oneTx = { prompts: 1, gas: one.gasUsed };
    // Both paths end in the same state: 2 × (100 + 100·10·30/9100) IOTX in the module.
    const weight = weightOf(30n * DAY, parseEther('100'));
    expect(twoStepState).toEqual([[alice, M, weight, 0n], 2n * weight, 2n * weight]);
    expect([await r('restakeOf', [id]), await r('amount', [alice]), await r('moduleWeight', [M])]).toEqual(twoStepState);
    console.log(
      `restake into a module, existing restaker: approve ${approve.gasUsed} + stake(bucketId, moduleId) ${stake.gasUsed} = ${twoStep.gas} gas in ${twoStep.prompts} prompts; ` +
        `safeTransferFrom(owner, strategy, bucketId, abi.encode(moduleId)) ${oneTx.gas} gas in ${oneTx.prompts} prompt`,
    );
    // One transaction saves at least the second 21,000 base cost.
    expect(twoStep.gas - oneTx.gas).toBeGreaterThan(21_000n);
  });
});
