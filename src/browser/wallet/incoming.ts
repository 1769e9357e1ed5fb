import type { Address, PublicClient } from 'viem';
import { firstLine, OutpostError } from '../../core/errors.js';
import type { Network } from '../../core/networks.js';
import { RpcUnreachableError } from '../../core/rpcErrors.js';
import { advanceCursor, blocksLeft, DEFAULT_SCAN_LIMITS, planScan, scanBlocksForIncoming, type IncomingTransfer, type ScanLimits } from '../../core/wallet/blockScan.js';
import { NoIndexerError } from '../../core/wallet/historyErrors.js';
import { fetchIncomingFromIndexer, IOTEX_INDEXERS } from '../../core/wallet/indexer.js';
import { deleteIncoming, loadIncomingCursor, putTx, saveIncomingCursor, type TxRecord } from './store.js';

/**
 * Finds IOTX sent to the account and stores each transfer in the history (docs/wallet-history.md):
 * on the devnet by reading blocks (no indexer runs there), on IoTeX's networks from IoTeXScan's
 * API. Either way the search resumes where it stopped: nothing is read twice.
 */
export type ScanProgress = { done: number; total: number };

/** What a search left: blocks not read yet (devnet), so the screen can offer to go on. */
export type IncomingResult = { blocksLeft: number };

export async function findIncoming(
  client: PublicClient,
  network: Network,
  rpcUrl: string,
  account: Address,
  onProgress: (progress: ScanProgress | null) => void,
  { limits = DEFAULT_SCAN_LIMITS, fetchFn = fetch }: { limits?: ScanLimits; fetchFn?: typeof fetch } = {},
): Promise<IncomingResult> {
  if (network.id === 'devnet') {
    return scanDevnet(client, network, account, onProgress, limits).catch((error: unknown) => {
      throw error instanceof OutpostError ? error : new RpcUnreachableError(network, rpcUrl, firstLine(error));
    });
  }
  const indexer = IOTEX_INDEXERS[network.id];
  if (!indexer) throw new NoIndexerError(network.name);
  const cursor = await loadIncomingCursor('indexer', network.chainId, account);
  const start = cursor ? cursor.high + 1 : 0;
  const page = await fetchIncomingFromIndexer(fetchFn, indexer, account, start);
  for (const transfer of page.transfers) await putTx(incomingRecord(network, transfer));
  if (page.lastBlock !== null) {
    // A full page may have cut the last block's transactions short: that block is asked again next time.
    const high = page.full ? Math.max(start, page.lastBlock - 1) : page.lastBlock;
    await saveIncomingCursor('indexer', network.chainId, account, { low: 0, high, highHash: null });
  }
  return { blocksLeft: 0 };
}

async function scanDevnet(client: PublicClient, network: Network, account: Address, onProgress: (progress: ScanProgress | null) => void, limits: ScanLimits): Promise<IncomingResult> {
  const head = Number(await client.getBlockNumber({ cacheTime: 0 }));
  let cursor = await loadIncomingCursor('scan', network.chainId, account);
  if (cursor && (cursor.high > head || (cursor.highHash !== null && (await client.getBlock({ blockNumber: BigInt(cursor.high) })).hash !== cursor.highHash))) {
    // The devnet was restarted: its blocks, and the transfers found in them, are not the remembered ones.
    await deleteIncoming(network.chainId, account);
    cursor = null;
  }
  const pages = planScan(cursor, head, limits);
  const total = pages.reduce((sum, page) => sum + page.to - page.from + 1, 0);
  let done = 0;
  try {
    for (const page of pages) {
      // Progress is worth showing only when the search takes more than one page.
      if (pages.length > 1) onProgress({ done, total });
      const { transfers, toHash } = await scanBlocksForIncoming(client, account, page);
      for (const transfer of transfers) await putTx(incomingRecord(network, transfer));
      cursor = advanceCursor(cursor, page, toHash);
      await saveIncomingCursor('scan', network.chainId, account, cursor);
      done += page.to - page.from + 1;
    }
  } finally {
    onProgress(null);
  }
  return { blocksLeft: blocksLeft(cursor, head) };
}

function incomingRecord(network: Network, transfer: IncomingTransfer): TxRecord {
  return {
    hash: transfer.hash,
    chainId: network.chainId,
    from: transfer.from,
    to: transfer.to,
    value: transfer.value.toString(),
    nonce: transfer.nonce,
    label: 'Received',
    status: 'confirmed',
    createdAt: transfer.timestamp,
    minedAt: transfer.timestamp,
    blockNumber: transfer.blockNumber.toString(),
    direction: 'in',
  };
}
