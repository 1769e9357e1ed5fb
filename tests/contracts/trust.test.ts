/**
 * Trust-model defects of issue 11, each as the attack that showed it, on the real EVM with the
 * devnet deployment plan: a front-run anchor must not block the relay; an operator without stake
 * cannot anchor; the escape hatch takes a device's batches in any order (one per epoch); reward
 * rounding never promises more than the strategy holds (the 7-wei / 8-pending case).
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keccak256, parseEther, parseEventLogs, toHex, type Address, type Hex } from 'viem';
import { batchLeaf } from '../../src/core/batch/merkle.js';
import { batchInboxAbi, bucketStrategyDevnetAbi, systemStakingDevnetAbi } from '../../src/core/abis/index.js';
import { provenBatch } from './helpers/batch.js';
import { expectRevert } from './helpers/chain.js';
import { deployFixture, type Fixture } from './helpers/fixture.js';
import { registerNewDevice } from './helpers/ioid.js';
import type { DeviceBatchLeaf } from '../../src/core/batch/merkle.js';
import type { SimDevice } from './helpers/device.js';
import { SEVEN_WEI_CASE } from './helpers/cases.js';

const EPOCH = 3600;
let f: Fixture;
let snap: Hex;
let B: Address;
let S: Address;
let I: Address;
let device: SimDevice;
let older: DeviceBatchLeaf;
let newer: DeviceBatchLeaf;
let sameEpoch: DeviceBatchLeaf;

beforeAll(async () => {
  f = await deployFixture({ verifier: 'real' });
  [B, S, I] = [f.c.bucketStrategy, f.c.systemStaking, f.c.batchInbox];
  ({ device } = await registerNewDevice(f, f.chain.accounts[2]!));
  // Two whole epochs in the past: the censored (older) batch and the device's newest one.
  const epochStart = Math.floor(Number(await f.chain.now()) / EPOCH) * EPOCH - 3 * EPOCH;
  older = await provenBatch(device, epochStart + 60);
  newer = await provenBatch(device, epochStart + EPOCH + 60);
  sameEpoch = await provenBatch(device, epochStart + 1200, 4);
  snap = await f.chain.snapshot();
}, 180_000);
beforeEach(async () => {
  await f.chain.revert(snap);
  snap = await f.chain.snapshot();
});

/** Stakes a locked bucket of `amount` for `owner` and restakes it into `moduleId`; returns its id. */
async function restake(owner: Address, amount: bigint, moduleId: bigint, duration = 0n): Promise<bigint> {
  const receipt = await f.chain.write(S, systemStakingDevnetAbi, 'stake', [duration, f.delegates[0]], { from: owner, value: amount });
  const id = parseEventLogs({ abi: systemStakingDevnetAbi, logs: receipt.logs, eventName: 'Staked' })[0]!.args.id;
  await f.chain.write(S, systemStakingDevnetAbi, 'approve', [B, id], { from: owner });
  await f.chain.write(B, bucketStrategyDevnetAbi, 'stake', [id, moduleId], { from: owner });
  return id;
}
const submit = (leaf: DeviceBatchLeaf, from: Address) =>
  f.chain.write(I, batchInboxAbi, 'submitBatch', [leaf.signature, leaf.pA, leaf.pB, leaf.pC, leaf.pubSignals], { from });

describe('defect 2: anchoring cannot be front-run or done without stake', () => {
  it("an attacker's module anchoring the relay's root first does not block the relay's anchor", async () => {
    const attacker = f.chain.accounts[8]!;
    await f.chain.write(B, bucketStrategyDevnetAbi, 'registerModule', [attacker, 'front-runner'], { from: attacker });
    const attackerModule = await f.chain.read<bigint>(B, bucketStrategyDevnetAbi, 'moduleCount');
    // The attacker even backs its module with stake, so the only thing in its way is the key.
    await restake(attacker, parseEther('50'), attackerModule);
    const root = keccak256(toHex("the relay's next root"));
    const dataHash = keccak256(toHex('file'));
    await f.chain.write(I, batchInboxAbi, 'anchor', [attackerModule, 1n, root, 3, dataHash, 'ipfs://copied'], { from: attacker });
    const receipt = await f.chain.write(I, batchInboxAbi, 'anchor', [f.moduleId, 1n, root, 3, dataHash, 'https://relay/v1/anchors/1'], { from: f.operator });
    const [event] = parseEventLogs({ abi: batchInboxAbi, logs: receipt.logs, eventName: 'BatchAnchored' });
    expect(event?.args.moduleId).toBe(f.moduleId);
    expect(event?.args.merkleRoot).toBe(root);
  });

  it('an operator with a module of its own and no stake behind it cannot anchor', async () => {
    const rogue = f.chain.accounts[8]!;
    await f.chain.write(B, bucketStrategyDevnetAbi, 'registerModule', [rogue, 'no stake'], { from: rogue });
    const rogueModule = await f.chain.read<bigint>(B, bucketStrategyDevnetAbi, 'moduleCount');
    await expectRevert(
      f.chain.write(I, batchInboxAbi, 'anchor', [rogueModule, 1n, keccak256(toHex('r')), 1, keccak256(toHex('f')), 'x'], { from: rogue }),
      'ModuleUnderstaked',
    );
  });
});

