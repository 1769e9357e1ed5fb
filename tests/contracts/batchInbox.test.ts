import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keccak256, parseEther, parseEventLogs, toHex, type Address, type Hex } from 'viem';
import { batchInboxAbi, bucketStrategyDevnetAbi, systemStakingDevnetAbi } from '../../src/core/abis/index.js';
import { batchLeaf, buildMerkleTree, verifyMerkleProof, type DeviceBatchLeaf } from '../../src/core/batch/merkle.js';
import { batchSigningDigest } from '../../src/core/batch/signingDigest.js';
import { provenBatch, withRawRecoveryByte } from './helpers/batch.js';
import { expectRevert } from './helpers/chain.js';
import { newDevice, type SimDevice } from './helpers/device.js';
import { deployFixture, type Fixture } from './helpers/fixture.js';
import { registerNewDevice } from './helpers/ioid.js';

let f: Fixture;
let snap: Hex;
let device: SimDevice;
let owner: Address;
let anyone: Address;
let valid: DeviceBatchLeaf;
let later: DeviceBatchLeaf;
let future: DeviceBatchLeaf;
let straddling: DeviceBatchLeaf;
let I: Address;
const EPOCH = 3600;
const DATA_HASH = keccak256(toHex('batch file'));

beforeAll(async () => {
  f = await deployFixture({ verifier: 'real' });
  I = f.c.batchInbox;
  owner = f.chain.accounts[2]!;
  anyone = f.chain.accounts[4]!;
  ({ device } = await registerNewDevice(f, owner));
  // Windows inside whole epochs of the devnet's epochSeconds (3600), in the past.
  const epochStart = Math.floor(Number(await f.chain.now()) / EPOCH) * EPOCH - 3 * EPOCH;
  valid = await provenBatch(device, epochStart + 60);
  later = await provenBatch(device, epochStart + EPOCH + 60);
  // A window that ends after any anchor made now, and one that spans two epochs: both provable, both invalid.
  future = await provenBatch(device, epochStart + 5 * EPOCH + 60);
  straddling = await provenBatch(device, epochStart + 2 * EPOCH - 300);
  snap = await f.chain.snapshot();
}, 120_000);
beforeEach(async () => {
  await f.chain.revert(snap);
  snap = await f.chain.snapshot();
});

const submit = (leaf: DeviceBatchLeaf, from = anyone) =>
  f.chain.write(I, batchInboxAbi, 'submitBatch', [leaf.signature, leaf.pA, leaf.pB, leaf.pC, leaf.pubSignals], { from });
const anchor = (root: Hex, count = 4, from: Address = f.operator) =>
  f.chain.write(I, batchInboxAbi, 'anchor', [f.moduleId, 7n, root, count, DATA_HASH, 'ipfs://batch'], { from });
const challenge = (root: Hex, leaf: DeviceBatchLeaf, proof: Hex[], from = anyone, moduleId = f.moduleId) =>
  f.chain.write(I, batchInboxAbi, 'challenge', [moduleId, root, leaf, proof], { from });
const epochOf = (leaf: DeviceBatchLeaf) => (leaf.pubSignals[2] & ((1n << 64n) - 1n)) / BigInt(EPOCH);

