import { afterAll, beforeAll, expect, it } from 'vitest';
import { readVerificationKey } from '../../src/node/zkArtifacts.js';
import type { Db, Queryable, Row } from '../../src/relay/db/db.js';
import { migrate } from '../../src/relay/db/migrations.js';
import { openPostgres } from '../../src/relay/db/postgres.js';
import { RelayRejection } from '../../src/relay/errors.js';
import { createBatchWriter } from '../../src/relay/ingest/batchWriter.js';
import { ingestBatch, type IngestDeps } from '../../src/relay/ingest/ingest.js';
import type { RunningRelay } from '../../src/relay/server.js';
import { createVerifier } from '../../src/relay/verify/pool.js';
import { anchoredOnChain } from './helpers/anchored.js';
import { CURRENT_EPOCH, EPOCH_SECONDS, FIXED_NOW, makeBatch, post, testDeviceKey, waitFor, type Submission } from './helpers/batches.js';
import { registerDevice, startTestChain, type TestChain } from './helpers/chain.js';
import { startTestPostgres, type TestPostgres } from './helpers/postgres.js';
import { advanceChainTo, startTestRelay } from './helpers/relay.js';

// The crash test's device and batches: the proofs are cached, and this is a fresh chain and store.
const KEY = testDeviceKey('crash');
const COUNT = 8;

let chain: TestChain;
let pg: TestPostgres;
let relays: RunningRelay[] = [];
const batches: Submission[] = [];

beforeAll(async () => {
  pg = await startTestPostgres();
  chain = await startTestChain();
  // The relay's clock is pinned at FIXED_NOW; it anchors a batch only once the chain's clock has passed its window.
  await advanceChainTo(chain, FIXED_NOW);
  await registerDevice(chain, KEY, 2);
  for (let i = 0; i < COUNT; i++) batches.push(await makeBatch(KEY, CURRENT_EPOCH - COUNT + 1 + i, 10 + i));
});

afterAll(async () => {
  await Promise.all(relays.map((relay) => relay.stop()));
  await chain?.stop();
  await pg?.stop();
});

it('two relay instances on one PostgreSQL anchor each batch exactly once', async () => {
  const settings = { databaseUrl: pg.url, anchorBatchSize: 2, anchorIntervalMs: 200, workerPollMs: 20, rewardPerEpoch: 0n };
  relays = await Promise.all([
    startTestRelay(chain, { ...settings, instanceId: 'relay-a' }),
    startTestRelay(chain, { ...settings, instanceId: 'relay-b' }),
  ]);
  const [a, b] = relays as [RunningRelay, RunningRelay];
  const health = (await (await fetch(`${a.url}/healthz`)).json()) as { store: string };
  expect(health.store).toBe('postgres');

  const ids = new Set<string>();
  for (const [i, batch] of batches.entries()) {
    // Alternate instances; every other batch is also retried on the other instance at once.
    const first = i % 2 === 0 ? a : b;
    const other = first === a ? b : a;
    const answers = await Promise.all([post(first.url, batch), ...(i % 2 === 0 ? [post(other.url, batch)] : [])]);
    for (const answer of answers) {
      expect([200, 201]).toContain(answer.status);
      ids.add(answer.json.receipt.id);
    }
  }
  expect(ids.size).toBe(COUNT);

  await waitFor('every batch anchored', async () => {
    for (const id of ids) {
      const json = (await (await fetch(`${b.url}/v1/batches/${id}`)).json()) as { receipt: { status: string } };
      if (json.receipt.status !== 'anchored') return false;
    }
    return true;
  });
  const { timesAnchored } = await anchoredOnChain(chain);
  expect([...timesAnchored.keys()].sort()).toEqual([...ids].sort());
  expect([...timesAnchored.values()].every((times) => times === 1)).toBe(true);
  // Every operator transaction either instance queued was mined once and succeeded (no reverted duplicate roots).
  const statuses = await a.db.query<{ status: string }>(`SELECT DISTINCT status FROM chain_txs`);
  expect(statuses.map((row) => row.status)).toEqual(['confirmed']);
});

