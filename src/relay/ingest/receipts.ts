/**
 * What the relay's API reads from the store: batches and their receipts, the device's newest
 * epoch, and the published anchor documents. The HTTP layer holds no SQL; it calls these.
 */
import { getAddress, type Hex } from 'viem';
import { toNumber, type Queryable } from '../db/db.js';
import { buildMerkleTree } from '../../core/batch/merkle.js';
import type { AnchorInfo, Receipt } from '../../core/relayWire/schemas.js';
import { MAX_ANCHOR_FAILURES } from '../anchor/txSender.js';

export type BatchRow = {
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

export const BATCH_COLUMNS = 'id, device, epoch, commitment, readings, received_at, anchor_id, leaf_index, anchor_failures';

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

/**
 * In one statement, the stored batch with this id and the device's stored batch for this epoch
 * (usually one row, found by both; either may be missing). Ingest asks once, before verifying, and
 * answers an exact retry (`byId`) and a re-send of the same readings (`sameEpoch`) from it.
 */
export async function findBatchOrEpoch(db: Queryable, id: string, device: string, epoch: number): Promise<{ byId: BatchRow | null; sameEpoch: BatchRow | null }> {
  const rows = await db.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE id = $1 OR (device = $2 AND epoch = $3)`, [id, device, epoch]);
  return {
    byId: rows.find((row) => row.id === id) ?? null,
    sameEpoch: rows.find((row) => row.device === device && toNumber(row.epoch) === epoch) ?? null,
  };
}

/** The full receipt: the batch plus, once it is in an anchor, its Merkle proof and transaction. */
export async function loadReceipt(db: Queryable, id: string): Promise<Receipt | null> {
  const [row] = await db.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE id = $1`, [id.toLowerCase()]);
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

/** The newest epoch a device has a stored batch for (NaN when it has none). */
export async function newestEpochOf(db: Queryable, device: string): Promise<number> {
  const [row] = await db.query<{ epoch: unknown }>('SELECT max(epoch) AS epoch FROM batches WHERE device = $1', [device.toLowerCase()]);
  return toNumber(row?.epoch);
}

/** The exact published text of an anchor (its keccak256 is the on-chain dataHash), or null when there is no such anchor. */
export async function anchorDocumentText(db: Queryable, anchorId: number): Promise<string | null> {
  const [row] = await db.query<{ document: string }>('SELECT document FROM anchors WHERE id = $1', [anchorId]);
  return row?.document ?? null;
}
