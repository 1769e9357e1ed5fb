/**
 * Gas of Outpost's contracts on Hardhat's EVM (in-process EDR, the same engine as `hardhat node`),
 * deployed with the devnet plan, compared with IoTeX's own contracts (figures from
 * ../shared/spec/iotex-interfaces.md). Writes bench/results/gas.md and gas.json.
 */
import { keccak256, parseEther, parseEventLogs, toHex, type Address, type TransactionReceipt } from 'viem';
import {
  batchInboxAbi,
  bucketStrategyAbi,
  dataRewardsAbi,
  deviceNFTAbi,
  ioIDRegistryAbi,
  ioIDStoreAbi,
  projectRegistryAbi,
  strategyManagerAbi,
  systemStakingAbi,
} from '../src/core/abis/index.js';
import { batchLeaf, buildMerkleTree, rewardLeaf } from '../src/core/batch/merkle.js';
import { writeBenchResults, type BenchRow } from './lib/results.js';
import { provenBatch } from '../tests/contracts/helpers/batch.js';
import { newDevice, signPermit } from '../tests/contracts/helpers/device.js';
import { deployFixture, type Fixture } from '../tests/contracts/helpers/fixture.js';

const DAY = 86_400n;
const READINGS_PER_ANCHOR = 1000;

function iotex(figure: number, label: string): string {
  return `IoTeX ${label}: ${figure.toLocaleString('en-US')}`;
}
const gas = (receipt: TransactionReceipt) => Number(receipt.gasUsed);
function vs(ours: number, theirs: number): string {
  const pct = ((ours - theirs) / theirs) * 100;
  return `${pct <= 0 ? '' : '+'}${pct.toFixed(0)}%`;
}

async function registerDevice(f: Fixture, owner: Address): Promise<{ receipt: TransactionReceipt; device: ReturnType<typeof newDevice> }> {
  const device = newDevice();
  await f.chain.write(f.deviceNFT, deviceNFTAbi, 'mint', [owner]);
  const tokenId = await f.chain.read<bigint>(f.deviceNFT, deviceNFTAbi, 'count');
  await f.chain.write(f.deviceNFT, deviceNFTAbi, 'approve', [f.c.ioIDRegistry, tokenId], { from: owner });
  const { v, r, s } = await signPermit(device, f.c.ioIDRegistry, owner, 0n);
  const receipt = await f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'register', [f.deviceNFT, tokenId, device.address, keccak256(toHex('doc')), 'ipfs://bafy-did-document', v, r, s], { from: owner });
  return { receipt, device };
}

