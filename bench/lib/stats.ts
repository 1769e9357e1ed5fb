import { loadavg } from 'node:os';

/** The middle value; for an even count, the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The p-th percentile of values already sorted ascending (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** ms per call of `work`, timed over `calls` calls. */
export function timed(calls: number, work: () => void): number {
  const started = performance.now();
  work();
  return (performance.now() - started) / calls;
}

/** The 1-minute load average, for the figures' "was the machine quiet" line. */
export function load1(): number {
  return Number(loadavg()[0]!.toFixed(2));
}
