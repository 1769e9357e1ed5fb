import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getAddress, parseEther, parseEventLogs, toHex, type Address, type Hex, type TransactionReceipt } from 'viem';
import { dataRewardsAbi, ioIDDevnetAbi } from '../../src/core/abis/index.js';
import { buildMerkleTree, rewardLeaf } from '../../src/core/batch/merkle.js';
import { expectRevert } from './helpers/chain.js';
import { newDevice, type SimDevice } from './helpers/device.js';
import { deployFixture, type Fixture } from './helpers/fixture.js';
import { registerNewDevice } from './helpers/ioid.js';

let f: Fixture;
let snap: Hex;
let owner1: Address;
let owner2: Address;
let d1: SimDevice;
let d1b: SimDevice;
let d2: SimDevice;
let D: Address;
const DAY = 86_400n;
const POOL = parseEther('1000');

type Claim = { epoch: bigint; device: Address; amount: bigint; proof: readonly Hex[] };

beforeAll(async () => {
  f = await deployFixture();
  [owner1, owner2] = [f.chain.accounts[2]!, f.chain.accounts[3]!];
  // owner1 holds two devices' ioIDs, owner2 one.
  d1 = (await registerNewDevice(f, owner1)).device;
  d1b = (await registerNewDevice(f, owner1)).device;
  d2 = (await registerNewDevice(f, owner2)).device;
  D = f.c.dataRewards;
  snap = await f.chain.snapshot();
});
beforeEach(async () => {
  await f.chain.revert(snap);
  snap = await f.chain.snapshot();
});

const w = (fn: string, args: readonly unknown[], from: Address) => f.chain.write(D, dataRewardsAbi, fn, args, { from });
const r = <T>(fn: string, args: readonly unknown[] = []) => f.chain.read<T>(D, dataRewardsAbi, fn, args);

/** Posts an epoch's root over (device, amount) entries plus a device without an ioID; returns its claims. */
async function postEpoch(epoch: bigint, entries: readonly (readonly [Address, bigint])[], total?: bigint): Promise<Claim[]> {
  const all = [...entries, [newDevice().address, parseEther('1')] as const];
  const tree = buildMerkleTree(all.map(([device, amount]) => rewardLeaf(epoch, device, amount)));
  const sum = all.reduce((acc, [, amount]) => acc + amount, 0n);
  await w('postRewardRoot', [epoch, tree.root, total ?? sum], f.operator);
  return entries.map(([device, amount], i) => ({ epoch, device, amount, proof: tree.proof(i) }));
}

/** Three epochs; each pays d1, d1b and d2 (amounts written out so expected sums never come from the code). */
async function threeEpochs() {
  const e3 = await postEpoch(3n, [[d1.address, parseEther('3')], [d1b.address, parseEther('1.5')], [d2.address, parseEther('7')]]);
  const e4 = await postEpoch(4n, [[d1.address, parseEther('2')], [d1b.address, parseEther('0.25')], [d2.address, parseEther('1')]]);
  const e5 = await postEpoch(5n, [[d1.address, 11n], [d1b.address, parseEther('4')], [d2.address, parseEther('2')]]);
  return { e3, e4, e5 };
}

const received = async (who: Address, run: () => Promise<TransactionReceipt>) => {
  const before = await f.chain.balance(who);
  const receipt = await run();
  return { receipt, got: (await f.chain.balance(who)) - before + receipt.gasUsed * receipt.effectiveGasPrice };
};

/** Value-carrying CALLs the transaction made (from the default struct-log trace: CALL stack is gas, to, value, …). */
async function valueCalls(hash: Hex): Promise<{ to: Address; value: bigint }[]> {
  const trace = (await f.chain.provider.request({ method: 'debug_traceTransaction', params: [hash, { disableMemory: true, disableStorage: true }] } as never)) as {
    structLogs: { op: string; stack: string[] }[];
  };
  return trace.structLogs
    .filter((log) => log.op === 'CALL')
    .map((log) => {
      const s = log.stack;
      const word = (i: number) => BigInt(`0x${s[s.length - 1 - i]!.replace(/^0x/, '')}`);
      return { to: getAddress(toHex(word(1), { size: 20 })), value: word(2) };
    })
    .filter((call) => call.value > 0n);
}

