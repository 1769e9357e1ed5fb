import { keccak256, stringToBytes, type Address, type Hex } from 'viem';
import type { RelayChain } from '../chain.js';
import { toNumber, type Db, type Queryable } from '../db/db.js';
import type { AnchorDocument } from '../../core/relayWire/schemas.js';
import type { Logger } from '../log.js';
import { buildMerkleTree } from '../../core/batch/merkle.js';
import { unpackWindow } from '../../core/zk/publicSignals.js';
import { enqueueTx, MAX_ANCHOR_FAILURES } from './txSender.js';

export type AnchorBuilderDeps = {
  db: Db;
  chain: RelayChain;
  batchInbox: Address;
  /** Base URL of this relay's public API; anchor documents are served under it. */
  publicUrl: string;
  anchorBatchSize: number;
  anchorIntervalMs: number;
  log: Logger;
};

/** How each leaf is hashed (BatchInbox.leafHash), so a reader of the document can rebuild the tree. */
const LEAF_DESCRIPTION =
  'keccak256(bytes.concat(keccak256(abi.encode(BatchInbox.DeviceBatch(device, pubSignals, signature, pA, pB, pC))))), leaves in document order, sorted-pair tree (OpenZeppelin MerkleProof)';

type PendingRow = {
  id: string;
  device: string;
  epoch: unknown;
  commitment: string;
  signature: string;
  proof: string;
  public_signals: string;
  readings: unknown;
  encrypted_readings: string | null;
};

/**
 * Batches waiting for an anchor: never anchored, or released by an anchor that failed for good
 * (txSender.ts) fewer than MAX_ANCHOR_FAILURES times.
 */
const WAITING = `anchor_id IS NULL AND anchor_failures < ${MAX_ANCHOR_FAILURES}`;

/** How many batches wait for an anchor, and how long the oldest has waited (0 when none). */
export async function waitingBatches(db: Queryable): Promise<{ count: number; oldestAgeMs: number }> {
  const [row] = await db.query<{ n: unknown; age_ms: unknown }>(
    `SELECT count(*) AS n, COALESCE(EXTRACT(EPOCH FROM (now() - min(received_at))) * 1000, 0) AS age_ms
       FROM batches WHERE ${WAITING}`,
  );
  return { count: toNumber(row?.n ?? 0), oldestAgeMs: toNumber(row?.age_ms ?? 0) };
}

/**
 * When `anchorBatchSize` batches wait, or the oldest has waited `anchorIntervalMs`, takes up to
 * `anchorBatchSize` unanchored batches of the oldest epoch (locking them with FOR UPDATE SKIP
 * LOCKED so another instance takes different ones), builds their tree, and in the same database
 * transaction records the anchor, assigns the batches to it and queues the BatchInbox transaction.
 * Returns the new anchor's id, or null when there is nothing to anchor yet.
 */
export async function buildAnchor(deps: AnchorBuilderDeps): Promise<number | null> {
  return deps.db.transaction(async (tx) => {
    const waiting = await waitingBatches(tx);
    if (waiting.count === 0) return null;
    if (waiting.count < deps.anchorBatchSize && waiting.oldestAgeMs < deps.anchorIntervalMs) return null;

    const locked = await tx.query<PendingRow>(
      `SELECT id, device, epoch, commitment, signature, proof, public_signals, readings, encrypted_readings
         FROM batches
        WHERE ${WAITING}
          AND epoch = (SELECT min(epoch) FROM batches WHERE ${WAITING})
        ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [deps.anchorBatchSize],
    );
    // BatchInbox.challenge calls a leaf whose window ends after its anchor's block time a BadWindow,
    // and slashes for it. The relay accepted the batch by its own clock; the chain's may be behind,
    // so a batch waits until the chain's clock has reached the end of its window. The pending block's
    // time is a lower bound for the anchor's block (the latest block's where a node has no pending
    // block): an idle automining devnet's latest block can be hours old.
    const chainNow = (await deps.chain.client.getBlock({ blockTag: 'pending' }).catch(() => deps.chain.client.getBlock({ blockTag: 'latest' }))).timestamp;
    const rows = locked.filter((row) => BigInt(unpackWindow(BigInt((JSON.parse(row.public_signals) as string[])[2]!)).windowEnd) <= chainNow);
    if (rows.length < locked.length) {
      deps.log('debug', 'batches wait for the chain clock to pass their window', { waiting: locked.length - rows.length, chainTime: Number(chainNow) });
    }
    if (rows.length === 0) return null;
    const epoch = toNumber(rows[0]!.epoch);
    const tree = buildMerkleTree(rows.map((row) => row.id as Hex));
    const [next] = await tx.query<{ id: unknown }>(`SELECT nextval(pg_get_serial_sequence('anchors', 'id')) AS id`);
    const anchorId = toNumber(next!.id);
    const uri = `${deps.publicUrl.replace(/\/$/, '')}/v1/anchors/${anchorId}`;
    const document: AnchorDocument = {
      version: 1,
      anchorId,
      epoch,
      merkleRoot: tree.root,
      leaf: LEAF_DESCRIPTION,
      batches: rows.map((row) => ({
        id: row.id as Hex,
        device: row.device as Address,
        epoch: toNumber(row.epoch),
        commitment: row.commitment,
        signature: row.signature as Hex,
        proof: JSON.parse(row.proof) as unknown,
        publicSignals: JSON.parse(row.public_signals) as string[],
        encryptedReadings: row.encrypted_readings,
      })),
    };
    const text = JSON.stringify(document);
    const dataHash = keccak256(stringToBytes(text));
    const readings = rows.reduce((sum, row) => sum + toNumber(row.readings), 0);
    const calldata = deps.chain.anchorCalldata({ epoch, merkleRoot: tree.root, count: rows.length, dataHash, uri });
    const txId = await enqueueTx(tx, 'anchor', deps.batchInbox, calldata);
    await tx.query(
      `INSERT INTO anchors (id, epoch, merkle_root, count, readings, data_hash, uri, document, tx_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [anchorId, epoch, tree.root, rows.length, readings, dataHash, uri, text, txId],
    );
    await tx.query(
      `UPDATE batches b SET anchor_id = $1, leaf_index = v.idx
         FROM unnest($2::text[], $3::int[]) AS v(id, idx) WHERE b.id = v.id`,
      [anchorId, rows.map((row) => row.id), rows.map((_, index) => index)],
    );
    deps.log('info', 'anchor built', { anchor: anchorId, epoch, batches: rows.length, readings, root: tree.root });
    return anchorId;
  });
}
