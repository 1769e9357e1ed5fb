/**
 * Speed up and cancel: the replacement's fees (+10% on both caps, rounded up, at least one wei, or
 * the network's price if higher) and who won a nonce. Expected values are worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { replacementFees, settleNonce } from '../../../src/core/wallet/replacement.js';

const gwei = (n: number) => BigInt(Math.round(n * 1e9));

describe('replacementFees', () => {
  it('adds 10% to both caps when the network price has not risen', () => {
    expect(replacementFees({ maxFeePerGas: gwei(2), maxPriorityFeePerGas: gwei(1) }, { maxFeePerGas: gwei(1.5), maxPriorityFeePerGas: gwei(1) })).toEqual({
      maxFeePerGas: gwei(2.2),
      maxPriorityFeePerGas: gwei(1.1),
    });
  });

  it('rounds the 10% up, so the node never sees 9.99%', () => {
    // 1 000 000 001 × 1.1 = 1 100 000 001.1 → 1 100 000 002; 15 × 1.1 = 16.5 → 17.
    expect(replacementFees({ maxFeePerGas: 1_000_000_001n, maxPriorityFeePerGas: 15n }, { maxFeePerGas: 1n, maxPriorityFeePerGas: 1n })).toEqual({
      maxFeePerGas: 1_100_000_002n,
      maxPriorityFeePerGas: 17n,
    });
  });

  it('raises a zero tip by one wei (10% of nothing is nothing)', () => {
    expect(replacementFees({ maxFeePerGas: 10n, maxPriorityFeePerGas: 0n }, { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n })).toEqual({ maxFeePerGas: 11n, maxPriorityFeePerGas: 1n });
  });

  it("takes the network's price when it is higher, and never a cap below the tip", () => {
    expect(replacementFees({ maxFeePerGas: gwei(1), maxPriorityFeePerGas: gwei(1) }, { maxFeePerGas: gwei(5), maxPriorityFeePerGas: gwei(2) })).toEqual({
      maxFeePerGas: gwei(5),
      maxPriorityFeePerGas: gwei(2),
    });
    expect(replacementFees({ maxFeePerGas: 100n, maxPriorityFeePerGas: 50n }, { maxFeePerGas: 0n, maxPriorityFeePerGas: 200n })).toEqual({ maxFeePerGas: 200n, maxPriorityFeePerGas: 200n });
  });
});

describe('settleNonce', () => {
  const original = { hash: '0xaa', createdAt: 1_000 };
  const speedUp = { hash: '0xbb', createdAt: 2_000 };

  it('marks the original replaced when the replacement is mined', () => {
    expect(settleNonce([original, speedUp], '0xbb', true)).toEqual([
      { hash: '0xaa', outcome: 'replaced', replacedBy: '0xbb' },
      { hash: '0xbb', outcome: 'won' },
    ]);
  });

  it('marks the replacement too late when the original is mined first', () => {
    expect(settleNonce([original, speedUp], '0xaa', true)).toEqual([
      { hash: '0xaa', outcome: 'won' },
      { hash: '0xbb', outcome: 'too-late' },
    ]);
  });

  it('waits while the nonce is unused, and blames an unknown transaction when another wallet used it', () => {
    expect(settleNonce([original, speedUp], null, false)).toBeNull();
    expect(settleNonce([original, speedUp], '0xcc', true)).toEqual([
      { hash: '0xaa', outcome: 'replaced', replacedBy: null },
      { hash: '0xbb', outcome: 'replaced', replacedBy: null },
    ]);
  });
});
