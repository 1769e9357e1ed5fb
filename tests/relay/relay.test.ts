import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaseError, ContractFunctionRevertedError, createWalletClient, http, keccak256, parseEventLogs, stringToBytes, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { batchInboxAbi, dataRewardsAbi } from '../../src/core/abis/index.js';
import { verifyMerkleProof } from '../../src/core/batch/merkle.js';
import { NETWORKS, toViemChain } from '../../src/core/networks.js';
import { toSolidityProof } from '../../src/core/zk/proof.js';
import type { RunningRelay } from '../../src/relay/server.js';
import { devAccount } from '../../scripts/deploy/deployer.js';
import { CURRENT_EPOCH, EPOCH_SECONDS, makeBatch, post, testDeviceKey, waitFor, type Submission } from './helpers/batches.js';
import { registerDevice, startTestChain, type TestChain } from './helpers/chain.js';
import { startTestRelay } from './helpers/relay.js';

const E = CURRENT_EPOCH;
const KEY_A = testDeviceKey('A');
const KEY_C = testDeviceKey('C');
const KEY_UNREGISTERED = testDeviceKey('no ioid');
const OWNER_A = 2;

let chain: TestChain;
let relay: RunningRelay;
let goodA: Submission; // A, epoch E-1
let laterA: Submission; // A, epoch E
let conflictA: Submission; // A, epoch E, other readings
let newestC: Submission; // C, epoch E
let olderC: Submission; // C, epoch E-1 (after E: a replay)

async function get(path: string): Promise<{ status: number; json: any; text: string }> {
  const response = await fetch(`${relay.url}${path}`);
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, text };
}

function onChainLeaf(s: Submission) {
  const { pA, pB, pC, pubSignals } = toSolidityProof({ proof: s.proof as never, publicSignals: s.publicSignals.map(BigInt) as never });
  return { device: s.device as Address, pubSignals, signature: s.signature, pA, pB, pC };
}

async function revertName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no revert';
  } catch (error) {
    const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
    return reverted instanceof ContractFunctionRevertedError ? (reverted.data?.errorName ?? 'unknown') : String(error);
  }
}

beforeAll(async () => {
  chain = await startTestChain();
  await registerDevice(chain, KEY_A, OWNER_A);
  await registerDevice(chain, KEY_C, 3);
  goodA = await makeBatch(KEY_A, E - 1, 1);
  laterA = await makeBatch(KEY_A, E, 1);
  conflictA = await makeBatch(KEY_A, E, 2);
  newestC = await makeBatch(KEY_C, E, 3);
  olderC = await makeBatch(KEY_C, E - 1, 4);
  relay = await startTestRelay(chain);
});

afterAll(async () => {
  await relay?.stop();
  await chain?.stop();
});

describe('ingest, anchoring and proofs against the chain', () => {
  let id: Hex;

  it('accepts a good batch with a receipt whose id is BatchInbox.leafHash of the batch', async () => {
    const { status, json } = await post(relay.url, goodA);
    expect(status).toBe(201);
    expect(json.duplicate).toBe(false);
    const leaf = await chain.client.readContract({ address: chain.devnet.contracts.batchInbox!, abi: batchInboxAbi, functionName: 'leafHash', args: [onChainLeaf(goodA)] });
    expect(json.receipt.id).toBe(leaf.toLowerCase());
    expect(json.receipt).toMatchObject({ device: goodA.device, epoch: E - 1, commitment: goodA.commitment, readings: 64, status: 'accepted' });
    id = json.receipt.id;
  });

  it('answers a retry with the same receipt', async () => {
    const { status, json } = await post(relay.url, goodA);
    expect(status).toBe(200);
    expect(json.duplicate).toBe(true);
    expect(json.receipt.id).toBe(id);
  });

  it('anchors it; the Merkle proof checks against the root BatchInbox holds', async () => {
    const receipt = await waitFor('anchoring', async () => {
      const { json } = await get(`/v1/batches/${id}`);
      return json.receipt.status === 'anchored' ? json.receipt : null;
    });
    const anchor = receipt.anchor;
    const [, epoch, count, anchoredAt] = await chain.client.readContract({ address: chain.devnet.contracts.batchInbox!, abi: batchInboxAbi, functionName: 'batchOf', args: [anchor.merkleRoot] });
    expect(anchoredAt).toBeGreaterThan(0n);
    expect(epoch).toBe(BigInt(E - 1));
    expect(count).toBeGreaterThanOrEqual(1n);
    expect(verifyMerkleProof(anchor.merkleProof, anchor.merkleRoot, id)).toBe(true);
    // On-chain inclusion check: challenge() verifies the proof first; a valid, included leaf ends in LeafIsValid.
    expect(
      await revertName(chain.client.simulateContract({ address: chain.devnet.contracts.batchInbox!, abi: batchInboxAbi, functionName: 'challenge', args: [anchor.merkleRoot, onChainLeaf(goodA), anchor.merkleProof], account: devAccount(4) })),
    ).toBe('LeafIsValid');
    expect(
      await revertName(chain.client.simulateContract({ address: chain.devnet.contracts.batchInbox!, abi: batchInboxAbi, functionName: 'challenge', args: [anchor.merkleRoot, onChainLeaf(laterA), anchor.merkleProof], account: devAccount(4) })),
    ).toBe('LeafNotInBatch');

    // The transaction's BatchAnchored event carries the uri; its body hashes to the logged dataHash.
    const txReceipt = await chain.client.getTransactionReceipt({ hash: anchor.txHash });
    const [event] = parseEventLogs({ abi: batchInboxAbi, logs: txReceipt.logs, eventName: 'BatchAnchored' });
    expect(event!.args.merkleRoot).toBe(anchor.merkleRoot);
    expect(event!.args.uri).toBe(anchor.uri);
    const document = await (await fetch(event!.args.uri)).text();
    expect(keccak256(stringToBytes(document))).toBe(event!.args.dataHash);
    expect(JSON.parse(document).batches.map((b: { id: string }) => b.id)).toContain(id);
  });

  it('accepts a later epoch of the same device', async () => {
    expect((await post(relay.url, laterA)).status).toBe(201);
  });
});

