import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEther, parseEventLogs, zeroAddress, type Address, type Hex } from 'viem';
import { dataRewardsAbi, ioIDDevnetAbi } from '../../src/core/abis/index.js';
import { buildMerkleTree, MerkleTreeError, rewardLeaf } from '../../src/core/batch/merkle.js';
import { expectRevert } from './helpers/chain.js';
import { newDevice, type SimDevice } from './helpers/device.js';
import { deployFixture, type Fixture } from './helpers/fixture.js';
import { registerNewDevice } from './helpers/ioid.js';

let f: Fixture;
let snap: Hex;
let owner1: Address;
let owner2: Address;
let stranger: Address;
let d1: SimDevice;
let d2: SimDevice;
let D: Address;
const DAY = 86_400n;
const EPOCH = 3n;

beforeAll(async () => {
  f = await deployFixture();
  [owner1, owner2, stranger] = [f.chain.accounts[2]!, f.chain.accounts[3]!, f.chain.accounts[4]!];
  d1 = (await registerNewDevice(f, owner1)).device;
  d2 = (await registerNewDevice(f, owner2)).device;
  D = f.c.dataRewards;
  snap = await f.chain.snapshot();
});
beforeEach(async () => {
  await f.chain.revert(snap);
  snap = await f.chain.snapshot();
});

const w = (fn: string, args: readonly unknown[], from: Address, value?: bigint) => f.chain.write(D, dataRewardsAbi, fn, args, { from, ...(value ? { value } : {}) });
const r = <T>(fn: string, args: readonly unknown[] = []) => f.chain.read<T>(D, dataRewardsAbi, fn, args);

function rewardsTree(entries: readonly (readonly [Address, bigint])[], epoch = EPOCH) {
  const tree = buildMerkleTree(entries.map(([device, amount]) => rewardLeaf(epoch, device, amount)));
  const total = entries.reduce((sum, [, amount]) => sum + amount, 0n);
  return { tree, total };
}

