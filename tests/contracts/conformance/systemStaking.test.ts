/**
 * SystemStaking against IoTeX's SystemStaking3 (iotexproject/iip13-contracts src/SystemStaking3.sol
 * @ 8dfc346, OpenZeppelin 4.8 ERC721 + Ownable + Pausable): every revert condition, event and edge
 * rule of each shared function, written from IoTeX's source as expectations on ours. Expected values
 * come from V3's rules (constants, order of checks), never from our code.
 *
 * Where V3 reverts inside OpenZeppelin 4 with a string and ours, on OpenZeppelin 5, with a custom
 * error, the test expects the OZ5 error and names the OZ4 string:
 *   "ERC721: invalid token ID" → ERC721NonexistentToken(id); "Pausable: paused" → EnforcedPause();
 *   "Pausable: not paused" → ExpectedPause(); "Ownable: caller is not the owner" → OwnableUnauthorizedAccount.
 *
 * "Old:" comments name what the contract did before issue 12, which the test catches.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  decodeFunctionResult,
  encodeFunctionData,
  keccak256,
  maxUint256,
  pad,
  parseEther,
  parseEventLogs,
  toHex,
  zeroAddress,
  type Abi,
  type Address,
  type Hex,
  type TransactionReceipt,
} from 'viem';
import { systemStakingAbi } from '../../../src/core/abis/index.js';
import { expectRevert } from '../helpers/chain.js';
import { deployFixture, type Fixture } from '../helpers/fixture.js';

// V3's constants, from its source.
const DAY = 86_400n; // ONE_DAY = 1 days
const MAX_DURATION = DAY * 365n * 3n; // 1,095 days
const FREEZE = 3n * DAY; // UNSTAKE_FREEZE_TIME
/** MIN_AMOUNT is a constructor argument in V3 too; the devnet plan (scripts/deploy/devnet.ts) passes 1 IOTX. */
const MIN = parseEther('1');

let f: Fixture;
let snap: Hex;
let S: Address;
let owner: Address; // contract owner (deployer)
let staker: Address;
let other: Address;
let d0: Address;
let d1: Address;

beforeAll(async () => {
  f = await deployFixture();
  S = f.c.systemStaking;
  owner = f.deployer;
  staker = f.chain.accounts[2]!;
  other = f.chain.accounts[3]!;
  [d0, d1] = [f.delegates[0]!, f.delegates[1]!];
  snap = await f.chain.snapshot();
});
beforeEach(async () => {
  await f.chain.revert(snap);
  snap = await f.chain.snapshot();
});

