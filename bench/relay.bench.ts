/**
 * Relay throughput on loopback: a load generator posts real device batches (real signatures, real
 * Groth16 proofs) to a relay in this process on the embedded store (PGlite), with every check on,
 * then measures the gas of anchoring them. Bounded: ROUNDS rounds or LOAD_SECONDS, whichever first.
 *
 * Real proofs take ~2.5 s each to make, so the generator uses a pool of POOL distinct batches
 * (2 devices × 8 epochs, cached in tests/.tmp/relay-proofs) and replays the pool in rounds,
 * deleting the round's (unanchored) batches between rounds so each submission is new to the relay
 * and goes through the full pipeline (schema, epoch, ioID cache, signature, proof, duplicate check,
 * durable insert). The deletion is outside the timed requests.
 */
import { availableParallelism, cpus } from 'node:os';
import { recoverAddress } from 'viem';
import { batchSigningDigest } from '../src/core/batch/signingDigest.js';
import { readVerificationKey } from '../src/core/zk/node.js';
import { verifyBatchProof } from '../src/core/zk/verify.js';
import { writeBenchResults } from './lib/results.js';
import { CURRENT_EPOCH, makeBatch, post, testDeviceKey, waitFor, type Submission } from '../tests/relay/helpers/batches.js';
import { registerDevice, startTestChain } from '../tests/relay/helpers/chain.js';
import { freshDataDir, startTestRelay } from '../tests/relay/helpers/relay.js';