describe('BatchInbox: direct submission (escape hatch) with the real Groth16 verifier', () => {
  it('accepts a real proof with the device signature and logs the batch', async () => {
    const receipt = await submit(valid);
    const [event] = parseEventLogs({ abi: batchInboxAbi, logs: receipt.logs, eventName: 'BatchSubmitted' });
    const windowStart = valid.pubSignals[2] & ((1n << 64n) - 1n);
    const windowEnd = valid.pubSignals[2] >> 64n;
    expect(event?.args).toEqual({ device: device.address, commitment: valid.pubSignals[0], windowStart, windowEnd, packedResults: valid.pubSignals[3], submitter: anyone });
    expect(await f.chain.read(I, batchInboxAbi, 'directSubmitted', [device.address, epochOf(valid)])).toBe(true);
    expect(await f.chain.read(I, batchInboxAbi, 'directSubmitted', [device.address, epochOf(later)])).toBe(false);
    expect(await f.chain.read(I, batchInboxAbi, 'epochSeconds')).toBe(BigInt(EPOCH));
    // Replaying the same batch (one per device and epoch) is refused; another epoch is not.
    await expectRevert(submit(valid), 'EpochAlreadySubmitted', [device.address, epochOf(valid)]);
    await submit(later);
    expect(await f.chain.read(I, batchInboxAbi, 'directSubmitted', [device.address, epochOf(later)])).toBe(true);
  });

  it('accepts the recovery byte as 0/1, as devices send it', async () => {
    await submit({ ...valid, signature: withRawRecoveryByte(valid.signature) });
  });

  it('rejects a tampered proof, a foreign signature, an unregistered device and bad signals', async () => {
    await expectRevert(submit({ ...valid, pA: [valid.pA[0], valid.pA[1] + 1n] }), 'InvalidProof');
    await expectRevert(submit({ ...valid, pC: later.pC }), 'InvalidProof');
    const stranger = newDevice();
    const foreign = await stranger.account.sign({ hash: batchSigningDigest(valid.pubSignals[0]) });
    await expectRevert(submit({ ...valid, signature: foreign }), 'InvalidDeviceSignature', [device.address, stranger.address]);
    await expectRevert(submit({ ...valid, signature: '0x1234' }), 'InvalidDeviceSignature');
    const signals = [...valid.pubSignals] as [bigint, bigint, bigint, bigint];
    await expectRevert(submit({ ...valid, pubSignals: [signals[0], BigInt(stranger.address), signals[2], signals[3]] }), 'DeviceNotRegistered', [stranger.address]);
    await expectRevert(submit({ ...valid, pubSignals: [signals[0], 1n << 160n, signals[2], signals[3]] }), 'DeviceSignalOutOfRange');
    const inFuture = BigInt(Number(await f.chain.now()) + 10_000);
    await expectRevert(submit({ ...valid, pubSignals: [signals[0], signals[1], inFuture - 100n + (inFuture << 64n), signals[3]] }), 'InvalidWindow', [inFuture - 100n, inFuture]);
    await expectRevert(submit(future), 'InvalidWindow');
    // Windows that span two epochs or run backwards are refused before any signature or proof work.
    const s2 = straddling.pubSignals[2];
    await expectRevert(submit(straddling), 'InvalidWindow', [s2 & ((1n << 64n) - 1n), s2 >> 64n]);
    await expectRevert(submit({ ...valid, pubSignals: [signals[0], signals[1], 200n + (100n << 64n), signals[3]] }), 'InvalidWindow', [200n, 100n]);
    // The public signals are bound to the proof: changing the statement breaks it.
    await expectRevert(submit({ ...valid, pubSignals: [signals[0], signals[1], signals[2], signals[3] + 1n] }), 'InvalidProof');
  });

  it('computes the device digest and leaf exactly like src/core/batch', async () => {
    expect(await f.chain.read(I, batchInboxAbi, 'batchDigest', [valid.pubSignals[0]])).toBe(batchSigningDigest(valid.pubSignals[0]));
    expect(await f.chain.read(I, batchInboxAbi, 'leafHash', [valid])).toBe(batchLeaf(valid));
    expect(await f.chain.read(I, batchInboxAbi, 'recoverDevice', [valid.pubSignals[0], valid.signature])).toBe(device.address);
  });
});

