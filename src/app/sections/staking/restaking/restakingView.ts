import { formatDateTime } from '../../../../core/humanTime.js';
import type { RewardRateEstimate } from '../../../../core/staking/restakingReads.js';

/** "6 d 23 h 59 min 59 s" until a chain time; "now" once it is reached. Seconds shown: the clock ticks every second. */
export function formatCountdown(seconds: bigint): string {
  if (seconds <= 0n) return 'now';
  const days = seconds / 86_400n;
  const hours = (seconds % 86_400n) / 3_600n;
  const minutes = (seconds % 3_600n) / 60n;
  const rest = seconds % 60n;
  const parts = [days > 0n ? `${days} d` : '', days > 0n || hours > 0n ? `${hours} h` : '', `${minutes} min`, `${rest} s`];
  return parts.filter(Boolean).join(' ');
}

/** A chain time (unix seconds) as a local date and time. */
export const chainDate = (seconds: bigint): string => formatDateTime(Number(seconds) * 1000) ?? `${seconds}`;

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
