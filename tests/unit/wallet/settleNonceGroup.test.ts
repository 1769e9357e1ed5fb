/**
 * Settling a nonce's transactions (src/browser/wallet/receipts.ts settleNonceGroup) while the block
 * that uses the nonce lands in the middle of the reads. The node here is a stand-in whose one block
 * (mining our cancel) is mined right after its k-th answer, for every k; the records go to a real
 * IndexedDB implementation (fake-indexeddb). Whatever k is, the answer must be "not yet" (null) or
 * the truth (the cancel won, the original was replaced by it), never "both replaced by a
 * transaction the app does not know": that answer is final, and it left a mined cancel showing as
 * replaced in the wallet-history e2e on CI.
 */
import 'fake-indexeddb/auto';
import { TransactionReceiptNotFoundError, type Hash, type PublicClient } from 'viem';
import { describe, expect, it } from 'vitest';
import { settleNonceGroup } from '../../../src/browser/wallet/receipts.js';
import type { TxRecord } from '../../../src/browser/wallet/store.js';

const FROM = '0x1111111111111111111111111111111111111111';
const ORIGINAL = `0x${'aa'.repeat(32)}` as Hash;
const CANCEL = `0x${'cc'.repeat(32)}` as Hash;
const NONCE = 7;

const original: TxRecord = { hash: ORIGINAL, chainId: 31337, from: FROM, to: '0x2222222222222222222222222222222222222222', value: '3000000000000000000', nonce: NONCE, label: 'Send', status: 'pending', createdAt: 1_000 };
const cancel: TxRecord = { ...original, hash: CANCEL, to: FROM, value: '0', label: 'Cancel', createdAt: 2_000, replaces: ORIGINAL, replacement: 'cancel' };

/** A node whose block with the cancel is mined right after its `mineAfter`-th answer (0: before the first read). */
function nodeMiningAfter(mineAfter: number): { client: PublicClient; answers: () => number } {
  let answered = 0;
  let mined = mineAfter === 0;
  const answer = <T>(value: () => T): Promise<T> =>
    Promise.resolve().then(() => {
      try {
        return value();
      } finally {
        answered += 1;
        if (answered === mineAfter) mined = true;
      }
    });
  const client = {
    getTransactionCount: () => answer(() => (mined ? NONCE + 1 : NONCE)),
    getTransactionReceipt: ({ hash }: { hash: Hash }) =>
      answer(() => {
        if (mined && hash === CANCEL) return { status: 'success', blockNumber: 12n, gasUsed: 21_000n, effectiveGasPrice: 2n };
        throw new TransactionReceiptNotFoundError({ hash });
      }),
    getBlock: () => answer(() => ({ timestamp: 1_700_000_000n })),
  } as unknown as PublicClient;
  return { client, answers: () => answered };
}

describe('settleNonceGroup while the block lands', () => {
  it('answers "not yet" or the truth, whichever read the block lands after, never "replaced by an unknown transaction"', async () => {
    // Reads: the count and two receipts (then the block's time once settled): the block may land after any of them.
    for (let mineAfter = 0; mineAfter <= 4; mineAfter++) {
      const { client } = nodeMiningAfter(mineAfter);
      const settled = await settleNonceGroup(client, [original, cancel]);
      if (settled === null) {
        // Not yet: the next look (the follower polls) sees the block.
        const again = await settleNonceGroup(client, [original, cancel]);
        expect(again, `block after answer ${mineAfter}, second look`).not.toBeNull();
        expect(again!.map((tx) => [tx.hash, tx.status, tx.replacedBy])).toEqual([[ORIGINAL, 'replaced', CANCEL], [CANCEL, 'confirmed', undefined]]);
        continue;
      }
      expect(settled.map((tx) => [tx.hash, tx.status, tx.replacedBy]), `block after answer ${mineAfter}`).toEqual([
        [ORIGINAL, 'replaced', CANCEL],
        [CANCEL, 'confirmed', undefined],
      ]);
      expect(settled[1]!.fee).toBe((21_000n * 2n).toString());
    }
  });

  it('with the nonce used by a transaction it does not know, says both were replaced by an unknown one', async () => {
    const client = {
      getTransactionCount: () => Promise.resolve(NONCE + 1),
      getTransactionReceipt: ({ hash }: { hash: Hash }) => Promise.reject(new TransactionReceiptNotFoundError({ hash })),
    } as unknown as PublicClient;
    const settled = await settleNonceGroup(client, [original, cancel]);
    expect(settled!.map((tx) => [tx.hash, tx.status, tx.replacedBy])).toEqual([[ORIGINAL, 'replaced', undefined], [CANCEL, 'replaced', undefined]]);
  });
});
