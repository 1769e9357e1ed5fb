import { chainDate } from '../bucketText.js';
import type { RewardRateEstimate } from '../../../../core/staking/restakingReads.js';

/** A yearly rate as a percentage with up to two decimals ("7.25 %"); below 0.01 % it says so. */
export function formatRate(rate: number): string {
  if (rate === 0) return '0 %';
  if (rate < 0.0001) return 'under 0.01 %';
  return `${(rate * 100).toLocaleString('en', { maximumFractionDigits: 2 })} %`;
}

/** How long the estimate's window is, in words: "the last 2 days 3 hours (blocks 10–17,290)". */
export function describeWindow(estimate: RewardRateEstimate): string {
  const hours = Number(estimate.windowSeconds / 3_600n);
  const span = hours >= 48 ? `${Math.floor(hours / 24)} days` : hours >= 1 ? `${hours} hours` : `${estimate.windowSeconds} seconds`;
  return `the last ${span} (blocks ${estimate.fromBlock.toLocaleString('en')}–${estimate.toBlock.toLocaleString('en')}, ${chainDate(estimate.fromTime)} to ${chainDate(estimate.toTime)})`;
}
