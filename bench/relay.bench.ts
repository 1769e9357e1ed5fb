/**
 * Relay throughput on loopback: a load generator posts real device batches (real signatures, real
 * Groth16 proofs) to a relay in this process on the embedded store (PGlite), with every check on,
 * then measures the gas of anchoring them. Each load phase is bounded: ROUNDS rounds or LOAD_SECONDS,
 * whichever first.
 *
 * Real proofs take ~2.5 s each to make, so the generator uses a pool of distinct batches
 * (4 devices × 8 epochs, cached in tests/.tmp/relay-proofs) and replays the pool in rounds,
 * deleting the round's (unanchored) batches between rounds so each submission is new to the relay
 * and goes through the full pipeline (schema, epoch, ioID cache, signature, proof, duplicate check,
 * durable insert). The deletion is outside the timed requests.
 */
import { availableParallelism, cpus } from 'node:os';
import { batchSigningDigest } from '../src/core/batch/signingDigest.js';
import { readVerificationKey } from '../src/node/zkArtifacts.js';
import { verifyBatchProof } from '../src/core/zk/verify.js';
import { createMclBatchVerifier } from '../src/relay/verify/groth16Mcl.js';
import { writeBenchResults } from './lib/results.js';
import { CURRENT_EPOCH, FIXED_NOW, makeBatch, post, testDeviceKey, waitFor, type Submission } from '../tests/relay/helpers/batches.js';
import { registerDevice, startTestChain } from '../tests/relay/helpers/chain.js';
import { advanceChainTo, freshDataDir, startTestRelay } from '../tests/relay/helpers/relay.js';
import type { RunningRelay } from '../src/relay/server.js';
import { defaultVerifyThreads, MAX_PROOFS_PER_CHECK } from '../src/relay/verify/pool.js';
import { recoverBatchSigner, RECOVERY_BACKEND } from '../src/relay/verify/signature.js';

const EPOCHS = 8;
/** Four devices, so up to four batches are in flight; the two-client phase uses the first two (the earlier bench's shape). */
const DEVICES = ['crash', 'bench', 'bench-2', 'bench-3'];
const CLIENT_PHASES = [4, 2];
const ROUNDS = 12;
const LOAD_SECONDS = 60;
const READINGS = 64;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

type LoadResult = { clients: number; accepted: number; rounds: number; busyMs: number; cpuMs: number; latencies: number[] };

/**
 * Replays the pools in rounds, one client per device, each sending its epochs in order (the relay
 * accepts a device's epochs in order). CPU time is the whole process's (relay, its verification
 * threads and the load generator alike), from process.cpuUsage.
 */
async function load(relay: RunningRelay, pools: Submission[][]): Promise<LoadResult> {
  const latencies: number[] = [];
  let accepted = 0;
  let busyMs = 0;
  let cpuMs = 0;
  const deadline = Date.now() + LOAD_SECONDS * 1000;
  let rounds = 0;
  for (; rounds < ROUNDS && Date.now() < deadline; rounds++) {
    await relay.db.query('DELETE FROM batches WHERE anchor_id IS NULL');
    const cpu = process.cpuUsage();
    const started = performance.now();
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
    const used = process.cpuUsage(cpu);
    cpuMs += (used.user + used.system) / 1000;
  }
  latencies.sort((a, b) => a - b);
  return { clients: pools.length, accepted, rounds, busyMs, cpuMs, latencies };
}

