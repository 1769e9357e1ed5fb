import type { Address, Hex } from 'viem';
import { RelayConfigError } from './errors.js';

/** Everything a relay instance needs; `scripts/relay.ts` fills it from the environment and the devnet config. */
export type RelayConfig = {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Base URL others reach this relay at (anchored data `uri`s point here). Defaults to http://host:port. */
  publicUrl?: string;
  /** PGlite folder, used when databaseUrl is not set. */
  dataDir: string;
  /** postgres://… : use a real PostgreSQL server (several instances may share it). */
  databaseUrl?: string;
  rpcUrl: string;
  chainId: number;
  contracts: { ioIDRegistry: Address; batchInbox: Address; dataRewards?: Address };
  /** The restaking module (BucketStrategy) this relay operates; BatchInbox.anchor checks its operator. */
  moduleId: number;
  /** The module operator's key: signs anchoring and reward-root transactions. */
  operatorKey: Hex;
  /** Length of an epoch in seconds; epoch e covers [e·len, (e+1)·len − 1]. */
  epochSeconds: number;
  /** How many epochs back a batch may still be submitted (0 = only the current epoch). */
  maxEpochLag: number;
  /** Anchor when this many batches wait… */
  anchorBatchSize: number;
  /** …or when the oldest waiting batch is this old (ms), whichever comes first. */
  anchorIntervalMs: number;
  /**
   * The longest time from a receipt to its anchor being mined that the relay promises (GET /v1/info);
   * after it the app offers the escape hatch (BatchInbox.submitBatch). Default: see anchorWithinDefault.
   */
  anchorWithinSeconds?: number;
  /** How often the background workers look for work (ms). */
  workerPollMs: number;
  /** Reward paid out per closed epoch (wei), split by the rule in src/relay/rewards/rule.ts. 0 turns rewards off. */
  rewardPerEpoch: bigint;
  /** Seconds after an epoch ends before its rewards are computed (late batches may still arrive). */
  rewardDelaySeconds: number;
  bodyLimitBytes: number;
  /** Origins allowed to call the API from a browser (exact match); '*' allows any. */
  corsOrigins: string[];
  /** Reverse proxies (exact addresses) whose X-Forwarded-For names the client for rate limits. */
  trustedProxies: string[];
  /** Requests per minute (token buckets). */
  rateLimit: { perDevice: number; perIp: number };
  /** How long an ioID lookup is trusted (ms); a missing ioID is re-checked sooner. */
  ioidCacheMs: number;
  /** Where the committed verification key is (public/zk). */
  zkDir: string;
  /** Threads for signature and proof checks; 0 runs them on the main thread. Default: cores − 1, at least 1. */
  verifyThreads?: number;
  /** A name for this instance in logs and work leases. */
  instanceId: string;
  /** Seconds since the epoch; tests pin it so proofs made once stay in their epoch window. */
  now?: () => number;
  /** JSON log lines go here (stdout by default); null silences them. */
  log?: ((line: string) => void) | null;
};

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8787,
  dataDir: 'data/relay',
  epochSeconds: 3600,
  maxEpochLag: 24,
  anchorBatchSize: 256,
  anchorIntervalMs: 10_000,
  workerPollMs: 500,
  rewardDelaySeconds: 60,
  bodyLimitBytes: 64 * 1024,
  rateLimit: { perDevice: 60, perIp: 6000 },
  ioidCacheMs: 5 * 60_000,
  zkDir: 'public/zk',
} as const;

/**
 * Seconds the relay promises to anchor a receipt within, when not configured: the anchoring interval,
 * plus 15 minutes for the operator transaction to be mined. That margin covers all 8 fee raises of a
 * stuck transaction (30 s apart, txSender.ts) and several failed sends backing off up to 60 s each.
 */
const ANCHOR_CONFIRMATION_MARGIN_SECONDS = 900;

function anchorWithinDefault(anchorIntervalMs: number): number {
  return Math.ceil(anchorIntervalMs / 1000) + ANCHOR_CONFIRMATION_MARGIN_SECONDS;
}

/** What the relay promises in GET /v1/info: the configured value, else anchorWithinDefault. */
export function anchorWithinSeconds(config: Pick<RelayConfig, 'anchorWithinSeconds' | 'anchorIntervalMs'>): number {
  return config.anchorWithinSeconds ?? anchorWithinDefault(config.anchorIntervalMs);
}

export function checkConfig(config: RelayConfig): RelayConfig {
  const problems: string[] = [];
  if (!/^0x[0-9a-fA-F]{64}$/.test(config.operatorKey)) problems.push('operatorKey must be a 32-byte hex private key');
  if (!(config.epochSeconds > 0)) problems.push('epochSeconds must be positive');
  if (!(config.anchorBatchSize >= 1)) problems.push('anchorBatchSize must be at least 1');
  if (!(config.bodyLimitBytes >= 1024)) problems.push('bodyLimitBytes must be at least 1024');
  if (config.anchorWithinSeconds !== undefined && !(config.anchorWithinSeconds * 1000 > config.anchorIntervalMs)) {
    problems.push('anchorWithinSeconds must be longer than the anchoring interval (RELAY_ANCHOR_INTERVAL_MS), or the relay promises what it cannot keep');
  }
  if (problems.length > 0) {
    throw new RelayConfigError('relay.config_invalid', 'The relay configuration is invalid.', {
      details: problems.join('; '),
      hint: 'See docs/relay.md for the RELAY_* environment variables.',
    });
  }
  return config;
}
