import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { maxUint256, parseEther, parseEventLogs, zeroAddress, type Address, type Hex, type TransactionReceipt } from 'viem';
import { delegateRegistryAbi, systemStakingDevnetAbi } from '../../src/core/abis/index.js';
import { expectRevert } from './helpers/chain.js';
import { deployFixture, type Fixture } from './helpers/fixture.js';

let f: Fixture;
let snap: Hex;
let staker: Address;
let other: Address;
let S: Address;
const DAY = 86_400n;
const FREEZE = 3n * DAY;
/** The devnet plan stakes bucket 1 (100 IOTX) behind the relay's module; the tests' buckets start at 2. */
const SEED_STAKE = parseEther('100');

beforeAll(async () => {
  f = await deployFixture();
  staker = f.chain.accounts[2]!;
  other = f.chain.accounts[3]!;
  S = f.c.systemStaking;
  snap = await f.chain.snapshot();
});
beforeEach(async () => {
  await f.chain.revert(snap);
  snap = await f.chain.snapshot();
});

const write = (fn: string, args: readonly unknown[], options: { from?: Address; value?: bigint } = {}) =>
  f.chain.write(S, systemStakingDevnetAbi, fn, args, { from: staker, ...options });
const read = <T>(fn: string, args: readonly unknown[] = []) => f.chain.read<T>(S, systemStakingDevnetAbi, fn, args);
const events = (receipt: TransactionReceipt) => parseEventLogs({ abi: systemStakingDevnetAbi, logs: receipt.logs });
type BucketView = [bigint, bigint, bigint, bigint, Address];
type BucketStruct = { amount: bigint; duration: bigint; unlockedAt: bigint; unstakedAt: bigint; delegate: Address };
/** bucketOf returns V3's Bucket struct (viem decodes it as an object); as a tuple for terse comparisons. */
async function bucketOf(id: bigint): Promise<BucketView> {
  const b = await read<BucketStruct>('bucketOf', [id]);
  return [b.amount, b.duration, b.unlockedAt, b.unstakedAt, b.delegate];
}

async function stakeOne(amount = parseEther('10'), duration = 10n * DAY, delegate = f.delegates[0]!): Promise<bigint> {
  const receipt = await write('stake', [duration, delegate], { value: amount });
  const staked = events(receipt).find((e) => e.eventName === 'Staked');
  return (staked!.args as { id: bigint }).id;
}

