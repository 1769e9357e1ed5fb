import { createRequire } from 'node:module';
import { LOCALHOST } from './ports.js';
import { startProcess, waitUntil, type ManagedProcess } from './processes.js';

const require = createRequire(import.meta.url);

const DEVNET_CHAIN_ID = 31337;

/** Sends one JSON-RPC call; used to wait for the node and to check which chain answers. */
export async function rpcCall<T>(rpcUrl: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(2000),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result as T;
}

/** A Hardhat node (EDR) on the given port: chain 31337, auto-mining, the standard dev accounts. */
export async function startHardhatNode(port: number, echo: boolean): Promise<{ rpcUrl: string; process: ManagedProcess }> {
  const cli = require.resolve('hardhat/internal/cli/cli.js');
  const node = startProcess('chain', process.execPath, [cli, 'node', '--hostname', LOCALHOST, '--port', String(port)], {
    echo: false,
  });
  const rpcUrl = `http://${LOCALHOST}:${port}`;
  await waitUntil(node, 'The Hardhat node', async () => {
    const chainId = await rpcCall<string>(rpcUrl, 'eth_chainId');
    return Number(chainId) === DEVNET_CHAIN_ID;
  }, 60_000);
  if (echo) process.stdout.write(`[chain] Hardhat node ready at ${rpcUrl}\n`);
  return { rpcUrl, process: node };
}
