import type { Address, Hash, PublicClient } from 'viem';

/**
 * Finding incoming IOTX on a chain with no indexer (the devnet): a plain value transfer leaves no
 * log, so the only way to see it is to read blocks with their transactions. The scanned blocks are
 * one contiguous range [low, high], remembered per network and account, so no block is read twice:
 * each refresh first reads the blocks mined since `high`, then goes on back towards genesis, both
 * in pages and within a budget of blocks per refresh.
 * Transfers made inside a contract call (internal transactions) are not transactions and are not
 * seen this way; only a tracing node or an indexer would show them.
 */
export type ScanCursor = {
  low: number;
  high: number;
  /** The hash of block `high` when it was read: a different hash now means the chain was reset. */
  highHash: Hash | null;
};

export type BlockRange = { from: number; to: number };

export type ScanLimits = { pageSize: number; budget: number };

export const DEFAULT_SCAN_LIMITS: ScanLimits = { pageSize: 50, budget: 2000 };

/** The pages to read now, newest blocks first (up to `head`), then older ones; at most `budget` blocks. */
export function planScan(cursor: ScanCursor | null, head: number, { pageSize, budget }: ScanLimits): BlockRange[] {
  const pages: BlockRange[] = [];
  let left = budget;
  // Nothing scanned yet: start at the head and work backwards.
  const low = cursor ? cursor.low : head + 1;
  const high = cursor ? cursor.high : head;
  // Forward, oldest first, so the range stays contiguous even when the budget runs out.
  for (let from = high + 1; from <= head && left > 0; ) {
    const to = Math.min(head, from + pageSize - 1, from + left - 1);
    pages.push({ from, to });
    left -= to - from + 1;
    from = to + 1;
  }
  for (let to = low - 1; to >= 0 && left > 0; ) {
    const from = Math.max(0, to - pageSize + 1, to - left + 1);
    pages.push({ from, to });
    left -= to - from + 1;
    to = from - 1;
  }
  return pages;
}

/** The cursor once `page` has been read; a page that does not touch the range is a bug. */
export function advanceCursor(cursor: ScanCursor | null, page: BlockRange, pageToHash: Hash | null): ScanCursor {
  if (!cursor || cursor.low > cursor.high) return { low: page.from, high: page.to, highHash: pageToHash };
  if (page.from === cursor.high + 1) return { ...cursor, high: page.to, highHash: pageToHash };
  if (page.to === cursor.low - 1) return { ...cursor, low: page.from };
  throw new Error(`block page ${page.from}-${page.to} does not adjoin the scanned range ${cursor.low}-${cursor.high}`);
}

/** How many blocks up to `head` are still unread. */
export function blocksLeft(cursor: ScanCursor | null, head: number): number {
  if (!cursor) return head + 1;
  return Math.max(0, cursor.low) + Math.max(0, head - cursor.high);
}

export type IncomingTransfer = { hash: Hash; from: Address; to: Address; value: bigint; nonce: number; blockNumber: bigint; timestamp: number };

/**
 * The plain IOTX transfers to `account` in the blocks of `page` (from others, of more than zero),
 * and the hash of the page's last block. Reads a few blocks at a time, not the whole page at once.
 */
export async function scanBlocksForIncoming(client: PublicClient, account: Address, page: BlockRange, parallel = 8): Promise<{ transfers: IncomingTransfer[]; toHash: Hash | null }> {
  const me = account.toLowerCase();
  const transfers: IncomingTransfer[] = [];
  let toHash: Hash | null = null;
  for (let start = page.from; start <= page.to; start += parallel) {
    const numbers = Array.from({ length: Math.min(parallel, page.to - start + 1) }, (_, i) => BigInt(start + i));
    const blocks = await Promise.all(numbers.map((blockNumber) => client.getBlock({ blockNumber, includeTransactions: true })));
    for (const block of blocks) {
      if (block.number === BigInt(page.to)) toHash = block.hash;
      for (const tx of block.transactions) {
        if (tx.to?.toLowerCase() !== me || tx.from.toLowerCase() === me || tx.value === 0n) continue;
        transfers.push({ hash: tx.hash, from: tx.from, to: tx.to, value: tx.value, nonce: tx.nonce, blockNumber: block.number, timestamp: Number(block.timestamp) * 1000 });
      }
    }
  }
  return { transfers, toHash };
}