describe('SystemStaking (bucket NFTs behaving like IoTeX V3)', () => {
  it('stake(duration, delegate): a locked bucket NFT with the sent amount, Staked event', async () => {
    const receipt = await write('stake', [10n * DAY, f.delegates[0]], { value: parseEther('5') });
    const [staked] = events(receipt).filter((e) => e.eventName === 'Staked');
    expect(staked?.args).toEqual({ id: 2n, delegate: f.delegates[0], amount: parseEther('5'), duration: 10n * DAY });
    expect(await read('ownerOf', [2n])).toBe(staker);
    expect(await bucketOf(2n)).toEqual([parseEther('5'), 10n * DAY, maxUint256, maxUint256, f.delegates[0]]);
    expect(await read('isLocked', [2n])).toBe(true);
    expect(await read('timeToUnstake', [2n])).toBe(10n * DAY);
    // V3: timeToWithdraw of a bucket that was not unstaked reverts (the old contract returned duration + freeze).
    await expectRevert(read('timeToWithdraw', [2n]), 'ErrNotUnstakedBucket');
    expect(await read('UNSTAKE_FREEZE_TIME')).toBe(FREEZE);
    expect(await read('name')).toBe('BucketNFTV3');
    expect(await f.chain.balance(S)).toBe(parseEther('5') + SEED_STAKE);
  });

  it('stake(amount, duration, delegates[]) and stake(amount, duration, delegate, count)', async () => {
    await expectRevert(write('stake', [parseEther('2'), DAY, f.delegates], { value: parseEther('2') }), 'ErrInvalidAmount');
    // V3: an empty list with no value stakes nothing and returns [].
    expect((await f.chain.publicClient.simulateContract({ address: S, abi: systemStakingDevnetAbi, functionName: 'stake', args: [parseEther('2'), DAY, []], account: staker })).result).toEqual([]);
    await write('stake', [parseEther('2'), DAY, f.delegates], { value: parseEther('6') });
    for (let i = 0; i < 3; i++) expect((await bucketOf(BigInt(i + 2)))[4]).toBe(f.delegates[i]);
    await expectRevert(write('stake', [parseEther('2'), DAY, f.delegates[1], 4n], { value: parseEther('7') }), 'ErrInvalidAmount');
    const receipt = await write('stake', [parseEther('2'), DAY, f.delegates[1], 4n], { value: parseEther('8') });
    expect(events(receipt).filter((e) => e.eventName === 'Staked').map((e) => (e.args as { id: bigint }).id)).toEqual([5n, 6n, 7n, 8n]);
    expect(await read('balanceOf', [staker])).toBe(7n);
    expect(await f.chain.balance(S)).toBe(parseEther('14') + SEED_STAKE);
  });

  it('rejects amounts below the minimum, overlong and part-day durations (V3 accepts the zero delegate)', async () => {
    await expectRevert(write('stake', [DAY, f.delegates[0]], { value: parseEther('0.5') }), 'ErrInvalidAmount');
    await expectRevert(write('stake', [1096n * DAY, f.delegates[0]], { value: parseEther('1') }), 'ErrInvalidDuration');
    await expectRevert(write('stake', [DAY + 1n, f.delegates[0]], { value: parseEther('1') }), 'ErrInvalidDuration');
    await write('stake', [1095n * DAY, zeroAddress], { value: parseEther('1') });
    expect((await bucketOf(2n))[4]).toBe(zeroAddress);
  });

  it('life of a bucket: unlock → wait duration → unstake → freeze → withdraw', async () => {
    const id = await stakeOne(parseEther('10'), 10n * DAY);
    await expectRevert(write('unstake', [id]), 'ErrNotReady');
    await expectRevert(write('unlock', [id], { from: other }), 'ErrNotOwner');
    const unlocked = await write('unlock', [id]);
    expect(events(unlocked)[0]?.eventName).toBe('Unlocked');
    await expectRevert(write('unlock', [id]), 'ErrNotLockedBucket');
    const unlockedAt = (await bucketOf(id))[2];
    expect(unlockedAt).toBe(await f.chain.now());
    await expectRevert(write('unstake', [id]), 'ErrNotReady');
    await f.chain.increaseTime(5n * DAY);
    expect(await read('timeToUnstake', [id])).toBe(5n * DAY);
    await f.chain.increaseTime(5n * DAY);
    expect(await read('timeToUnstake', [id])).toBe(0n);
    await expectRevert(write('withdraw', [id, staker]), 'ErrNotUnstakedBucket');
    const unstaked = await write('unstake', [id]);
    expect(events(unstaked)[0]?.eventName).toBe('Unstaked');
    await expectRevert(write('unstake', [id]), 'ErrNotStakedBucket');
    const [, , unlockedAfter, unstakedAt] = await bucketOf(id);
    expect(unstakedAt).toBe(await f.chain.now());
    // V3 sets unlockedAt to the unstake time as well.
    expect(unlockedAfter).toBe(unstakedAt);
    expect(await read('timeToWithdraw', [id])).toBe(FREEZE);
    await expectRevert(read('timeToUnstake', [id]), 'ErrNotStakedBucket');
    // Unstaked buckets cannot be re-locked or re-delegated, but they change hands (V3).
    await expectRevert(write('lock', [id, DAY]), 'ErrNotStakedBucket');
    await expectRevert(write('changeDelegate', [id, f.delegates[1]]), 'ErrNotStakedBucket');
    await write('transferFrom', [staker, other, id]);
    await write('transferFrom', [other, staker, id], { from: other });
    await expectRevert(write('withdraw', [id, staker]), 'ErrNotReady');
    await f.chain.increaseTime(FREEZE);
    const before = await f.chain.balance(other);
    const withdrawn = await write('withdraw', [id, other]);
    expect(events(withdrawn).find((e) => e.eventName === 'Withdrawal')?.args).toEqual({ id, recipient: other });
    expect((await f.chain.balance(other)) - before).toBe(parseEther('10'));
    expect(await f.chain.balance(S)).toBe(SEED_STAKE);
    await expectRevert(read('bucketOf', [id]), 'ERC721NonexistentToken', [id]);
  });

  it('lock needs at least the time left and keeps the stored duration (V3); Locked carries the argument', async () => {
    const id = await stakeOne(parseEther('3'), 10n * DAY);
    // V3 accepts lock on a locked bucket, with at least its duration.
    await expectRevert(write('lock', [id, 9n * DAY]), 'ErrInvalidDuration');
    await write('lock', [id, 20n * DAY]);
    await write('unlock', [id]);
    await f.chain.increaseTime(4n * DAY);
    await expectRevert(write('lock', [id, 5n * DAY]), 'ErrInvalidDuration');
    await expectRevert(write('lock', [id, 2000n * DAY]), 'ErrInvalidDuration');
    const receipt = await write('lock', [id, 6n * DAY]);
    expect(events(receipt)[0]?.args).toEqual({ id, duration: 6n * DAY });
    expect(await bucketOf(id)).toEqual([parseEther('3'), 10n * DAY, maxUint256, maxUint256, f.delegates[0]]);
  });

  it('batch variants: unlock, lock, unstake, withdraw, changeDelegates', async () => {
    await write('stake', [parseEther('2'), DAY, f.delegates[0], 3n], { value: parseEther('6') });
    const ids = [2n, 3n, 4n];
    await write('unlock', [ids]);
    await write('lock', [ids, 2n * DAY]);
    await write('changeDelegates', [ids, f.delegates[2]]);
    for (const id of ids) expect((await bucketOf(id))[4]).toBe(f.delegates[2]);
    await write('unlock', [ids]);
    await f.chain.increaseTime(2n * DAY);
    await write('unstake', [ids]);
    await f.chain.increaseTime(FREEZE);
    const before = await f.chain.balance(other);
    await write('withdraw', [ids, other]);
    expect((await f.chain.balance(other)) - before).toBe(parseEther('6'));
    expect(await read('balanceOf', [staker])).toBe(0n);
  });

  it('merge: two or more staked buckets, locked or not, into the first, plus msg.value; the result is locked', async () => {
    const a = await stakeOne(parseEther('3'), 10n * DAY);
    const b = await stakeOne(parseEther('4'), 20n * DAY, f.delegates[1]!);
    await expectRevert(write('merge', [[a, b], 15n * DAY]), 'ErrInvalidDuration');
    await expectRevert(write('merge', [[a, a], 30n * DAY]), 'ERC721NonexistentToken', [a]);
    await expectRevert(write('merge', [[a], 30n * DAY]), 'ErrInvalidParameter');
    await expectRevert(write('merge', [[], 30n * DAY]), 'ErrInvalidParameter');
    const c = await stakeOne(parseEther('1'), DAY);
    await write('unlock', [c]);
    const receipt = await write('merge', [[a, b, c], 30n * DAY], { value: parseEther('1') });
    expect(events(receipt).find((e) => e.eventName === 'Merged')?.args).toEqual({ ids: [a, b, c], amount: parseEther('9'), duration: 30n * DAY });
    expect(await bucketOf(a)).toEqual([parseEther('9'), 30n * DAY, maxUint256, maxUint256, f.delegates[0]]);
    await expectRevert(read('ownerOf', [b]), 'ERC721NonexistentToken', [b]);
    await expectRevert(read('ownerOf', [c]), 'ERC721NonexistentToken', [c]);
    expect(await f.chain.balance(S)).toBe(parseEther('9') + SEED_STAKE);
  });

  it('expandBucket adds msg.value and lengthens; changeDelegate moves the vote', async () => {
    const id = await stakeOne(parseEther('3'), 10n * DAY);
    await expectRevert(write('expandBucket', [id, 9n * DAY]), 'ErrInvalidDuration');
    await expectRevert(write('expandBucket', [id, 1096n * DAY]), 'ErrInvalidDuration');
    const receipt = await write('expandBucket', [id, 12n * DAY], { value: parseEther('2') });
    expect(events(receipt)[0]?.args).toEqual({ id, amount: parseEther('5'), duration: 12n * DAY });
    await expectRevert(write('changeDelegate', [id, f.delegates[0]]), 'ErrInvalidParameter');
    await expectRevert(write('changeDelegate', [id, f.delegates[1]], { from: other }), 'ErrNotOwner');
    const changed = await write('changeDelegate', [id, f.delegates[1]]);
    expect(events(changed)[0]?.args).toEqual({ id, newDelegate: f.delegates[1] });
    await write('unlock', [id]);
    await expectRevert(write('expandBucket', [id, 20n * DAY]), 'ErrNotLockedBucket');
  });

  it('only the slasher slashes, only buckets it holds, never more than the amount', async () => {
    const id = await stakeOne(parseEther('3'));
    await expectRevert(write('slash', [id, 1n, other]), 'NotSlasher', [staker]);
    await expectRevert(write('setSlasher', [other], { from: other }), 'OwnableUnauthorizedAccount');
    expect(await read('slasher')).toBe(f.c.bucketStrategy);
    await f.chain.write(S, systemStakingDevnetAbi, 'setSlasher', [other]);
    await expectRevert(write('slash', [id, 1n, other], { from: other }), 'NotBucketOwner', [id, other]);
    await write('transferFrom', [staker, other, id]);
    await expectRevert(write('slash', [id, parseEther('4'), other], { from: other }), 'SlashTooLarge', [id, parseEther('4'), parseEther('3')]);
    const receipt = await write('slash', [id, parseEther('1'), f.chain.accounts[9]], { from: other });
    expect(events(receipt).find((e) => e.eventName === 'Slashed')?.args).toEqual({ id, amount: parseEther('1'), recipient: f.chain.accounts[9] });
    expect((await bucketOf(id))[0]).toBe(parseEther('2'));
    expect(await f.chain.balance(S)).toBe(parseEther('2') + SEED_STAKE);
  });

  it('the slasher can still slash a bucket it holds once unstaked (unstaked buckets are transferable); the rest is withdrawn', async () => {
    const id = await stakeOne(parseEther('3'), DAY);
    await f.chain.write(S, systemStakingDevnetAbi, 'setSlasher', [other]);
    await write('unlock', [id]);
    await f.chain.increaseTime(DAY);
    await write('unstake', [id]);
    await write('transferFrom', [staker, other, id]);
    // Slashing goes on while paused; staking actions do not.
    await f.chain.write(S, systemStakingDevnetAbi, 'pause', []);
    await write('slash', [id, parseEther('1'), f.chain.accounts[9]], { from: other });
    await f.chain.increaseTime(FREEZE);
    await expectRevert(write('withdraw', [id, other], { from: other }), 'EnforcedPause');
    await f.chain.write(S, systemStakingDevnetAbi, 'unpause', []);
    const before = await f.chain.balance(f.chain.accounts[8]!);
    await write('withdraw', [id, f.chain.accounts[8]], { from: other });
    expect((await f.chain.balance(f.chain.accounts[8]!)) - before).toBe(parseEther('2'));
    expect(await f.chain.balance(S)).toBe(SEED_STAKE);
  });
});

