import type { Db, Queryable, Row } from './db.js';

/** What the store wrapper reports: one call per statement, and the time the store was busy. */
export type StoreObserver = {
  statement(): void;
  /** Seconds with at least one statement in flight, reported as each such stretch ends. */
  busy(seconds: number): void;
};

/**
 * Wraps a store so every statement (inside transactions too) is counted, and the time with at least
 * one statement in flight is summed. Overlapping statements count once: PGlite runs them one at a
 * time on the main thread, so the sum is the time the store held it, not the waiting on top.
 */
export function observeDb(db: Db, observer: StoreObserver): Db {
  let inFlight = 0;
  let since = 0;
  const track = async <T>(run: () => Promise<T>): Promise<T> => {
    observer.statement();
    if (inFlight++ === 0) since = performance.now();
    try {
      return await run();
    } finally {
      if (--inFlight === 0) observer.busy((performance.now() - since) / 1000);
    }
  };
  const wrap = (target: Queryable): Queryable => ({ query: <T extends Row>(sql: string, params?: readonly unknown[]) => track(() => target.query<T>(sql, params)) });
  return {
    kind: db.kind,
    query: wrap(db).query,
    // BEGIN and COMMIT: two statements; the store is held from the first to the last.
    transaction: (fn) => {
      observer.statement();
      return track(() => db.transaction((tx) => fn(wrap(tx))));
    },
    close: () => db.close(),
  };
}
