/** What proving costs on this device (src/core/zk/provingBudget.ts): the low-memory rule, the estimate, the line on screen. */
import { describe, expect, it } from 'vitest';
import { describeProvingCost, estimateProving, provingBudget, recordTiming } from '../../../src/core/zk/provingBudget.js';

describe('proving budget', () => {
  it('proves one batch at a time at 2 GB or less, two otherwise, and when the browser does not say', () => {
    expect(provingBudget({ hardwareConcurrency: 8, deviceMemory: 2 })).toEqual({ proofsAtOnce: 1, lowMemory: true, cores: 8, memoryGb: 2 });
    expect(provingBudget({ hardwareConcurrency: 4, deviceMemory: 0.5 }).proofsAtOnce).toBe(1);
    expect(provingBudget({ hardwareConcurrency: 4, deviceMemory: 4 }).proofsAtOnce).toBe(2);
    // Safari and Firefox have no deviceMemory: nothing is known, so nothing is held back.
    expect(provingBudget({ hardwareConcurrency: 4 })).toEqual({ proofsAtOnce: 2, lowMemory: false, cores: 4, memoryGb: null });
    expect(provingBudget({ hardwareConcurrency: 0, deviceMemory: Number.NaN })).toEqual({ proofsAtOnce: 2, lowMemory: false, cores: null, memoryGb: null });
  });

  it('estimates from the median of the last five proofs, and has no estimate before the first', () => {
    expect(estimateProving([])).toBeNull();
    expect(estimateProving([1200])).toEqual({ ms: 1200, basedOn: 1 });
    expect(estimateProving([9000, 1000, 3000, 2000])).toEqual({ ms: 2500, basedOn: 4 });
    // Only the last five count: an old slow proof (the first, which compiled everything) drops out.
    expect(estimateProving([60000, 5000, 1000, 4000, 2000, 3000])).toEqual({ ms: 3000, basedOn: 5 });
    expect(estimateProving([-1, Number.NaN, 0, 1500])).toEqual({ ms: 1500, basedOn: 1 });
  });

  it('keeps the last ten timings, rounded', () => {
    let timings: number[] = [];
    for (let i = 1; i <= 12; i++) timings = recordTiming(timings, i * 100.4);
    expect(timings).toEqual([301, 402, 502, 602, 703, 803, 904, 1004, 1104, 1205]);
  });

  it('says how long it will take here, on what, and when batches wait their turn', () => {
    expect(describeProvingCost({ ms: 1234, basedOn: 3 }, provingBudget({ hardwareConcurrency: 8, deviceMemory: 8 }))).toBe('About 1.2 s on this device (8 cores, 8 GB), from its last 3 proofs.');
    expect(describeProvingCost({ ms: 6500, basedOn: 1 }, provingBudget({ hardwareConcurrency: 4, deviceMemory: 1 }))).toBe(
      'About 6.5 s on this device (4 cores, 1 GB), from its last proof. Low memory: batches are proved one at a time.',
    );
    expect(describeProvingCost(null, provingBudget({}))).toMatch(/^No proof made on this device yet: the first one also downloads the proving files \(13 MB\) once/);
  });
});