describe('DelegateRegistry (devnet candidates)', () => {
  it('lists the three seeded delegates; owner adds and removes', async () => {
    const list = await f.chain.read<{ owner: Address; name: string }[]>(f.c.delegateRegistry, delegateRegistryAbi, 'delegates');
    expect(list.map((d) => d.name)).toEqual(['outpost-alpha', 'outpost-beta', 'outpost-gamma']);
    expect(list.map((d) => d.owner)).toEqual(f.delegates);
    const w = (fn: string, args: readonly unknown[], from?: Address) => f.chain.write(f.c.delegateRegistry, delegateRegistryAbi, fn, args, from ? { from } : {});
    await expectRevert(w('register', [other, 'x'], other), 'OwnableUnauthorizedAccount');
    await expectRevert(w('register', [zeroAddress, 'x']), 'ZeroDelegate');
    await expectRevert(w('register', [other, '']), 'InvalidDelegateName');
    await expectRevert(w('register', [f.delegates[0], 'again']), 'DelegateAlreadyRegistered', [f.delegates[0]]);
    await w('register', [other, 'delta']);
    expect(await f.chain.read(f.c.delegateRegistry, delegateRegistryAbi, 'isDelegate', [other])).toBe(true);
    await w('remove', [f.delegates[0]]);
    await expectRevert(w('remove', [f.delegates[0]]), 'DelegateNotRegistered', [f.delegates[0]]);
    const after = await f.chain.read<{ owner: Address; name: string }[]>(f.c.delegateRegistry, delegateRegistryAbi, 'delegates');
    expect(after.map((d) => d.name).sort()).toEqual(['delta', 'outpost-beta', 'outpost-gamma']);
  });
});
