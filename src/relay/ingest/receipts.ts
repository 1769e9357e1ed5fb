import { getAddress, type Address, type Hex } from 'viem';
import { toNumber, type Queryable } from '../db/db.js';
import { buildMerkleTree } from '../../core/batch/merkle.js';
import { MAX_ANCHOR_FAILURES } from '../anchor/txSender.js';

export type AnchorInfo = {
  id: number;
  epoch: number;
  merkleRoot: Hex;
  leafIndex: number;
  merkleProof: Hex[];
  uri: string;
  dataHash: Hex;
  status: 'queued' | 'sent' | 'confirmed' | 'failed';
  txHash: Hex | null;
  blockNumber: number | null;
};

/** What a device (or the app's outbox) gets back for a batch: proof that the relay holds it, and later where it is anchored. */
export type Receipt = {
  id: Hex;
  device: Address;
  epoch: number;
  commitment: string;
  readings: number;
  receivedAt: string;
  status: 'accepted' | 'anchoring' | 'anchored' | 'anchor_failed';
  anchor: AnchorInfo | null;
};

type BatchRow = {
  id: string;
  device: string;
  epoch: unknown;
  commitment: string;
  readings: unknown;
  received_at: unknown;
  anchor_id: unknown;
  leaf_index: unknown;
  anchor_failures: unknown;
};

const BATCH_COLUMNS = 'id, device, epoch, commitment, readings, received_at, anchor_id, leaf_index, anchor_failures';

/** Batches still to be anchored: not in an anchor, and not given up after MAX_ANCHOR_FAILURES failed anchors. */
export async function countUnanchored(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: unknown }>('SELECT count(*) AS n FROM batches WHERE anchor_id IS NULL AND anchor_failures < $1', [MAX_ANCHOR_FAILURES]);
  return toNumber(row?.n ?? 0);
}

function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

export function receiptFromRow(row: BatchRow): Receipt {
  return {
    id: row.id as Hex,
    device: getAddress(row.device),
    epoch: toNumber(row.epoch),
    commitment: row.commitment,
    readings: toNumber(row.readings),
    receivedAt: iso(row.received_at),
    // A batch whose anchors failed for good MAX_ANCHOR_FAILURES times is given up (anchor/txSender.ts).
    status: row.anchor_id == null && toNumber(row.anchor_failures ?? 0) >= MAX_ANCHOR_FAILURES ? 'anchor_failed' : 'accepted',
    anchor: null,
  };
}

export async function findBatch(db: Queryable, where: 'id' | 'device_epoch', params: unknown[]): Promise<BatchRow | null> {
  const sql =
    where === 'id'
      ? `SELECT ${BATCH_COLUMNS} FROM batches WHERE id = $1`
      : `SELECT ${BATCH_COLUMNS} FROM batches WHERE device = $1 AND epoch = $2`;
  const rows = await db.query<BatchRow>(sql, params);
  return rows[0] ?? null;
}

/** The full receipt: the batch plus, once it is in an anchor, its Merkle proof and transaction. */
export async function loadReceipt(db: Queryable, id: string): Promise<Receipt | null> {
  const row = await findBatch(db, 'id', [id.toLowerCase()]);
  if (!row) return null;
  const receipt = receiptFromRow(row);
  if (row.anchor_id === null || row.anchor_id === undefined) return receipt;
  const anchors = await db.query<{
    id: unknown; epoch: unknown; merkle_root: string; uri: string; data_hash: string; status: string; tx_hash: string | null; block_number: unknown;
  }>(
    `SELECT a.id, a.epoch, a.merkle_root, a.uri, a.data_hash, t.status, t.tx_hash, t.block_number
       FROM anchors a JOIN chain_txs t ON t.id = a.tx_id WHERE a.id = $1`,
    [row.anchor_id],
  );
  const anchor = anchors[0];
  if (!anchor) return receipt;
  const leaves = await db.query<{ id: string }>('SELECT id FROM batches WHERE anchor_id = $1 ORDER BY leaf_index', [row.anchor_id]);
  const tree = buildMerkleTree(leaves.map((leaf) => leaf.id as Hex));
  const leafIndex = toNumber(row.leaf_index);
  const status = anchor.status as AnchorInfo['status'];
  receipt.status = status === 'confirmed' ? 'anchored' : status === 'failed' ? 'anchor_failed' : 'anchoring';
  receipt.anchor = {
    id: toNumber(anchor.id),
    epoch: toNumber(anchor.epoch),
    merkleRoot: anchor.merkle_root as Hex,
    leafIndex,
    merkleProof: tree.proof(leafIndex),
    uri: anchor.uri,
    dataHash: anchor.data_hash as Hex,
    status,
    txHash: (anchor.tx_hash as Hex | null) ?? null,
    blockNumber: anchor.block_number === null ? null : toNumber(anchor.block_number),
  };
  return receipt;
}
