/**
 * Gas of claiming data rewards (DataRewards, issue 17): one device's reward over K epochs, claimed as
 * K separate `claim` transactions or as one `claimMany`. Deployed with the devnet plan on Hardhat's
 * in-process EVM; gas is counted, not timed, so the figures do not depend on the machine.
 */
import { keccak256, parseGwei, toHex, type Address, type Hex, type TransactionReceipt } from 'viem';
import { dataRewardsAbi } from '../src/core/abis/index.js';
import { buildMerkleTree, rewardLeaf } from '../src/core/batch/merkle.js';
import type { BenchRow } from './lib/results.js';
import { deployFixture } from '../tests/contracts/helpers/fixture.js';
import { registerNewDevice } from '../tests/contracts/helpers/ioid.js';

/** Epoch counts measured. */
const KS = [1, 5, 10, 30] as const;
/** Devices per epoch tree: 1,024 leaves, so every proof has 10 siblings (as in bench/gas.bench.ts). */
const DEVICES_PER_EPOCH = 1024;

const gas = (receipt: TransactionReceipt) => Number(receipt.gasUsed);

/** Fixed filler devices (not random keys), so calldata and gas repeat from run to run. */
const filler = (i: number): Address => `0x${keccak256(toHex(`rewards-bench-device-${i}`)).slice(26)}` as Address;

/**
 * For K = 1, 5, 10, 30 epochs of one device: total gas and gas per epoch of K `claim` transactions
 * and of one `claimMany`, and their ratio. Both start from the same chain state (a snapshot), after
 * one warm-up claim so neither pays the first write of the contract's running totals.
 */
export async function measureClaimGas(): Promise<BenchRow[]> {
  const f = await deployFixture();
  const owner = f.chain.accounts[2]!;
  const device = (await registerNewDevice(f, owner)).device.address;
  const D = f.c.dataRewards;
  const write = (fn: string, args: readonly unknown[], from: Address) => f.chain.write(D, dataRewardsAbi, fn, args, { from });

  const fillers = Array.from({ length: DEVICES_PER_EPOCH - 1 }, (_, i) => filler(i));
  // The device sits at a middle leaf; amounts differ per leaf and per epoch.
  const position = 517;
  let nextEpoch = 1n;
  async function postEpoch(): Promise<{ epoch: bigint; amount: bigint; proof: readonly Hex[] }> {
    const epoch = nextEpoch++;
    const devices = [...fillers.slice(0, position), device, ...fillers.slice(position)];
    const amounts = devices.map((_, i) => parseGwei('1') * BigInt(i + 1) + epoch);
    const tree = buildMerkleTree(devices.map((d, i) => rewardLeaf(epoch, d, amounts[i]!)));
    await write('postRewardRoot', [epoch, tree.root, amounts.reduce((a, b) => a + b, 0n)], f.operator);
    return { epoch, amount: amounts[position]!, proof: tree.proof(position) };
  }

  const warmUp = await postEpoch();
  await write('claim', [warmUp.epoch, device, warmUp.amount, warmUp.proof], owner);

  const rows: BenchRow[] = [];
  for (const k of KS) {
    const epochs = [];
    for (let i = 0; i < k; i++) epochs.push(await postEpoch());
    const start = await f.chain.snapshot();
    let single = 0;
    for (const e of epochs) single += gas(await write('claim', [e.epoch, device, e.amount, e.proof], owner));
    await f.chain.revert(start);
    const many = gas(await write('claimMany', [epochs.map((e) => ({ epoch: e.epoch, device, amount: e.amount, proof: e.proof }))], owner));
    const label = `${k} epoch${k === 1 ? '' : 's'} of one device`;
    rows.push(
      { figure: `${label}: ${k} × claim, total`, value: single, unit: 'gas', note: `${k} transaction${k === 1 ? '' : 's'}` },
      { figure: `${label}: claimMany, total`, value: many, unit: 'gas', note: '1 transaction' },
      { figure: `${label}: claim, per epoch`, value: Math.round(single / k), unit: 'gas' },
      { figure: `${label}: claimMany, per epoch`, value: Math.round(many / k), unit: 'gas' },
      { figure: `${label}: claimMany / claims`, value: Math.round((many / single) * 1000) / 10, unit: '%', note: 'gas of one claimMany as a share of K claims' },
    );
  }
  return rows;
}
