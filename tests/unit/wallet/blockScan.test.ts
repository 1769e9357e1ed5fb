/**
 * The devnet's incoming-transfer scan: which block pages a refresh reads (newest first, then back
 * towards genesis, within a budget) and how the remembered range grows, so that no block is read
 * twice. Page bounds are worked out by hand below each call.
 */
import { describe, expect, it } from 'vitest';
import { advanceCursor, blocksLeft, planScan, type ScanCursor } from '../../../src/core/wallet/blockScan.js';

const limits = { pageSize: 50, budget: 2000 };
const h = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as const;

describe('planScan', () => {
  it('starts at the head of a chain never scanned and pages back to genesis', () => {
    // Blocks 0..120: 120-71, 70-21, 20-0.
    expect(planScan(null, 120, limits)).toEqual([
      { from: 71, to: 120 },
      { from: 21, to: 70 },
      { from: 0, to: 20 },
    ]);
  });

  it('reads only the blocks mined since, oldest first', () => {
    // Scanned 0..120, head now 180: 121-170, 171-180.
    expect(planScan({ low: 0, high: 120, highHash: h(120) }, 180, limits)).toEqual([
      { from: 121, to: 170 },
      { from: 171, to: 180 },
    ]);
    expect(planScan({ low: 0, high: 120, highHash: h(120) }, 120, limits)).toEqual([]);
  });

  it('spends what the budget leaves after the new blocks on older ones', () => {
    // 10 new blocks (121-130), then 50 of the older ones (99 down to 50).
    expect(planScan({ low: 100, high: 120, highHash: h(120) }, 130, { pageSize: 50, budget: 60 })).toEqual([
      { from: 121, to: 130 },
      { from: 50, to: 99 },
    ]);
  });

  it('stops inside a page when the budget runs out, keeping the range contiguous', () => {
    // 75 blocks after 10: 11-60, then 61-85.
    expect(planScan({ low: 0, high: 10, highHash: h(10) }, 1000, { pageSize: 50, budget: 75 })).toEqual([
      { from: 11, to: 60 },
      { from: 61, to: 85 },
    ]);
  });
});

describe('advanceCursor and blocksLeft', () => {
  it('grows the range page by page and counts what is left', () => {
    let cursor: ScanCursor | null = null;
    expect(blocksLeft(cursor, 120)).toBe(121);
    cursor = advanceCursor(cursor, { from: 71, to: 120 }, h(120));
    expect(cursor).toEqual({ low: 71, high: 120, highHash: h(120) });
    expect(blocksLeft(cursor, 120)).toBe(71);
    cursor = advanceCursor(cursor, { from: 21, to: 70 }, h(70));
    // Going back does not move the top, nor its hash.
    expect(cursor).toEqual({ low: 21, high: 120, highHash: h(120) });
    expect(blocksLeft(cursor, 130)).toBe(21 + 10);
    cursor = advanceCursor(cursor, { from: 0, to: 20 }, h(20));
    cursor = advanceCursor(cursor, { from: 121, to: 170 }, h(170));
    expect(cursor).toEqual({ low: 0, high: 170, highHash: h(170) });
    expect(blocksLeft(cursor, 170)).toBe(0);
  });

  it('refuses a page that leaves a gap', () => {
    expect(() => advanceCursor({ low: 50, high: 100, highHash: null }, { from: 102, to: 110 }, null)).toThrow(/does not adjoin/);
  });
});
