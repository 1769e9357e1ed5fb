/**
 * `npm run relay`: the relay on its own. Reads RELAY_* variables (docs/relay.md); on a devnet it
 * takes the chain and contracts from the config `npm run dev` wrote (OUTPOST_DEVNET_CONFIG, default
 * .outpost/devnet.json) and the DEV ONLY operator key (Hardhat test account #1).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toHex } from 'viem';
import { parseDevnetConfig, type DevnetConfig } from '../src/core/devnetConfig.js';
import { describeError } from '../src/core/errors.js';
import { relayConfigFromEnv } from '../src/relay/env.js';
import { startRelay, type RunningRelay } from '../src/relay/server.js';
import { devAccount } from './deploy/deployer.js';

/** DEV ONLY: the devnet's operator key (Hardhat's public test account #1). */
export function devOperatorKey(): `0x${string}` {
  const key = devAccount(1).getHdKey().privateKey;
  if (!key) throw new Error('The dev operator key could not be derived.');
  return toHex(key);
}

/**
 * The relay as part of the local stack (`npm run dev`, the e2e harness): in this process, against
 * the devnet just deployed, with the DEV ONLY operator key. The devnet chain starts empty every
 * time, so its store does too: `dataDir` is emptied first (never point it at a real relay's data).
 */
export async function startDevnetRelay(
  devnet: DevnetConfig,
  options: { port: number; dataDir: string; corsOrigins?: string[]; log?: ((line: string) => void) | null },
): Promise<RunningRelay> {
  rmSync(options.dataDir, { recursive: true, force: true });
  const config = relayConfigFromEnv({ ...process.env, DATABASE_URL: undefined, RELAY_RPC_URL: undefined }, devnet, devOperatorKey());
  return startRelay({
    ...config,
    port: options.port,
    dataDir: options.dataDir,
    corsOrigins: options.corsOrigins ?? ['*'],
    instanceId: 'relay-dev',
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
}

async function main(): Promise<void> {
  const configPath = process.env.OUTPOST_DEVNET_CONFIG ?? '.outpost/devnet.json';
  const devnet: DevnetConfig | null = existsSync(configPath) && !process.env.RELAY_RPC_URL ? parseDevnetConfig(JSON.parse(readFileSync(configPath, 'utf8'))) : null;
  const config = relayConfigFromEnv(process.env, devnet, devnet ? devOperatorKey() : undefined);
  const relay = await startRelay(config);
  const shutdown = async (): Promise<void> => {
    await relay.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  // Tests and supervisors read this line to learn the port.
  process.stdout.write(`${JSON.stringify({ ready: true, url: relay.url })}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`relay: could not start: ${describeError(error)}\n`);
    process.exit(1);
  });
}