describe('BatchInbox: anchoring and challenges', () => {
  it('anchor: operator only, non-empty, once per (module, root); logged with epoch, count, dataHash, uri', async () => {
    const root = keccak256(toHex('root'));
    await expectRevert(anchor(root, 4, anyone), 'NotModuleOperator', [f.moduleId, anyone]);
    await expectRevert(anchor(`0x${'00'.repeat(32)}`), 'EmptyBatch');
    await expectRevert(anchor(root, 0), 'EmptyBatch');
    const receipt = await anchor(root, 1000);
    const [event] = parseEventLogs({ abi: batchInboxAbi, logs: receipt.logs, eventName: 'BatchAnchored' });
    expect(event?.args).toEqual({ merkleRoot: root, moduleId: f.moduleId, epoch: 7n, count: 1000n, dataHash: DATA_HASH, uri: 'ipfs://batch' });
    const now = await f.chain.now();
    expect(await f.chain.read(I, batchInboxAbi, 'batchOf', [f.moduleId, root])).toEqual([7n, 1000n, now, false]);
    expect(await f.chain.read(I, batchInboxAbi, 'batchOf', [f.moduleId + 1n, root])).toEqual([0n, 0n, 0n, false]);
    await expectRevert(anchor(root), 'BatchAlreadyAnchored', [f.moduleId, root]);
  });

  it("anchor needs minModuleWeight restaked in the module: once the module owner's bucket leaves, anchoring stops", async () => {
    expect(await f.chain.read(I, batchInboxAbi, 'minModuleWeight')).toBe(parseEther('1'));
    // The devnet backs module 1 with the deployer's bucket 1: 100 IOTX for 91 days, weight 110 IOTX.
    expect(await f.chain.read(f.c.bucketStrategy, bucketStrategyDevnetAbi, 'moduleWeight', [f.moduleId])).toBe(parseEther('110'));
    await f.chain.write(f.c.bucketStrategy, bucketStrategyDevnetAbi, 'unstake', [[1n]], { from: f.deployer });
    // A bucket in its unstake freeze is still slashable but no longer counts towards the minimum.
    await expectRevert(anchor(keccak256(toHex('after exit'))), 'ModuleUnderstaked', [f.moduleId, 0n, parseEther('1')]);
  });

  it('a valid leaf cannot be challenged; a leaf outside the batch is refused', async () => {
    const leaves = [valid, later];
    const tree = buildMerkleTree(leaves.map(batchLeaf));
    await anchor(tree.root, 2);
    expect(verifyMerkleProof(tree.proof(0), tree.root, batchLeaf(valid))).toBe(true);
    await expectRevert(challenge(tree.root, valid, tree.proof(0)), 'LeafIsValid', [batchLeaf(valid)]);
    await expectRevert(challenge(tree.root, valid, tree.proof(1)), 'LeafNotInBatch');
    const unknown = keccak256(toHex('unknown'));
    await expectRevert(challenge(unknown, valid, []), 'UnknownBatch', [f.moduleId, unknown]);
    // The root is known only under the module that anchored it.
    await expectRevert(challenge(tree.root, valid, tree.proof(0), anyone, f.moduleId + 1n), 'UnknownBatch', [f.moduleId + 1n, tree.root]);
  });

  it('a leaf whose window ends after the anchor, spans two epochs or runs backwards is BadWindow (checked before the signature)', async () => {
    const forgedFuture: DeviceBatchLeaf = { ...future, signature: await newDevice().account.sign({ hash: batchSigningDigest(future.pubSignals[0]) }) };
    const reversed: DeviceBatchLeaf = { ...valid, pubSignals: [valid.pubSignals[0], valid.pubSignals[1], 200n + (100n << 64n), valid.pubSignals[3]] };
    for (const leaf of [future, forgedFuture, straddling, reversed]) {
      const tree = buildMerkleTree([batchLeaf(leaf), batchLeaf(later)]);
      await anchor(tree.root, 2);
      const receipt = await challenge(tree.root, leaf, tree.proof(0));
      const [event] = parseEventLogs({ abi: batchInboxAbi, logs: receipt.logs, eventName: 'BatchChallenged' });
      expect(event?.args.fault).toBe(4);
    }
  });

  it('exposureWindow: batches anchored up to CHALLENGE_WINDOW before a restake, until UNSTAKE_FREEZE_TIME after unstake', async () => {
    expect(await f.chain.read(I, batchInboxAbi, 'exposureWindow')).toEqual([6n * 86_400n, 7n * 86_400n]);
    const artifact = 'contracts/anchoring/BatchInbox.sol:BatchInbox';
    expect(await f.chain.deployRevertName(artifact, [f.c.bucketStrategy, f.verifier, f.c.ioIDRegistry, 0n, 1n])).toBe('ZeroEpochSeconds');
    expect(await f.chain.deployRevertName(artifact, [f.c.bucketStrategy, f.verifier, f.c.ioIDRegistry, 3600n, 0n])).toBeNull();
  });

  it('an anchored leaf with a bad signature slashes the module, once, and the restakers bear it', async () => {
    // A restaker secures the relay's module with a 100 IOTX bucket.
    const restaker = f.chain.accounts[5]!;
    await f.chain.write(f.c.systemStaking, systemStakingDevnetAbi, 'stake', [30n * 86_400n, f.delegates[0]], { from: restaker, value: parseEther('100') });
    // Bucket 1 is the devnet's module stake (110 IOTX of weight); the restaker's is bucket 2.
    await f.chain.write(f.c.systemStaking, systemStakingDevnetAbi, 'approve', [f.c.bucketStrategy, 2n], { from: restaker });
    await f.chain.write(f.c.bucketStrategy, bucketStrategyDevnetAbi, 'stake', [2n, f.moduleId], { from: restaker });

    const forged: DeviceBatchLeaf = { ...later, signature: await newDevice().account.sign({ hash: batchSigningDigest(later.pubSignals[0]) }) };
    const leaves = [valid, forged, later];
    const tree = buildMerkleTree(leaves.map(batchLeaf));
    await anchor(tree.root, 3);
    const receipt = await challenge(tree.root, forged, tree.proof(1));
    const logs = parseEventLogs({ abi: [...batchInboxAbi, ...bucketStrategyDevnetAbi], logs: receipt.logs });
    const challenged = logs.find((e) => e.eventName === 'BatchChallenged');
    expect(challenged?.args).toEqual({ merkleRoot: tree.root, moduleId: f.moduleId, challenger: anyone, leaf: batchLeaf(forged), fault: 2 });
    const weight = parseEther('110') + 100n * 10n ** 18n + (100n * 10n ** 18n * 10n * 30n) / 9100n;
    const slashed = logs.find((e) => e.eventName === 'ModuleSlashed');
    expect(slashed?.args).toEqual({ moduleId: f.moduleId, bps: 500n, weightBefore: weight, weightAfter: (weight * 95n) / 100n });
    expect((await f.chain.read<[bigint, bigint, bigint, boolean]>(I, batchInboxAbi, 'batchOf', [f.moduleId, tree.root]))[3]).toBe(true);
    await expectRevert(challenge(tree.root, forged, tree.proof(1)), 'BatchAlreadySlashed', [tree.root]);

    // The restaker leaves: after the freeze the bucket comes back 5% lighter; the treasury has the rest.
    await f.chain.write(f.c.bucketStrategy, bucketStrategyDevnetAbi, 'unstake', [[2n]], { from: restaker });
    await f.chain.increaseTime(7n * 86_400n);
    const treasuryBefore = await f.chain.balance(f.deployer);
    await f.chain.write(f.c.bucketStrategy, bucketStrategyDevnetAbi, 'withdraw', [[2n], restaker], { from: restaker });
    const { amount } = await f.chain.read<{ amount: bigint }>(f.c.systemStaking, systemStakingDevnetAbi, 'bucketOf', [2n]);
    expect(amount).toBe(parseEther('95'));
    expect((await f.chain.balance(f.deployer)) - treasuryBefore).toBe(parseEther('5'));
    expect(await f.chain.read(f.c.systemStaking, systemStakingDevnetAbi, 'ownerOf', [2n])).toBe(restaker);
  });

  it('an anchored leaf with a broken proof or a mismatched device is slashable too', async () => {
    const broken: DeviceBatchLeaf = { ...valid, pA: [valid.pA[0], valid.pA[1] + 1n] };
    const mismatched: DeviceBatchLeaf = { ...valid, device: newDevice().address };
    for (const [leaf, fault] of [[broken, 3], [mismatched, 1]] as const) {
      const tree = buildMerkleTree([batchLeaf(leaf), batchLeaf(later)]);
      await anchor(tree.root, 2);
      const receipt = await challenge(tree.root, leaf, tree.proof(0));
      const [event] = parseEventLogs({ abi: batchInboxAbi, logs: receipt.logs, eventName: 'BatchChallenged' });
      expect(event?.args.fault).toBe(fault);
    }
    const [, , , , slashCount] = await f.chain.read<[Address, Address, bigint, bigint, bigint]>(f.c.bucketStrategy, bucketStrategyDevnetAbi, 'moduleInfo', [f.moduleId]);
    expect(slashCount).toBe(2n);
  });

  it('challenges close after CHALLENGE_WINDOW (6 days, inside the 7-day restaking freeze)', async () => {
    const forged: DeviceBatchLeaf = { ...valid, signature: withRawRecoveryByte(later.signature) };
    const tree = buildMerkleTree([batchLeaf(forged)]);
    await anchor(tree.root, 1);
    const anchoredAt = await f.chain.now();
    expect(await f.chain.read(I, batchInboxAbi, 'CHALLENGE_WINDOW')).toBe(6n * 86_400n);
    await f.chain.increaseTime(6n * 86_400n + 1n);
    await expectRevert(challenge(tree.root, forged, tree.proof(0)), 'ChallengeWindowClosed', [tree.root, anchoredAt + 6n * 86_400n]);
  });
});