type Options = { from?: Address; value?: bigint };
const write = (fn: string, args: readonly unknown[], options: Options = {}) => f.chain.write(S, systemStakingAbi, fn, args, { from: staker, ...options });
const read = <T>(fn: string, args: readonly unknown[] = []) => f.chain.read<T>(S, systemStakingAbi, fn, args);
/** What a call returns (simulated as `from`). */
async function result<T>(fn: string, args: readonly unknown[], options: Options = {}): Promise<T> {
  const { result: out } = await f.chain.publicClient.simulateContract({
    address: S,
    abi: systemStakingAbi,
    functionName: fn,
    args,
    account: options.from ?? staker,
    ...(options.value ? { value: options.value } : {}),
  } as never);
  return out as T;
}
type Bucket = { amount: bigint; duration: bigint; unlockedAt: bigint; unstakedAt: bigint; delegate: Address };
const bucketOf = (id: bigint) => read<Bucket>('bucketOf', [id]);
const logs = (receipt: TransactionReceipt) => parseEventLogs({ abi: systemStakingAbi, logs: receipt.logs });
const blockTime = async (receipt: TransactionReceipt) => (await f.chain.publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp;

/** Bucket 1 is the devnet plan's module stake; new ids count from 2. */
async function stake(amount = parseEther('10'), duration = 10n * DAY, delegate: Address = d0, from: Address = staker): Promise<bigint> {
  const receipt = await write('stake', [duration, delegate], { value: amount, from });
  return (logs(receipt).find((e) => e.eventName === 'Staked')!.args as { id: bigint }).id;
}
/** A bucket unlocked and past its duration, unstaked; returns its id and unstake time. */
async function unstaked(amount = parseEther('10'), duration = DAY): Promise<{ id: bigint; at: bigint }> {
  const id = await stake(amount, duration);
  await write('unlock', [id]);
  await f.chain.increaseTime(duration);
  const receipt = await write('unstake', [id]);
  return { id, at: await blockTime(receipt) };
}

describe('SystemStaking3 constants and ERC-721 identity', () => {
  it('UINT256_MAX, ONE_DAY, MAX_DURATION = 1,095 days, UNSTAKE_FREEZE_TIME, MIN_AMOUNT, name/symbol', async () => {
    expect(await read('UINT256_MAX')).toBe(maxUint256);
    expect(await read('ONE_DAY')).toBe(DAY);
    // Old: MAX_DURATION was 1,098 days and MIN_AMOUNT/ONE_DAY/UINT256_MAX did not exist.
    expect(await read('MAX_DURATION')).toBe(1095n * DAY);
    expect(await read('UNSTAKE_FREEZE_TIME')).toBe(FREEZE);
    expect(await read('MIN_AMOUNT')).toBe(MIN);
    expect(await read('name')).toBe('BucketNFTV3');
    expect(await read('symbol')).toBe('BKTV3');
    expect(await read('paused')).toBe(false);
    expect(await read('beneficiary')).toBe(zeroAddress);
    expect(await read('owner')).toBe(owner);
  });
});

describe('stake(duration, delegate)', () => {
  it('rejects a duration that is not a whole number of days: stake with 1.5 days reverts ErrInvalidDuration', async () => {
    // Old: accepted any number of seconds.
    await expectRevert(write('stake', [DAY + DAY / 2n, d0], { value: MIN }), 'ErrInvalidDuration');
    await expectRevert(write('stake', [1n, d0], { value: MIN }), 'ErrInvalidDuration');
  });

  it('accepts 0 and MAX_DURATION, rejects MAX_DURATION + 1 day', async () => {
    await write('stake', [0n, d0], { value: MIN });
    await write('stake', [MAX_DURATION, d0], { value: MIN });
    // Old: 1,096 to 1,098 days were accepted.
    await expectRevert(write('stake', [MAX_DURATION + DAY, d0], { value: MIN }), 'ErrInvalidDuration');
  });

  it('msg.value below MIN_AMOUNT reverts ErrInvalidAmount, checked before the duration', async () => {
    // Old: AmountTooSmall(amount, minimum).
    await expectRevert(write('stake', [DAY, d0], { value: MIN - 1n }), 'ErrInvalidAmount');
    await expectRevert(write('stake', [DAY + 1n, d0], { value: MIN - 1n }), 'ErrInvalidAmount');
  });

  it('mints a locked bucket to the caller: Transfer + Staked(id indexed, delegate, amount, duration); returns the id', async () => {
    expect(await result<bigint>('stake', [10n * DAY, d0], { value: parseEther('5') })).toBe(2n);
    const receipt = await write('stake', [10n * DAY, d0], { value: parseEther('5') });
    const [transfer, staked] = logs(receipt);
    expect(transfer?.eventName).toBe('Transfer');
    expect(transfer?.args).toEqual({ from: zeroAddress, to: staker, tokenId: 2n });
    expect(staked?.eventName).toBe('Staked');
    expect(staked?.args).toEqual({ id: 2n, delegate: d0, amount: parseEther('5'), duration: 10n * DAY });
    // Topics as V3's: keccak of the signature, the bucket id indexed.
    const raw = receipt.logs.find((log) => log.topics[0] === keccak256(toHex('Staked(uint256,address,uint256,uint256)')));
    expect(raw?.topics).toEqual([keccak256(toHex('Staked(uint256,address,uint256,uint256)')), pad(toHex(2n))]);
    expect(await bucketOf(2n)).toEqual({ amount: parseEther('5'), duration: 10n * DAY, unlockedAt: maxUint256, unstakedAt: maxUint256, delegate: d0 });
    expect(await read('ownerOf', [2n])).toBe(staker);
  });

  it('accepts the zero delegate (V3 does not check it)', async () => {
    // Old: ZeroDelegate().
    const id = await stake(MIN, DAY, zeroAddress);
    expect((await bucketOf(id)).delegate).toBe(zeroAddress);
  });
});

describe('stake(amount, duration, delegates[]) and stake(amount, duration, delegate, count)', () => {
  it('return uint256[] of the new ids, one bucket each', async () => {
    // Old: returned one uint256 (the first id).
    expect(await result<bigint[]>('stake', [parseEther('2'), DAY, [d0, d1, d0]], { value: parseEther('6') })).toEqual([2n, 3n, 4n]);
    expect(await result<bigint[]>('stake', [parseEther('2'), DAY, d1, 3n], { value: parseEther('6') })).toEqual([2n, 3n, 4n]);
    const receipt = await write('stake', [parseEther('2'), DAY, [d0, d1]], { value: parseEther('4') });
    expect(logs(receipt).filter((e) => e.eventName === 'Staked').map((e) => e.args)).toEqual([
      { id: 2n, delegate: d0, amount: parseEther('2'), duration: DAY },
      { id: 3n, delegate: d1, amount: parseEther('2'), duration: DAY },
    ]);
    await write('stake', [parseEther('2'), DAY, d1, 2n], { value: parseEther('4') });
    expect((await bucketOf(5n)).delegate).toBe(d1);
  });

  it('msg.value ≠ amount × n reverts ErrInvalidAmount; amount and duration are checked first', async () => {
    // Old: WrongValue(expected, paid).
    await expectRevert(write('stake', [parseEther('2'), DAY, [d0, d1]], { value: parseEther('3') }), 'ErrInvalidAmount');
    await expectRevert(write('stake', [parseEther('2'), DAY, d0, 2n], { value: parseEther('5') }), 'ErrInvalidAmount');
    await expectRevert(write('stake', [MIN - 1n, DAY, [d0]], { value: MIN - 1n }), 'ErrInvalidAmount');
    await expectRevert(write('stake', [parseEther('2'), DAY / 2n, [d0]], { value: parseEther('3') }), 'ErrInvalidDuration');
    await expectRevert(write('stake', [parseEther('2'), MAX_DURATION + DAY, d0, 1n], { value: parseEther('3') }), 'ErrInvalidDuration');
  });

  it('an empty list (or count 0) with no value stakes nothing and returns []', async () => {
    // Old: EmptyList().
    expect(await result<bigint[]>('stake', [MIN, DAY, []])).toEqual([]);
    expect(await result<bigint[]>('stake', [MIN, DAY, d0, 0n])).toEqual([]);
  });
});

describe('unlock', () => {
  it('owner only; a missing bucket reverts in ERC-721 (OZ4 "ERC721: invalid token ID")', async () => {
    const id = await stake();
    // Old: NotBucketOwner(id, caller).
    await expectRevert(write('unlock', [id], { from: other }), 'ErrNotOwner');
    await expectRevert(write('unlock', [99n]), 'ERC721NonexistentToken', [99n]);
  });

  it('starts the duration: Unlocked(id indexed), unlockedAt = block time; again reverts ErrNotLockedBucket', async () => {
    const id = await stake();
    const receipt = await write('unlock', [id]);
    expect(logs(receipt).map((e) => [e.eventName, e.args])).toEqual([['Unlocked', { id }]]);
    expect((await bucketOf(id)).unlockedAt).toBe(await blockTime(receipt));
    // Old: BucketUnlocked(id).
    await expectRevert(write('unlock', [id]), 'ErrNotLockedBucket');
  });

  it('an unstaked bucket is not locked either: ErrNotLockedBucket', async () => {
    const { id } = await unstaked();
    await expectRevert(write('unlock', [id]), 'ErrNotLockedBucket');
  });

  it('unlock(uint256[]) unlocks each, and refuses the whole batch if one fails', async () => {
    const a = await stake();
    const b = await stake();
    await write('unlock', [[a]]);
    await expectRevert(write('unlock', [[b, a]]), 'ErrNotLockedBucket');
    expect((await bucketOf(b)).unlockedAt).toBe(maxUint256);
    await write('unlock', [[b]]);
    expect((await bucketOf(b)).unlockedAt).not.toBe(maxUint256);
  });
});

describe('lock', () => {
  it('checks the duration before the owner: whole days up to MAX_DURATION', async () => {
    const id = await stake();
    await expectRevert(write('lock', [id, DAY + 1n], { from: other }), 'ErrInvalidDuration');
    await expectRevert(write('lock', [id, MAX_DURATION + DAY]), 'ErrInvalidDuration');
    await expectRevert(write('lock', [id, 10n * DAY], { from: other }), 'ErrNotOwner');
  });

  it('accepts a bucket that is already locked, with at least its duration', async () => {
    const id = await stake(parseEther('3'), 10n * DAY);
    // Old: BucketLocked(id).
    await expectRevert(write('lock', [id, 9n * DAY]), 'ErrInvalidDuration');
    const receipt = await write('lock', [id, 10n * DAY]);
    expect(logs(receipt).map((e) => [e.eventName, e.args])).toEqual([['Locked', { id, duration: 10n * DAY }]]);
  });

  it('after unlock: needs at least the time left; locks again; Locked carries the argument, the stored duration stays (V3)', async () => {
    const id = await stake(parseEther('3'), 10n * DAY);
    await write('unlock', [id]);
    await f.chain.increaseTime(3n * DAY + 10n);
    // Time left: 7 days minus 10 s, so 6 days is too short and 7 days enough.
    await expectRevert(write('lock', [id, 6n * DAY]), 'ErrInvalidDuration');
    const receipt = await write('lock', [id, 7n * DAY]);
    expect(logs(receipt)[0]?.args).toEqual({ id, duration: 7n * DAY });
    // Old: stored the new duration (7 days). V3 only re-locks: the bucket keeps its 10 days.
    expect(await bucketOf(id)).toEqual({ amount: parseEther('3'), duration: 10n * DAY, unlockedAt: maxUint256, unstakedAt: maxUint256, delegate: d0 });
    expect(await read('timeToUnstake', [id])).toBe(10n * DAY);
  });

  it('a bucket whose time ran out can be locked for 0 days; an unstaked one cannot (ErrNotStakedBucket)', async () => {
    const id = await stake(MIN, DAY);
    await write('unlock', [id]);
    await f.chain.increaseTime(DAY);
    await write('lock', [id, 0n]);
    expect((await bucketOf(id)).unlockedAt).toBe(maxUint256);
    const gone = await unstaked();
    // Old: BucketUnstaked(id).
    await expectRevert(write('lock', [gone.id, DAY]), 'ErrNotStakedBucket');
    await expectRevert(write('lock', [[gone.id], DAY]), 'ErrNotStakedBucket');
  });

  it('lock(uint256[], duration) locks each', async () => {
    const ids = [await stake(MIN, DAY), await stake(MIN, DAY)];
    await write('unlock', [ids]);
    const receipt = await write('lock', [ids, DAY]);
    expect(logs(receipt).map((e) => e.eventName)).toEqual(['Locked', 'Locked']);
    // Locked in V3's terms: unlockedAt is UINT256_MAX again.
    for (const id of ids) expect((await read<{ unlockedAt: bigint }>('bucketOf', [id])).unlockedAt).toBe(maxUint256);
  });
});

describe('unstake', () => {
  it('a locked bucket is not ready (ErrNotReady), unless its duration is 0', async () => {
    const id = await stake(MIN, DAY);
    // Old: BucketLocked(id).
    await expectRevert(write('unstake', [id]), 'ErrNotReady');
    const zero = await stake(MIN, 0n);
    // V3: timeToUnstake of a locked bucket is its duration, 0 here, so it unstakes at once. Old: BucketLocked.
    await write('unstake', [zero]);
    expect((await bucketOf(zero)).unstakedAt).not.toBe(maxUint256);
  });

  it('before the duration ran out: ErrNotReady; then Unstaked(id indexed), unlockedAt = unstakedAt = block time', async () => {
    const id = await stake(MIN, 2n * DAY);
    await write('unlock', [id]);
    await f.chain.increaseTime(2n * DAY - 5n);
    // Old: UnstakeTooEarly(id, at).
    await expectRevert(write('unstake', [id]), 'ErrNotReady');
    await expectRevert(write('unstake', [id], { from: other }), 'ErrNotOwner');
    await f.chain.increaseTime(5n);
    const receipt = await write('unstake', [id]);
    expect(logs(receipt).map((e) => [e.eventName, e.args])).toEqual([['Unstaked', { id }]]);
    const at = await blockTime(receipt);
    const bucket = await bucketOf(id);
    // Old: kept the unlock time in unlockedAt.
    expect([bucket.unlockedAt, bucket.unstakedAt]).toEqual([at, at]);
    // Old: BucketUnstaked(id).
    await expectRevert(write('unstake', [id]), 'ErrNotStakedBucket');
    await expectRevert(write('unstake', [[id]]), 'ErrNotStakedBucket');
  });
});

describe('withdraw', () => {
  it('a bucket not unstaked: ErrNotUnstakedBucket; in its freeze: ErrNotReady; not the owner: ErrNotOwner', async () => {
    const id = await stake();
    // Old: BucketNotUnstaked(id).
    await expectRevert(write('withdraw', [id, staker]), 'ErrNotUnstakedBucket');
    const { id: u, at } = await unstaked();
    await f.chain.increaseTime(FREEZE - 1n - ((await f.chain.now()) - at));
    // Old: WithdrawTooEarly(id, at).
    await expectRevert(write('withdraw', [u, staker]), 'ErrNotReady');
    await f.chain.increaseTime(1n);
    await expectRevert(write('withdraw', [u, staker], { from: other }), 'ErrNotOwner');
  });

  it('burns, pays the amount, then Withdrawal(id indexed, recipient indexed); bucketOf then reverts', async () => {
    const { id } = await unstaked(parseEther('7'));
    await f.chain.increaseTime(FREEZE);
    const before = await f.chain.balance(other);
    const receipt = await write('withdraw', [id, other]);
    expect(logs(receipt).map((e) => [e.eventName, e.args])).toEqual([
      ['Transfer', { from: staker, to: zeroAddress, tokenId: id }],
      ['Withdrawal', { id, recipient: other }],
    ]);
    const raw = receipt.logs.find((log) => log.topics[0] === keccak256(toHex('Withdrawal(uint256,address)')));
    expect(raw?.topics.length).toBe(3);
    expect((await f.chain.balance(other)) - before).toBe(parseEther('7'));
    await expectRevert(read('bucketOf', [id]), 'ERC721NonexistentToken', [id]);
  });

  it('a recipient that refuses IOTX: ErrTransferFailed; the zero recipient is accepted, as in V3', async () => {
    const { id } = await unstaked(parseEther('2'));
    await f.chain.increaseTime(FREEZE);
    // DelegateRegistry has no receive function. Old: OpenZeppelin's FailedCall().
    await expectRevert(write('withdraw', [id, f.c.delegateRegistry]), 'ErrTransferFailed');
    // Old: ZeroRecipient(). V3 sends the IOTX to address(0).
    await write('withdraw', [id, zeroAddress]);
    expect(await f.chain.balance(S)).toBe(parseEther('100'));
  });

  it('withdraw(uint256[], recipient) pays each bucket, one Withdrawal each', async () => {
    const a = await unstaked(parseEther('2'));
    const b = await unstaked(parseEther('3'));
    await f.chain.increaseTime(FREEZE);
    const before = await f.chain.balance(other);
    const receipt = await write('withdraw', [[a.id, b.id], other]);
    expect(logs(receipt).filter((e) => e.eventName === 'Withdrawal').map((e) => e.args)).toEqual([
      { id: a.id, recipient: other },
      { id: b.id, recipient: other },
    ]);
    expect((await f.chain.balance(other)) - before).toBe(parseEther('5'));
  });
});

describe('merge', () => {
  it('needs at least two ids: ErrInvalidParameter', async () => {
    const a = await stake();
    // Old: [] reverted EmptyList and a single id was accepted.
    await expectRevert(write('merge', [[], 10n * DAY]), 'ErrInvalidParameter');
    await expectRevert(write('merge', [[a], 10n * DAY]), 'ErrInvalidParameter');
  });

  it('newDuration: whole days up to MAX_DURATION (ErrInvalidDuration)', async () => {
    const [a, b] = [await stake(), await stake()];
    await expectRevert(write('merge', [[a, b], 10n * DAY + 1n]), 'ErrInvalidDuration');
    await expectRevert(write('merge', [[a, b], MAX_DURATION + DAY]), 'ErrInvalidDuration');
  });

  it('merges two unlocked buckets; the result is locked for newDuration with every amount plus msg.value', async () => {
    const a = await stake(parseEther('3'), 10n * DAY);
    const b = await stake(parseEther('4'), 20n * DAY, d1);
    await write('unlock', [[a, b]]);
    await f.chain.increaseTime(8n * DAY);
    // Time left: a 2 days, b 12 days. newDuration must cover the longest (12 days − seconds → 12 days).
    await expectRevert(write('merge', [[a, b], 11n * DAY]), 'ErrInvalidDuration');
    // Old: BucketUnlocked(id), and a duration shorter than a bucket's own refused (DurationTooShort).
    const receipt = await write('merge', [[a, b], 12n * DAY], { value: parseEther('1') });
    const events = logs(receipt);
    expect(events.map((e) => e.eventName)).toEqual(['Transfer', 'Merged']);
    expect(events[0]?.args).toEqual({ from: staker, to: zeroAddress, tokenId: b });
    expect(events[1]?.args).toEqual({ ids: [a, b], amount: parseEther('8'), duration: 12n * DAY });
    expect(await bucketOf(a)).toEqual({ amount: parseEther('8'), duration: 12n * DAY, unlockedAt: maxUint256, unstakedAt: maxUint256, delegate: d0 });
    await expectRevert(read('ownerOf', [b]), 'ERC721NonexistentToken', [b]);
  });

  it('locked buckets: newDuration at least each duration; burns from the last id to the first', async () => {
    const a = await stake(parseEther('1'), 5n * DAY);
    const b = await stake(parseEther('1'), 30n * DAY);
    const c = await stake(parseEther('1'), 10n * DAY);
    await expectRevert(write('merge', [[a, b, c], 29n * DAY]), 'ErrInvalidDuration');
    const receipt = await write('merge', [[a, b, c], 30n * DAY]);
    expect(logs(receipt).filter((e) => e.eventName === 'Transfer').map((e) => (e.args as { tokenId: bigint }).tokenId)).toEqual([c, b]);
    expect((await bucketOf(a)).amount).toBe(parseEther('3'));
  });

  it('a repeated id finds its bucket already burned (OZ4 "ERC721: invalid token ID"); unstaked: ErrNotStakedBucket; not owned: ErrNotOwner', async () => {
    const a = await stake();
    const b = await stake();
    // Old: DuplicateBucket(id).
    await expectRevert(write('merge', [[a, a], 10n * DAY]), 'ERC721NonexistentToken', [a]);
    await expectRevert(write('merge', [[a, b, b], 10n * DAY]), 'ERC721NonexistentToken', [b]);
    const { id: u } = await unstaked();
    await expectRevert(write('merge', [[a, u], 10n * DAY]), 'ErrNotStakedBucket');
    const theirs = await stake(MIN, DAY, d0, other);
    await expectRevert(write('merge', [[a, theirs], 10n * DAY]), 'ErrNotOwner');
  });
});

describe('expandBucket', () => {
  it('owner first, then the duration (whole days, ≤ MAX, not shorter), then locked', async () => {
    const id = await stake(parseEther('3'), 10n * DAY);
    await expectRevert(write('expandBucket', [id, DAY + 1n], { from: other }), 'ErrNotOwner');
    await expectRevert(write('expandBucket', [id, 10n * DAY + 1n]), 'ErrInvalidDuration');
    await expectRevert(write('expandBucket', [id, MAX_DURATION + DAY]), 'ErrInvalidDuration');
    // Old: DurationTooShort(id, duration, minimum).
    await expectRevert(write('expandBucket', [id, 9n * DAY]), 'ErrInvalidDuration');
    await write('unlock', [id]);
    // Old: BucketUnlocked(id).
    await expectRevert(write('expandBucket', [id, 20n * DAY]), 'ErrNotLockedBucket');
  });

  it('adds msg.value, sets the duration: BucketExpanded(id indexed, new amount, new duration)', async () => {
    const id = await stake(parseEther('3'), 10n * DAY);
    const receipt = await write('expandBucket', [id, 10n * DAY], { value: parseEther('2') });
    expect(logs(receipt).map((e) => [e.eventName, e.args])).toEqual([['BucketExpanded', { id, amount: parseEther('5'), duration: 10n * DAY }]]);
    await write('expandBucket', [id, MAX_DURATION]);
    expect(await bucketOf(id)).toEqual({ amount: parseEther('5'), duration: MAX_DURATION, unlockedAt: maxUint256, unstakedAt: maxUint256, delegate: d0 });
  });
});

describe('changeDelegate / changeDelegates', () => {
  it('same delegate: ErrInvalidParameter; unstaked: ErrNotStakedBucket; not owner: ErrNotOwner', async () => {
    const id = await stake();
    // Old: SameDelegate(id).
    await expectRevert(write('changeDelegate', [id, d0]), 'ErrInvalidParameter');
    await expectRevert(write('changeDelegate', [id, d1], { from: other }), 'ErrNotOwner');
    const { id: u } = await unstaked();
    await expectRevert(write('changeDelegate', [u, d1]), 'ErrNotStakedBucket');
    await expectRevert(write('changeDelegates', [[id, u], d1]), 'ErrNotStakedBucket');
  });

  it('moves the vote, locked or unlocked: DelegateChanged(id indexed, newDelegate); the zero delegate is accepted', async () => {
    const a = await stake();
    const b = await stake();
    await write('unlock', [b]);
    const receipt = await write('changeDelegates', [[a, b], d1]);
    expect(logs(receipt).map((e) => e.args)).toEqual([{ id: a, newDelegate: d1 }, { id: b, newDelegate: d1 }]);
    // Old: ZeroDelegate().
    await write('changeDelegate', [a, zeroAddress]);
    expect((await bucketOf(a)).delegate).toBe(zeroAddress);
  });
});

describe('donate / beneficiary / setBeneficiary', () => {
  it('setBeneficiary is owner only and emits BeneficiaryChanged(beneficiary indexed)', async () => {
    // OZ4 "Ownable: caller is not the owner".
    await expectRevert(write('setBeneficiary', [other], { from: other }), 'OwnableUnauthorizedAccount', [other]);
    const receipt = await write('setBeneficiary', [other], { from: owner });
    expect(logs(receipt).map((e) => [e.eventName, e.args])).toEqual([['BeneficiaryChanged', { beneficiary: other }]]);
    expect(receipt.logs[0]?.topics).toEqual([keccak256(toHex('BeneficiaryChanged(address)')), pad(other.toLowerCase() as Hex)]);
    expect(await read('beneficiary')).toBe(other);
  });

  it('owner checked first; no beneficiary: ErrInvalidParameter; unstaked: ErrNotStakedBucket', async () => {
    const id = await stake(parseEther('5'));
    await expectRevert(write('donate', [id, MIN], { from: other }), 'ErrNotOwner');
    await expectRevert(write('donate', [id, MIN]), 'ErrInvalidParameter');
    await write('setBeneficiary', [other], { from: owner });
    const { id: u } = await unstaked(parseEther('5'));
    await expectRevert(write('donate', [u, MIN]), 'ErrNotStakedBucket');
  });

  it('0, or more than leaves MIN_AMOUNT: ErrInvalidAmount; otherwise pays the beneficiary: Donated(id indexed, beneficiary indexed, amount)', async () => {
    await write('setBeneficiary', [other], { from: owner });
    const id = await stake(parseEther('5'));
    await expectRevert(write('donate', [id, 0n]), 'ErrInvalidAmount');
    await expectRevert(write('donate', [id, parseEther('5') - MIN + 1n]), 'ErrInvalidAmount');
    const before = await f.chain.balance(other);
    const receipt = await write('donate', [id, parseEther('5') - MIN]);
    expect(logs(receipt).map((e) => [e.eventName, e.args])).toEqual([['Donated', { id, beneficiary: other, amount: parseEther('4') }]]);
    expect(receipt.logs[0]?.topics.length).toBe(3);
    expect((await f.chain.balance(other)) - before).toBe(parseEther('4'));
    expect((await bucketOf(id)).amount).toBe(MIN);
    expect(await f.chain.balance(S)).toBe(parseEther('101'));
  });

  it('works on an unlocked bucket; a beneficiary refusing IOTX: ErrTransferFailed', async () => {
    const id = await stake(parseEther('5'));
    await write('unlock', [id]);
    await write('setBeneficiary', [f.c.delegateRegistry], { from: owner });
    await expectRevert(write('donate', [id, MIN]), 'ErrTransferFailed');
    await write('setBeneficiary', [other], { from: owner });
    await write('donate', [id, MIN]);
    expect((await bucketOf(id)).amount).toBe(parseEther('4'));
  });
});

describe('pause / unpause / paused', () => {
  it('owner only; Paused(account) / Unpaused(account); twice: EnforcedPause / ExpectedPause (OZ4 "Pausable: paused" / "Pausable: not paused")', async () => {
    await expectRevert(write('pause', [], { from: other }), 'OwnableUnauthorizedAccount', [other]);
    const paused = await write('pause', [], { from: owner });
    expect(logs(paused).map((e) => [e.eventName, e.args])).toEqual([['Paused', { account: owner }]]);
    expect(await read('paused')).toBe(true);
    await expectRevert(write('pause', [], { from: owner }), 'EnforcedPause');
    await expectRevert(write('unpause', [], { from: other }), 'OwnableUnauthorizedAccount', [other]);
    const unpaused = await write('unpause', [], { from: owner });
    expect(logs(unpaused).map((e) => [e.eventName, e.args])).toEqual([['Unpaused', { account: owner }]]);
    await expectRevert(write('unpause', [], { from: owner }), 'ExpectedPause');
  });

  it('while paused every function V3 marks whenNotPaused reverts EnforcedPause; donate, transfers and reads go on', async () => {
    const locked = await stake(parseEther('5'));
    const second = await stake(parseEther('5'));
    const { id: out } = await unstaked();
    await f.chain.increaseTime(FREEZE);
    await write('setBeneficiary', [other], { from: owner });
    await write('pause', [], { from: owner });
    const calls: [string, readonly unknown[], bigint?][] = [
      ['stake', [DAY, d0], MIN],
      ['stake', [MIN, DAY, [d0]], MIN],
      ['stake', [MIN, DAY, d0, 1n], MIN],
      ['unlock', [locked]],
      ['unlock', [[locked]]],
      ['lock', [locked, 10n * DAY]],
      ['lock', [[locked], 10n * DAY]],
      ['unstake', [out]],
      ['unstake', [[out]]],
      ['withdraw', [out, staker]],
      ['withdraw', [[out], staker]],
      ['merge', [[locked, second], 10n * DAY]],
      ['expandBucket', [locked, 10n * DAY]],
      ['changeDelegate', [locked, d1]],
      ['changeDelegates', [[locked], d1]],
    ];
    for (const [fn, args, value] of calls) await expectRevert(write(fn, args, value ? { value } : {}), 'EnforcedPause');
    await write('donate', [locked, MIN]);
    await write('transferFrom', [staker, other, second]);
    expect(await read('timeToUnstake', [locked])).toBe(10n * DAY);
    expect((await bucketOf(locked)).amount).toBe(parseEther('4'));
    await write('unpause', [], { from: owner });
    await write('withdraw', [out, staker]);
  });
});

describe('reads: bucketOf, timeToUnstake, timeToWithdraw', () => {
  it('a missing bucket reverts in ERC-721 (OZ4 "ERC721: invalid token ID")', async () => {
    await expectRevert(read('bucketOf', [99n]), 'ERC721NonexistentToken', [99n]);
    await expectRevert(read('timeToUnstake', [99n]), 'ERC721NonexistentToken', [99n]);
    await expectRevert(read('timeToWithdraw', [99n]), 'ERC721NonexistentToken', [99n]);
  });

  it('bucketOf returns V3\'s Bucket struct, encoded exactly as the flat (amount, duration, unlockedAt, unstakedAt, delegate)', async () => {
    const id = await stake(parseEther('5'), 10n * DAY, d1);
    // Old: returned five values, not a struct (same bytes, different ABI).
    const flat = [{
      type: 'function', name: 'bucketOf', stateMutability: 'view', inputs: [{ name: 'id', type: 'uint256' }],
      outputs: [{ name: 'amount', type: 'uint256' }, { name: 'duration', type: 'uint256' }, { name: 'unlockedAt', type: 'uint256' }, { name: 'unstakedAt', type: 'uint256' }, { name: 'delegate', type: 'address' }],
    }] as const satisfies Abi;
    const { data } = await f.chain.publicClient.call({ to: S, data: encodeFunctionData({ abi: flat, functionName: 'bucketOf', args: [id] }) });
    expect(decodeFunctionResult({ abi: flat, functionName: 'bucketOf', data: data! })).toEqual([parseEther('5'), 10n * DAY, maxUint256, maxUint256, d1]);
    const output = systemStakingAbi.find((item) => item.type === 'function' && item.name === 'bucketOf') as { outputs: readonly { type: string }[] };
    expect(output.outputs.map((o) => o.type)).toEqual(['tuple']);
  });

  it('timeToUnstake: the duration while locked, the time left once unlocked, 0 after; an unstaked bucket reverts ErrNotStakedBucket', async () => {
    const id = await stake(MIN, 4n * DAY);
    expect(await read('timeToUnstake', [id])).toBe(4n * DAY);
    await write('unlock', [id]);
    await f.chain.increaseTime(DAY);
    expect(await read('timeToUnstake', [id])).toBe(3n * DAY);
    await f.chain.increaseTime(5n * DAY);
    expect(await read('timeToUnstake', [id])).toBe(0n);
    await write('unstake', [id]);
    // Old: returned 0.
    await expectRevert(read('timeToUnstake', [id]), 'ErrNotStakedBucket');
  });

  it('timeToWithdraw: reverts ErrNotUnstakedBucket before unstake (locked or not); the freeze left after; 0 once over', async () => {
    const id = await stake(MIN, DAY);
    // Old: returned timeToUnstake + UNSTAKE_FREEZE_TIME.
    await expectRevert(read('timeToWithdraw', [id]), 'ErrNotUnstakedBucket');
    await write('unlock', [id]);
    await expectRevert(read('timeToWithdraw', [id]), 'ErrNotUnstakedBucket');
    await f.chain.increaseTime(DAY);
    await write('unstake', [id]);
    expect(await read('timeToWithdraw', [id])).toBe(FREEZE);
    await f.chain.increaseTime(DAY);
    expect(await read('timeToWithdraw', [id])).toBe(2n * DAY);
    await f.chain.increaseTime(5n * DAY);
    expect(await read('timeToWithdraw', [id])).toBe(0n);
  });
});

describe('ERC-721 transfers', () => {
  it('an unstaked bucket can be transferred and the new owner withdraws it', async () => {
    const { id } = await unstaked(parseEther('2'));
    // Old: BucketUnstaked(id) on any transfer of an unstaked bucket.
    await write('transferFrom', [staker, other, id]);
    await write('safeTransferFrom', [other, staker, id], { from: other });
    await write('transferFrom', [staker, other, id]);
    await f.chain.increaseTime(FREEZE);
    await expectRevert(write('withdraw', [id, staker]), 'ErrNotOwner');
    const before = await f.chain.balance(f.chain.accounts[8]!);
    await write('withdraw', [id, f.chain.accounts[8]], { from: other });
    expect((await f.chain.balance(f.chain.accounts[8]!)) - before).toBe(parseEther('2'));
  });

  it('supports ERC-165 for ERC-721 and ERC-721 Metadata', async () => {
    expect(await read('supportsInterface', ['0x80ac58cd'])).toBe(true);
    expect(await read('supportsInterface', ['0x5b5e139f'])).toBe(true);
    expect(await read('supportsInterface', ['0xffffffff'])).toBe(false);
  });
});
