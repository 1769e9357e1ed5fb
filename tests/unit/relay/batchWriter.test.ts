/**
 * The relay's group commit (src/relay/ingest/batchWriter.ts) on a real PGlite store with the real
 * migrations: rows that arrive while a write is in flight go together as one statement, each caller
 * gets its own row, the replay and duplicate guard stays exact, a bad row fails alone, and nobody is
 * answered before the statement has returned.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Queryable, Row } from '../../../src/relay/db/db.js';
import { openPglite } from '../../../src/relay/db/pglite.js';
import { migrate } from '../../../src/relay/db/migrations.js';
import { createBatchWriter, type NewBatch } from '../../../src/relay/ingest/batchWriter.js';

let dir: string;
let db: Db;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outpost-batch-writer-'));
  db = await openPglite(dir);
  await migrate(db);
}, 120_000); // a fresh PGlite folder runs initdb in WASM: seconds

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A row for `device` (a name; each test uses its own) and `epoch`; `variant` makes another batch for the same pair. */
function row(device: string, epoch: number, variant = 0): NewBatch {
  return {
    id: `0x${device}-${epoch}-${variant}`,
    device,
    epoch,
    commitment: String(1000 * epoch + variant),
    signature: '0xsig',
    proof: '{"pi_a":["1","2","1"]}',
    publicSignals: '["1","2","3","4"]',
    readings: 64,
    changes: 12,
    encryptedReadings: variant === 0 ? null : 'QUJD',
  };
}

/** The store, counting the batch inserts it runs and the rows each carried; `hold` keeps a statement's answer until released. */
function recording(target: Queryable) {
  const groups: string[][] = [];
  const held: (() => void)[] = [];
  let holding = false;
  const store: Queryable = {
    async query<T extends Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      if (!/^\s*INSERT INTO batches/.test(sql)) return target.query<T>(sql, params);
      groups.push([...(params[0] as string[])]);
      const rows = await target.query<T>(sql, params);
      if (holding) await new Promise<void>((resolve) => held.push(resolve));
      return rows;
    },
  };
  return {
    store,
    groups,
    hold() {
      holding = true;
    },
    /** Answers the oldest held statement. */
    releaseOne() {
      held.shift()?.();
    },
    held: () => held.length,
  };
}