const EPOCHS = 8;
const DEVICES = ['crash', 'bench'];
const ROUNDS = 12;
const LOAD_SECONDS = 60;
const READINGS = 64;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function run(): Promise<void> {
  const chain = await startTestChain();
  try {
    const pools: Submission[][] = [];
    for (const [d, name] of DEVICES.entries()) {
      await registerDevice(chain, testDeviceKey(name), 2 + d);
      const pool: Submission[] = [];
      for (let i = 0; i < EPOCHS; i++) pool.push(await makeBatch(testDeviceKey(name), CURRENT_EPOCH - EPOCHS + 1 + i, name === 'crash' ? 10 + i : 100 + i));
      pools.push(pool);
    }
    const dataDir = freshDataDir('bench');
    // Load phase: no anchoring (it would compete for the CPU and the store), no rewards.
    let relay = await startTestRelay(chain, { dataDir, anchorBatchSize: 1_000_000, anchorIntervalMs: 3_600_000, rewardPerEpoch: 0n, rateLimit: { perDevice: 1e9, perIp: 1e9 } });
    const latencies: number[] = [];
    let accepted = 0;
    let busyMs = 0;
    const deadline = Date.now() + LOAD_SECONDS * 1000;
    let rounds = 0;
    for (; rounds < ROUNDS && Date.now() < deadline; rounds++) {
      if (rounds > 0) await relay.db.query('DELETE FROM batches WHERE anchor_id IS NULL');
      const started = performance.now();
      // One client per device, each sending its epochs in order (the relay accepts a device's epochs in order).
      await Promise.all(
        pools.map(async (pool) => {
          for (const batch of pool) {
            const t = performance.now();
            const { status, json } = await post(relay.url, batch);
            latencies.push(performance.now() - t);
            if (status !== 201) throw new Error(`batch refused during the bench: ${status} ${JSON.stringify(json)}`);
            accepted++;
          }
        }),
      );
      busyMs += performance.now() - started;
    }
    await relay.stop();

    // Anchoring phase: the last round's batches in one tree, one BatchInbox transaction.
    relay = await startTestRelay(chain, { dataDir, anchorBatchSize: 1000, anchorIntervalMs: 0, rewardPerEpoch: 0n });
    const txs = await waitFor('the anchor transactions', async () => {
      const [left] = await relay.db.query<{ n: unknown }>('SELECT count(*) AS n FROM batches WHERE anchor_id IS NULL');
      const rows = await relay.db.query<{ gas_used: unknown; status: string }>("SELECT gas_used, status FROM chain_txs WHERE kind = 'anchor'");
      return Number(left!.n) === 0 && rows.length > 0 && rows.every((row) => row.status === 'confirmed') ? rows : null;
    });
    const anchors = await relay.db.query<{ count: unknown; readings: unknown }>('SELECT count, readings FROM anchors');
    await relay.stop();

    // What one batch costs to check, measured alone on the same inputs.
    const vkey = await readVerificationKey();
    const sample = pools[0]![0]!;
    const proof = { proof: sample.proof as never, publicSignals: sample.publicSignals.map(BigInt) as never };
    await verifyBatchProof(vkey, proof);
    let t = performance.now();
    for (let i = 0; i < 20; i++) await verifyBatchProof(vkey, proof);
    const verifyMs = (performance.now() - t) / 20;
    t = performance.now();
    for (let i = 0; i < 200; i++) await recoverAddress({ hash: batchSigningDigest(BigInt(sample.commitment)), signature: sample.signature });
    const recoverMs = (performance.now() - t) / 200;

    latencies.sort((a, b) => a - b);
    const batchesPerSecond = accepted / (busyMs / 1000);
    const readingsPerSecond = batchesPerSecond * READINGS;
    const gas = txs.reduce((sum, row) => sum + Number(row.gas_used), 0);
    const anchoredReadings = anchors.reduce((sum, row) => sum + Number(row.readings), 0);
    const anchoredBatches = anchors.reduce((sum, row) => sum + Number(row.count), 0);
    writeBenchResults({
      area: 'relay',
      title: 'Relay ingest and anchoring (loopback, full verification)',
      rows: [
        { figure: 'machine cores', value: availableParallelism(), unit: 'cores', note: cpus()[0]?.model ?? '' },
        { figure: 'store', value: 'PGlite (embedded, folder-backed)', unit: '' },
        { figure: 'batches submitted', value: accepted, unit: 'batches', note: `${rounds} rounds × ${DEVICES.length * EPOCHS} distinct real batches, ${DEVICES.length} concurrent clients` },
        { figure: 'sustained accepted batches/s', value: Number(batchesPerSecond.toFixed(1)), unit: 'batches/s', note: 'signature + Groth16 verification + durable insert per batch' },
        { figure: 'sustained readings/s', value: Math.round(readingsPerSecond), unit: 'readings/s', note: `${READINGS} readings per batch; target 10,000` },
        { figure: 'latency p50', value: Number(percentile(latencies, 50).toFixed(1)), unit: 'ms' },
        { figure: 'latency p99', value: Number(percentile(latencies, 99).toFixed(1)), unit: 'ms' },
        { figure: 'Groth16 verification alone', value: Number(verifyMs.toFixed(1)), unit: 'ms/batch', note: 'verifyBatchProof (snarkjs), sequential' },
        { figure: 'signature recovery alone', value: Number(recoverMs.toFixed(2)), unit: 'ms/batch', note: 'viem recoverAddress' },
        { figure: 'anchor transactions', value: txs.length, unit: 'txs', note: `${anchoredBatches} batches, ${anchoredReadings} readings (one tree per epoch: here ${DEVICES.length} batches each)` },
        { figure: 'anchoring gas (all anchor txs)', value: gas, unit: 'gas', note: 'measured gasUsed, BatchInbox.anchor' },
        { figure: 'anchoring gas per reading', value: Number((gas / anchoredReadings).toFixed(2)), unit: 'gas/reading', note: `at ${Math.round(anchoredReadings / txs.length)} readings per root; the cost per root is constant, so it falls as 1/readings per root` },
      ],
      notes: [
        `Target: 10,000 readings/s on this machine with full verification. Measured ${Math.round(readingsPerSecond)} readings/s (${((readingsPerSecond / 10_000) * 100).toFixed(0)}% of the target).`,
        `Groth16 verification alone takes ${verifyMs.toFixed(1)} ms of CPU per batch, i.e. at most ~${Math.round(1000 / verifyMs)} batches/s (~${Math.round((64 * 1000) / verifyMs)} readings/s) on one core. The limit is this verification (snarkjs/ffjavascript pairings) in one Node process; secp256k1 recovery and the PGlite insert are small next to it.`,
        'Ways up, not done yet: verify in worker threads (one per core), batch-verify proofs with a random linear combination (one multi-pairing per group), larger N per proof (readings per verification grow linearly), several relay instances on PostgreSQL.',
        'The load generator runs in the same process as the relay (loopback HTTP), so it shares the two cores.',
      ],
    });
  } finally {
    await chain.stop();
  }
}
