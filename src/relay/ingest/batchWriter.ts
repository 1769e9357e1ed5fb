/**
 * Group commit for new batches. Every statement is its own transaction, with a round trip and a
 * commit (a WAL flush; on PGlite, time on the main thread) of its own. So while one insert is in
 * flight, the rows that arrive wait, and when it has committed the next statement takes all of
 * them (up to MAX_ROWS_PER_STATEMENT) at once: one round trip and one commit for the group. Under light load a row goes alone at once (no timers: nothing waits for
 * company); under heavy load the groups grow and each row costs less.
 *
 * The statement is the single-row guarded insert made multi-row: a row goes in only if its device
 * has no batch for its epoch or a later one. Rows of one statement do not see each other, so a group
 * holds at most one row per device (a second row of the same device waits for the next group) and
 * the guard stays exact. ON CONFLICT DO NOTHING skips a row another instance inserted meanwhile (same
 * id or same device and epoch: PostgreSQL waits for that transaction, then skips), so a race ends in
 * a refused row, not an error. A refused row resolves to null; the caller explains it.
 *
 * Each caller's promise settles only after its statement has returned, i.e. committed, so a receipt
 * is only given for a durable row. If a group's statement fails (a row the table refuses, or a
 * deadlock with another instance's group), each of its rows is tried again alone, so only the rows
 * that fail alone reject.
 */
import { BATCH_COLUMNS, type BatchRow } from './receipts.js';
import type { Queryable } from '../db/db.js';

/** A verified batch as stored: `device` lowercase, `proof` and `publicSignals` as JSON text. */
export type NewBatch = {
  id: string;
  device: string;
  epoch: number;
  commitment: string;
  signature: string;
  proof: string;
  publicSignals: string;
  readings: number;
  changes: number;
  encryptedReadings: string | null;
};

export type BatchWriter = {
  /** Stores `row` unless its device has a batch for its epoch or a later one (null then); settles after the commit. */
  insert(row: NewBatch): Promise<BatchRow | null>;
};

/** A cap on one statement, so a long queue does not make one slow statement that holds every row's answer. */
const MAX_ROWS_PER_STATEMENT = 64;

const INSERT_SQL = `
INSERT INTO batches (id, device, epoch, commitment, signature, proof, public_signals, readings, changes, encrypted_readings)
SELECT r.id, r.device, r.epoch, r.commitment, r.signature, r.proof, r.public_signals, r.readings, r.changes, r.encrypted_readings
  FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::integer[], $9::integer[], $10::text[])
       AS r (id, device, epoch, commitment, signature, proof, public_signals, readings, changes, encrypted_readings)
 WHERE NOT EXISTS (SELECT 1 FROM batches b WHERE b.device = r.device AND b.epoch >= r.epoch)
ON CONFLICT DO NOTHING
RETURNING ${BATCH_COLUMNS}`;

/** One statement for `rows` (at most one per device): the stored rows by id. */
async function insertRows(db: Queryable, rows: readonly NewBatch[]): Promise<Map<string, BatchRow>> {
  const column = <K extends keyof NewBatch>(key: K) => rows.map((row) => row[key]);
  const stored = await db.query<BatchRow>(INSERT_SQL, [
    column('id'),
    column('device'),
    column('epoch'),
    column('commitment'),
    column('signature'),
    column('proof'),
    column('publicSignals'),
    column('readings'),
    column('changes'),
    column('encryptedReadings'),
  ]);
  return new Map(stored.map((row) => [row.id, row]));
}

type Waiting = { row: NewBatch; resolve: (row: BatchRow | null) => void; reject: (error: unknown) => void };

export function createBatchWriter(db: Queryable, { maxRows = MAX_ROWS_PER_STATEMENT }: { maxRows?: number } = {}): BatchWriter {
  let waiting: Waiting[] = [];
  let writing = false;

  /** The oldest waiting rows, at most one per device and `maxRows` in all; the rest keep their places. */
  const takeGroup = (): Waiting[] => {
    const group: Waiting[] = [];
    const rest: Waiting[] = [];
    const devices = new Set<string>();
    for (const item of waiting) {
      if (group.length < maxRows && !devices.has(item.row.device)) {
        devices.add(item.row.device);
        group.push(item);
      } else {
        rest.push(item);
      }
    }
    waiting = rest;
    // One order for every instance's groups (by device): two groups that meet on the same rows wait
    // for each other in that order, not in a cycle (a deadlock PostgreSQL broke would send the rows alone).
    return group.sort((a, b) => (a.row.device < b.row.device ? -1 : a.row.device > b.row.device ? 1 : 0));
  };

  const write = async (group: Waiting[]): Promise<void> => {
    let stored: Map<string, BatchRow>;
    try {
      stored = await insertRows(db, group.map((item) => item.row));
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      // One bad row fails the whole statement: try each alone, so only the rows that fail alone fail.
      for (const item of group) await write([item]);
      return;
    }
    for (const item of group) item.resolve(stored.get(item.row.id) ?? null);
  };

  const dispatch = (): void => {
    if (writing || waiting.length === 0) return;
    writing = true;
    void write(takeGroup()).finally(() => {
      writing = false;
      dispatch();
    });
  };

  return {
    insert: (row) =>
      new Promise<BatchRow | null>((resolve, reject) => {
        waiting.push({ row, resolve, reject });
        dispatch();
      }),
  };
}
