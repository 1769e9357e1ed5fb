import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaseError, ContractFunctionRevertedError, createWalletClient, http as viemHttp, keccak256, parseEventLogs, stringToBytes, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { batchInboxAbi, dataRewardsAbi } from '../../src/core/abis/index.js';
import { verifyMerkleProof } from '../../src/core/batch/merkle.js';
import { NETWORKS, toViemChain } from '../../src/core/networks.js';
import { toSolidityProof } from '../../src/core/zk/proof.js';
import type { RunningRelay } from '../../src/relay/server.js';
import { devAccount } from '../../scripts/deploy/deployer.js';
import { TEST_SEED, seededBytes, seededHex } from '../support/seed.js';
import { CURRENT_EPOCH, EPOCH_SECONDS, FIXED_NOW, makeBatch, post, testDeviceKey, waitFor, type RelayAnswer, type Submission } from './helpers/batches.js';
import { registerDevice, startTestChain, type TestChain } from './helpers/chain.js';
import { contractViolation, recordRelayAnswers, templateOf, type OpenApi } from './helpers/contract.js';
import type { RewardClaim } from '../../src/core/relayWire/schemas.js';
import { advanceChainTo, startTestRelay } from './helpers/relay.js';

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
let futureC: Submission; // C, epoch E, a real proof of a window ending 1 s after the relay's clock
let crossingC: Submission; // C, a real proof of a window across the E-3/E-2 boundary
let moduleId: bigint;
/** Every answer of a test relay these tests see, checked against /openapi.json at the end. */
const recorded = recordRelayAnswers();

/** secp256k1's group order n (SEC 2), written out here so the test does not take it from the code under test. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
/** BN254's scalar (r) and base (p) field orders (EIP-196/197). */
const BN254_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const BN254_P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

/** The same signature with s → n − s and the recovery bit flipped: what plain ecrecover (and viem) also accepts, OpenZeppelin does not. */
function highS(signature: Hex): Hex {
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  const v = Number.parseInt(signature.slice(130, 132), 16);
  return `${signature.slice(0, 66)}${(SECP256K1_N - s).toString(16).padStart(64, '0')}${(v >= 27 ? 55 - v : v ^ 1).toString(16).padStart(2, '0')}` as Hex; // 27 ↔ 28, 0 ↔ 1
}

function withV(signature: Hex, v: number): Hex {
  return `${signature.slice(0, 130)}${v.toString(16).padStart(2, '0')}` as Hex;
}

/** Every code docs/relay.md lists for a refused request; an answer outside it (or a 5xx) is a bug. */
const DOCUMENTED_CODES = [
  'cors_forbidden', 'rate_limited', 'body_too_large', 'unsupported_media_type', 'malformed_json', 'invalid_batch', 'epoch_out_of_window',
  'no_ioid', 'tampered_public_signal', 'epoch_mismatch', 'window_in_future', 'bad_signature', 'bad_proof', 'duplicate_conflict', 'replay', 'not_found',
];

/** A GET on the test relay; `T` is the body the route documents (unchecked here: see recordRelayAnswers). */
async function get<T = RelayAnswer>(path: string): Promise<{ status: number; json: T; text: string }> {
  const response = await fetch(`${relay.url}${path}`);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json: json as T, text };
}

/** Sets `value` at `path` inside a parsed JSON tree (the fuzz below mutates submissions this way). */
function setIn(tree: unknown, path: readonly (string | number)[], value: unknown): void {
  type Node = Record<string | number, unknown>;
  const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Node)[key], tree);
  (parent as Node)[path.at(-1)!] = value;
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
  futureC = await makeBatch(KEY_C, E, 5, 64, { windowStart: E * EPOCH_SECONDS, windowEnd: FIXED_NOW + 1 });
  crossingC = await makeBatch(KEY_C, E - 3, 6, 16, { windowStart: (E - 2) * EPOCH_SECONDS - 600, windowEnd: (E - 2) * EPOCH_SECONDS + 600 });
  moduleId = BigInt(chain.devnet.extra!.moduleId as number);
  // The chain's clock at the relay's pinned one, as a real relay's and chain's clocks are (see advanceChainTo).
  await advanceChainTo(chain, FIXED_NOW);
  relay = await startTestRelay(chain);
});

