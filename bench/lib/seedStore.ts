/**
 * Fills a relay store (already migrated) with `count` batches through SQL, not HTTP: the fast path
 * the relay bench uses to compare ingest at 1,000,000 stored batches against an empty store.
 *
 * The rows look like a relay's after months of work: 50,000 devices with one batch per epoch each,
 * every batch anchored (1,000 per anchor, each anchor with its confirmed transaction), texts of the
 * real lengths (ids, signatures, decimal commitments, the proof and public signals as JSON). The
 * anchors' documents are left empty: no ingest statement reads them. ANALYZE runs at the end, as
 * PostgreSQL's autovacuum would on a live store.
 */
import type { Db } from '../../src/relay/db/db.js';

const DEVICES = 50_000;
const PER_ANCHOR = 1_000;
const CHUNK = 100_000;

export async function seedBatches(db: Db, count: number, sample: { proof: string; publicSignals: string }, onProgress?: (done: number) => void): Promise<void> {
  const anchors = Math.ceil(count / PER_ANCHOR);
  await db.query(
    `INSERT INTO chain_txs (kind, to_address, data, status, tx_hash, block_number, gas_used)
     SELECT 'anchor', '0x0000000000000000000000000000000000000001', '0x', 'confirmed', '0x' || md5(g::text) || md5((-g)::text), g, 60000
       FROM generate_series(1, $1::integer) g`,
    [anchors],
  );
  await db.query(
    `INSERT INTO anchors (epoch, merkle_root, count, readings, data_hash, uri, document, tx_id)
     SELECT 400000 + g, '0x' || md5(('r' || g)::text) || md5(('s' || g)::text), ${PER_ANCHOR}, ${PER_ANCHOR * 64},
            '0x' || md5(('h' || g)::text) || md5(('i' || g)::text), 'http://seed.invalid/v1/anchors/' || g, '', t.id
       FROM generate_series(1, $1::integer) g JOIN chain_txs t ON t.block_number = g AND t.kind = 'anchor'`,
    [anchors],
  );
  const [first] = await db.query<{ id: unknown }>('SELECT min(id) AS id FROM anchors');
  const firstAnchor = Number(first!.id);
  for (let from = 0; from < count; from += CHUNK) {
    const to = Math.min(count, from + CHUNK) - 1;
    await db.query(
      `INSERT INTO batches (id, device, epoch, commitment, signature, proof, public_signals, readings, changes, received_at, anchor_id, leaf_index)
       SELECT '0x' || md5(g::text) || md5((g + 7)::text),
              '0x' || substr(md5(('device ' || (g % ${DEVICES}))::text), 1, 40),
              400000 + g / ${DEVICES},
              rpad((g::bigint * 7919)::text, 77, '3'),
              '0x' || md5(('sig' || g)::text) || md5(('sig2' || g)::text) || md5(('sig3' || g)::text) || md5(('sig4' || g)::text) || '1b',
              $3::text, $4::text, 64, 0,
              now() - make_interval(secs => ($2::integer - g)),
              $5::bigint + g / ${PER_ANCHOR}, g % ${PER_ANCHOR}
         FROM generate_series($1::integer, $2::integer) g`,
      [from, to, sample.proof, sample.publicSignals, firstAnchor],
    );
    onProgress?.(to + 1);
  }
  await db.query('ANALYZE');
}
