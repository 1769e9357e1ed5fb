import type { Address } from 'viem';

/**
 * The data-reward rule (docs/relay.md#rewards). For a closed epoch with pool R (wei):
 *
 *   quality(b) = changes / (count − 1)          share of neighbouring readings that differ, in (0, 1]
 *   weight(d)  = Σ over d's anchored batches b in the epoch of  count(b) · quality(b)
 *              (in micro-units: floor(count · changes · 10^6 / (count − 1)))
 *   amount(d)  = floor(R · weight(d) / Σ weight)
 *
 * Σ weight runs over every device of the epoch, including those whose floored amount is 0 (they get
 * no leaf). The relay serves weight(d), Σ weight and R with each reward (figures), so the app can
 * check amount(d) = floor(R · weight(d) / Σ weight) against what the posted root pays.
 *
 * Both count and changes come from the proof's public statement, so the relay cannot inflate
 * them. Rounding dust (< one wei per device) stays in the DataRewards pool. A device has at most
 * one batch per epoch, so today the sum has one term. Leaves: rewardLeaf in src/core/batch/merkle.ts
 * (DataRewards.rewardLeaf); DataRewards pays the device's ioID owner at claim time.
 */
export type EpochBatch = { device: Address; readings: number; changes: number };
type RewardLeaf = { device: Address; weight: bigint; amount: bigint };
/** An epoch's leaves (amount > 0) and Σ weight over all its devices, the denominator of every amount. */
type EpochRewards = { leaves: RewardLeaf[]; epochWeight: bigint };

function batchWeight({ readings, changes }: { readings: number; changes: number }): bigint {
  if (readings < 2 || changes < 1) return 0n;
  return (BigInt(readings) * BigInt(Math.min(changes, readings - 1)) * 1_000_000n) / BigInt(readings - 1);
}

export function computeEpochRewards(batches: readonly EpochBatch[], pool: bigint): EpochRewards {
  const weights = new Map<string, { device: Address; weight: bigint }>();
  for (const batch of batches) {
    const key = batch.device.toLowerCase();
    const entry = weights.get(key) ?? { device: batch.device, weight: 0n };
    entry.weight += batchWeight(batch);
    weights.set(key, entry);
  }
  const total = [...weights.values()].reduce((sum, entry) => sum + entry.weight, 0n);
  if (total === 0n) return { leaves: [], epochWeight: 0n };
  const leaves = [...weights.values()]
    .sort((a, b) => a.device.toLowerCase().localeCompare(b.device.toLowerCase()))
    .map(({ device, weight }) => ({ device, weight, amount: (pool * weight) / total }))
    .filter((leaf) => leaf.amount > 0n);
  return { leaves, epochWeight: total };
}