describe('each bad input is refused with its own code', () => {
  const code = async (body: unknown, headers?: Record<string, string>) => {
    const { status, json } = await post(relay.url, body, headers);
    return `${status} ${json.error?.code}`;
  };

  it('bad_signature: signed by another key', async () => {
    const other = privateKeyToAccount(testDeviceKey('impostor'));
    const signature = await other.sign({ hash: keccak256('0x00') });
    expect(await code({ ...newestC, signature })).toBe('401 bad_signature');
  });

  it('bad_proof: a proof point altered', async () => {
    const proof = structuredClone(newestC.proof) as { pi_a: string[] };
    proof.pi_a[0] = (BigInt(proof.pi_a[0]!) + 1n).toString();
    expect(await code({ ...newestC, proof })).toBe('422 bad_proof');
  });

  it('bad_proof: the statement signal changed (the proof no longer matches it)', async () => {
    const publicSignals = [...newestC.publicSignals];
    publicSignals[3] = (BigInt(publicSignals[3]!) + (1n << 32n)).toString(); // claims one more reading
    expect(await code({ ...newestC, publicSignals })).toBe('422 bad_proof');
  });

  it('tampered_public_signal: the commitment signal differs from the signed commitment', async () => {
    const publicSignals = [...newestC.publicSignals];
    publicSignals[0] = (BigInt(publicSignals[0]!) + 1n).toString();
    expect(await code({ ...newestC, publicSignals })).toBe('422 tampered_public_signal');
  });

  it('no_ioid: a device without an ioID', async () => {
    const stranger = privateKeyToAccount(KEY_UNREGISTERED);
    expect(await code({ ...newestC, device: stranger.address })).toBe('403 no_ioid');
  });

  it('duplicate_conflict: a second, different batch for the same device and epoch', async () => {
    expect(await code(conflictA)).toBe('409 duplicate_conflict');
  });

  it('replay: an older epoch after a newer one was accepted', async () => {
    expect((await post(relay.url, newestC)).status).toBe(201);
    expect(await code(olderC)).toBe('409 replay');
  });

  it('epoch_out_of_window: too old, and in the future', async () => {
    expect(await code({ ...newestC, epoch: E - 25 })).toBe('422 epoch_out_of_window');
    expect(await code({ ...newestC, epoch: E + 1 })).toBe('422 epoch_out_of_window');
  });

  it('epoch_mismatch: the proved window is not in the claimed epoch', async () => {
    expect(await code({ ...olderC, epoch: E - 2 })).toBe('422 epoch_mismatch');
  });

  it('body_too_large: over the cap', async () => {
    expect(await code({ ...newestC, encryptedReadings: 'A'.repeat(70 * 1024) })).toBe('413 body_too_large');
  });

  it('malformed_json and invalid_batch', async () => {
    expect(await code('{"device": ')).toBe('400 malformed_json');
    expect(await code({ ...newestC, epoch: 'now' })).toBe('400 invalid_batch');
    expect(await code({ ...newestC, extra: 1 })).toBe('400 invalid_batch');
  });

  it('cors_forbidden: an origin not in the allowlist; allowed origins get CORS headers', async () => {
    expect(await code(newestC, { origin: 'https://evil.example' })).toBe('403 cors_forbidden');
    const preflight = await fetch(`${relay.url}/v1/batches`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('rate_limited: a device over its per-minute budget', async () => {
    const strict = await startTestRelay(chain, { rateLimit: { perDevice: 2, perIp: 1000 } });
    try {
      const statuses: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { status, json } = await post(strict.url, { ...newestC, epoch: E + 5 });
        statuses.push(`${status} ${json.error?.code}`);
      }
      expect(statuses).toEqual(['422 epoch_out_of_window', '422 epoch_out_of_window', '429 rate_limited']);
    } finally {
      await strict.stop();
    }
  });
  it('rate_limited: a client over its per-minute budget, keyed by X-Forwarded-For only behind a listed proxy', async () => {
    const sendAs = async (url: string, client: string) => {
      const { status, json } = await post(url, { ...newestC, epoch: E + 5 }, { 'x-forwarded-for': `198.51.100.9, ${client}` });
      return `${status} ${json.error?.code}`;
    };
    const proxied = await startTestRelay(chain, { rateLimit: { perDevice: 1000, perIp: 1 }, trustedProxies: ['127.0.0.1'] });
    const direct = await startTestRelay(chain, { rateLimit: { perDevice: 1000, perIp: 1 } });
    try {
      // Behind the listed proxy, each forwarded client has its own budget (the leftmost entry is the client's own word and is ignored).
      expect([await sendAs(proxied.url, '203.0.113.1'), await sendAs(proxied.url, '203.0.113.1'), await sendAs(proxied.url, '203.0.113.2')]).toEqual([
        '422 epoch_out_of_window',
        '429 rate_limited',
        '422 epoch_out_of_window',
      ]);
      // Without a listed proxy the header is anyone's to write, so it changes nothing.
      expect([await sendAs(direct.url, '203.0.113.1'), await sendAs(direct.url, '203.0.113.2')]).toEqual(['422 epoch_out_of_window', '429 rate_limited']);
    } finally {
      await proxied.stop();
      await direct.stop();
    }
  });
});

describe('operations', () => {
  it('serves /healthz, /metrics and /openapi.json', async () => {
    const health = await get('/healthz');
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ ok: true, store: 'pglite' });
    const metrics = await get('/metrics');
    expect(metrics.text).toMatch(/outpost_relay_batches_accepted_total \d+/);
    expect(metrics.text).toContain('outpost_relay_batches_rejected_total{code="bad_proof"} 2');
    const openapi = await get('/openapi.json');
    expect(Object.keys(openapi.json.paths)).toEqual(expect.arrayContaining(['/v1/batches', '/v1/batches/{id}', '/v1/anchors/{id}', '/v1/rewards/{device}', '/v1/info']));
  });

  it('serves /v1/info: the epoch length and window the app must prove batches for', async () => {
    const info = await get('/v1/info');
    expect(info.status).toBe(200);
    // What tests/relay/helpers/relay.ts configures, and the devnet's chain id.
    expect(info.json).toEqual({ epochSeconds: EPOCH_SECONDS, maxEpochLag: 24, chainId: 31337, bodyLimitBytes: 64 * 1024 });
  });

  it('posts the closed epoch’s reward root; the device owner claims it with the served proof', async () => {
    const deviceA = privateKeyToAccount(KEY_A).address;
    const claim = await waitFor('a confirmed reward root', async () => {
      const { json } = await get(`/v1/rewards/${deviceA}`);
      const entry = json.rewards.find((reward: { epoch: number; status: string }) => reward.epoch === E - 1);
      return entry?.status === 'confirmed' ? entry : null;
    });
    // A was the only device in epoch E-1, so it gets the whole epoch pool.
    expect(claim.amount).toBe((10n ** 18n).toString());
    const owner = createWalletClient({ chain: toViemChain(NETWORKS.devnet, chain.rpcUrl), transport: http(chain.rpcUrl), account: devAccount(OWNER_A) });
    const dataRewards = chain.devnet.contracts.dataRewards!;
    const before = await chain.client.getBalance({ address: owner.account.address });
    const hash = await owner.writeContract({ address: dataRewards, abi: dataRewardsAbi, functionName: 'claim', args: [BigInt(E - 1), deviceA, BigInt(claim.amount), claim.proof] });
    const receipt = await chain.client.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe('success');
    const after = await chain.client.getBalance({ address: owner.account.address });
    expect(after - before + receipt.gasUsed * receipt.effectiveGasPrice).toBe(10n ** 18n);
    expect(await chain.client.readContract({ address: dataRewards, abi: dataRewardsAbi, functionName: 'isClaimed', args: [BigInt(E - 1), deviceA] })).toBe(true);
  });
});
