import { getAddress, isAddress, type Address, type Hex } from 'viem';
import type { DevnetConfig } from '../core/devnetConfig.js';
import { DEFAULTS, type RelayConfig } from './config.js';
import { RelayConfigError } from './errors.js';

/**
 * Builds a relay configuration from RELAY_* environment variables, falling back to a running
 * devnet's config (contracts, RPC, module id) when one is given. Every variable is listed in
 * docs/relay.md.
 */
export function relayConfigFromEnv(
  env: Record<string, string | undefined>,
  devnet: DevnetConfig | null,
  /** DEV ONLY: the devnet's public operator key, used when RELAY_OPERATOR_KEY is not set on a devnet. */
  devOperatorKey?: Hex,
): RelayConfig {
  const int = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < 0) throw new RelayConfigError('relay.config_invalid', `${name} must be a non-negative integer.`, { details: `got ${raw}` });
    return value;
  };
  const address = (name: string, fallback: string | undefined): Address => {
    const raw = env[name] ?? fallback;
    if (!raw || !isAddress(raw, { strict: false })) {
      throw new RelayConfigError('relay.config_missing', `${name} is not set (or not an address).`, {
        hint: 'Start the devnet with `npm run dev` (OUTPOST_DEVNET_CONFIG points at its config) or set the RELAY_* contract addresses.',
      });
    }
    return getAddress(raw);
  };
  const contracts = devnet?.contracts ?? {};
  const operatorKey = (env.RELAY_OPERATOR_KEY ?? devOperatorKey) as Hex | undefined;
  if (!operatorKey) {
    throw new RelayConfigError('relay.config_missing', 'RELAY_OPERATOR_KEY is not set.', { hint: 'Set the module operator’s private key (never commit it).' });
  }
  const rpcUrl = env.RELAY_RPC_URL ?? devnet?.rpcUrl;
  if (!rpcUrl) throw new RelayConfigError('relay.config_missing', 'RELAY_RPC_URL is not set.', { hint: 'Point it at the chain’s JSON-RPC endpoint.' });
  const dataRewardsRaw = env.RELAY_DATA_REWARDS ?? contracts.dataRewards;
  const fixedNow = env.RELAY_FIXED_NOW ? int('RELAY_FIXED_NOW', 0) : null;
  return {
    host: env.RELAY_HOST ?? DEFAULTS.host,
    port: int('RELAY_PORT', DEFAULTS.port),
    ...(env.RELAY_PUBLIC_URL ? { publicUrl: env.RELAY_PUBLIC_URL } : {}),
    dataDir: env.RELAY_DATA_DIR ?? DEFAULTS.dataDir,
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    rpcUrl,
    chainId: int('RELAY_CHAIN_ID', devnet?.chainId ?? 31337),
    contracts: {
      ioIDRegistry: address('RELAY_IOID_REGISTRY', contracts.ioIDRegistry),
      batchInbox: address('RELAY_BATCH_INBOX', contracts.batchInbox),
      ...(dataRewardsRaw ? { dataRewards: address('RELAY_DATA_REWARDS', dataRewardsRaw) } : {}),
    },
    moduleId: int('RELAY_MODULE_ID', Number(devnet?.extra?.moduleId ?? 1)),
    operatorKey,
    epochSeconds: int('RELAY_EPOCH_SECONDS', DEFAULTS.epochSeconds),
    maxEpochLag: int('RELAY_MAX_EPOCH_LAG', DEFAULTS.maxEpochLag),
    anchorBatchSize: int('RELAY_ANCHOR_BATCH_SIZE', DEFAULTS.anchorBatchSize),
    anchorIntervalMs: int('RELAY_ANCHOR_INTERVAL_MS', DEFAULTS.anchorIntervalMs),
    ...(env.RELAY_ANCHOR_WITHIN_SECONDS ? { anchorWithinSeconds: int('RELAY_ANCHOR_WITHIN_SECONDS', 0) } : {}),
    workerPollMs: int('RELAY_WORKER_POLL_MS', DEFAULTS.workerPollMs),
    rewardPerEpoch: BigInt(env.RELAY_REWARD_PER_EPOCH_WEI ?? (devnet ? '1000000000000000000' : '0')),
    rewardDelaySeconds: int('RELAY_REWARD_DELAY_SECONDS', DEFAULTS.rewardDelaySeconds),
    bodyLimitBytes: int('RELAY_BODY_LIMIT_BYTES', DEFAULTS.bodyLimitBytes),
    corsOrigins: (env.RELAY_CORS_ORIGINS ?? 'http://localhost:5173,http://127.0.0.1:5173')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    trustedProxies: (env.RELAY_TRUSTED_PROXIES ?? '')
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean),
    rateLimit: { perDevice: int('RELAY_RATE_PER_DEVICE', DEFAULTS.rateLimit.perDevice), perIp: int('RELAY_RATE_PER_IP', DEFAULTS.rateLimit.perIp) },
    ioidCacheMs: int('RELAY_IOID_CACHE_MS', DEFAULTS.ioidCacheMs),
    zkDir: env.RELAY_ZK_DIR ?? DEFAULTS.zkDir,
    ...(env.RELAY_VERIFY_THREADS ? { verifyThreads: int('RELAY_VERIFY_THREADS', 1) } : {}),
    instanceId: env.RELAY_INSTANCE_ID ?? `relay-${process.pid}`,
    ...(fixedNow !== null ? { now: () => fixedNow } : {}),
  };
}
