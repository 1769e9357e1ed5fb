/**
 * The figures served with each reward (GET /v1/rewards/{device}): the device's weight, the epoch's
 * Σ weight over all its devices (zero-amount ones included) and the epoch's pool, from which an honest
 * relay's amount is floor(pool · weight / epochWeight). Runs the rewards worker on a real PGlite store
 * with batches written directly as anchored and confirmed (the chain is not needed: the worker only
 * queues the postRewardRoot transaction), then reads the rewards as the HTTP route serves them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { encodeFunctionData, getAddress, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { dataRewardsAbi } from '../../src/core/abis/index.js';
import { rewardLeaf, verifyMerkleProof } from '../../src/core/batch/merkle.js';
import { RewardsResponseSchema } from '../../src/core/relayWire/schemas.js';
import type { RelayChain } from '../../src/relay/chain.js';
import { openDb, type Db } from '../../src/relay/db/db.js';
import { migrate } from '../../src/relay/db/migrations.js';
import { computeNextEpoch, rewardsOf, type RewardsDeps } from '../../src/relay/rewards/worker.js';
import { seededHex } from '../support/seed.js';
import { freshDataDir } from './helpers/relay.js';

const EPOCH_SECONDS = 3600;
const DATA_REWARDS = '0x00000000000000000000000000000000000000Da' as Address;
const device = (name: string) => getAddress(privateKeyToAccount(seededHex(`rewards figures ${name}`)).address);
const [A, B, C, Z] = [device('A'), device('B'), device('C'), device('Z')];

let db: Db;
let seq = 0;

/** A batch of `who` for `epoch`, in a confirmed anchor. */
async function anchoredBatch(who: Address, epoch: number, readings: number, changes: number): Promise<void> {
  const n = seq++;
  const [tx] = await db.query<{ id: unknown }>(`INSERT INTO chain_txs (kind, to_address, data, status) VALUES ('anchor', '0x00', '0x', 'confirmed') RETURNING id`);
  const [anchor] = await db.query<{ id: unknown }>(
    `INSERT INTO anchors (epoch, merkle_root, count, readings, data_hash, uri, document, tx_id) VALUES ($1, $2, 1, $3, $2, 'ipfs://x', '{}', $4) RETURNING id`,
    [epoch, seededHex(`rewards figures root ${n}`), readings, tx!.id],
  );
  await db.query(
    `INSERT INTO batches (id, device, epoch, commitment, signature, proof, public_signals, readings, changes, anchor_id, leaf_index)
     VALUES ($1, $2, $3, $4, '0x', '{}', '[]', $5, $6, $7, 0)`,
    [seededHex(`rewards figures batch ${n}`), who.toLowerCase(), epoch, String(n + 1), readings, changes, anchor!.id],
  );
}

/** The rewards worker with the given pool; computeNextEpoch only encodes the postRewardRoot call it queues. */
function worker(pool: bigint, epoch: number): RewardsDeps {
  const chain = {
    rewardsCalldata: ({ epoch: e, root, total }) => encodeFunctionData({ abi: dataRewardsAbi, functionName: 'postRewardRoot', args: [BigInt(e), root, total] }),
  } satisfies Pick<RelayChain, 'rewardsCalldata'> as RelayChain;
  return { db, chain, dataRewards: DATA_REWARDS, pool, epochSeconds: EPOCH_SECONDS, delaySeconds: 0, now: () => (epoch + 1) * EPOCH_SECONDS, log: () => undefined };
}

/** What GET /v1/rewards/{device} answers, checked against the wire schema the app reads it with. */
async function served(who: Address) {
  return v.parse(RewardsResponseSchema, JSON.parse(JSON.stringify({ device: who, rewards: await rewardsOf(db, who) }))).rewards;
}

beforeAll(async () => {
  db = await openDb({ dataDir: freshDataDir('rewards-figures') });
  await migrate(db);
}, 120_000);
afterAll(async () => {
  await db?.close();
});