async function storedIds(device: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>('SELECT id FROM batches WHERE device = $1 ORDER BY epoch', [device]);
  return rows.map((r) => r.id);
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('batch writer (group commit)', () => {
  it('a row alone goes at once, in its own statement, before anything is awaited', async () => {
    const recorder = recording(db);
    const writer = createBatchWriter(recorder.store);
    const pending = writer.insert(row('alone', 1));
    // No timer and no waiting for company: the statement has been issued synchronously.
    expect(recorder.groups).toEqual([['0xalone-1-0']]);
    const stored = await pending;
    expect(stored?.id).toBe('0xalone-1-0');
  });

  it('rows that arrive during a write go together as one statement, each caller getting its own row', async () => {
    const recorder = recording(db);
    const writer = createBatchWriter(recorder.store);
    const rows = Array.from({ length: 10 }, (_, i) => row(`many${i}`, 5 + i));
    const stored = await Promise.all(rows.map((r) => writer.insert(r)));
    // The first goes alone; the nine that arrived while it was in flight share the second statement.
    expect(recorder.groups.map((group) => group.length)).toEqual([1, 9]);
    stored.forEach((s, i) => {
      expect(s).not.toBeNull();
      expect({ id: s!.id, device: s!.device, epoch: Number(s!.epoch), commitment: s!.commitment, readings: Number(s!.readings) }).toEqual({
        id: rows[i]!.id,
        device: rows[i]!.device,
        epoch: rows[i]!.epoch,
        commitment: rows[i]!.commitment,
        readings: 64,
      });
      expect(s!.received_at).toBeTruthy();
    });
    for (const r of rows) expect(await storedIds(r.device)).toEqual([r.id]);
  });

  it('a statement takes at most 64 rows; the rest go in the next one', async () => {
    const recorder = recording(db);
    const writer = createBatchWriter(recorder.store);
    const stored = await Promise.all(Array.from({ length: 100 }, (_, i) => writer.insert(row(`cap${i}`, 7))));
    expect(recorder.groups.map((group) => group.length)).toEqual([1, 64, 35]);
    expect(stored.every((s, i) => s?.id === `0xcap${i}-7-0`)).toBe(true);
  });

  it('a group holds one row per device, so a later epoch in the same group cannot let an older one in', async () => {
    const recorder = recording(db);
    const writer = createBatchWriter(recorder.store);
    // While `filler` is written, device d sends epoch 9 then epoch 8 (a replay), and device e epoch 8.
    const [, newer, older, other] = await Promise.all([writer.insert(row('filler', 1)), writer.insert(row('d', 9)), writer.insert(row('d', 8)), writer.insert(row('e', 8))]);
    expect(recorder.groups).toEqual([['0xfiller-1-0'], ['0xd-9-0', '0xe-8-0'], ['0xd-8-0']]);
    expect(newer?.id).toBe('0xd-9-0');
    expect(older).toBeNull();
    expect(other?.id).toBe('0xe-8-0');
    expect(await storedIds('d')).toEqual(['0xd-9-0']);
  });

  it('the guard refuses an older epoch, the same epoch (same batch or another) and lets a newer one in', async () => {
    const writer = createBatchWriter(db);
    expect((await writer.insert(row('g', 5)))?.id).toBe('0xg-5-0');
    expect(await writer.insert(row('g', 4))).toBeNull();
    expect(await writer.insert(row('g', 5))).toBeNull();
    expect(await writer.insert(row('g', 5, 1))).toBeNull();
    // The same refusals when they arrive together (each in its own group: one device).
    expect(await Promise.all([writer.insert(row('g', 3)), writer.insert(row('g', 5, 2)), writer.insert(row('g', 6))])).toEqual([null, null, expect.objectContaining({ id: '0xg-6-0' })]);
    expect(await storedIds('g')).toEqual(['0xg-5-0', '0xg-6-0']);
  });

  it('a group whose statement fails is retried row by row: only the bad row fails', async () => {
    // A rule the test adds so that one row of a group is refused by the table itself.
    await db.query(`ALTER TABLE batches ADD CONSTRAINT test_no_bad_commitment CHECK (commitment <> 'bad')`);
    try {
      const recorder = recording(db);
      const writer = createBatchWriter(recorder.store);
      const bad = { ...row('bad1', 2), commitment: 'bad' };
      const results = await Promise.allSettled([writer.insert(row('bad0', 2)), writer.insert(row('bad2', 2)), writer.insert(bad), writer.insert(row('bad3', 2))]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: '23514' });
      // bad0 alone; then the group of three fails, and its rows go alone.
      expect(recorder.groups).toEqual([['0xbad0-2-0'], ['0xbad1-2-0', '0xbad2-2-0', '0xbad3-2-0'], ['0xbad1-2-0'], ['0xbad2-2-0'], ['0xbad3-2-0']]);
      expect(await storedIds('bad2')).toEqual(['0xbad2-2-0']);
      expect(await storedIds('bad3')).toEqual(['0xbad3-2-0']);
      expect(await storedIds('bad1')).toEqual([]);
    } finally {
      await db.query('ALTER TABLE batches DROP CONSTRAINT test_no_bad_commitment');
    }
  });

  it('no caller is answered before its statement has returned', async () => {
    const recorder = recording(db);
    recorder.hold();
    const writer = createBatchWriter(recorder.store);
    const answered: string[] = [];
    const pending = ['h1', 'h2', 'h3'].map((device) => writer.insert(row(device, 1)).then((stored) => answered.push(stored!.id)));
    await tick();
    // The first statement has run in the store but has not returned yet: nobody is answered, the others wait.
    expect(await storedIds('h1')).toEqual(['0xh1-1-0']);
    expect(recorder.groups).toEqual([['0xh1-1-0']]);
    expect(answered).toEqual([]);
    recorder.releaseOne();
    await tick();
    expect(answered).toEqual(['0xh1-1-0']);
    // The second statement (h2 and h3 together) has run, and is held in its turn.
    expect(recorder.groups).toEqual([['0xh1-1-0'], ['0xh2-1-0', '0xh3-1-0']]);
    expect(recorder.held()).toBe(1);
    expect(answered).toEqual(['0xh1-1-0']);
    recorder.releaseOne();
    await Promise.all(pending);
    expect(answered.sort()).toEqual(['0xh1-1-0', '0xh2-1-0', '0xh3-1-0']);
  });
});
