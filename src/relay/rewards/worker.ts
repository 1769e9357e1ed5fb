import { getAddress, type Address, type Hex } from 'viem';
import type { RelayChain } from '../chain.js';
import { toNumber, type Db, type Queryable } from '../db/db.js';
import { epochOf } from '../../core/relayWire/epoch.js';
import type { RewardClaim } from '../../core/relayWire/schemas.js';
import type { Logger } from '../log.js';
import { buildMerkleTree, rewardLeaf } from '../../core/batch/merkle.js';
import { enqueueTx, MAX_ANCHOR_FAILURES } from '../anchor/txSender.js';
import { computeEpochRewards } from './rule.js';

export type RewardsDeps = {
  db: Db;
  chain: RelayChain;
  dataRewards: Address;
  pool: bigint;
  epochSeconds: number;
  delaySeconds: number;
  now: () => number;
  log: Logger;
};

const REWARDS_LOCK = 7_270_002;

/**
 * Computes the rewards of the oldest closed epoch that has batches, no reward root yet, and every
 * batch settled: in a confirmed anchor, or given up after MAX_ANCHOR_FAILURES failed anchors (those
 * are not paid). An epoch whose anchors are still pending is passed over for now, so one stuck
 * anchor never holds back the rewards of later epochs. Queues DataRewards.postRewardRoot in the same
 * database transaction. An epoch with nothing to pay is recorded as skipped (so it holds nothing back
 * either). Returns the epoch done, or null when no epoch is ready.
 */
export async function computeNextEpoch(deps: RewardsDeps): Promise<number | null> {
  const lastClosed = epochOf(deps.now() - deps.delaySeconds, deps.epochSeconds) - 1;
  return deps.db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [REWARDS_LOCK]);
    const [candidate] = await tx.query<{ epoch: unknown }>(
      `SELECT b.epoch FROM batches b
         LEFT JOIN anchors a ON a.id = b.anchor_id LEFT JOIN chain_txs t ON t.id = a.tx_id
        WHERE b.epoch <= $1
          AND NOT EXISTS (SELECT 1 FROM reward_epochs r WHERE r.epoch = b.epoch)
          AND NOT EXISTS (SELECT 1 FROM reward_epochs_skipped s WHERE s.epoch = b.epoch)
        GROUP BY b.epoch
       HAVING bool_and(COALESCE(t.status, '') = 'confirmed' OR (b.anchor_id IS NULL AND b.anchor_failures >= $2))
        ORDER BY b.epoch LIMIT 1`,
      [lastClosed, MAX_ANCHOR_FAILURES],
    );
    if (candidate?.epoch === null || candidate?.epoch === undefined) return null;
    const epoch = toNumber(candidate.epoch);
    const rows = await tx.query<{ device: string; readings: unknown; changes: unknown }>(
      `SELECT b.device, b.readings, b.changes
         FROM batches b JOIN anchors a ON a.id = b.anchor_id JOIN chain_txs t ON t.id = a.tx_id
        WHERE b.epoch = $1 AND t.status = 'confirmed'`,
      [epoch],
    );
    const { leaves, epochWeight } = computeEpochRewards(
      rows.map((row) => ({ device: getAddress(row.device), readings: toNumber(row.readings), changes: toNumber(row.changes) })),
      deps.pool,
    );
    if (leaves.length === 0) {
      const reason = rows.length === 0 ? 'no batch of the epoch was anchored (all given up)' : 'no anchored batch has reward weight';
      await tx.query('INSERT INTO reward_epochs_skipped (epoch, reason) VALUES ($1, $2)', [epoch, reason]);
      deps.log('warn', 'epoch has nothing to reward; skipped', { epoch, reason });
      return epoch;
    }
    const hashes = leaves.map((leaf) => rewardLeaf(BigInt(epoch), leaf.device, leaf.amount));
    const tree = buildMerkleTree(hashes);
    const total = leaves.reduce((sum, leaf) => sum + leaf.amount, 0n);
    const txId = await enqueueTx(tx, 'rewards', deps.dataRewards, deps.chain.rewardsCalldata({ epoch, root: tree.root, total }));
    await tx.query(
      'INSERT INTO reward_epochs (epoch, root, total, devices, tx_id, epoch_weight, pool) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [epoch, tree.root, total.toString(), leaves.length, txId, epochWeight.toString(), deps.pool.toString()],
    );
    for (const [index, leaf] of leaves.entries()) {
      await tx.query(
        'INSERT INTO reward_leaves (epoch, device, amount, weight, leaf_index, leaf) VALUES ($1, $2, $3, $4, $5, $6)',
        [epoch, leaf.device.toLowerCase(), leaf.amount.toString(), leaf.weight.toString(), index, hashes[index]],
      );
    }
    deps.log('info', 'epoch rewards computed', { epoch, devices: leaves.length, total, root: tree.root });
    return epoch;
  });
}

/**
 * Every reward of a device with the Merkle proof DataRewards.claim takes, and the figures its amount
 * was computed from (null for epochs computed before the relay kept them: migration 4).
 */
export async function rewardsOf(db: Queryable, device: Address): Promise<RewardClaim[]> {
  const mine = await db.query<{
    epoch: unknown;
    amount: string;
    weight: string;
    leaf: string;
    leaf_index: unknown;
    root: string;
    epoch_weight: string | null;
    pool: string | null;
    status: string;
    tx_hash: string | null;
  }>(
    `SELECT l.epoch, l.amount, l.weight, l.leaf, l.leaf_index, e.root, e.epoch_weight, e.pool, t.status, t.tx_hash
       FROM reward_leaves l JOIN reward_epochs e ON e.epoch = l.epoch JOIN chain_txs t ON t.id = e.tx_id
      WHERE l.device = $1 ORDER BY l.epoch`,
    [device.toLowerCase()],
  );
  const claims: RewardClaim[] = [];
  for (const row of mine) {
    const all = await db.query<{ leaf: string }>('SELECT leaf FROM reward_leaves WHERE epoch = $1 ORDER BY leaf_index', [row.epoch]);
    const tree = buildMerkleTree(all.map((leaf) => leaf.leaf as Hex));
    claims.push({
      epoch: toNumber(row.epoch),
      device: getAddress(device),
      amount: row.amount,
      root: row.root as Hex,
      leaf: row.leaf as Hex,
      proof: tree.proof(toNumber(row.leaf_index)),
      status: row.status as RewardClaim['status'],
      txHash: (row.tx_hash as Hex | null) ?? null,
      figures: row.epoch_weight === null || row.pool === null ? null : { weight: row.weight, epochWeight: row.epoch_weight, pool: row.pool },
    });
  }
  return claims;
}
