import { firstLine } from './errors.js';
import type { Network } from './networks.js';

/**
 * The first screen's chain reads: whether the RPC answers (the header badge) and whether a
 * feature's contracts have code (Devices' ioID card). Plain JSON-RPC over fetch on purpose: the
 * first screen's bundle budget has no room for viem (tests/e2e/bundle-budget.e2e.ts); every other
 * chain read uses viem through ./rpc.ts. A failure is data here, worded for people by
 * `rpcProbeError` (./rpcErrors.ts) where it is shown, so the first screen carries no error texts.
 */
export type RpcFailure = { ok: false; reason: 'unreachable'; details: string } | { ok: false; reason: 'wrong_chain'; chainId: number };
export type RpcProbe = { ok: true; blockNumber: bigint; latencyMs: number } | RpcFailure;
export type DeployedCode = { ok: true; missing: string[] } | RpcFailure;

/** One JSON-RPC call; throws a plain Error on no answer, an HTTP error or a JSON-RPC error. */
async function rpcCall(rpcUrl: string, method: string, params: unknown[], timeoutMs: number): Promise<unknown> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
    cache: 'no-store',
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const reply = (await response.json()) as { result?: unknown; error?: { message?: unknown } };
  if (typeof reply.result !== 'string') throw new Error(`${method}: ${String(reply.error?.message ?? 'no result')}`);
  return reply.result;
}

const unreachable = (error: unknown): RpcFailure => ({ ok: false, reason: 'unreachable', details: firstLine(error) });

/** Which chain the RPC serves and its head block; settles within `timeoutMs`. */
export async function probeRpc(network: Network, rpcUrl: string, timeoutMs = 5000): Promise<RpcProbe> {
  const started = performance.now();
  try {
    const [chainId, blockNumber] = (await Promise.all([rpcCall(rpcUrl, 'eth_chainId', [], timeoutMs), rpcCall(rpcUrl, 'eth_blockNumber', [], timeoutMs)])).map((hex) => BigInt(hex as string));
    if (Number(chainId) !== network.chainId) return { ok: false, reason: 'wrong_chain', chainId: Number(chainId) };
    return { ok: true, blockNumber: blockNumber!, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return unreachable(error);
  }
}

/**
 * Which of the listed contracts (name → address) have no code on the chain. An address book only
 * says where contracts should be; "found" is said only after this read (issue 14).
 */
export async function readDeployedCode(rpcUrl: string, contracts: Record<string, string>, timeoutMs = 8000): Promise<DeployedCode> {
  const listed = Object.entries(contracts);
  try {
    const codes = await Promise.all(listed.map(([, address]) => rpcCall(rpcUrl, 'eth_getCode', [address, 'latest'], timeoutMs)));
    return { ok: true, missing: listed.filter((_, i) => codes[i] === '0x').map(([name]) => name) };
  } catch (error) {
    return unreachable(error);
  }
}
