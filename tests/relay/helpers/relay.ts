import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createTestClient, http } from 'viem';
import type { RelayConfig } from '../../../src/relay/config.js';
import { relayConfigFromEnv } from '../../../src/relay/env.js';
import { startRelay, type RunningRelay } from '../../../src/relay/server.js';
import { EPOCH_SECONDS, FIXED_NOW } from './batches.js';
import { relayOrigins } from './contract.js';
import { devKey, type TestChain } from './chain.js';

export function freshDataDir(name: string): string {
  const dir = `tests/.tmp/relay/${name}-${randomBytes(4).toString('hex')}`;
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Relay settings for tests: the test chain's contracts, the pinned clock, quick anchoring. */
export function testRelayConfig(chain: TestChain, overrides: Partial<RelayConfig> = {}): RelayConfig {
  const base = relayConfigFromEnv({}, chain.devnet, devKey(1));
  return {
    ...base,
    port: 0,
    dataDir: freshDataDir('store'),
    epochSeconds: EPOCH_SECONDS,
    maxEpochLag: 24,
    anchorBatchSize: 16,
    anchorIntervalMs: 300,
    workerPollMs: 100,
    rewardDelaySeconds: 60,
    rewardPerEpoch: 10n ** 18n,
    corsOrigins: ['http://localhost:5173'],
    trustedProxies: [],
    now: () => FIXED_NOW,
    log: null,
    instanceId: 'relay-test',
    ...overrides,
  };
}

export async function startTestRelay(chain: TestChain, overrides: Partial<RelayConfig> = {}): Promise<RunningRelay> {
  const relay = await startRelay(testRelayConfig(chain, overrides));
  relayOrigins.add(new URL(relay.url).origin);
  return relay;
}

/**
 * Moves the test chain's clock to at least `timestamp` (Hardhat: the next block gets it, and one is
 * mined). BatchInbox answers BadWindow for a leaf whose window ends after its anchor's block time, so
 * a chain left at today's date would call the test relay's batches (proved for the pinned clock,
 * FIXED_NOW, ahead of today) invalid. A real relay's clock and the chain's agree.
 */
export async function advanceChainTo(chain: TestChain, timestamp: number): Promise<void> {
  const block = await chain.client.getBlock({ blockTag: 'latest' });
  if (block.timestamp >= BigInt(timestamp)) return;
  const test = createTestClient({ mode: 'hardhat', transport: http(chain.rpcUrl) });
  await test.setNextBlockTimestamp({ timestamp: BigInt(timestamp) });
  await test.mine({ blocks: 1 });
}
