import pg from 'pg';
import type { Db, Queryable, Row } from './db.js';

/** A real PostgreSQL server through node-postgres, with a small pool. */
export async function openPostgres(connectionString: string, max = 8): Promise<Db> {
  const pool = new pg.Pool({ connectionString, max });
  // Fail at start, with the server's own message, rather than on the first request.
  await pool.query('SELECT 1');
  const wrap = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T extends Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      const result = await client.query<T>(sql, params as unknown[]);
      return result.rows;
    },
  });
  const root = wrap(pool);
  return {
    kind: 'postgres',
    query: root.query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const value = await fn(wrap(client));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
