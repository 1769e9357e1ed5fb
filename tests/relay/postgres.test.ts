import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningRelay } from '../../src/relay/server.js';
import { anchoredOnChain } from './helpers/anchored.js';
import { CURRENT_EPOCH, FIXED_NOW, makeBatch, post, testDeviceKey, waitFor, type Submission } from './helpers/batches.js';
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
