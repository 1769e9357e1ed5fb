import type { Db } from './db.js';

/**
 * Versioned schema. Each migration runs once, in order, inside a transaction that also records it
 * in schema_migrations; an advisory lock keeps two relay instances starting together from racing.
 * Never edit a released migration: add the next version.
 */
const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'batches, anchors, chain transactions, rewards',
    sql: `
CREATE TABLE chain_txs (
  id            BIGSERIAL PRIMARY KEY,
  kind          TEXT NOT NULL,              -- 'anchor' | 'rewards'
  to_address    TEXT NOT NULL,
  data          TEXT NOT NULL,              -- calldata, 0x…
  status        TEXT NOT NULL DEFAULT 'queued', -- queued → sent → confirmed | reverted
  sender        TEXT,
  nonce         BIGINT,
  raw_tx        TEXT,                       -- signed before broadcast, so a restart re-sends the same tx
  tx_hash       TEXT,
  block_number  BIGINT,
  gas_used      BIGINT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT,
  lease_owner   TEXT,
  lease_until   TIMESTAMPTZ,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX chain_txs_open ON chain_txs (id) WHERE status IN ('queued', 'sent');

CREATE TABLE operator_nonces (
  address    TEXT PRIMARY KEY,
  next_nonce BIGINT NOT NULL
);

CREATE TABLE anchors (
  id           BIGSERIAL PRIMARY KEY,
  epoch        BIGINT NOT NULL,
  merkle_root  TEXT NOT NULL,
  count        INTEGER NOT NULL,
  readings     INTEGER NOT NULL,
  data_hash    TEXT NOT NULL,
  uri          TEXT NOT NULL,
  document     TEXT NOT NULL,               -- the exact bytes served at uri (data_hash = keccak256 of them)
  tx_id        BIGINT NOT NULL REFERENCES chain_txs (id),
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE batches (
  id                 TEXT PRIMARY KEY,      -- the Merkle leaf, 0x…
  seq                BIGSERIAL UNIQUE,
  device             TEXT NOT NULL,
  epoch              BIGINT NOT NULL,
  commitment         TEXT NOT NULL,         -- decimal field element
  signature          TEXT NOT NULL,
  proof              TEXT NOT NULL,         -- JSON
  public_signals     TEXT NOT NULL,         -- JSON array of decimal strings
  readings           INTEGER NOT NULL,
  changes            INTEGER NOT NULL,
  encrypted_readings TEXT,
  received_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  anchor_id          BIGINT REFERENCES anchors (id),
  leaf_index         INTEGER,
  UNIQUE (device, epoch)
);
CREATE INDEX batches_unanchored ON batches (epoch, seq) WHERE anchor_id IS NULL;
CREATE INDEX batches_anchor ON batches (anchor_id, leaf_index);

CREATE TABLE reward_epochs (
  epoch      BIGINT PRIMARY KEY,
  root       TEXT NOT NULL,
  total      TEXT NOT NULL,                 -- wei, decimal
  devices    INTEGER NOT NULL,
  tx_id      BIGINT NOT NULL REFERENCES chain_txs (id),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE reward_leaves (
  epoch      BIGINT NOT NULL REFERENCES reward_epochs (epoch),
  device     TEXT NOT NULL,
  amount     TEXT NOT NULL,                 -- wei, decimal
  weight     TEXT NOT NULL,
  leaf_index INTEGER NOT NULL,
  leaf       TEXT NOT NULL,
  PRIMARY KEY (epoch, device)
);
CREATE INDEX reward_leaves_device ON reward_leaves (device);
`,
  },
  {
    version: 2,
    name: 'operator transactions remember the versions they replaced (fee bumps)',
    sql: `
-- JSON array of the earlier signings of the same nonce: any of them may still be the one mined.
ALTER TABLE chain_txs ADD COLUMN replaced_hashes TEXT NOT NULL DEFAULT '[]'
`,
  },
  {
    version: 3,
    name: 'liveness: failed-final operator transactions, re-anchoring, epochs without rewards',
    sql: `
-- chain_txs.status gains 'failed': the contract refuses the call for good (never retried).
-- How many anchors of this batch failed for good; it is re-anchored until MAX_ANCHOR_FAILURES, then given up.
ALTER TABLE batches ADD COLUMN anchor_failures INTEGER NOT NULL DEFAULT 0;
-- Closed epochs with nothing to pay (every batch given up, or no weight): done, so they hold nothing back.
CREATE TABLE reward_epochs_skipped (
  epoch      BIGINT PRIMARY KEY,
  reason     TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
`,
  },
  {
    version: 4,
    name: 'reward epochs keep the figures their amounts came from',
    sql: `
-- Σ weight over all the epoch's devices (before dropping zero amounts) and the pool, wei, both decimal:
-- served with each reward so the app can check amount = floor(pool · weight / epoch_weight).
-- NULL for epochs computed before this migration (their rewards are served with figures: null).
ALTER TABLE reward_epochs ADD COLUMN epoch_weight TEXT;
ALTER TABLE reward_epochs ADD COLUMN pool TEXT
`,
  },
  {
    version: 5,
    name: 'rate limits shared by every instance on the store',
    sql: `
-- One token bucket per (scope, key): scope 'ip' or 'device'; tokens left and when they were counted
-- (ms since 1970 on the database's clock). Used on PostgreSQL (src/relay/http/rateLimit.ts).
CREATE TABLE rate_buckets (
  scope  TEXT NOT NULL,
  key    TEXT NOT NULL,
  tokens DOUBLE PRECISION NOT NULL,
  at     DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (scope, key)
)
`,
  },
];

/** An arbitrary constant shared by every relay instance: the advisory lock key for migrating. */
const MIGRATION_LOCK = 7_270_001;

export async function migrate(db: Db): Promise<number[]> {
  await db.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`).catch(async (error: unknown) => {
    // Two instances can race on CREATE TABLE IF NOT EXISTS (a unique violation in pg_type); the other one won.
    const exists = await db.query(`SELECT to_regclass('schema_migrations') AS t`);
    if (!exists[0]?.t) throw error;
  });
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (done.length > 0) return;
      for (const statement of migration.sql.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
    });
  }
  return applied;
}