describe('reward figures', () => {
  it('each reward carries weight, the epoch’s Σ weight over every device and the pool; amount = floor(pool · weight / Σ)', async () => {
    // Weights (docs/relay.md#rewards, floor(count · changes · 10^6 / (count − 1))), worked out by hand:
    //   A: 64 readings, 63 changes → 64,000,000   B: 64, 40 → 40,634,920   C: 2, 1 → 2,000,000   Z: 64, 0 → 0
    //   Σ = 106,634,920. With a pool of 40 wei: A 24, B 15, C floor(0.75) = 0 (no leaf, still in Σ).
    await anchoredBatch(A, 7, 64, 63);
    await anchoredBatch(B, 7, 64, 40);
    await anchoredBatch(C, 7, 2, 1);
    await anchoredBatch(Z, 7, 64, 0);
    expect(await computeNextEpoch(worker(40n, 7))).toBe(7);

    const [a] = await served(A);
    const [b] = await served(B);
    expect(a).toMatchObject({ epoch: 7, device: A, amount: '24', figures: { weight: '64000000', epochWeight: '106634920', pool: '40' } });
    expect(b).toMatchObject({ epoch: 7, device: B, amount: '15', figures: { weight: '40634920', epochWeight: '106634920', pool: '40' } });
    expect(await served(C)).toEqual([]);
    expect(await served(Z)).toEqual([]);
    for (const reward of [a!, b!]) {
      const { weight, epochWeight, pool } = reward.figures!;
      expect(BigInt(reward.amount)).toBe((BigInt(pool) * BigInt(weight)) / BigInt(epochWeight));
      // The served amount is the one the served root pays.
      expect(reward.leaf).toBe(rewardLeaf(7n, reward.device, BigInt(reward.amount)));
      expect(verifyMerkleProof(reward.proof, reward.root, reward.leaf)).toBe(true);
    }
    const [epoch] = await db.query<{ total: string; epoch_weight: string; pool: string }>('SELECT total, epoch_weight, pool FROM reward_epochs WHERE epoch = 7');
    expect(epoch).toEqual({ total: '39', epoch_weight: '106634920', pool: '40' });
  });

  it('the pool is the one used for each epoch', async () => {
    await anchoredBatch(A, 8, 64, 40);
    expect(await computeNextEpoch(worker(10n ** 18n, 8))).toBe(8);
    expect((await served(A)).map((reward) => [reward.epoch, reward.amount, reward.figures])).toEqual([
      [7, '24', { weight: '64000000', epochWeight: '106634920', pool: '40' }],
      [8, (10n ** 18n).toString(), { weight: '40634920', epochWeight: '40634920', pool: (10n ** 18n).toString() }],
    ]);
  });

  it('epochs computed before the relay kept the figures are served with figures: null', async () => {
    // A row as migration 4 leaves an older epoch: no epoch_weight, no pool.
    const [tx] = await db.query<{ id: unknown }>(`INSERT INTO chain_txs (kind, to_address, data, status) VALUES ('rewards', '0x00', '0x', 'confirmed') RETURNING id`);
    const leaf: Hex = rewardLeaf(5n, A, 3n);
    await db.query(`INSERT INTO reward_epochs (epoch, root, total, devices, tx_id) VALUES (5, $1, '3', 1, $2)`, [leaf, tx!.id]);
    await db.query(`INSERT INTO reward_leaves (epoch, device, amount, weight, leaf_index, leaf) VALUES (5, $1, '3', '7', 0, $2)`, [A.toLowerCase(), leaf]);
    const rewards = await served(A);
    expect(rewards.map((reward) => [reward.epoch, reward.figures])).toEqual([
      [5, null],
      [7, { weight: '64000000', epochWeight: '106634920', pool: '40' }],
      [8, { weight: '40634920', epochWeight: '40634920', pool: (10n ** 18n).toString() }],
    ]);
    expect(rewards[0]).toMatchObject({ amount: '3', root: leaf, leaf, proof: [] });
  });
});