export async function run(): Promise<void> {
  const chain = await startTestChain();
  await advanceChainTo(chain, FIXED_NOW); // the relay anchors a batch once the chain's clock has passed its window
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
    // The two-client phase runs last, so the anchoring phase below anchors the same 16 batches as before.
    const phases: LoadResult[] = [];
    for (const clients of CLIENT_PHASES) phases.push(await load(relay, pools.slice(0, clients)));
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

    // What one batch costs to check, measured alone on the same inputs: the app's reference verifier
    // (snarkjs) and the relay's (mcl) side by side in this run, so their ratio holds on a noisy machine.
    const vkey = await readVerificationKey();
    const verifyMcl = await createMclBatchVerifier(vkey);
    const sample = pools[0]![0]!;
    const proof = { proof: sample.proof as never, publicSignals: sample.publicSignals.map(BigInt) as never };
    if (!(await verifyBatchProof(vkey, proof)) || !verifyMcl(proof)) throw new Error('the sample batch does not verify');
    let t = performance.now();
    for (let i = 0; i < 20; i++) await verifyBatchProof(vkey, proof);
    const snarkjsMs = (performance.now() - t) / 20;
    t = performance.now();
    for (let i = 0; i < 200; i++) verifyMcl(proof);
    const mclMs = (performance.now() - t) / 200;
    t = performance.now();
    for (let i = 0; i < 200; i++) recoverBatchSigner(batchSigningDigest(BigInt(sample.commitment)), sample.signature);
    const recoverMs = (performance.now() - t) / 200;

    const figures = phases.map((phase) => {
      const batchesPerSecond = phase.accepted / (phase.busyMs / 1000);
      return { ...phase, batchesPerSecond, readingsPerSecond: batchesPerSecond * READINGS, cpuPerBatch: phase.cpuMs / phase.accepted };
    });
    const best = figures.reduce((a, b) => (b.readingsPerSecond > a.readingsPerSecond ? b : a));
    const loadRows = figures.flatMap((f) => [
      { figure: `batches submitted, ${f.clients} clients`, value: f.accepted, unit: 'batches', note: `${f.rounds} rounds × ${f.clients * EPOCHS} distinct real batches, ${f.clients} concurrent clients` },
      { figure: `sustained accepted batches/s, ${f.clients} clients`, value: Number(f.batchesPerSecond.toFixed(1)), unit: 'batches/s', note: 'signature + Groth16 verification + durable insert per batch' },
      { figure: `sustained readings/s, ${f.clients} clients`, value: Math.round(f.readingsPerSecond), unit: 'readings/s', note: `${READINGS} readings per batch; target 10,000` },
      { figure: `latency p50, ${f.clients} clients`, value: Number(percentile(f.latencies, 50).toFixed(1)), unit: 'ms' },
      { figure: `latency p99, ${f.clients} clients`, value: Number(percentile(f.latencies, 99).toFixed(1)), unit: 'ms' },
      { figure: `CPU per accepted batch, ${f.clients} clients`, value: Number(f.cpuPerBatch.toFixed(1)), unit: 'ms/batch', note: 'whole process (relay, verification threads, load generator); 10,000 readings/s on 2 cores allows 12.8' },
    ]);
    const gas = txs.reduce((sum, row) => sum + Number(row.gas_used), 0);
    const anchoredReadings = anchors.reduce((sum, row) => sum + Number(row.readings), 0);
    const anchoredBatches = anchors.reduce((sum, row) => sum + Number(row.count), 0);
    writeBenchResults({
      area: 'relay',
      title: 'Relay ingest and anchoring (loopback, full verification)',
      rows: [
        { figure: 'machine cores', value: availableParallelism(), unit: 'cores', note: cpus()[0]?.model ?? '' },
        { figure: 'store', value: 'PGlite (embedded, folder-backed)', unit: '' },
        { figure: 'verification threads', value: defaultVerifyThreads(), unit: 'threads', note: 'signature recovery and Groth16 (mcl) off the main thread' },
        ...loadRows,
        { figure: 'Groth16 verification alone, snarkjs', value: Number(snarkjsMs.toFixed(1)), unit: 'ms/verify', note: 'verifyBatchProof (the app’s reference), sequential, same run' },
        { figure: 'Groth16 verification alone, mcl', value: Number(mclMs.toFixed(2)), unit: 'ms/verify', note: 'createMclBatchVerifier, one proof at a time, sequential, same run (the relay combines concurrent proofs: bench/results/verify.md)' },
        { figure: 'snarkjs / mcl', value: Number((snarkjsMs / mclMs).toFixed(1)), unit: '×', note: 'ratio of the two rows above' },
        { figure: 'signature recovery alone', value: Number(recoverMs.toFixed(2)), unit: 'ms/batch', note: `signature.ts: BatchInbox’s rule, recovery on ${RECOVERY_BACKEND} (what the verification threads run)` },
        { figure: 'anchor transactions', value: txs.length, unit: 'txs', note: `${anchoredBatches} batches, ${anchoredReadings} readings (one tree per epoch: here ${CLIENT_PHASES.at(-1)} batches each)` },
        { figure: 'anchoring gas (all anchor txs)', value: gas, unit: 'gas', note: 'measured gasUsed, BatchInbox.anchor' },
        { figure: 'anchoring gas per reading', value: Number((gas / anchoredReadings).toFixed(2)), unit: 'gas/reading', note: `at ${Math.round(anchoredReadings / txs.length)} readings per root; the cost per root is constant, so it falls as 1/readings per root` },
      ],
      notes: [
        `Target: 10,000 readings/s on this machine with full verification. Best measured: ${Math.round(best.readingsPerSecond)} readings/s with ${best.clients} concurrent clients (${((best.readingsPerSecond / 10_000) * 100).toFixed(0)}% of the target).`,
        `The relay verifies proofs with mcl (src/relay/verify/groth16Mcl.ts): ${mclMs.toFixed(1)} ms per proof alone against ${snarkjsMs.toFixed(1)} ms for snarkjs in this run (${(snarkjsMs / mclMs).toFixed(1)}×). snarkjs stays the app's verifier (src/core/zk/verify.ts); the unit tests cross-check the two. Proofs that arrive while the verification thread is busy are checked together (a random linear combination, up to ${MAX_PROOFS_PER_CHECK} per check), so under load a proof costs less than the figure alone; bench/results/verify.md has both.`,
        `Signature recovery and proof verification run on ${defaultVerifyThreads()} worker thread(s) (src/relay/verify/pool.ts) while the main thread serves HTTP, parses JSON and writes to PGlite. Each accepted batch costs ${best.cpuPerBatch.toFixed(1)} ms of CPU across the process; 10,000 readings/s on 2 cores would need at most 12.8 ms, and proof verification (${mclMs.toFixed(1)} ms) plus recovery (${recoverMs.toFixed(1)} ms) alone, one proof at a time, take ${(mclMs + recoverMs).toFixed(1)} ms; combined checks under load take less per proof.`,
        'What limits it now: both cores are busy. The main thread spends most of its time in PGlite (each statement runs postgres in WASM on this thread; a batch now takes two, the id lookup and the guarded insert, where it took six), HTTP on both sides (undici fetch in the load generator, Hono) and JSON; the verification thread in the pairing (Miller loops and final exponentiation, plus the G2 subgroup check of B) and recovery.',
        'Ways further up, not done yet (issue 18): group commit of concurrent inserts, larger N per proof (readings per verification grow linearly), a separate load-generator process, several relay instances on PostgreSQL.',
        'The load generator runs in the same process as the relay (loopback HTTP), so it shares the two cores. The earlier bench (before mcl and the worker thread) ran only the 2-client phase: 923–1,377 readings/s.',
      ],
    });
  } finally {
    await chain.stop();
  }
}
