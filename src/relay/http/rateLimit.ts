import type { Db, Queryable } from '../db/db.js';

/** Takes one token for `key`; false when its bucket is empty. */
export interface Limiter {
  take(key: string): boolean | Promise<boolean>;
}

/**
 * Token buckets keyed by device or client address: `perMinute` requests per minute, with bursts
 * up to the same number. In memory, for one relay instance on its embedded store (PGlite cannot
 * be shared, so there is no second instance to agree with).
 */
class RateLimiter implements Limiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: number, private readonly clock: () => number = () => Date.now()) {}

  /** Takes one token for `key`; false when its bucket is empty. */
  take(key: string): boolean {
    const now = this.clock();
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * this.perMinute);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 100_000) this.prune(now);
    return allowed;
  }

  /** Forgets full buckets so the map stays bounded under many distinct keys. */
  private prune(now: number): void {
    for (const [k, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 60_000) * this.perMinute >= this.perMinute) this.buckets.delete(k);
    }
  }
}

/**
 * The same token buckets in the relay's PostgreSQL (table rate_buckets), so that every instance on
 * the store draws from one bucket per key: N instances allow the limit once, not N times. One
 * statement per take, atomic under concurrency (the upsert locks the key's row), on the database's
 * clock so instances with skewed clocks still agree. An empty bucket is left as it was, so it
 * refills from its last successful take.
 */
class SharedRateLimiter implements Limiter {
  #takes = 0;

  constructor(
    private readonly db: Queryable,
    private readonly scope: 'ip' | 'device',
    private readonly perMinute: number,
  ) {}

  async take(key: string): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO rate_buckets AS b (scope, key, tokens, at)
         SELECT $1, $2, $3::double precision - 1, extract(epoch FROM clock_timestamp()) * 1000
       ON CONFLICT (scope, key) DO UPDATE
         SET tokens = LEAST($3::double precision, b.tokens + (EXCLUDED.at - b.at) * $3::double precision / 60000) - 1, at = EXCLUDED.at
         WHERE LEAST($3::double precision, b.tokens + (EXCLUDED.at - b.at) * $3::double precision / 60000) >= 1
       RETURNING tokens`,
      [this.scope, key, this.perMinute],
    );
    // Forget full buckets now and then, so the table stays bounded under many distinct keys.
    if (++this.#takes % 1_000 === 0) await this.prune();
    return rows.length === 1;
  }

  private async prune(): Promise<void> {
    await this.db.query(
      `DELETE FROM rate_buckets
        WHERE scope = $1 AND tokens + (extract(epoch FROM clock_timestamp()) * 1000 - at) * $2::double precision / 60000 >= $2::double precision`,
      [this.scope, this.perMinute],
    );
  }
}

/** Shared buckets on PostgreSQL (several instances may share it), in memory on PGlite (one instance). */
export function createLimiters(db: Db, limits: { perDevice: number; perIp: number }): { perIp: Limiter; perDevice: Limiter } {
  if (db.kind === 'postgres') return { perIp: new SharedRateLimiter(db, 'ip', limits.perIp), perDevice: new SharedRateLimiter(db, 'device', limits.perDevice) };
  return { perIp: new RateLimiter(limits.perIp), perDevice: new RateLimiter(limits.perDevice) };
}
