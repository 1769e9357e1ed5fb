/**
 * One-transaction restake (issue 16, an Outpost extension IoTeX's MSP does not have):
 * `SystemStaking.safeTransferFrom(owner, BucketStrategy, bucketId, abi.encode(moduleId))` restakes the
 * bucket for its owner with no approve, against IoTeX's two prompts (approve, then stake). Expected
 * values are worked out here by hand from the restake formula and the reward split, never read back
 * from the strategy under test.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeAbiParameters, getAddress, parseEther, parseEventLogs, type Address, type Hex, type TransactionReceipt } from 'viem';
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
/** A module of the deployer, empty at the start of every test (module 1 carries the devnet's seed stake). */
let M: bigint;
const DAY = 86_400n;
const IOTX = '0x0000000000000000000000000000000000000001';
const ZERO = '0x0000000000000000000000000000000000000000';

beforeAll(async () => {
  f = await deployFixture();
  [alice, bob, carol] = [f.chain.accounts[2]!, f.chain.accounts[3]!, f.chain.accounts[4]!];
  B = f.c.bucketStrategy;
  S = f.c.systemStaking;
  SM = f.c.strategyManager;
  await f.chain.write(B, bucketStrategyDevnetAbi, 'registerModule', [f.operator, 'one-tx module'], { from: f.deployer });
  M = await f.chain.read<bigint>(B, bucketStrategyDevnetAbi, 'moduleCount');
  snap = await f.chain.snapshot();
});
beforeEach(async () => {
  await f.chain.revert(snap);
  snap = await f.chain.snapshot();
});

/** amount + amount·10·min(duration, 91 days) / 9100 days, written out. */
const weightOf = (duration: bigint, amount: bigint) => amount + (amount * 10n * (duration < 91n * DAY ? duration : 91n * DAY)) / (9100n * DAY);
/** The `data` that names a module. */
const moduleData = (moduleId: bigint) => encodeAbiParameters([{ type: 'uint256' }], [moduleId]);

/** A fresh locked bucket of `owner` (not approved to anyone); returns its id. */
async function bucket(owner: Address, amount: bigint, duration = 30n * DAY): Promise<bigint> {
  const receipt = await f.chain.write(S, systemStakingDevnetAbi, 'stake', [duration, f.delegates[0]], { from: owner, value: amount });
  return parseEventLogs({ abi: systemStakingDevnetAbi, logs: receipt.logs, eventName: 'Staked' })[0]!.args.id;
}
/** The one-transaction restake: SystemStaking's safeTransferFrom to the strategy, sent by `by` (the owner unless an operator). */
const sendToStrategy = (owner: Address, id: bigint, data: Hex | null, by: Address = owner) =>
  f.chain.write(S, systemStakingDevnetAbi, 'safeTransferFrom', data === null ? [owner, B, id] : [owner, B, id, data], { from: by });
const w = (fn: string, args: readonly unknown[], from: Address) => f.chain.write(B, bucketStrategyDevnetAbi, fn, args, { from });
const r = <T>(fn: string, args: readonly unknown[] = []) => f.chain.read<T>(B, bucketStrategyDevnetAbi, fn, args);
const ownerOf = (id: bigint) => f.chain.read<Address>(S, systemStakingDevnetAbi, 'ownerOf', [id]);
const distribute = (amount: bigint) => f.chain.write(SM, strategyManagerDevnetAbi, 'distributeRewards', [IOTX, amount], { from: carol, value: amount });
/** The strategy's events in a receipt, in order, as [name, args]. */
const strategyEvents = (receipt: TransactionReceipt) =>
  parseEventLogs({ abi: bucketStrategyDevnetAbi, logs: receipt.logs.filter((log) => getAddress(log.address) === B) }).map((e) => [e.eventName, e.args]);
const expectReason = (promise: Promise<unknown>, reason: string) => expectRevert(promise, 'Error', [reason]);

describe('BucketStrategy one-transaction restake (safeTransferFrom with the module in data)', () => {
  it('restakes into the module for an existing restaker: record, weight, events, reward settlement; unstake and withdraw as for the two-step restake', async () => {
    // Alice restakes a first bucket the IoTeX way (approve + stake), then rewards arrive.
    const first = await bucket(alice, parseEther('30'));
    await f.chain.write(S, systemStakingDevnetAbi, 'approve', [B, first], { from: alice });
    await w('stake', [first, M], alice);
    const w1 = 30n * 10n ** 18n + (30n * 10n ** 18n * 10n * 30n) / 9100n; // 30 IOTX for 30 days
    expect(w1).toBe(weightOf(30n * DAY, parseEther('30')));
    const seedWeight = parseEther('110'); // the devnet's module-1 bucket: 100 IOTX for 91 days
    const seedPending = await r<bigint>('pendingReward', [IOTX, f.deployer]);
    const reward = parseEther('7');
    await distribute(reward);
    const share1 = (reward * w1) / (w1 + seedWeight);

    // One transaction: no approve; 50 IOTX locked for 91 days (weight 55 IOTX).
    const second = await bucket(alice, parseEther('50'), 91n * DAY);
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
    const seedShare = (reward * seedWeight) / (w1 + seedWeight) + (reward2 * seedWeight) / (w1 + w2 + seedWeight);
    const seedGot = (await r<bigint>('pendingReward', [IOTX, f.deployer])) - seedPending;
    expect(seedShare - seedGot >= 0n && seedShare - seedGot <= 2n).toBe(true);

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
    const a = await bucket(alice, parseEther('10'), 0n);
    const b = await bucket(bob, parseEther('20'), 91n * DAY);
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
    const a = await bucket(alice, parseEther('10'), 0n);
    const c = await bucket(alice, parseEther('4'), 0n);
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
    const d = await bucket(alice, parseEther('1'), 0n);
    await expectRevert(sendToStrategy(alice, d, moduleData(M), bob), 'ERC721InsufficientApproval', [bob, d]);
  });

  it('refuses an unlocked bucket (IoTeX’s reason), an unknown module and a wiped-out one; the bucket stays with its owner', async () => {
    const a = await bucket(alice, parseEther('2'), DAY);
    await f.chain.write(S, systemStakingDevnetAbi, 'unlock', [a], { from: alice });
    await expectReason(sendToStrategy(alice, a, moduleData(M)), 'not locking bucket');
    await expectReason(sendToStrategy(alice, a, null), 'not locking bucket');
    const b = await bucket(alice, parseEther('2'));
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
    const a = await bucket(alice, parseEther('2'));
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

  it('gas and prompts: one transaction (safeTransferFrom with the module) against approve + stake(bucketId, moduleId), existing restaker', async () => {
    const first = await bucket(alice, parseEther('100'));
    await f.chain.write(S, systemStakingDevnetAbi, 'approve', [B, first], { from: alice });
    await w('stake', [first, M], alice);
    const id = await bucket(alice, parseEther('100'));
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
