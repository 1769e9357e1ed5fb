/**
 * Rewards (issue 17): figures for claiming data rewards. Writes bench/results/rewards.md and .json.
 * Each section is one `rows.push(...await measureX())`.
 */
import { loadavg } from 'node:os';
import { writeBenchResults, type BenchRow } from './lib/results.js';
import { measureClaimGas } from './rewardsGas.js';
import { measureRewardsScreen } from './rewardsScreen.js';

export async function run(): Promise<void> {
  const rows: BenchRow[] = [];
  rows.push(...(await measureClaimGas()));
  rows.push(...(await measureRewardsScreen()));

  writeBenchResults({
    area: 'rewards',
    title: 'Rewards',
    rows,
    notes: [
      `Claim gas (bench/rewardsGas.ts): receipt gasUsed (including the 21,000 base cost and calldata) on Hardhat 2.29 EDR, cancun, solc 0.8.28 (optimizer, 200 runs), contracts deployed by the devnet plan. Gas is counted, not timed: one run stands (1-minute load average during this run: ${loadavg()[0]!.toFixed(2)}). The claiming device is a fresh random key, so calldata zero bytes can move a figure by a few tens of gas between runs.`,
      'Rewards screen (bench/rewardsScreen.ts): readRewardsOverview, what the screen waits for before it shows anything, for 100 devices × 30 posted epochs on a Hardhat devnet; the relay side is a local HTTP server with the relay’s wire shape (seeding 3,000 proven batches through the real relay would take hours of proving). Cold = a fresh client; warm = the same client again. Nothing is cached between reads (every figure is read from the chain again, by design), so warm is not faster: both are the 100 relay requests (8 at a time), two multicalls and 3,000 Merkle proofs checked against the on-chain roots. Rendering is not timed.',
      'Claim gas: every epoch has 1,024 devices (10-sibling proofs); the same device is claimed in each. K claims and one claimMany start from the same chain snapshot, after one warm-up claim (so neither pays the first write of the running totals). Every claim checks the ioID owner through the registry.',
    ],
  });
}