async function snapshotState(epochs: readonly bigint[], devices: readonly Address[]) {
  return {
    epochs: await Promise.all(epochs.map((e) => r('epochOf', [e]))),
    claimed: await Promise.all(epochs.flatMap((e) => devices.map((d) => r<boolean>('isClaimed', [e, d])))),
    totalPaid: await r<bigint>('totalPaid'),
    unallocated: await r<bigint>('unallocated'),
    balance: await f.chain.balance(D),
  };
}

describe('DataRewards.claimMany', () => {
  it('claims several epochs and devices in one call and pays their exact sum in one transfer', async () => {
    const { e3, e4, e5 } = await threeEpochs();
    const claims = [e3[0]!, e3[1]!, e4[0]!, e5[1]!, e5[0]!];
    const { receipt, got } = await received(owner1, () => w('claimMany', [claims], owner1));
    const expected = parseEther('3') + parseEther('1.5') + parseEther('2') + parseEther('4') + 11n;
    expect(got).toBe(expected);
    expect(await f.chain.balance(D)).toBe(POOL - expected);
    expect(await r('totalPaid')).toBe(expected);
    const events = parseEventLogs({ abi: dataRewardsAbi, logs: receipt.logs, eventName: 'RewardClaimed' });
    expect(events.map((e) => e.args)).toEqual([
      { epoch: 3n, device: d1.address, owner: owner1, amount: parseEther('3') },
      { epoch: 3n, device: d1b.address, owner: owner1, amount: parseEther('1.5') },
      { epoch: 4n, device: d1.address, owner: owner1, amount: parseEther('2') },
      { epoch: 5n, device: d1b.address, owner: owner1, amount: parseEther('4') },
      { epoch: 5n, device: d1.address, owner: owner1, amount: 11n },
    ]);
    expect(await valueCalls(receipt.transactionHash)).toEqual([{ to: owner1, value: expected }]);
    for (const c of claims) expect(await r('isClaimed', [c.epoch, c.device])).toBe(true);
    // Unclaimed rewards stay claimable, alone or batched.
    expect(await r('isClaimed', [4n, d1b.address])).toBe(false);
    const rest = await received(owner1, () => w('claimMany', [[e4[1]!]], owner1));
    expect(rest.got).toBe(parseEther('0.25'));
    await w('claim', [e3[2]!.epoch, e3[2]!.device, e3[2]!.amount, e3[2]!.proof], owner2);
  });

  it('leaves the same state as claiming one by one', async () => {
    const { e3, e4, e5 } = await threeEpochs();
    const claims = [e3[0]!, e3[1]!, e4[0]!, e4[1]!, e5[0]!, e5[1]!];
    const epochs = [3n, 4n, 5n];
    const devices = [d1.address, d1b.address, d2.address];
    const start = await f.chain.snapshot();

    const batched = await received(owner1, () => w('claimMany', [claims], owner1));
    const batchedState = await snapshotState(epochs, devices);
    const batchedEvents = parseEventLogs({ abi: dataRewardsAbi, logs: batched.receipt.logs }).map((e) => [e.eventName, e.args]);

    await f.chain.revert(start);
    let singlyGot = 0n;
    const singlyEvents: unknown[] = [];
    for (const c of claims) {
      const one = await received(owner1, () => w('claim', [c.epoch, c.device, c.amount, c.proof], owner1));
      singlyGot += one.got;
      singlyEvents.push(...parseEventLogs({ abi: dataRewardsAbi, logs: one.receipt.logs }).map((e) => [e.eventName, e.args]));
    }
    expect(await snapshotState(epochs, devices)).toEqual(batchedState);
    expect(singlyGot).toBe(batched.got);
    expect(singlyEvents).toEqual(batchedEvents);
    expect(batchedState.claimed).toEqual([true, true, false, true, true, false, true, true, false]);
  });

  it('an empty list reverts with NoClaims', async () => {
    await threeEpochs();
    await expectRevert(w('claimMany', [[]], owner1), 'NoClaims');
  });

  describe('any failing claim reverts the whole call with its named error', () => {
    /** Puts a good claim first so a partial success would show; checks nothing changed. */
    async function expectWholeRevert(good: Claim, bad: readonly Claim[], from: Address, name: string, args?: readonly unknown[]) {
      const before = await snapshotState([good.epoch], [good.device]);
      await expectRevert(w('claimMany', [[good, ...bad]], from), name, args);
      expect(await snapshotState([good.epoch], [good.device])).toEqual(before);
      expect(before.claimed).toEqual([false]);
    }

    it('a mutated proof: InvalidRewardProof', async () => {
      const { e3, e4 } = await threeEpochs();
      const proof = [...e4[0]!.proof];
      proof[0] = `${proof[0]!.slice(0, -1)}${proof[0]!.endsWith('0') ? '1' : '0'}` as Hex; // last nibble changed
      expect(proof[0]).toHaveLength(66);
      await expectWholeRevert(e3[0]!, [{ ...e4[0]!, proof }], owner1, 'InvalidRewardProof', [4n, d1.address, parseEther('2')]);
      // A right proof with a raised amount fails the same way.
      await expectWholeRevert(e3[0]!, [{ ...e4[0]!, amount: parseEther('2.4') }], owner1, 'InvalidRewardProof', [4n, d1.address, parseEther('2.4')]);
    });

    it('the same (epoch, device) twice in one call: AlreadyClaimed', async () => {
      const { e3, e4 } = await threeEpochs();
      await expectWholeRevert(e3[0]!, [e4[0]!, e4[0]!], owner1, 'AlreadyClaimed', [4n, d1.address]);
      await expectWholeRevert(e3[0]!, [e3[0]!], owner1, 'AlreadyClaimed', [3n, d1.address]);
    });

    it('a reward claimed earlier by claim: AlreadyClaimed', async () => {
      const { e3, e4 } = await threeEpochs();
      await w('claim', [4n, d1.address, parseEther('2'), e4[0]!.proof], owner1);
      await expectWholeRevert(e3[0]!, [e4[0]!], owner1, 'AlreadyClaimed', [4n, d1.address]);
    });

    it('a device whose ioID the caller does not own: NotDeviceOwner', async () => {
      const { e3, e4 } = await threeEpochs();
      await expectWholeRevert(e3[0]!, [e4[2]!], owner1, 'NotDeviceOwner', [d2.address, owner1]);
    });

    it('an unknown epoch: UnknownEpoch', async () => {
      const { e3, e4 } = await threeEpochs();
      await expectWholeRevert(e3[0]!, [{ ...e4[0]!, epoch: 9n }], owner1, 'UnknownEpoch', [9n]);
    });

    it('an epoch whose claim window closed, or whose remainder was recovered: ClaimWindowClosed', async () => {
      const old = await postEpoch(3n, [[d1.address, parseEther('3')]]);
      await f.chain.increaseTime(20n * DAY);
      const fresh = await postEpoch(4n, [[d1.address, parseEther('2')]]);
      await f.chain.increaseTime(10n * DAY + 1n); // epoch 3 is now 30 days + 1 s old; epoch 4 is 10 days old
      await expectWholeRevert(fresh[0]!, [old[0]!], owner1, 'ClaimWindowClosed', [3n]);
      await w('recoverUnclaimed', [3n], owner2);
      await expectWholeRevert(fresh[0]!, [old[0]!], owner1, 'ClaimWindowClosed', [3n]);
    });

    it('claims beyond an epoch total (a bad root): EpochOverdrawn', async () => {
      const { e3 } = await threeEpochs();
      const bad = await postEpoch(8n, [[d1.address, parseEther('5')], [d1b.address, parseEther('5')]], parseEther('6'));
      await expectWholeRevert(e3[0]!, bad, owner1, 'EpochOverdrawn', [8n]);
    });
  });

  it('a caller that refuses the payment gets nothing recorded: the single transfer comes after all claims and reverts them all', async () => {
    const { e3, e4 } = await threeEpochs();
    // A contract with no receive function (the test verifier) takes over d1's ioID and claims for it.
    const refuser = f.verifier;
    const id = await f.chain.read<bigint>(f.c.ioIDRegistry, [{ type: 'function', name: 'deviceTokenId', inputs: [{ name: 'device', type: 'address' }], outputs: [{ type: 'uint256' }], stateMutability: 'view' }], 'deviceTokenId', [d1.address]);
    await f.chain.write(f.c.ioID, ioIDDevnetAbi, 'transferFrom', [owner1, refuser, id], { from: owner1 });
    await f.chain.provider.request({ method: 'hardhat_impersonateAccount', params: [refuser] } as never);
    await f.chain.provider.request({ method: 'hardhat_setBalance', params: [refuser, toHex(parseEther('10'))] } as never);
    const before = await snapshotState([3n, 4n], [d1.address]);
    await expectRevert(w('claimMany', [[e3[0]!, e4[0]!]], refuser), 'FailedCall');
    expect(await snapshotState([3n, 4n], [d1.address])).toEqual(before);
    await f.chain.provider.request({ method: 'hardhat_stopImpersonatingAccount', params: [refuser] } as never);
  });
});