describe('defect 3: the escape hatch cannot be blocked by submitting a newer batch first', () => {
  it("the device's newest batch first, then the older censored one: both land", async () => {
    const anyone = f.chain.accounts[4]!;
    await submit(newer, anyone);
    const receipt = await submit(older, anyone);
    const [event] = parseEventLogs({ abi: batchInboxAbi, logs: receipt.logs, eventName: 'BatchSubmitted' });
    expect(event?.args.commitment).toBe(older.pubSignals[0]);
    // A second batch for an epoch that already has one is refused (no replays, one per epoch).
    const epoch = (older.pubSignals[2] & ((1n << 64n) - 1n)) / BigInt(EPOCH);
    await expectRevert(submit(sameEpoch, anyone), 'EpochAlreadySubmitted', [device.address, epoch]);
    await expectRevert(submit(older, anyone), 'EpochAlreadySubmitted', [device.address, epoch]);
  });
});


describe('defect 6: reward rounding never promises more than the strategy holds', () => {
  it('7 wei distributed: pending rewards sum to at most 7 and every restaker can claim', async () => {
    // Rewards are split across the whole strategy (IoTeX's model), so the devnet's seed restaker takes part too.
    const funder = f.chain.accounts[6]!;
    const users = [f.chain.accounts[2]!, f.chain.accounts[3]!, f.chain.accounts[4]!];
    const everyone = [...users, f.deployer];
    const IOTX = '0x0000000000000000000000000000000000000001';
    // The devnet plan's seed reward (100 IOTX) is the deployer's: claimed first, so the case starts with nothing pending.
    await f.chain.write(B, bucketStrategyDevnetAbi, 'claimReward', [], { from: f.deployer });
    const before = await f.chain.balance(B);
    for (const step of SEVEN_WEI_CASE) {
      // A restake also pays what the restaker had earned so far (IoTeX's settlement on every amount change).
      if (step.t === 'restake') await restake(users[step.who]!, step.amount, f.moduleId);
      else await f.chain.write(B, bucketStrategyDevnetAbi, 'distributeRewards', [IOTX, step.amount], { from: funder, value: step.amount });
    }
    const held = (await f.chain.balance(B)) - before;
    expect(held).toBeLessThanOrEqual(7n);
    let pending = 0n;
    for (const user of everyone) pending += await f.chain.read<bigint>(B, bucketStrategyDevnetAbi, 'pendingReward', [IOTX, user]);
    expect(pending).toBeLessThanOrEqual(held);
    for (const user of everyone) await f.chain.write(B, bucketStrategyDevnetAbi, 'claimReward', [], { from: user });
    expect((await f.chain.balance(B)) - before).toBeGreaterThanOrEqual(0n);
  });
});

describe('defect 5: the exposure window, as documented (docs/contracts.md, BatchInbox.exposureWindow)', () => {
  /** A leaf the chain proves bad by itself: the device in the signals is not the leaf's device. */
  const bad = (n: number): DeviceBatchLeaf => {
    const device = `0x${keccak256(toHex(`exposure leaf ${n}`)).slice(26)}` as Address;
    return { device, pubSignals: [1n, BigInt(device) + 1n, 0n, 0n], signature: '0x', pA: [0n, 0n], pB: [[0n, 0n], [0n, 0n]], pC: [0n, 0n] };
  };
  const anchorBad = async (n: number) => {
    const leaf = bad(n);
    await f.chain.write(I, batchInboxAbi, 'anchor', [f.moduleId, 1n, batchLeaf(leaf), 1, batchLeaf(leaf), 'x'], { from: f.operator });
    return leaf;
  };
  const challenge = (leaf: DeviceBatchLeaf) => f.chain.write(I, batchInboxAbi, 'challenge', [f.moduleId, batchLeaf(leaf), leaf, []], { from: f.chain.accounts[4]! });
  const amountOf = async (id: bigint) => (await f.chain.read<{ amount: bigint }>(S, systemStakingDevnetAbi, 'bucketOf', [id])).amount;

  it('a restaker who joins after a bad anchor, inside its challenge window, is slashed for it; one who joins after the slash is not', async () => {
    const [lookback, freeze] = await f.chain.read<[bigint, bigint]>(I, batchInboxAbi, 'exposureWindow');
    expect([lookback, freeze]).toEqual([6n * 86_400n, 7n * 86_400n]);
    const early = await anchorBad(1);
    await f.chain.increaseTime(lookback - 3600n);
    // Joins 6 days minus an hour after the bad anchor: still exposed to it.
    const late = await restake(f.chain.accounts[2]!, parseEther('20'), f.moduleId);
    await challenge(early);
    const after = await restake(f.chain.accounts[3]!, parseEther('20'), f.moduleId);
    await f.chain.write(B, bucketStrategyDevnetAbi, 'realizeSlash', [late], { from: f.chain.accounts[4]! });
    await f.chain.write(B, bucketStrategyDevnetAbi, 'realizeSlash', [after], { from: f.chain.accounts[4]! });
    expect(await amountOf(late)).toBe(parseEther('19'));
    expect(await amountOf(after)).toBe(parseEther('20'));
  });

  it('a bad batch older than CHALLENGE_WINDOW can no longer touch anyone; a bucket in its unstake freeze still answers for newer ones', async () => {
    const old = await anchorBad(2);
    const leaving = await restake(f.chain.accounts[2]!, parseEther('20'), f.moduleId);
    await f.chain.increaseTime(6n * 86_400n + 1n);
    await expectRevert(challenge(old), 'ChallengeWindowClosed');
    await f.chain.write(B, bucketStrategyDevnetAbi, 'unstake', [[leaving]], { from: f.chain.accounts[2]! });
    // Anchored after the restaker unstaked, challenged during its 7-day freeze: the bucket answers for it.
    const during = await anchorBad(3);
    await challenge(during);
    await f.chain.increaseTime(7n * 86_400n);
    await f.chain.write(B, bucketStrategyDevnetAbi, 'withdraw', [[leaving], f.chain.accounts[2]!], { from: f.chain.accounts[2]! });
    expect(await amountOf(leaving)).toBe(parseEther('19'));
  });
});
