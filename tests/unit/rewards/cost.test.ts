/** claimCostVerdict's boundaries: loss at cost ≥ amount, costly above a tenth, ok at a tenth or less. */
import { describe, expect, it } from 'vitest';
import { claimCostVerdict } from '../../../src/core/rewards/cost.js';

const level = (gasCostWei: bigint, amountWei: bigint) => claimCostVerdict({ gasCostWei, amountWei }).level;

describe('claimCostVerdict', () => {
  it('loss when the gas costs as much as the claim pays or more', () => {
    expect(level(1000n, 1000n)).toBe('loss');
    expect(level(1001n, 1000n)).toBe('loss');
    expect(level(0n, 0n)).toBe('loss');
  });
  it('costly when the gas is more than a tenth of the amount, ok at a tenth exactly', () => {
    expect(level(999n, 1000n)).toBe('costly');
    expect(level(101n, 1000n)).toBe('costly');
    expect(level(100n, 1000n)).toBe('ok');
    // 1001 ÷ 10 = 100.1: a cost of 100 is under a tenth, 101 over it (no rounding in the rule).
    expect(level(100n, 1001n)).toBe('ok');
    expect(level(101n, 1001n)).toBe('costly');
    expect(level(0n, 1n)).toBe('ok');
  });
  it('the text names both amounts in IOTX', () => {
    expect(claimCostVerdict({ gasCostWei: 20_000_000_000_000_000n, amountWei: 10_000_000_000_000_000n })).toEqual({
      level: 'loss',
      text: 'Gas costs about 0.02 IOTX, as much as or more than the 0.01 IOTX this claim pays: claiming now loses IOTX.',
    });
    expect(claimCostVerdict({ gasCostWei: 2_000_000_000_000_000n, amountWei: 10_000_000_000_000_000n }).text).toBe('Gas costs about 0.002 IOTX, more than a tenth of the 0.01 IOTX this claim pays.');
    expect(claimCostVerdict({ gasCostWei: 1_000_000_000_000_000n, amountWei: 1_000_000_000_000_000_000n }).text).toBe('Gas costs about 0.001 IOTX of the 1 IOTX this claim pays.');
  });
});