it('rate limits hold across instances: a device or a client gets its budget once, whichever instance it reaches', async () => {
  await Promise.all(relays.map((relay) => relay.stop()));
  relays = [];
  const settings = { databaseUrl: pg.url, anchorIntervalMs: 3_600_000, rewardPerEpoch: 0n };
  const key = testDeviceKey('pg-limits');
  await registerDevice(chain, key, 3);
  const own: Submission[] = [];
  for (let i = 0; i < 3; i++) own.push(await makeBatch(key, CURRENT_EPOCH - 2 + i, 40 + i));

  // Per device: 2 a minute. Two verified batches on two instances spend it; the third is refused on either.
  relays = await Promise.all([
    startTestRelay(chain, { ...settings, instanceId: 'limits-a', rateLimit: { perDevice: 2, perIp: 1_000 } }),
    startTestRelay(chain, { ...settings, instanceId: 'limits-b', rateLimit: { perDevice: 2, perIp: 1_000 } }),
  ]);
  let [a, b] = relays as [RunningRelay, RunningRelay];
  const statuses: string[] = [];
  for (const [i, batch] of own.entries()) {
    const { status, json } = await post((i % 2 === 0 ? a : b).url, batch);
    statuses.push(`${status} ${json.error?.code ?? ''}`.trim());
  }
  expect(statuses).toEqual(['201', '201', '429 rate_limited']);
  await Promise.all(relays.map((relay) => relay.stop()));

  // Per client address: 3 a minute, spent by any request, on either instance (per instance it would be 6).
  relays = await Promise.all([
    startTestRelay(chain, { ...settings, instanceId: 'limits-c', rateLimit: { perDevice: 1_000, perIp: 3 } }),
    startTestRelay(chain, { ...settings, instanceId: 'limits-d', rateLimit: { perDevice: 1_000, perIp: 3 } }),
  ]);
  [a, b] = relays as [RunningRelay, RunningRelay];
  const codes: string[] = [];
  for (let i = 0; i < 6; i++) {
    const { status, json } = await post((i % 2 === 0 ? a : b).url, { junk: i });
    codes.push(`${status} ${json.error?.code ?? ''}`);
  }
  expect(codes).toEqual([...Array(3).fill('400 invalid_batch'), ...Array(3).fill('429 rate_limited')]);
});

/**
 * `db`, except that a batch insert runs in a transaction kept open (its rows written, not committed)
 * until release(): what another instance's insert looks like while it is in flight.
 */
function heldInserts(db: Db) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let inserted!: () => void;
  const insertedOnce = new Promise<void>((resolve) => (inserted = resolve));
  const store: Queryable = {
    query: <T extends Row>(sql: string, params?: readonly unknown[]) =>
      /^\s*INSERT INTO batches/.test(sql)
        ? db.transaction(async (tx) => {
            const rows = await tx.query<T>(sql, params);
            inserted();
            await released;
            return rows;
          })
        : db.query<T>(sql, params),
  };
  return { store, inserted: insertedOnce, release };
}

it('two instances inserting the same device and epoch at once: one row, the other answered as a duplicate or a conflict', async () => {
  // Two pools on one cluster, each with its own writer: two relay instances' ingest, in-process.
  const [dbA, dbB] = await Promise.all([openPostgres(pg.url), openPostgres(pg.url)]);
  const verifier = await createVerifier(await readVerificationKey(), { threads: 0 });
  try {
    await migrate(dbA);
    const deps = (db: Db, store: Queryable): IngestDeps => ({
      db,
      writer: createBatchWriter(store),
      verifier,
      ioidExists: async () => true,
      epochSeconds: EPOCH_SECONDS,
      maxEpochLag: 24,
      now: () => FIXED_NOW,
      allowDevice: () => true,
    });
    const a = deps(dbA, dbA);
    const answer = (pending: ReturnType<typeof ingestBatch>) =>
      pending.then(
        (result) => `${result.duplicate ? 'duplicate' : 'stored'} ${result.receipt.id}`,
        (error: unknown) => (error instanceof RelayRejection ? error.wireCode : `error ${String(error)}`),
      );
    /** B's insert of `first` is written but not committed when A's insert of `second` (same device and epoch) starts. */
    const race = async (first: Submission, second: Submission) => {
      const held = heldInserts(dbB);
      const fromB = answer(ingestBatch(deps(dbB, held.store), first));
      await held.inserted;
      const fromA = answer(ingestBatch(a, second));
      // A's statement waits for B's transaction on the unique index (PostgreSQL's row lock wait).
      await waitFor('A waiting on B', async () => (await dbA.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO batches%'`)).length > 0, 30_000);
      held.release();
      return Promise.all([fromB, fromA]);
    };

    const same = await makeBatch(testDeviceKey('pg-race-1'), CURRENT_EPOCH, 50);
    const [sameB, sameA] = await race(same, same);
    expect(sameB).toMatch(/^stored 0x[0-9a-f]{64}$/);
    expect(sameA).toBe(sameB.replace('stored', 'duplicate'));

    const theirs = await makeBatch(testDeviceKey('pg-race-2'), CURRENT_EPOCH, 51);
    const mine = await makeBatch(testDeviceKey('pg-race-2'), CURRENT_EPOCH, 52);
    const [theirsB, mineA] = await race(theirs, mine);
    expect(theirsB).toMatch(/^stored 0x[0-9a-f]{64}$/);
    expect(mineA).toBe('duplicate_conflict');

    const rows = await dbA.query<{ id: string }>('SELECT id FROM batches WHERE device = ANY($1::text[]) ORDER BY device', [
      [same.device.toLowerCase(), theirs.device.toLowerCase()],
    ]);
    expect(rows.map((row) => row.id).sort()).toEqual([sameB.slice('stored '.length), theirsB.slice('stored '.length)].sort());
  } finally {
    await verifier.close();
    await Promise.all([dbA.close(), dbB.close()]);
  }
});
