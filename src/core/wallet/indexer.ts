import { getAddress, isAddress, isHash, type Address, type Hash } from 'viem';
import { firstLine } from '../errors.js';
import type { NetworkId } from '../networks.js';
import type { IncomingTransfer } from './blockScan.js';
import { IndexerBadResponseError, IndexerUnreachableError } from './historyErrors.js';

/**
 * Incoming IOTX on IoTeX's own networks, from IoTeXScan's Etherscan-compatible API
 * (docs.iotex.io, "IoTeXScan API": base https://dev.iotexscan.io/api, no key, 1 request a second;
 * `?module=account&action=txlist` answers `{status, message, result: [{blockNumber, timeStamp,
 * hash, nonce, from, to, value, isError, ...}]}` as Etherscan does). IoTeX documents this base for
 * mainnet only; the testnet has no documented public indexer, so it has none here.
 * Like any txlist, it lists transactions, not contract-internal transfers.
 */
export type Indexer = { host: string; apiUrl: string };

export const IOTEX_INDEXERS: Readonly<Partial<Record<NetworkId, Indexer>>> = {
  mainnet: { host: 'dev.iotexscan.io', apiUrl: 'https://dev.iotexscan.io/api' },
};

export type IndexerPage = {
  transfers: IncomingTransfer[];
  /** The highest block in the answer, or null if it listed nothing. */
  lastBlock: number | null;
  /** Whether the answer was a full page: more may follow from `lastBlock` on. */
  full: boolean;
};

/** One page of `account`'s transactions from `startBlock` on, oldest first, reduced to the incoming ones. */
export async function fetchIncomingFromIndexer(
  fetchFn: typeof fetch,
  indexer: Indexer,
  account: Address,
  startBlock: number,
  { pageSize = 100, timeoutMs = 8000 }: { pageSize?: number; timeoutMs?: number } = {},
): Promise<IndexerPage> {
  const query = Object.entries({ module: 'account', action: 'txlist', address: account, startblock: String(startBlock), endblock: '99999999999', page: '1', offset: String(pageSize), sort: 'asc' });
  const url = `${indexer.apiUrl}?${query.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&')}`;
  let body: unknown;
  try {
    const response = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    throw new IndexerUnreachableError(indexer.host, firstLine(error));
  }
  const rows = readTxList(body, indexer.host);
  const transfers = rows.filter((row) => isIncoming(row, account)).map(toTransfer);
  const lastBlock = rows.reduce<number | null>((max, row) => Math.max(max ?? 0, Number(row.blockNumber)), null);
  return { transfers, lastBlock, full: rows.length >= pageSize };
}

type TxListRow = { blockNumber: string; timeStamp: string; hash: Hash; nonce: string; from: Address; to: Address; value: string; isError?: string };

/** The rows of a txlist answer; "No transactions found" is an empty list, anything else off-shape is named. */
function readTxList(body: unknown, host: string): TxListRow[] {
  const answer = body as { status?: unknown; message?: unknown; result?: unknown } | null;
  if (typeof answer !== 'object' || answer === null) throw new IndexerBadResponseError(host, 'the answer is not a JSON object');
  if (answer.status === '0' && Array.isArray(answer.result) && answer.result.length === 0) return [];
  if (answer.status !== '1' || !Array.isArray(answer.result)) {
    throw new IndexerBadResponseError(host, `status ${String(answer.status)}: ${String(answer.message)} ${typeof answer.result === 'string' ? answer.result : ''}`.trim());
  }
  return answer.result.map((row: unknown, index) => {
    const r = row as Partial<Record<keyof TxListRow, unknown>>;
    const numeric = (value: unknown) => typeof value === 'string' && /^\d+$/.test(value);
    if (!numeric(r.blockNumber) || !numeric(r.timeStamp) || !numeric(r.value) || !numeric(r.nonce) || !isHash(String(r.hash)) || !isAddress(String(r.from), { strict: false })) {
      throw new IndexerBadResponseError(host, `row ${index} is not a transaction`);
    }
    return r as TxListRow;
  });
}

function isIncoming(row: TxListRow, account: Address): boolean {
  const me = account.toLowerCase();
  // A failed transaction moved no value; a transfer to oneself is an outgoing one as well.
  return row.isError !== '1' && row.to?.toLowerCase() === me && row.from.toLowerCase() !== me && BigInt(row.value) > 0n;
}

function toTransfer(row: TxListRow): IncomingTransfer {
  return {
    hash: row.hash,
    from: getAddress(row.from),
    to: getAddress(row.to),
    value: BigInt(row.value),
    nonce: Number(row.nonce),
    blockNumber: BigInt(row.blockNumber),
    timestamp: Number(row.timeStamp) * 1000,
  };
}
