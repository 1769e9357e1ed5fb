import { createPublicClient, http, numberToHex, type Address, type Hash, type PublicClient } from 'viem';

/**
 * The devnet's clock and purse, moved by a test through Hardhat's JSON-RPC: never by waiting. The
 * e2e files share one chain, so time only ever moves forward, and nothing relies on absolute times.
 */
export function devnetClient(rpcUrl: string): PublicClient {
  return createPublicClient({ transport: http(rpcUrl) });
}

async function rpc(rpcUrl: string, method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** Moves the chain's time forward by `seconds` and mines a block at the new time; returns that block's timestamp. */
export async function advanceChainTime(rpcUrl: string, seconds: number | bigint): Promise<bigint> {
  await rpc(rpcUrl, 'evm_increaseTime', [Number(seconds)]);
  await rpc(rpcUrl, 'evm_mine', []);
  return (await devnetClient(rpcUrl).getBlock({ blockTag: 'latest' })).timestamp;
}

/** Sets an account's balance (Hardhat), for a test that needs more than the faucet's 10 IOTX. */
export async function setDevnetBalance(rpcUrl: string, address: Address, wei: bigint): Promise<void> {
  await rpc(rpcUrl, 'hardhat_setBalance', [address, numberToHex(wei)]);
}

/** The fee a mined transaction cost its sender, from its receipt: gas used × effective gas price. */
export async function feeOf(client: PublicClient, hash: Hash): Promise<bigint> {
  const receipt = await client.waitForTransactionReceipt({ hash });
  return receipt.gasUsed * receipt.effectiveGasPrice;
}

/** The timestamp of the block a transaction was mined in. */
export async function minedAt(client: PublicClient, hash: Hash): Promise<bigint> {
  const receipt = await client.waitForTransactionReceipt({ hash });
  return (await client.getBlock({ blockNumber: receipt.blockNumber })).timestamp;
}
