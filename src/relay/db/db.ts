/**
 * The relay's storage seam: the same SQL runs on PGlite (embedded, the default) and on a real
 * PostgreSQL server (when DATABASE_URL is set). Only plain PostgreSQL features are used, so both
 * behave alike, including `FOR UPDATE SKIP LOCKED` for splitting work between relay instances.
 */
export type Row = Record<string, unknown>;

export interface Queryable {
  /** Runs one statement with $1…$n parameters and returns its rows. */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** int8/numeric columns come back as string (pg) or bigint/number (PGlite); this reads either. */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return Number.NaN;
  return typeof value === 'number' ? value : Number(value);
}

export async function openDb(options: { databaseUrl?: string | undefined; dataDir: string }): Promise<Db> {
  if (options.databaseUrl) {
    const { openPostgres } = await import('./postgres.js');
    return openPostgres(options.databaseUrl);
  }
  const { openPglite } = await import('./pglite.js');
  return openPglite(options.dataDir);
}
