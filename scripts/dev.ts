/**
 * `npm run dev`: the whole stack on this machine (local chain with contracts deployed, relay,
 * app), printing where everything is. Ctrl-C stops every process it started.
 */
import { formatEther } from 'viem';
import { devAccount } from './deploy/deployer.js';
import { rpcCall } from './stack/chain.js';
import { startStack } from './stack/stack.js';

const DEV_ACCOUNTS_SHOWN = 3;
const CONFIG_PATH = process.env.OUTPOST_DEVNET_CONFIG ?? '.outpost/devnet.json';

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number(process.env[`OUTPOST_${name.toUpperCase()}_PORT`] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`--${name} must be a port number (0–65535).`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const started = Date.now();
  const stack = await startStack({
    app: 'dev',
    ports: { chain: flag('chain', 8545), app: flag('app', 5173), relay: flag('relay', 8787) },
    configPath: CONFIG_PATH,
    echo: true,
    log: (line) => console.log(`[dev] ${line}`),
  });

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[dev] ${signal}: stopping everything this run started…`);
    await stack.stop();
    console.log('[dev] stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('Ctrl-C'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const lines = [
    '',
    `Outpost is running (${((Date.now() - started) / 1000).toFixed(1)} s):`,
    `  App        ${stack.appUrl}`,
    `  Chain RPC  ${stack.rpcUrl}  (chain id 31337)`,
    `  Relay      ${stack.config.relayUrl ?? 'not running'}`,
    `  Contracts  ${Object.keys(stack.config.contracts).length} deployed; config at ${CONFIG_PATH}`,
    ...stack.notes.map((note) => `  Note: ${note}`),
    '',
    '  DEV-ONLY accounts (Hardhat\'s public test mnemonic; never send real funds to them):',
  ];
  for (let i = 0; i < DEV_ACCOUNTS_SHOWN; i++) {
    const account = devAccount(i);
    const balance = BigInt(await rpcCall<string>(stack.rpcUrl, 'eth_getBalance', [account.address, 'latest']));
    const key = account.getHdKey().privateKey;
    const hex = key ? Buffer.from(key).toString('hex') : '?';
    lines.push(`    #${i} ${account.address}  ${formatEther(balance)} IOTX  key 0x${hex}`);
  }
  lines.push('', 'Press Ctrl-C to stop.', '');
  console.log(lines.join('\n'));
}

main().catch(async (error: unknown) => {
  console.error(`[dev] could not start the stack: ${error instanceof Error ? error.message : String(error)}`);
  const { stopAll } = await import('./stack/processes.js');
  await stopAll();
  process.exit(1);
});