export async function run(): Promise<void> {
  const f = await deployFixture({ verifier: 'real' });
  const [owner, staker, other] = [f.chain.accounts[2]!, f.chain.accounts[3]!, f.chain.accounts[4]!];
  const rows: BenchRow[] = [];
  const row = (figure: string, value: number, note = '') => rows.push({ figure, value, unit: 'gas', note });

  // ── ioID ──
  const first = await registerDevice(f, owner);
  const warm = await registerDevice(f, owner);
  row('ioIDRegistry.register, first ever', gas(first.receipt), `${iotex(615_050, 'first ever')} (${vs(gas(first.receipt), 615_050)})`);
  row('ioIDRegistry.register, warm', gas(warm.receipt), `${iotex(572_150, 'warm')} (${vs(gas(warm.receipt), 572_150)}); includes ERC-6551 account creation and the device NFT transfer`);
  await f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', ['bench-a', 0], { from: other });
  const project = await f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', ['bench-b', 0], { from: other });
  row('ProjectRegistry.register, later projects', gas(project), `${iotex(141_742, '')} (${vs(gas(project), 141_742)})`);
  await f.chain.write(f.c.ioIDStore, ioIDStoreAbi, 'applyIoIDs', [f.projectId, 10n], { value: parseEther('10') });
  const apply = await f.chain.write(f.c.ioIDStore, ioIDStoreAbi, 'applyIoIDs', [f.projectId, 10n], { value: parseEther('10') });
  row('ioIDStore.applyIoIDs(10), again', gas(apply), `${iotex(61_971, '')} (${vs(gas(apply), 61_971)})`);

  // ── staking ── (IoTeX's figures: SystemStaking3, V3 as deployed, measured beside ours; ../shared/spec/iotex-abi-diff.md)
  const S = f.c.systemStaking;
  const st = (fn: string, args: readonly unknown[], value?: bigint) => f.chain.write(S, systemStakingAbi, fn, args, { from: staker, ...(value ? { value } : {}) });
  const idOf = (receipt: TransactionReceipt) => parseEventLogs({ abi: systemStakingAbi, logs: receipt.logs, eventName: 'Staked' })[0]!.args.id;
  await st('stake', [10n * DAY, f.delegates[0]], parseEther('100'));
  const stake = await st('stake', [10n * DAY, f.delegates[0]], parseEther('100'));
  const id = idOf(stake);
  row('SystemStaking.stake(duration, delegate), staker already holding buckets', gas(stake), `${iotex(172_609, 'V3')} (${vs(gas(stake), 172_609)}; goal ≤ 70%)`);
  const unlock = await st('unlock', [id]);
  row('SystemStaking.unlock', gas(unlock), `${iotex(34_500, 'V3')} (${vs(gas(unlock), 34_500)})`);
  const lock = await st('lock', [id, 10n * DAY]);
  row('SystemStaking.lock', gas(lock), `${iotex(37_592, 'V3')} (${vs(gas(lock), 37_592)})`);
  const expand = await st('expandBucket', [id, 12n * DAY], parseEther('1'));
  row('SystemStaking.expandBucket', gas(expand), `${iotex(40_708, 'V3')} (${vs(gas(expand), 40_708)})`);
  const change = await st('changeDelegate', [id, f.delegates[1]]);
  row('SystemStaking.changeDelegate', gas(change), `${iotex(35_414, 'V3')} (${vs(gas(change), 35_414)})`);
  const m1 = idOf(await st('stake', [10n * DAY, f.delegates[0]], parseEther('5')));
  const m2 = idOf(await st('stake', [10n * DAY, f.delegates[0]], parseEther('5')));
  const merge = await st('merge', [[m1, m2], 20n * DAY]);
  row('SystemStaking.merge (2 buckets)', gas(merge), `${iotex(63_858, 'V3')} (${vs(gas(merge), 63_858)})`);
  const id2 = idOf(await st('stake', [10n * DAY, f.delegates[0]], parseEther('100')));
  await st('unlock', [id]);
  await st('unlock', [id2]);
  await f.chain.increaseTime(12n * DAY);
  const unstake = await st('unstake', [id]);
  row('SystemStaking.unstake', gas(unstake), `${iotex(41_884, 'V3')} (${vs(gas(unstake), 41_884)})`);
  await st('unstake', [id2]);
  await f.chain.increaseTime(3n * DAY);
  const withdraw = await st('withdraw', [id, staker]);
  row('SystemStaking.withdraw (to self)', gas(withdraw), `${iotex(49_944, 'V3')} (${vs(gas(withdraw), 49_944)})`);
  const withdrawOther = await st('withdraw', [id2, other]);
  row('SystemStaking.withdraw (to another account)', gas(withdrawOther), `${iotex(52_444, 'V3')} (${vs(gas(withdrawOther), 52_444)})`);

  // ── restaking ──
  const B = f.c.bucketStrategy;
  const newBucket = async () => {
    const bucket = idOf(await st('stake', [30n * DAY, f.delegates[0]], parseEther('100')));
    await st('approve', [B, bucket]);
    return bucket;
  };
  const r1 = await newBucket();
  await f.chain.write(B, bucketStrategyAbi, 'stake', [r1, f.moduleId], { from: staker });
  const r2 = await newBucket();
  const restake = await f.chain.write(B, bucketStrategyAbi, 'stake', [r2, f.moduleId], { from: staker });
  row('BucketStrategy.stake (restake into a module), existing restaker', gas(restake), `${iotex(222_216, 'MSP')} (${vs(gas(restake), 222_216)})`);
  // Rewards through IoTeX's path: StrategyManager.distributeRewards(IOTX = address(1), amount), then claimReward().
  const IOTX = '0x0000000000000000000000000000000000000001';
  const firstDistribution = await f.chain.write(f.c.strategyManager, strategyManagerAbi, 'distributeRewards', [IOTX, parseEther('10')], { from: other, value: parseEther('10') });
  row('StrategyManager.distributeRewards (IOTX), first reward distribution', gas(firstDistribution), `${iotex(78_264, 'MSP')} (${vs(gas(firstDistribution), 78_264)})`);
  const firstClaim = await f.chain.write(B, bucketStrategyAbi, 'claimReward', [], { from: staker });
  row('BucketStrategy.claimReward(), first claim', gas(firstClaim), `${iotex(50_845, 'MSP')} (${vs(gas(firstClaim), 50_845)})`);
  await f.chain.write(f.c.strategyManager, strategyManagerAbi, 'distributeRewards', [IOTX, parseEther('10')], { from: other, value: parseEther('10') });
  const claim = await f.chain.write(B, bucketStrategyAbi, 'claimReward', [], { from: staker });
  row('BucketStrategy.claimReward(), later claim', gas(claim), `${iotex(50_845, 'MSP')} (${vs(gas(claim), 50_845)})`);
  const distribute = await f.chain.write(f.c.strategyManager, strategyManagerAbi, 'distributeRewards', [IOTX, parseEther('10')], { from: other, value: parseEther('10') });
  row('StrategyManager.distributeRewards (IOTX), later (any number of restakers)', gas(distribute), 'O(1) per strategy: per-amount accounting');
  const unrestake = await f.chain.write(B, bucketStrategyAbi, 'unstake', [[r2]], { from: staker });
  row('BucketStrategy.unstake (1 bucket)', gas(unrestake), `${iotex(179_288, 'MSP')} (${vs(gas(unrestake), 179_288)})`);
  await f.chain.increaseTime(7n * DAY);
  const unwithdraw = await f.chain.write(B, bucketStrategyAbi, 'withdraw', [[r2], staker], { from: staker });
  row('BucketStrategy.withdraw (1 bucket)', gas(unwithdraw), `${iotex(62_584, 'MSP')} (${vs(gas(unwithdraw), 62_584)})`);

  // ── anchoring ──
  const I = f.c.batchInbox;
  const anchorRoot = keccak256(toHex('bench-root-1'));
  await f.chain.write(I, batchInboxAbi, 'anchor', [f.moduleId, 1n, keccak256(toHex('warm-up')), READINGS_PER_ANCHOR, keccak256(toHex('file0')), 'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi'], { from: f.operator });
  const anchor = await f.chain.write(I, batchInboxAbi, 'anchor', [f.moduleId, 2n, anchorRoot, READINGS_PER_ANCHOR, keccak256(toHex('file')), 'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi'], { from: f.operator });
  row('BatchInbox.anchor (one Merkle root)', gas(anchor), 'no IoTeX equivalent; 59-character IPFS URI in the event');
  rows.push({ figure: `gas per reading at ${READINGS_PER_ANCHOR.toLocaleString('en-US')} readings per anchored batch`, value: gas(anchor) / READINGS_PER_ANCHOR, unit: 'gas', note: 'target < 100' });

  const device = first.device;
  const now = Number(await f.chain.now());
  // Inside one epoch of BatchInbox.epochSeconds (3600): a direct batch may not span two.
  const leaf = await provenBatch(device, Math.floor(now / 3600) * 3600 - 7200);
  const submit = await f.chain.write(I, batchInboxAbi, 'submitBatch', [leaf.signature, leaf.pA, leaf.pB, leaf.pC, leaf.pubSignals], { from: owner });
  row('BatchInbox.submitBatch (direct, real Groth16 proof + device signature)', gas(submit), 'real snarkjs verifier (contracts/zk/Groth16Verifier.sol), 4 public signals');

  // A challenge against a 1,024-leaf batch (10 proof siblings) whose leaf carries a forged signature.
  const forged = { ...leaf, signature: await newDevice().account.sign({ hash: keccak256(toHex('not the digest')) }) };
  const filler = Array.from({ length: 1023 }, (_, i) => keccak256(toHex(`leaf-${i}`)));
  const tree = buildMerkleTree([batchLeaf(forged), ...filler]);
  await f.chain.write(I, batchInboxAbi, 'anchor', [f.moduleId, 3n, tree.root, 1024, keccak256(toHex('f3')), 'ipfs://x'], { from: f.operator });
  const challenge = await f.chain.write(I, batchInboxAbi, 'challenge', [f.moduleId, tree.root, forged, tree.proof(0)], { from: other });
  row('BatchInbox.challenge (1,024-leaf batch, bad signature, slashes the module)', gas(challenge), 'signature fault: no pairing check needed');

  // ── data rewards ──
  const D = f.c.dataRewards;
  const devices = [device.address, warm.device.address, ...Array.from({ length: 1022 }, () => newDevice().address)];
  const amounts = devices.map((_, i) => parseEther('0.001') * BigInt(i + 1));
  const rewardTree = buildMerkleTree(devices.map((d, i) => rewardLeaf(1n, d, amounts[i]!)));
  const total = amounts.reduce((a, b) => a + b, 0n);
  const post = await f.chain.write(D, dataRewardsAbi, 'postRewardRoot', [1n, rewardTree.root, total], { from: f.operator });
  row('DataRewards.postRewardRoot (1,024 devices)', gas(post), '');
  await f.chain.write(D, dataRewardsAbi, 'claim', [1n, devices[0], amounts[0], rewardTree.proof(0)], { from: owner });
  const rewardClaim = await f.chain.write(D, dataRewardsAbi, 'claim', [1n, devices[1], amounts[1], rewardTree.proof(1)], { from: owner });
  row('DataRewards.claim (1,024-device epoch, 10-sibling proof)', gas(rewardClaim), 'warm claimer; includes the ioID ownership check');

  writeBenchResults({
    area: 'gas',
    title: 'Contract gas (Outpost vs IoTeX)',
    rows,
    notes: [
      'Gas used per transaction (receipt gasUsed, including the 21,000 base cost and calldata) on Hardhat 2.29 EDR, cancun, solc 0.8.28 (optimizer, 200 runs).',
      "IoTeX's figures are from ../shared/spec/iotex-interfaces.md (their contracts built from their sources with their settings, on a local Hardhat chain); percentages are ours relative to theirs.",
      'Contracts are deployed by the devnet plan (scripts/deploy/devnet.ts); "warm" means not the first call of its kind.',
      `Anchoring: one anchor stores one storage slot per batch; its cost does not depend on the number of readings, so per-reading gas is anchor gas / ${READINGS_PER_ANCHOR}.`,
      'Direct submission is measured with the real generated Groth16 verifier (contracts/zk/Groth16Verifier.sol, DEV-ONLY ceremony) and a real proof over 8 readings.',
    ],
  });
}
