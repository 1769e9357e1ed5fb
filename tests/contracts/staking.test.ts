import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { maxUint256, parseEther, parseEventLogs, zeroAddress, type Address, type Hex, type TransactionReceipt } from 'viem';
import { delegateRegistryAbi, systemStakingAbi } from '../../src/core/abis/index.js';
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
  f.chain.write(S, systemStakingAbi, fn, args, { from: staker, ...options });
const read = <T>(fn: string, args: readonly unknown[] = []) => f.chain.read<T>(S, systemStakingAbi, fn, args);
const events = (receipt: TransactionReceipt) => parseEventLogs({ abi: systemStakingAbi, logs: receipt.logs });
type BucketView = [bigint, bigint, bigint, bigint, Address];

async function stakeOne(amount = parseEther('10'), duration = 10n * DAY, delegate = f.delegates[0]!): Promise<bigint> {
  const receipt = await write('stake', [duration, delegate], { value: amount });
  const staked = events(receipt).find((e) => e.eventName === 'Staked');
  return (staked!.args as { id: bigint }).id;
}

describe('SystemStaking (V3-compatible bucket NFTs)', () => {
  it('stake(duration, delegate): a locked bucket NFT with the sent amount, Staked event', async () => {
    const receipt = await write('stake', [10n * DAY, f.delegates[0]], { value: parseEther('5') });
    const [staked] = events(receipt).filter((e) => e.eventName === 'Staked');
    expect(staked?.args).toEqual({ id: 2n, delegate: f.delegates[0], amount: parseEther('5'), duration: 10n * DAY });
    expect(await read('ownerOf', [2n])).toBe(staker);
    expect(await read<BucketView>('bucketOf', [2n])).toEqual([parseEther('5'), 10n * DAY, maxUint256, maxUint256, f.delegates[0]]);
    expect(await read('isLocked', [2n])).toBe(true);
    expect(await read('timeToUnstake', [2n])).toBe(10n * DAY);
    expect(await read('timeToWithdraw', [2n])).toBe(10n * DAY + FREEZE);
    expect(await read('UNSTAKE_FREEZE_TIME')).toBe(FREEZE);
    expect(await read('name')).toBe('BucketNFT');
    expect(await f.chain.balance(S)).toBe(parseEther('5') + SEED_STAKE);
  });

  it('stake(amount, duration, delegates[]) and stake(amount, duration, delegate, count)', async () => {
    await expectRevert(write('stake', [parseEther('2'), DAY, f.delegates], { value: parseEther('2') }), 'WrongValue', [parseEther('6'), parseEther('2')]);
    await expectRevert(write('stake', [parseEther('2'), DAY, []], { value: 0n }), 'EmptyList');
    await write('stake', [parseEther('2'), DAY, f.delegates], { value: parseEther('6') });
    for (let i = 0; i < 3; i++) expect((await read<BucketView>('bucketOf', [BigInt(i + 2)]))[4]).toBe(f.delegates[i]);
    await expectRevert(write('stake', [parseEther('2'), DAY, f.delegates[1], 4n], { value: parseEther('7') }), 'WrongValue');
    await expectRevert(write('stake', [parseEther('2'), DAY, f.delegates[1], 0n], { value: 0n }), 'EmptyList');
    const receipt = await write('stake', [parseEther('2'), DAY, f.delegates[1], 4n], { value: parseEther('8') });
    expect(events(receipt).filter((e) => e.eventName === 'Staked').map((e) => (e.args as { id: bigint }).id)).toEqual([5n, 6n, 7n, 8n]);
    expect(await read('balanceOf', [staker])).toBe(7n);
    expect(await f.chain.balance(S)).toBe(parseEther('14') + SEED_STAKE);
  });

  it('rejects amounts below the minimum, overlong durations and the zero delegate', async () => {
    await expectRevert(write('stake', [DAY, f.delegates[0]], { value: parseEther('0.5') }), 'AmountTooSmall', [parseEther('0.5'), parseEther('1')]);
    await expectRevert(write('stake', [1099n * DAY, f.delegates[0]], { value: parseEther('1') }), 'DurationTooLong', [1099n * DAY]);
    await expectRevert(write('stake', [DAY, zeroAddress], { value: parseEther('1') }), 'ZeroDelegate');
  });

  it('life of a bucket: unlock → wait duration → unstake → freeze → withdraw', async () => {
    const id = await stakeOne(parseEther('10'), 10n * DAY);
    await expectRevert(write('unstake', [id]), 'BucketLocked', [id]);
    await expectRevert(write('unlock', [id], { from: other }), 'NotBucketOwner', [id, other]);
    const unlocked = await write('unlock', [id]);
    expect(events(unlocked)[0]?.eventName).toBe('Unlocked');
    await expectRevert(write('unlock', [id]), 'BucketUnlocked', [id]);
    const unlockedAt = (await read<BucketView>('bucketOf', [id]))[2];
    expect(unlockedAt).toBe(await f.chain.now());
    await expectRevert(write('unstake', [id]), 'UnstakeTooEarly', [id, unlockedAt + 10n * DAY]);
    await f.chain.increaseTime(5n * DAY);
    expect(await read('timeToUnstake', [id])).toBe(5n * DAY);
    await f.chain.increaseTime(5n * DAY);
    expect(await read('timeToUnstake', [id])).toBe(0n);
    await expectRevert(write('withdraw', [id, staker]), 'BucketNotUnstaked', [id]);
    const unstaked = await write('unstake', [id]);
    expect(events(unstaked)[0]?.eventName).toBe('Unstaked');
    await expectRevert(write('unstake', [id]), 'BucketUnstaked', [id]);
    const unstakedAt = (await read<BucketView>('bucketOf', [id]))[3];
    expect(await read('timeToWithdraw', [id])).toBe(FREEZE);
    // Unstaked buckets cannot change hands, be re-locked or re-delegated.
    await expectRevert(write('transferFrom', [staker, other, id]), 'BucketUnstaked', [id]);
    await expectRevert(write('lock', [id, DAY]), 'BucketUnstaked', [id]);
    await expectRevert(write('changeDelegate', [id, f.delegates[1]]), 'BucketUnstaked', [id]);
    await expectRevert(write('withdraw', [id, staker]), 'WithdrawTooEarly', [id, unstakedAt + FREEZE]);
    await f.chain.increaseTime(FREEZE);
    await expectRevert(write('withdraw', [id, zeroAddress]), 'ZeroRecipient');
    const before = await f.chain.balance(other);
    const withdrawn = await write('withdraw', [id, other]);
    expect(events(withdrawn).find((e) => e.eventName === 'Withdrawal')?.args).toEqual({ id, recipient: other });
    expect((await f.chain.balance(other)) - before).toBe(parseEther('10'));
    expect(await f.chain.balance(S)).toBe(SEED_STAKE);
    await expectRevert(read('bucketOf', [id]), 'ERC721NonexistentToken', [id]);
  });

  it('lock after unlock keeps at least the remaining time; Locked event', async () => {
    const id = await stakeOne(parseEther('3'), 10n * DAY);
    await expectRevert(write('lock', [id, 20n * DAY]), 'BucketLocked', [id]);
    await write('unlock', [id]);
    await f.chain.increaseTime(4n * DAY);
    await expectRevert(write('lock', [id, 5n * DAY]), 'DurationTooShort');
    await expectRevert(write('lock', [id, 2000n * DAY]), 'DurationTooLong');
    const receipt = await write('lock', [id, 6n * DAY]);
    expect(events(receipt)[0]?.args).toEqual({ id, duration: 6n * DAY });
    expect(await read<BucketView>('bucketOf', [id])).toEqual([parseEther('3'), 6n * DAY, maxUint256, maxUint256, f.delegates[0]]);
  });

  it('batch variants: unlock, lock, unstake, withdraw, changeDelegates', async () => {
    await write('stake', [parseEther('2'), DAY, f.delegates[0], 3n], { value: parseEther('6') });
    const ids = [2n, 3n, 4n];
    await write('unlock', [ids]);
    await write('lock', [ids, 2n * DAY]);
    await write('changeDelegates', [ids, f.delegates[2]]);
    for (const id of ids) expect((await read<BucketView>('bucketOf', [id]))[4]).toBe(f.delegates[2]);
    await write('unlock', [ids]);
    await f.chain.increaseTime(2n * DAY);
    await write('unstake', [ids]);
    await f.chain.increaseTime(FREEZE);
    const before = await f.chain.balance(other);
    await write('withdraw', [ids, other]);
    expect((await f.chain.balance(other)) - before).toBe(parseEther('6'));
    expect(await read('balanceOf', [staker])).toBe(0n);
  });

  it('merge: locked buckets into the first, plus msg.value, with a duration no shorter than any', async () => {
    const a = await stakeOne(parseEther('3'), 10n * DAY);
    const b = await stakeOne(parseEther('4'), 20n * DAY, f.delegates[1]!);
    await expectRevert(write('merge', [[a, b], 15n * DAY]), 'DurationTooShort', [b, 15n * DAY, 20n * DAY]);
    await expectRevert(write('merge', [[a, a], 30n * DAY]), 'DuplicateBucket', [a]);
    await expectRevert(write('merge', [[], 30n * DAY]), 'EmptyList');
    const c = await stakeOne(parseEther('1'), DAY);
    await write('unlock', [c]);
    await expectRevert(write('merge', [[a, c], 30n * DAY]), 'BucketUnlocked', [c]);
    const receipt = await write('merge', [[a, b], 30n * DAY], { value: parseEther('1') });
    expect(events(receipt).find((e) => e.eventName === 'Merged')?.args).toEqual({ ids: [a, b], amount: parseEther('8'), duration: 30n * DAY });
    expect(await read<BucketView>('bucketOf', [a])).toEqual([parseEther('8'), 30n * DAY, maxUint256, maxUint256, f.delegates[0]]);
    await expectRevert(read('ownerOf', [b]), 'ERC721NonexistentToken', [b]);
    expect(await f.chain.balance(S)).toBe(parseEther('9') + SEED_STAKE);
  });

  it('expandBucket adds msg.value and lengthens; changeDelegate moves the vote', async () => {
    const id = await stakeOne(parseEther('3'), 10n * DAY);
    await expectRevert(write('expandBucket', [id, 9n * DAY]), 'DurationTooShort', [id, 9n * DAY, 10n * DAY]);
    await expectRevert(write('expandBucket', [id, 1099n * DAY]), 'DurationTooLong');
    const receipt = await write('expandBucket', [id, 12n * DAY], { value: parseEther('2') });
    expect(events(receipt)[0]?.args).toEqual({ id, amount: parseEther('5'), duration: 12n * DAY });
    await expectRevert(write('changeDelegate', [id, f.delegates[0]]), 'SameDelegate', [id]);
    await expectRevert(write('changeDelegate', [id, zeroAddress]), 'ZeroDelegate');
    await expectRevert(write('changeDelegate', [id, f.delegates[1]], { from: other }), 'NotBucketOwner');
    const changed = await write('changeDelegate', [id, f.delegates[1]]);
    expect(events(changed)[0]?.args).toEqual({ id, newDelegate: f.delegates[1] });
    await write('unlock', [id]);
    await expectRevert(write('expandBucket', [id, 20n * DAY]), 'BucketUnlocked', [id]);
  });

  it('only the slasher slashes, only buckets it holds, never more than the amount', async () => {
    const id = await stakeOne(parseEther('3'));
    await expectRevert(write('slash', [id, 1n, other]), 'NotSlasher', [staker]);
    await expectRevert(write('setSlasher', [other], { from: other }), 'OwnableUnauthorizedAccount');
    expect(await read('slasher')).toBe(f.c.bucketStrategy);
    await f.chain.write(S, systemStakingAbi, 'setSlasher', [other]);
    await expectRevert(write('slash', [id, 1n, other], { from: other }), 'NotBucketOwner', [id, other]);
    await write('transferFrom', [staker, other, id]);
    await expectRevert(write('slash', [id, parseEther('4'), other], { from: other }), 'SlashTooLarge', [id, parseEther('4'), parseEther('3')]);
    const receipt = await write('slash', [id, parseEther('1'), f.chain.accounts[9]], { from: other });
    expect(events(receipt).find((e) => e.eventName === 'Slashed')?.args).toEqual({ id, amount: parseEther('1'), recipient: f.chain.accounts[9] });
    expect((await read<BucketView>('bucketOf', [id]))[0]).toBe(parseEther('2'));
    expect(await f.chain.balance(S)).toBe(parseEther('2') + SEED_STAKE);
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