describe('DataRewards', () => {
  it('is seeded with a funded pool; anyone can add to it', async () => {
    expect(await r('unallocated')).toBe(parseEther('1000'));
    expect(await f.chain.balance(D)).toBe(parseEther('1000'));
    await expectRevert(w('fund', [], stranger), 'ZeroValue');
    await w('fund', [], stranger, parseEther('5'));
    expect(await r('unallocated')).toBe(parseEther('1005'));
  });

  it('operator posts a root; the device’s ioID owner claims once with a Merkle proof', async () => {
    const entries = [[d1.address, parseEther('3')], [d2.address, parseEther('4')], [newDevice().address, parseEther('1')]] as const;
    const { tree, total } = rewardsTree(entries);
    expect(await r('rewardLeaf', [EPOCH, d1.address, parseEther('3')])).toBe(rewardLeaf(EPOCH, d1.address, parseEther('3')));
    await expectRevert(w('postRewardRoot', [EPOCH, tree.root, total], stranger), 'NotOperator', [stranger]);
    await expectRevert(w('postRewardRoot', [EPOCH, `0x${'00'.repeat(32)}`, total], f.operator), 'EmptyRoot');
    await expectRevert(w('postRewardRoot', [EPOCH, tree.root, parseEther('2000')], f.operator), 'InsufficientPool', [parseEther('2000'), parseEther('1000')]);
    const posted = await w('postRewardRoot', [EPOCH, tree.root, total], f.operator);
    const postedAt = await f.chain.now();
    expect(parseEventLogs({ abi: dataRewardsAbi, logs: posted.logs })[0]?.args).toEqual({ epoch: EPOCH, root: tree.root, total });
    await expectRevert(w('postRewardRoot', [EPOCH, tree.root, total], f.operator), 'EpochAlreadyPosted', [EPOCH]);
    expect(await r('unallocated')).toBe(parseEther('1000') - total);

    await expectRevert(w('claim', [EPOCH, d1.address, parseEther('3'), tree.proof(0)], owner2), 'NotDeviceOwner', [d1.address, owner2]);
    await expectRevert(w('claim', [EPOCH, d1.address, parseEther('30'), tree.proof(0)], owner1), 'InvalidRewardProof', [EPOCH, d1.address, parseEther('30')]);
    await expectRevert(w('claim', [EPOCH + 1n, d1.address, parseEther('3'), tree.proof(0)], owner1), 'UnknownEpoch', [EPOCH + 1n]);
    // A device without an ioID cannot be claimed for, even with a valid leaf.
    await expectRevert(w('claim', [EPOCH, entries[2][0], parseEther('1'), tree.proof(2)], owner1), 'NotDeviceOwner');
    const before = await f.chain.balance(owner1);
    const claimed = await w('claim', [EPOCH, d1.address, parseEther('3'), tree.proof(0)], owner1);
    const gasCost = claimed.gasUsed * claimed.effectiveGasPrice;
    expect((await f.chain.balance(owner1)) - before + gasCost).toBe(parseEther('3'));
    expect(parseEventLogs({ abi: dataRewardsAbi, logs: claimed.logs })[0]?.args).toEqual({ epoch: EPOCH, device: d1.address, owner: owner1, amount: parseEther('3') });
    expect(await r('isClaimed', [EPOCH, d1.address])).toBe(true);
    await expectRevert(w('claim', [EPOCH, d1.address, parseEther('3'), tree.proof(0)], owner1), 'AlreadyClaimed', [EPOCH, d1.address]);
    expect(await r('epochOf', [EPOCH])).toEqual([tree.root, total, parseEther('3'), postedAt, false]);
  });

  it('the ioID’s current owner claims: after a transfer of the ioID the reward follows it', async () => {
    const { tree, total } = rewardsTree([[d1.address, parseEther('2')], [d2.address, parseEther('2')]]);
    await w('postRewardRoot', [EPOCH, tree.root, total], f.operator);
    const id = await f.chain.read<bigint>(f.c.ioIDRegistry, [{ type: 'function', name: 'deviceTokenId', inputs: [{ name: 'device', type: 'address' }], outputs: [{ type: 'uint256' }], stateMutability: 'view' }], 'deviceTokenId', [d1.address]);
    await f.chain.write(f.c.ioID, ioIDDevnetAbi, 'transferFrom', [owner1, stranger, id], { from: owner1 });
    await expectRevert(w('claim', [EPOCH, d1.address, parseEther('2'), tree.proof(0)], owner1), 'NotDeviceOwner');
    await w('claim', [EPOCH, d1.address, parseEther('2'), tree.proof(0)], stranger);
  });

  it('a bad root cannot pay out more than its epoch total', async () => {
    const { tree } = rewardsTree([[d1.address, parseEther('5')], [d2.address, parseEther('5')]]);
    await w('postRewardRoot', [EPOCH, tree.root, parseEther('6')], f.operator);
    await w('claim', [EPOCH, d1.address, parseEther('5'), tree.proof(0)], owner1);
    await expectRevert(w('claim', [EPOCH, d2.address, parseEther('5'), tree.proof(1)], owner2), 'EpochOverdrawn', [EPOCH]);
  });

  it('after the claim window, unclaimed funds return to the pool and claims close', async () => {
    const { tree, total } = rewardsTree([[d1.address, parseEther('3')], [d2.address, parseEther('4')]]);
    await w('postRewardRoot', [EPOCH, tree.root, total], f.operator);
    const postedAt = await f.chain.now();
    await w('claim', [EPOCH, d1.address, parseEther('3'), tree.proof(0)], owner1);
    expect(await r('claimWindow')).toBe(30n * DAY);
    await expectRevert(w('recoverUnclaimed', [EPOCH], stranger), 'ClaimWindowOpen', [EPOCH, postedAt + 30n * DAY]);
    await expectRevert(w('recoverUnclaimed', [EPOCH + 1n], stranger), 'UnknownEpoch');
    await f.chain.increaseTime(30n * DAY + 1n);
    await expectRevert(w('claim', [EPOCH, d2.address, parseEther('4'), tree.proof(1)], owner2), 'ClaimWindowClosed', [EPOCH]);
    const receipt = await w('recoverUnclaimed', [EPOCH], stranger);
    expect(parseEventLogs({ abi: dataRewardsAbi, logs: receipt.logs })[0]?.args).toEqual({ epoch: EPOCH, amount: parseEther('4') });
    expect(await r('unallocated')).toBe(parseEther('997'));
    await expectRevert(w('recoverUnclaimed', [EPOCH], stranger), 'ClaimWindowClosed');
    expect(await f.chain.balance(D)).toBe(parseEther('997'));
  });

  it('odd-sized trees from src/core/batch/merkle.ts verify on-chain, including the promoted last leaf', async () => {
    const filler = () => [newDevice().address, parseEther('1')] as const;
    const entries = [filler(), filler(), [d2.address, parseEther('2')], filler(), [d1.address, parseEther('5')]] as const;
    const { tree, total } = rewardsTree(entries);
    expect(tree.proof(4)).toHaveLength(1); // the fifth leaf rises unpaired to the top level
    await w('postRewardRoot', [EPOCH, tree.root, total], f.operator);
    await w('claim', [EPOCH, d1.address, parseEther('5'), tree.proof(4)], owner1);
    await w('claim', [EPOCH, d2.address, parseEther('2'), tree.proof(2)], owner2);
    const single = buildMerkleTree([rewardLeaf(9n, d1.address, 1n)]);
    expect(single.root).toBe(rewardLeaf(9n, d1.address, 1n));
    expect(single.proof(0)).toEqual([]);
    expect(() => buildMerkleTree([])).toThrow(MerkleTreeError);
    expect(() => tree.proof(5)).toThrowError(/not in this tree/);
  });

  it('owner controls: operator, pool withdrawal', async () => {
    await expectRevert(w('setOperator', [stranger], stranger), 'OwnableUnauthorizedAccount');
    await w('setOperator', [stranger], f.deployer);
    expect(await r('operator')).toBe(stranger);
    await expectRevert(w('withdrawPool', [stranger, parseEther('2000')], f.deployer), 'InsufficientPool');
    await expectRevert(w('withdrawPool', [zeroAddress, 1n], f.deployer), 'ZeroValue');
    const before = await f.chain.balance(stranger);
    await w('withdrawPool', [stranger, parseEther('10')], f.deployer);
    expect((await f.chain.balance(stranger)) - before).toBe(parseEther('10'));
    expect(await r('unallocated')).toBe(parseEther('990'));
  });
});
