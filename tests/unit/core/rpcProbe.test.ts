/**
 * The first screen's fetch-only reads (src/core/rpcProbe.ts) against a real HTTP server on this
 * machine: an RPC that answers, one on another chain, one that answers with HTTP errors, and a
 * port nothing listens on. Failures come back as data, and `rpcProbeError` words them per network.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETWORKS } from '../../../src/core/networks.js';
import { rpcProbeError } from '../../../src/core/rpcErrors.js';
import { probeRpc, readDeployedCode } from '../../../src/core/rpcProbe.js';

const CODE_AT = '0x00000000000000000000000000000000000000c0';
const EMPTY_AT = '0x00000000000000000000000000000000000000e0';

/** A JSON-RPC server answering as chain `chainId` (hex) at block 0x2a; '/broken' answers HTTP 503. */
function startRpc(chainIdHex: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    if (request.url === '/broken') {
      response.writeHead(503).end('unavailable');
      return;
    }
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { id, method, params } = JSON.parse(body) as { id: number; method: string; params: unknown[] };
      const results: Record<string, () => string> = {
        eth_chainId: () => chainIdHex,
        eth_blockNumber: () => '0x2a',
        eth_getCode: () => (params[0] === CODE_AT ? '0x6080' : '0x'),
      };
      const reply = results[method] ? { jsonrpc: '2.0', id, result: results[method]() } : { jsonrpc: '2.0', id, error: { code: -32601, message: 'method not found' } };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

let testnet: { server: Server; url: string };
let otherChain: { server: Server; url: string };
let closedUrl: string;

beforeAll(async () => {
  testnet = await startRpc('0x1252'); // 4690, IoTeX Testnet
  otherChain = await startRpc('0x1251'); // 4689, mainnet's id
  // A port that was free a moment ago and is closed now: nothing answers there.
  const closed = await startRpc('0x1');
  closedUrl = closed.url;
  await new Promise((resolve) => closed.server.close(resolve));
});
afterAll(async () => {
  await Promise.all([testnet, otherChain].map(({ server }) => new Promise((resolve) => server.close(resolve))));
});

describe('probeRpc', () => {
  it('reads the head block of an RPC on the expected chain', async () => {
    const probe = await probeRpc(NETWORKS.testnet, testnet.url);
    expect(probe.ok).toBe(true);
    expect(probe.ok && probe.blockNumber).toBe(42n);
  });

  it('reports an RPC on another chain, and the error names both', async () => {
    const probe = await probeRpc(NETWORKS.testnet, otherChain.url);
    expect(probe).toEqual({ ok: false, reason: 'wrong_chain', chainId: 4689 });
    if (probe.ok) return;
    expect(rpcProbeError(NETWORKS.testnet, otherChain.url, probe).shortMessage).toBe(`The RPC at ${otherChain.url} serves chain 4689, not IoTeX Testnet (chain 4690).`);
  });

  it('reports no answer, from a closed port and from an HTTP error, worded for the network', async () => {
    const closed = await probeRpc(NETWORKS.testnet, closedUrl);
    expect(closed).toMatchObject({ ok: false, reason: 'unreachable' });
    const broken = await probeRpc(NETWORKS.mainnet, `${testnet.url}/broken`);
    expect(broken).toEqual({ ok: false, reason: 'unreachable', details: 'HTTP 503' });
    if (closed.ok) return;
    const error = rpcProbeError(NETWORKS.testnet, closedUrl, closed);
    expect(error.code).toBe('rpc.unreachable');
    expect(error.shortMessage).toBe("IoTeX Testnet's RPC does not answer.");
  });
});

describe('readDeployedCode', () => {
  it('names the listed contracts that have no code', async () => {
    await expect(readDeployedCode(testnet.url, { systemStaking: CODE_AT, strategyManager: EMPTY_AT })).resolves.toEqual({ ok: true, missing: ['strategyManager'] });
    await expect(readDeployedCode(testnet.url, { systemStaking: CODE_AT })).resolves.toEqual({ ok: true, missing: [] });
  });

  it('says the RPC did not answer instead of guessing', async () => {
    await expect(readDeployedCode(closedUrl, { systemStaking: CODE_AT })).resolves.toMatchObject({ ok: false, reason: 'unreachable' });
  });
});
