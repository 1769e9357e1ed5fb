import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEther, parseEventLogs, zeroAddress, type Address, type Hex } from 'viem';
import { bucketStrategyAbi, systemStakingAbi } from '../../src/core/abis/index.js';
import { expectRevert } from './helpers/chain.js';
import { deployFixture, type Fixture } from './helpers/fixture.js';

let f: Fixture;
let snap: Hex;
let alice: Address;
let bob: Address;
let carol: Address;
let B: Address;
let S: Address;
/** A module of the deployer run by the relay's operator, empty at the start of every test (module 1 carries the devnet's seed stake). */
let M: bigint;
const DAY = 86_400n;
/** The devnet plan restakes 100 IOTX for 91 days into module 1: weight 110 IOTX. */
const SEED_WEIGHT = parseEther('110');

beforeAll(async () => {
  f = await deployFixture();
  [alice, bob, carol] = [f.chain.accounts[2]!, f.chain.accounts[3]!, f.chain.accounts[4]!];
  B = f.c.bucketStrategy;
  S = f.c.systemStaking;
  await f.chain.write(B, bucketStrategyAbi, 'registerModule', [f.operator, 'test module'], { from: f.deployer });
  M = await f.chain.read<bigint>(B, bucketStrategyAbi, 'moduleCount');
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
  const receipt = await f.chain.write(S, systemStakingAbi, 'stake', [duration, f.delegates[0]], { from: owner, value: amount });
  const [staked] = parseEventLogs({ abi: systemStakingAbi, logs: receipt.logs, eventName: 'Staked' });
  const id = staked!.args.id;
  await f.chain.write(S, systemStakingAbi, 'approve', [B, id], { from: owner });
  return id;
}
const w = (fn: string, args: readonly unknown[], from: Address, value?: bigint) => f.chain.write(B, bucketStrategyAbi, fn, args, { from, ...(value ? { value } : {}) });
const r = <T>(fn: string, args: readonly unknown[] = []) => f.chain.read<T>(B, bucketStrategyAbi, fn, args);

describe('BucketStrategy: restaking locked buckets into modules', () => {
  it('calculateBucketRestakeAmount: up to +10% for locks up to 91 days', async () => {
    for (const [d, a] of [[0n, 100n], [91n * DAY, 9100n], [365n * DAY, parseEther('1000')], [30n * DAY, parseEther('7')], [1n, 10n ** 18n]] as const) {
      expect(await r('calculateBucketRestakeAmount', [d, a])).toBe(weightOf(d, a));
    }
    expect(await r('calculateBucketRestakeAmount', [365n * DAY, parseEther('1000')])).toBe(parseEther('1100'));
  });

  it('stake takes the approved, locked bucket NFT and records its weight in the module', async () => {
    const id = await bucket(alice, parseEther('100'));
    const receipt = await w('stake', [id, M], alice);
    const [event] = parseEventLogs({ abi: bucketStrategyAbi, logs: receipt.logs, eventName: 'Staked' });
    const weight = weightOf(30n * DAY, parseEther('100'));
    expect(event?.args).toEqual({ bucketId: id, owner: alice, moduleId: M, weight });
    expect(await f.chain.read(S, systemStakingAbi, 'ownerOf', [id])).toBe(B);
    expect(await r('restakeOf', [id])).toEqual([alice, M, weight, 0n]);
    expect(await r('shares', [alice])).toBe(weight);
    expect(await r('totalShares')).toBe(weight + SEED_WEIGHT);
    expect(await r('moduleInfo', [M])).toEqual([f.deployer, f.operator, weight, 10n ** 18n, 0n]);
    // The MSP signature stake(bucketId) restakes into module 1.
    const id2 = await bucket(bob, parseEther('5'));
    await w('stake', [id2], bob);
    expect((await r<unknown[]>('restakeOf', [id2]))[1]).toBe(1n);
  });

  it('stake refuses unapproved, unlocked, foreign buckets and unknown modules', async () => {
    const receipt = await f.chain.write(S, systemStakingAbi, 'stake', [DAY, f.delegates[0]], { from: alice, value: parseEther('2') });
    const id = parseEventLogs({ abi: systemStakingAbi, logs: receipt.logs, eventName: 'Staked' })[0]!.args.id;
    await expectRevert(w('stake', [id, M], alice), 'ERC721InsufficientApproval', [B, id]);
    await f.chain.write(S, systemStakingAbi, 'approve', [B, id], { from: alice });
    await expectRevert(w('stake', [id, 99n], alice), 'UnknownModule', [99n]);
    await expectRevert(w('stake', [id, M], bob), 'ERC721IncorrectOwner');
    await f.chain.write(S, systemStakingAbi, 'unlock', [id], { from: alice });
    await expectRevert(w('stake', [id, M], alice), 'BucketNotLocked', [id]);
  });

  it('rewards split pro rata to weight; claims are exact, once, and never exceed deposits', async () => {
    const a = await bucket(alice, parseEther('30'));
    const b = await bucket(bob, parseEther('10'), 91n * DAY);
    await w('stake', [a, M], alice);
    await w('stake', [b, M], bob);
    const wa = weightOf(30n * DAY, parseEther('30'));
    const wb = weightOf(91n * DAY, parseEther('10'));
    const reward = parseEther('7');
    await expectRevert(w('distributeRewards', [M], carol), 'ZeroAmount');
    const receipt = await w('distributeRewards', [M], carol, reward);
    expect(parseEventLogs({ abi: bucketStrategyAbi, logs: receipt.logs })[0]?.args).toEqual({ moduleId: M, from: carol, amount: reward });
    const pa = await r<bigint>('pendingRewards', [M, alice]);
    const pb = await r<bigint>('pendingRewards', [M, bob]);
    // Floor of the exact share, off by at most one wei.
    expect(reward * wa / (wa + wb) - pa).toBeLessThanOrEqual(1n);
    expect(reward * wb / (wa + wb) - pb).toBeLessThanOrEqual(1n);
    expect(pa + pb).toBeLessThanOrEqual(reward);
    const before = await f.chain.balance(carol);
    await w('claim', [M, carol], alice);
    expect((await f.chain.balance(carol)) - before).toBe(pa);
    const again = await w('claim', [M, carol], alice);
    expect(parseEventLogs({ abi: bucketStrategyAbi, logs: again.logs, eventName: 'RewardsClaimed' })[0]?.args.amount).toBe(0n);
    await expectRevert(w('claim', [M, zeroAddress], bob), 'ZeroAddress');
    await expectRevert(w('claim', [99n, bob], bob), 'UnknownModule');
    // A late restaker gets nothing from earlier rewards.
    const c = await bucket(carol, parseEther('50'));
    await w('stake', [c, M], carol);
    expect(await r('pendingRewards', [M, carol])).toBe(0n);
    expect(await r<bigint>('totalRewardsPaid')).toBe(pa);
    expect(await r<bigint>('totalRewardsDeposited')).toBe(reward);
  });

  it('a module without restaked weight cannot receive rewards (nothing would be claimable)', async () => {
    await w('registerModule', [carol, 'empty'], bob);
    await expectRevert(w('distributeRewards', [M + 1n], carol, 1n), 'NoRestakedWeight', [M + 1n]);
  });

  it('unstake stops rewards, keeps earned ones, and starts the 7-day freeze; withdraw returns the bucket', async () => {
    const a = await bucket(alice, parseEther('10'));
    const b = await bucket(bob, parseEther('10'));
    await w('stake', [a, M], alice);
    await w('stake', [b, M], bob);
    await w('distributeRewards', [M], carol, parseEther('2'));
    await expectRevert(w('unstake', [[]], alice), 'EmptyList');
    await expectRevert(w('unstake', [[a]], bob), 'NotRestaker', [a, bob]);
    await expectRevert(w('withdraw', [[a], alice], alice), 'NotUnstaked', [a]);
    await w('unstake', [[a]], alice);
    const unstakedAt = await f.chain.now();
    await expectRevert(w('unstake', [[a]], alice), 'AlreadyUnstaked', [a]);
    expect(await r('shares', [alice])).toBe(0n);
    await w('distributeRewards', [M], carol, parseEther('2'));
    expect(near(await r<bigint>('pendingRewards', [M, alice]), parseEther('1'))).toBe(true);
    expect(near(await r<bigint>('pendingRewards', [M, bob]), parseEther('3'))).toBe(true);
    await expectRevert(w('withdraw', [[a], alice], alice), 'WithdrawTooEarly', [a, unstakedAt + 7n * DAY]);
    await f.chain.increaseTime(7n * DAY);
    await expectRevert(w('withdraw', [[a], zeroAddress], alice), 'ZeroAddress');
    await expectRevert(w('withdraw', [[], alice], alice), 'EmptyList');
    const receipt = await w('withdraw', [[a], carol], alice);
    expect(parseEventLogs({ abi: bucketStrategyAbi, logs: receipt.logs, eventName: 'Withdrawn' })[0]?.args).toEqual({ bucketId: a, owner: alice, recipient: carol });
    expect(await f.chain.read(S, systemStakingAbi, 'ownerOf', [a])).toBe(carol);
    expect((await f.chain.read<{ amount: bigint }>(S, systemStakingAbi, 'bucketOf', [a])).amount).toBe(parseEther('10'));
    await w('claim', [M, alice], alice);
  });

  it('slashing: bounded per slash, shared equally by the module, realised lazily (poke), newcomers unaffected', async () => {
    const slasher = f.chain.accounts[9]!;
    await expectRevert(w('slashModule', [M], slasher), 'NotSlasher', [slasher]);
    await expectRevert(w('setSlasher', [slasher], alice), 'OwnableUnauthorizedAccount');
    await w('setSlasher', [slasher], f.deployer);
    const a = await bucket(alice, parseEther('100'), 0n);
    await w('stake', [a, M], alice);
    const receipt = await w('slashModule', [M], slasher);
    expect(parseEventLogs({ abi: bucketStrategyAbi, logs: receipt.logs })[0]?.args).toEqual({ moduleId: M, bps: 500n, weightBefore: parseEther('100'), weightAfter: parseEther('95') });
    expect((await r<unknown[]>('restakeOf', [a]))[2]).toBe(parseEther('95'));
    // Bob joins after the slash and is not touched by it.
    const b = await bucket(bob, parseEther('100'), 0n);
    await w('stake', [b, M], bob);
    // Shares are weight / factor, so the newcomer's weight reads back to within one wei of rounding.
    expect(near((await r<bigint[]>('restakeOf', [b]))[2]!, parseEther('100'))).toBe(true);
    await w('distributeRewards', [M], carol, parseEther('19.5'));
    expect(near(await r<bigint>('pendingRewards', [M, alice]), parseEther('9.5'))).toBe(true);
    expect(near(await r<bigint>('pendingRewards', [M, bob]), parseEther('10'))).toBe(true);
    // poke realises Alice's loss in SystemStaking and sends it to the treasury.
    const treasury = await r<Address>('treasury');
    const before = await f.chain.balance(treasury);
    const poked = await w('poke', [a], carol);
    const names = parseEventLogs({ abi: bucketStrategyAbi, logs: poked.logs }).map((e) => e.eventName);
    expect(names).toEqual(['SlashRealized', 'Poked']);
    expect((await f.chain.read<{ amount: bigint }>(S, systemStakingAbi, 'bucketOf', [a])).amount).toBe(parseEther('95'));
    expect((await f.chain.balance(treasury)) - before).toBe(parseEther('5'));
    expect((await r<unknown[]>('restakeOf', [a]))[2]).toBe(parseEther('95'));
    // A second poke takes nothing more.
    const again = await w('poke', [a], carol);
    expect(parseEventLogs({ abi: bucketStrategyAbi, logs: again.logs }).map((e) => e.eventName)).toEqual(['Poked']);
    await expectRevert(w('poke', [77n], carol), 'NotRestaker');
    await expectRevert(w('slashModule', [99n], slasher), 'UnknownModule');
    await expectRevert(w('setTreasury', [zeroAddress], f.deployer), 'ZeroAddress');
  });

  it('a module slashed down to nothing refuses new stake', async () => {
    const slasher = f.chain.accounts[9]!;
    await w('setSlasher', [slasher], f.deployer);
    // 5% per slash: 0.95^270 < 1e-6, the floor below which a module is wiped out.
    for (let i = 0; i < 270; i++) await w('slashModule', [M], slasher);
    const a = await bucket(alice, parseEther('1'));
    await expectRevert(w('stake', [a, M], alice), 'ModuleWipedOut', [M]);
  });

  it('the constructor bounds the slash fraction to 10% and needs a treasury', async () => {
    const artifact = 'contracts/restaking/BucketStrategy.sol:BucketStrategy';
    expect(await f.chain.deployRevertName(artifact, [f.deployer, S, 1001n, f.deployer])).toBe('SlashTooLarge');
    expect(await f.chain.deployRevertName(artifact, [f.deployer, S, 0n, f.deployer])).toBe('SlashTooLarge');
    expect(await f.chain.deployRevertName(artifact, [f.deployer, S, 500n, zeroAddress])).toBe('ZeroAddress');
    expect(await f.chain.deployRevertName(artifact, [f.deployer, S, 1000n, f.deployer])).toBeNull();
    expect(await r('MAX_SLASH_BPS')).toBe(1000n);
  });

  it('modules: anyone registers with an operator; only the module owner replaces it', async () => {
    await expectRevert(w('registerModule', [zeroAddress, 'x'], bob), 'ZeroAddress');
    const receipt = await w('registerModule', [carol, 'second'], bob);
    const id = M + 1n;
    expect(parseEventLogs({ abi: bucketStrategyAbi, logs: receipt.logs })[0]?.args).toEqual({ moduleId: id, owner: bob, operator: carol, name: 'second' });
    await expectRevert(w('setOperator', [id, alice], alice), 'NotModuleOwner', [id, alice]);
    await expectRevert(w('setOperator', [id, zeroAddress], bob), 'ZeroAddress');
    await expectRevert(w('setOperator', [9n, alice], bob), 'UnknownModule');
    await w('setOperator', [id, alice], bob);
    expect(await r('operatorOf', [id])).toBe(alice);
    expect(await r('operatorOf', [M])).toBe(f.operator);
  });
});
