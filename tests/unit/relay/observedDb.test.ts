/**
 * The store wrapper behind the relay's store metrics: every statement is counted (a transaction
 * adds BEGIN and COMMIT), and time with statements in flight is summed once, however many overlap.
 * A real PGlite store; the clock is vitest's fake performance.now, moved by the test.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import type { Db, Row } from '../../../src/relay/db/db.js';
import { observeDb } from '../../../src/relay/db/observed.js';
import { openPglite } from '../../../src/relay/db/pglite.js';
import { freshDataDir } from '../../relay/helpers/relay.js';

let store: Db;
let statements = 0;
let busy: number[] = [];
const observer = { statement: () => statements++, busy: (seconds: number) => busy.push(seconds) };

beforeAll(async () => {
  store = await openPglite(freshDataDir('observed'));
});
afterAll(async () => {
  await store.close();
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['performance'] });
  statements = 0;
  busy = [];
});
afterEach(() => {
  vi.useRealTimers();
});

it('counts each statement, and BEGIN and COMMIT for a transaction', async () => {
  const db = observeDb(store, observer);
  await db.query('SELECT 1');
  await db.query('SELECT 2');
  expect(statements).toBe(2);
  await db.transaction(async (tx) => {
    await tx.query('SELECT 3');
    await tx.query('SELECT 4');
  });
  expect(statements).toBe(6);
  expect(busy).toHaveLength(3); // the two statements and the transaction, one after another
});

it('sums the time with statements in flight once when they overlap', async () => {
  // Each answer is held until the test releases it, so the fake clock can move in between.
  const held: (() => void)[] = [];
  const slow: Db = {
    ...store,
    query: async <T extends Row>(sql: string, params?: readonly unknown[]) => {
      const rows = await store.query<T>(sql, params);
      await new Promise<void>((resolve) => held.push(resolve));
      return rows;
    },
  };
  const db = observeDb(slow, observer);
  const first = db.query('SELECT 1');
  const second = db.query('SELECT 2');
  // (not vi.waitFor: it moves the fake clock)
  while (held.length < 2) await new Promise((resolve) => setImmediate(resolve));
  vi.advanceTimersByTime(30);
  held[0]!();
  await first;
  expect(busy).toEqual([]); // the second statement is still in flight
  vi.advanceTimersByTime(20);
  held[1]!();
  await second;
  expect(busy).toHaveLength(1);
  expect(busy[0]).toBeCloseTo(0.05, 6); // 50 ms of store time, not 30 + 50
  expect(statements).toBe(2);
});
