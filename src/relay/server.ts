import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { readVerificationKey } from '../node/zkArtifacts.js';
import { buildAnchor } from './anchor/builder.js';
import { processOneTx } from './anchor/txSender.js';
import { batchInboxAbi } from '../core/abis/index.js';
import { createRelayChain, type RelayChain } from './chain.js';
import { anchorWithinSeconds, checkConfig, type RelayConfig } from './config.js';
import { openDb, type Db } from './db/db.js';
import { RelayConfigError } from './errors.js';
import { migrate } from './db/migrations.js';
import { observeDb } from './db/observed.js';
import { createApp } from './http/app.js';
import { createBatchWriter } from './ingest/batchWriter.js';
import { IoIdCache } from './ingest/ioidCache.js';
import { createLogger, type Logger } from './log.js';
import { RelayMetrics } from './metrics.js';
import { computeNextEpoch } from './rewards/worker.js';
import { createVerifier, type Verifier } from './verify/pool.js';

export type RunningRelay = {
  url: string;
  port: number;
  db: Db;
  metrics: RelayMetrics;
  stop: () => Promise<void>;
};

/** Runs `step` every `pollMs` (immediately again while it finds work) until stopped; errors are logged, not fatal. */
function loop(name: string, pollMs: number, log: Logger, step: () => Promise<boolean>): { stop: () => Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let wake: (() => void) | null = null;
  const done = (async () => {
    while (!stopped) {
      let busy = false;
      try {
        busy = await step();
      } catch (error) {
        log('error', `${name} worker step failed`, { error: error instanceof Error ? error.message : String(error) });
      }
      if (stopped) break;
      if (!busy) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, pollMs);
        });
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
      await done;
    },
  };
}

/**
 * BatchInbox judges windows by its own epoch length, and the relay must judge them the same way
 * (a window inside one relay epoch but across two of the contract's would be slashable), so a
 * differing RELAY_EPOCH_SECONDS stops the relay at start. A chain that cannot be asked now is logged
 * and not fatal: the relay can take batches while the RPC is down, and checks again at its next start.
 */
async function checkEpochLength(chain: RelayChain, config: RelayConfig, log: Logger): Promise<void> {
  let onChain: bigint;
  try {
    onChain = await chain.client.readContract({ address: config.contracts.batchInbox, abi: batchInboxAbi, functionName: 'epochSeconds' });
  } catch (error) {
    log('warn', 'could not read BatchInbox.epochSeconds; the epoch length is not checked', { error: error instanceof Error ? error.message : String(error) });
    return;
  }
  if (onChain !== BigInt(config.epochSeconds)) {
    throw new RelayConfigError('relay.config_epoch_mismatch', `RELAY_EPOCH_SECONDS is ${config.epochSeconds}, but BatchInbox's epoch is ${onChain} s.`, {
      hint: 'Set RELAY_EPOCH_SECONDS to BatchInbox.epochSeconds(): the relay must judge batch windows exactly as the contract does.',
    });
  }
}

/** Opens the store, migrates it, and serves the API with the anchoring and rewards workers running. */
export async function startRelay(input: RelayConfig): Promise<RunningRelay> {
  const config = checkConfig(input);
  const log = createLogger(config.instanceId, config.log);
  const now = config.now ?? (() => Math.floor(Date.now() / 1000));
  const metrics = new RelayMetrics();
  const db = observeDb(await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }), {
    statement: () => metrics.storeStatements.inc(),
    busy: (seconds) => metrics.storeBusy.inc({}, seconds),
  });
  let verifier: Verifier | null = null;
  try {
    const applied = await migrate(db);
    if (applied.length > 0) log('info', 'migrated the store', { versions: applied, store: db.kind });
    // Leases held under this instance id belong to a predecessor that crashed: take the work back now
    // instead of after the lease expires. (Instance ids must be unique among running relays.)
    await db.query(`UPDATE chain_txs SET lease_until = NULL WHERE lease_owner = $1 AND status IN ('queued', 'sent')`, [config.instanceId]);
    // The key is parsed and precomputed here, so a bad key stops the relay at start, not at the first batch.
    verifier = await createVerifier(await readVerificationKey(config.zkDir), {
      threads: config.verifyThreads,
      observe: (check, ms, proofs) => {
        metrics.verifyBusy.inc({ check }, ms / 1000);
        if (check === 'proofs') {
          metrics.proofChecks.inc();
          metrics.proofsChecked.inc({}, proofs);
        }
      },
    });
    log('info', 'verification ready', { threads: config.verifyThreads, groth16: 'mcl-wasm', secp256k1: verifier.recoveryBackend });
    const chain = createRelayChain(config);
    await checkEpochLength(chain, config, log);
    const ioids = new IoIdCache(chain.ioidExists, config.ioidCacheMs);

    const app = createApp({
      db,
      ingest: { db, writer: createBatchWriter(db), verifier, ioidExists: (device) => ioids.exists(device), epochSeconds: config.epochSeconds, maxEpochLag: config.maxEpochLag, now },
      metrics,
      log,
      bodyLimitBytes: config.bodyLimitBytes,
      corsOrigins: config.corsOrigins,
      trustedProxies: config.trustedProxies,
      rateLimit: config.rateLimit,
      info: {
        epochSeconds: config.epochSeconds,
        maxEpochLag: config.maxEpochLag,
        chainId: config.chainId,
        bodyLimitBytes: config.bodyLimitBytes,
        moduleId: config.moduleId,
        anchorWithinSeconds: anchorWithinSeconds(config),
      },
      health: async () => ({ instance: config.instanceId, store: db.kind, operator: chain.operator.address, contracts: config.contracts }),
    });

    const server: ServerType = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
    });
    const port = (server.address() as AddressInfo).port;
    const publicUrl = config.publicUrl ?? `http://${config.host}:${port}`;

    const workers = [
      loop('anchor', config.workerPollMs, log, async () =>
        (await buildAnchor({ db, chain, batchInbox: config.contracts.batchInbox, publicUrl, anchorBatchSize: config.anchorBatchSize, anchorIntervalMs: config.anchorIntervalMs, log })) !== null,
      ),
      loop('chain', config.workerPollMs, log, () => processOneTx({ db, chain, instanceId: config.instanceId, log, metrics, leaseSeconds: 60, receiptTimeoutMs: 30_000 })),
    ];
    const dataRewards = config.contracts.dataRewards;
    if (dataRewards && config.rewardPerEpoch > 0n) {
      workers.push(
        loop('rewards', Math.max(config.workerPollMs, 1000), log, async () =>
          (await computeNextEpoch({ db, chain, dataRewards, pool: config.rewardPerEpoch, epochSeconds: config.epochSeconds, delaySeconds: config.rewardDelaySeconds, now, log })) !== null,
        ),
      );
    }
    log('info', 'relay listening', { url: `http://${config.host}:${port}`, store: db.kind, operator: chain.operator.address, publicUrl });

    let stopping: Promise<void> | null = null;
    return {
      url: `http://${config.host}:${port}`,
      port,
      db,
      metrics,
      stop() {
        stopping ??= (async () => {
          await new Promise<void>((resolve) => server.close(() => resolve()));
          await Promise.all(workers.map((worker) => worker.stop()));
          await verifier?.close();
          await db.close();
          log('info', 'relay stopped');
        })();
        return stopping;
      },
    };
  } catch (error) {
    await verifier?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }
}