afterAll(async () => {
  recorded.stop();
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
    if (!anchor?.merkleProof || !anchor.txHash) throw new Error(`an anchored receipt names its Merkle proof and transaction: ${JSON.stringify(anchor)}`);
    const [epoch, count, anchoredAt] = await chain.client.readContract({ address: chain.devnet.contracts.batchInbox!, abi: batchInboxAbi, functionName: 'batchOf', args: [moduleId, anchor.merkleRoot] });
    expect(anchoredAt).toBeGreaterThan(0n);
    expect(epoch).toBe(BigInt(E - 1));
    expect(count).toBeGreaterThanOrEqual(1n);
    expect(verifyMerkleProof(anchor.merkleProof, anchor.merkleRoot, id)).toBe(true);
    // On-chain inclusion check: challenge() verifies the proof first; a valid, included leaf ends in LeafIsValid.
    expect(
      await revertName(chain.client.simulateContract({ address: chain.devnet.contracts.batchInbox!, abi: batchInboxAbi, functionName: 'challenge', args: [moduleId, anchor.merkleRoot, onChainLeaf(goodA), anchor.merkleProof], account: devAccount(4) })),
    ).toBe('LeafIsValid');
    expect(
      await revertName(chain.client.simulateContract({ address: chain.devnet.contracts.batchInbox!, abi: batchInboxAbi, functionName: 'challenge', args: [moduleId, anchor.merkleRoot, onChainLeaf(laterA), anchor.merkleProof], account: devAccount(4) })),
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

/** Extra relays in these tests neither anchor nor post rewards (the main relay does, for the same epochs). */
const QUIET = { anchorBatchSize: 1_000_000, anchorIntervalMs: 3_600_000, rewardPerEpoch: 0n, verifyThreads: 0 };

describe('each bad input is refused with its own code', () => {
  const code = async (body: unknown, headers?: Record<string, string>) => {
    const { status, json } = await post(relay.url, body, headers);
    return `${status} ${json.error?.code}`;
  };

  it('bad_signature: a high-s copy of a valid signature (BatchInbox refuses it, so the relay must)', async () => {
    expect(await code({ ...goodA, signature: highS(goodA.signature) })).toBe('401 bad_signature');
    expect(await code({ ...newestC, signature: highS(newestC.signature) })).toBe('401 bad_signature');
  });

  it('bad_signature: v other than 0, 1, 27, 28; v as 27/28 is the same signature (a re-send: the stored receipt)', async () => {
    const v = Number.parseInt(goodA.signature.slice(130, 132), 16);
    const other = v < 27 ? v + 27 : v - 27;
    const { status, json } = await post(relay.url, { ...goodA, signature: withV(goodA.signature, other) });
    expect(status).toBe(200);
    expect(json.duplicate).toBe(true);
    for (const bad of [2, 26, 29, 0xff]) expect(await code({ ...goodA, signature: withV(goodA.signature, bad) }), `v ${bad}`).toBe('401 bad_signature');
    // r or s zero, or not below n.
    const sig = goodA.signature;
    const zeroR = `0x${'00'.repeat(32)}${sig.slice(66)}` as Hex;
    const bigR = `0x${SECP256K1_N.toString(16)}${sig.slice(66)}` as Hex;
    const zeroS = `${sig.slice(0, 66)}${'00'.repeat(32)}${sig.slice(130)}` as Hex;
    for (const bad of [zeroR, bigR, zeroS]) expect(await code({ ...goodA, signature: bad })).toBe('401 bad_signature');
  });

  it('window_in_future: a real proof of a window that ends after the relay’s clock', async () => {
    const { status, json } = await post(relay.url, futureC);
    expect(`${status} ${json.error?.code}`).toBe('422 window_in_future');
    expect(json.error.hint).toMatch(/window/);
  });

  it('epoch_mismatch: a real proof of a window across two epochs', async () => {
    expect(await code({ ...crossingC, epoch: E - 3 })).toBe('422 epoch_mismatch');
    expect(await code({ ...crossingC, epoch: E - 2 })).toBe('422 epoch_mismatch');
  });

  it('invalid_batch, naming the field: numbers of 2^256 and more, signals ≥ r, coordinates ≥ p, non-affine points', async () => {
    const withSignal = (i: number, value: bigint) => {
      const publicSignals = [...newestC.publicSignals];
      publicSignals[i] = value.toString();
      return { ...newestC, publicSignals };
    };
    const withProof = (edit: (proof: { pi_a: string[]; pi_b: string[][]; pi_c: string[] }) => void) => {
      const proof = structuredClone(newestC.proof) as { pi_a: string[]; pi_b: string[][]; pi_c: string[] };
      edit(proof);
      return { ...newestC, proof };
    };
    const cases: [string, unknown][] = [
      ['publicSignals.3', withSignal(3, 10n ** 78n - 1n)],
      ['publicSignals.0', withSignal(0, 1n << 256n)],
      ['publicSignals.1', withSignal(1, BN254_R)],
      ['publicSignals.2', withSignal(2, BN254_R + 5n)],
      ['commitment', { ...newestC, commitment: ((1n << 256n) + 1n).toString() }],
      ['commitment', { ...newestC, commitment: BN254_R.toString() }],
      ['proof.pi_a.0', withProof((p) => (p.pi_a[0] = BN254_P.toString()))],
      ['proof.pi_b.1.0', withProof((p) => (p.pi_b[1]![0] = ((1n << 256n) + 7n).toString()))],
      ['proof.pi_c.1', withProof((p) => (p.pi_c[1] = (10n ** 78n - 1n).toString()))],
      ['proof.pi_a.2', withProof((p) => (p.pi_a[2] = '2'))],
      ['proof.pi_b.2.1', withProof((p) => (p.pi_b[2]![1] = '1'))],
    ];
    for (const [field, body] of cases) {
      const { status, json } = await post(relay.url, body);
      expect(`${status} ${json.error?.code}`, field).toBe('400 invalid_batch');
      expect(json.error.details, field).toContain(`${field}:`);
    }
  });

  it('unsupported_media_type and not_found', async () => {
    expect(await code(JSON.stringify(newestC), { 'content-type': 'text/plain' })).toBe('415 unsupported_media_type');
    const missing = await fetch(`${relay.url}/v1/batches/0x${'00'.repeat(32)}`);
    expect(`${missing.status} ${((await missing.json()) as { error: { code: string } }).error.code}`).toBe('404 not_found');
    const route = await fetch(`${relay.url}/v2/nothing`);
    expect(`${route.status} ${((await route.json()) as { error: { code: string } }).error.code}`).toBe('404 not_found');
  });

  it(`no input yields a 5xx or an undocumented code (300 seeded mutations of a batch, seed ${TEST_SEED})`, async () => {
    let state = BigInt(seededHex('relay bad-input fuzz'));
    const next = (bound: number): number => {
      state = BigInt(keccak256(`0x${state.toString(16).padStart(64, '0')}`));
      return Number(state % BigInt(bound));
    };
    const junkValues: unknown[] = [
      null, true, -1, 0, 1.5, 2 ** 53, '', '0x', '-1', '01', ' 1', '1e3', 'x'.repeat(200), '9'.repeat(79), '9'.repeat(78),
      (1n << 256n).toString(), (BN254_P - 1n).toString(), [], {}, [[[]]], ['1', '2', '3'], { pi_a: [] }, `0x${'ff'.repeat(65)}`, `0x${'00'.repeat(65)}`,
    ];
    const fields = ['device', 'epoch', 'commitment', 'signature', 'proof', 'publicSignals', 'encryptedReadings', 'extra'];
    const seen: string[] = [];
    for (let i = 0; i < 300; i++) {
      // futureC is refused whatever else is right with it, so no mutation stores a batch the later tests send.
      const body = structuredClone(futureC) as unknown as Record<string, unknown>;
      const field = fields[next(fields.length)]!;
      const value = junkValues[next(junkValues.length)];
      const where = next(4);
      if (field === 'publicSignals' && where < 3) setIn(body, ['publicSignals', next(4)], value);
      else if (field === 'proof' && where < 3) {
        const key = ['pi_a', 'pi_b', 'pi_c', 'protocol', 'curve'][next(5)]!;
        if (key === 'pi_b' && where < 2) setIn(body, ['proof', 'pi_b', next(3), next(2)], value);
        else if (key.startsWith('pi') && where < 2) setIn(body, ['proof', key, next(3)], value);
        else setIn(body, ['proof', key], value);
      } else if (where === 3) delete body[field];
      else body[field] = value;
      const { status, json } = await post(relay.url, body);
      seen.push(json.error?.code ?? String(status));
      expect(status, `mutation ${i}: ${field}`).toBeLessThan(500);
      if (status >= 400) expect(DOCUMENTED_CODES, `mutation ${i}: ${field}`).toContain(json.error.code);
    }
    expect(seen).toContain('invalid_batch');
  });

  it('body_too_large on a keep-alive connection: the 413 closes it, and the next request gets its answer', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const { port } = new URL(relay.url);
    const request = (options: http.RequestOptions, body?: (req: http.ClientRequest) => Promise<void>) =>
      new Promise<{ status: number; connection: string | undefined; text: string }>((resolve, reject) => {
        let answer: { status: number; connection: string | undefined; text: string } | null = null;
        const req = http.request({ host: '127.0.0.1', port, agent, ...options }, (res) => {
          answer = { status: res.statusCode!, connection: res.headers.connection, text: '' };
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (answer!.text += chunk));
          res.on('end', () => resolve(answer!));
          res.on('error', () => resolve(answer!));
        });
        // The upload is cut short once the relay has answered 413 and closed: expected, not a failure.
        req.on('error', (error) => (answer ? resolve(answer) : reject(error)));
        if (body) void body(req).catch(() => undefined);
        else req.end();
      });
    try {
      // Chunked: past the cap at once, then more for a second (longer than the server drains an unread body for).
      const first = await request({ method: 'POST', path: '/v1/batches', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, async (req) => {
        req.write('x'.repeat(66 * 1024));
        for (let i = 0; i < 40 && !req.destroyed; i++) {
          await new Promise((resolve) => setTimeout(resolve, 25));
          req.write('x'.repeat(1024));
        }
        req.end();
      });
      expect(first.status).toBe(413);
      expect(JSON.parse(first.text).error.code).toBe('body_too_large');
      expect(first.connection).toBe('close');
      const second = await request({ method: 'GET', path: '/v1/info' });
      expect(second.status).toBe(200);
      expect(JSON.parse(second.text).epochSeconds).toBe(EPOCH_SECONDS);
    } finally {
      agent.destroy();
    }
  });

  it('body_too_large on a raw connection: a client that reuses it gets an answer, or was told it closes', async () => {
    const { port } = new URL(relay.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write('POST /v1/batches HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
    // Past the 64 KiB cap at once (the 413 comes now), then the rest slowly, for longer than the
    // 500 ms the server drains an unread body for before it drops the connection.
    socket.write(`400\r\n${'x'.repeat(1024)}\r\n`.repeat(66));
    for (let i = 0; i < 40 && !socket.destroyed; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      if (!socket.destroyed) socket.write(`400\r\n${'x'.repeat(1024)}\r\n`);
    }
    if (!socket.destroyed) socket.write('0\r\n\r\nGET /v1/info HTTP/1.1\r\nHost: relay\r\n\r\n');
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 3000))]);
    socket.destroy();
    const [head] = received.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 413/);
    const keptAlive = !/\r\nconnection: close/i.test(head!);
    // Keep-alive promised means the next request on this connection is answered.
    if (keptAlive) expect(received).toMatch(/HTTP\/1\.1 200/);
    expect(keptAlive).toBe(false);
  });

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

  it('rate_limited: a device over its per-minute budget (spent by verified batches; exact retries are free)', async () => {
    const strict = await startTestRelay(chain, { rateLimit: { perDevice: 2, perIp: 1000 }, ...QUIET });
    try {
      const statuses: string[] = [];
      for (const body of [laterA, conflictA, laterA, goodA]) {
        const { status, json } = await post(strict.url, body);
        statuses.push(`${status} ${json.error?.code ?? ''}`.trim());
      }
      // laterA stored (1), conflictA verified then refused (2), laterA again is an exact retry (free), goodA is over budget.
      expect(statuses).toEqual(['201', '409 duplicate_conflict', '200', '429 rate_limited']);
    } finally {
      await strict.stop();
    }
  });

  it('rate_limited cannot be spent by others: junk naming the device, replayed signatures with junk proofs, re-proved copies', async () => {
    const strict = await startTestRelay(chain, { rateLimit: { perDevice: 2, perIp: 1000 }, ...QUIET });
    try {
      const junk: string[] = [];
      for (let i = 0; i < 6; i++) {
        // Unsigned junk with the genuine device's address: random bytes as the signature.
        const signature = `0x${Buffer.from(seededBytes(`junk signature ${i}`, 32)).toString('hex')}${Buffer.from(seededBytes(`junk signature ${i} s`, 32)).toString('hex')}1b` as Hex;
        junk.push(`${(await post(strict.url, { ...goodA, signature })).json.error?.code}`);
        // The device's genuine (published) signature with a proof that does not verify.
        const proof = structuredClone(goodA.proof) as { pi_c: string[] };
        proof.pi_c[0] = (BigInt(proof.pi_c[0]!) + 1n + BigInt(i)).toString();
        junk.push(`${(await post(strict.url, { ...goodA, proof })).json.error?.code}`);
      }
      expect(new Set(junk)).toEqual(new Set(['bad_signature', 'bad_proof']));
      // The genuine device is still accepted, and a re-send of its stored batch (v as 27/28, a new leaf) spends nothing either.
      expect((await post(strict.url, goodA)).status).toBe(201);
      const v = Number.parseInt(goodA.signature.slice(130, 132), 16);
      for (let i = 0; i < 3; i++) expect((await post(strict.url, { ...goodA, signature: withV(goodA.signature, v < 27 ? v + 27 : v - 27) })).status).toBe(200);
      expect((await post(strict.url, laterA)).status).toBe(201);
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
    expect(Number(/outpost_relay_batches_rejected_total\{code="bad_proof"\} (\d+)/.exec(metrics.text)?.[1])).toBeGreaterThanOrEqual(2);
    expect(Number(/outpost_relay_batches_rejected_total\{code="window_in_future"\} (\d+)/.exec(metrics.text)?.[1])).toBeGreaterThanOrEqual(1);
    const openapi = await get<OpenApi>('/openapi.json');
    expect(Object.keys(openapi.json.paths)).toEqual(expect.arrayContaining(['/v1/batches', '/v1/batches/{id}', '/v1/anchors/{id}', '/v1/rewards/{device}', '/v1/info']));
  });

  it('serves /v1/info: the epoch length and window the app must prove batches for', async () => {
    const info = await get('/v1/info');
    expect(info.status).toBe(200);
    // What tests/relay/helpers/relay.ts configures, and the devnet's chain id.
    // anchorWithinSeconds: the test relay anchors every 300 ms, so ⌈0.3 s⌉ + the 900 s confirmation margin.
    expect(info.json).toEqual({ epochSeconds: EPOCH_SECONDS, maxEpochLag: 24, chainId: 31337, bodyLimitBytes: 64 * 1024, moduleId: Number(chain.devnet.extra!.moduleId), anchorWithinSeconds: 901 });
  });

  it('posts the closed epoch’s reward root; the device owner claims it with the served proof', async () => {
    const deviceA = privateKeyToAccount(KEY_A).address;
    const claim = await waitFor('a confirmed reward root', async () => {
      const { json } = await get<{ rewards: RewardClaim[] }>(`/v1/rewards/${deviceA}`);
      const entry = json.rewards.find((reward: { epoch: number; status: string }) => reward.epoch === E - 1);
      return entry?.status === 'confirmed' ? entry : null;
    });
    // A was the only device in epoch E-1, so it gets the whole epoch pool.
    expect(claim.amount).toBe((10n ** 18n).toString());
    // The figures behind it: the pool tests/relay/helpers/relay.ts configures, and A's weight is the epoch's whole weight.
    expect(claim.figures).toMatchObject({ pool: (10n ** 18n).toString() });
    expect(claim.figures!.weight).toBe(claim.figures!.epochWeight);
    expect(BigInt(claim.figures!.weight)).toBeGreaterThan(0n);
    const owner = createWalletClient({ chain: toViemChain(NETWORKS.devnet, chain.rpcUrl), transport: viemHttp(chain.rpcUrl), account: devAccount(OWNER_A) });
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

describe('the published contract (/openapi.json, generated from src/core/relayWire)', () => {
  let document: OpenApi;
  it('answers the refusals of the read routes as documented', async () => {
    expect((await get('/v1/rewards/not-an-address')).json.error.code).toBe('invalid_batch');
    expect((await get('/v1/anchors/999999')).status).toBe(404);
    expect((await get('/v1/anchors/latest')).status).toBe(404);
    expect((await get('/v1/batches/not-a-leaf')).status).toBe(404);
    const forbidden = await fetch(`${relay.url}/v1/info`, { headers: { origin: 'https://evil.example' } });
    expect(`${forbidden.status} ${((await forbidden.json()) as { error: { code: string } }).error.code}`).toBe('403 cors_forbidden');
  });

  it('every answer the tests saw, refusals included, validates against the document’s schema for its route and status', async () => {
    document = (await get<OpenApi>('/openapi.json')).json;
    // CORS preflights are answered for any path by the CORS layer, before routing: not API operations.
    const answers = recorded.answers.filter((answer) => answer.method !== 'OPTIONS');
    expect(answers.length).toBeGreaterThan(300);
    const violations = answers.map((answer) => contractViolation(document, answer)).filter((violation) => violation !== null);
    expect(violations).toEqual([]);
    // Every documented operation was exercised, with a successful answer and (POST /v1/batches) with every refusal of the fuzz list.
    for (const [template, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) {
        const seen = answers.filter((answer) => answer.method.toLowerCase() === method && templateOf(document, answer.path) === template);
        expect(seen.some((answer) => answer.status < 300), `${method} ${template}`).toBe(true);
      }
    }
    const refused = new Set(answers.filter((answer) => answer.path === '/v1/batches' && answer.status >= 400).map((answer) => JSON.parse(answer.text).error.code));
    // not_found is the read routes' refusal, never POST /v1/batches's.
    expect([...refused].sort()).toEqual(DOCUMENTED_CODES.filter((code) => code !== 'not_found').sort());
  });

  it('the checker itself refuses an answer outside the document', () => {
    const receipt = { id: `0x${'ab'.repeat(32)}`, device: goodA.device, epoch: E - 1, commitment: goodA.commitment, readings: 64, receivedAt: '2026-11-22T00:00:00.000Z', status: 'accepted', anchor: null };
    const answer = (status: number, body: unknown, path = '/v1/batches', method = 'POST') => ({ method, path, status, contentType: 'application/json', text: JSON.stringify(body) });
    expect(contractViolation(document, answer(201, { receipt, duplicate: false }))).toBeNull();
    expect(contractViolation(document, answer(201, { receipt: { ...receipt, status: 'lost' }, duplicate: false }))).toMatch(/status/);
    expect(contractViolation(document, answer(201, { receipt }))).toMatch(/duplicate/);
    expect(contractViolation(document, answer(500, { error: { code: 'internal', message: 'x' } }))).toBeNull();
    expect(contractViolation(document, answer(422, { error: { code: 'bad_signature', message: 'x' } }))).toMatch(/allowed values/);
    expect(contractViolation(document, answer(404, { error: { code: 'not_found', message: 'x' } }))).toMatch(/not documented/);
    expect(contractViolation(document, answer(200, { epochSeconds: 60 }, '/v1/info', 'GET'))).toMatch(/maxEpochLag/);
    expect(contractViolation(document, answer(200, {}, '/v2/nothing', 'GET'))).toMatch(/outside the document/);
  });
});
