/**
 * TEST FIXTURE: a misbehaving relay, made from the real one. A small Node HTTP server in front of
 * the relay the stack started forwards every request unchanged, except what the current `mode`
 * changes at this boundary (the chain and the real relay stay real):
 * - 'honest': nothing;
 * - 'tamper-proof': receipts keep the relay's root but one byte of the first Merkle sibling is flipped;
 * - 'fake-root': receipts carry a self-consistent proof (the leaf and one made-up sibling) to a
 *   made-up root that BatchInbox never anchored;
 * - 'refuse-replay': POST /v1/batches is refused as `replay` (409) and never reaches the relay;
 * - 'accept-never-anchor': POST /v1/batches is answered with a receipt ("accepted") but never reaches
 *   the relay, so it is never anchored; GET /v1/info promises anchoring within `promiseSeconds`;
 * - 'wrong-reward-figure': GET /v1/rewards/{device} answers keep each reward's amount and proof but
 *   raise its `figures.weight` by 20% (×12/10, floored), so the relay's figure no longer gives the
 *   amount the posted root pays (rewards with figures: null are left alone);
 * - 'wrong-reward-amount': GET /v1/rewards/{device} answers raise each reward's `amount` by 20%
 *   (×12/10, floored) and keep its leaf and proof, so the proof no longer verifies for that amount
 *   against the posted root.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { concat, hexToBigInt, keccak256, stringToHex, type Hex } from 'viem';

/** The sibling a lying relay invents; the root is its sorted-pair hash with the batch's leaf (OpenZeppelin MerkleProof). */
const MADE_UP_SIBLING = keccak256(stringToHex('outpost e2e: a sibling no anchor holds'));
const sortedPair = (a: Hex, b: Hex): Hex => (hexToBigInt(a) < hexToBigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a])));

type ProxyMode = 'honest' | 'tamper-proof' | 'fake-root' | 'refuse-replay' | 'accept-never-anchor' | 'wrong-reward-figure' | 'wrong-reward-amount';

const REWARDS_PATH = /^\/v1\/rewards\/[^/?]+(\?|$)/;

export type RelayProxy = {
  url: string;
  mode: ProxyMode;
  /** Requests seen, as "METHOD path". */
  seen: string[];
  /** What /v1/info promises as anchorWithinSeconds in 'accept-never-anchor' mode. */
  promiseSeconds: number;
  close: () => Promise<void>;
};

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

type Receipt = { id: string; anchor: { merkleRoot: string; merkleProof: string[]; leafIndex: number } | null };

function tamper(mode: ProxyMode, body: Buffer): Buffer {
  let parsed: { receipt?: Receipt };
  try {
    parsed = JSON.parse(body.toString('utf8')) as { receipt?: Receipt };
  } catch {
    return body;
  }
  const anchor = parsed.receipt?.anchor;
  if (!anchor || !parsed.receipt) return body;
  if (mode === 'tamper-proof') {
    const first = anchor.merkleProof[0] ?? anchor.merkleRoot;
    const last = first.slice(-2) === '00' ? '01' : '00';
    anchor.merkleProof = [`${first.slice(0, -2)}${last}`, ...anchor.merkleProof.slice(1)];
  } else if (mode === 'fake-root') {
    // The receipt id is the batch's leaf (BatchInbox.leafHash).
    anchor.merkleRoot = sortedPair(parsed.receipt.id as Hex, MADE_UP_SIBLING);
    anchor.merkleProof = [MADE_UP_SIBLING];
    anchor.leafIndex = 0;
  }
  return Buffer.from(JSON.stringify(parsed));
}

type Reward = { amount: string; figures: { weight: string } | null };

/** +20% in integer math on a decimal string: floor(value · 12 / 10). */
const plus20 = (decimal: string) => ((BigInt(decimal) * 12n) / 10n).toString();

function tamperRewards(mode: 'wrong-reward-figure' | 'wrong-reward-amount', body: Buffer): Buffer {
  let parsed: { rewards?: Reward[] };
  try {
    parsed = JSON.parse(body.toString('utf8')) as { rewards?: Reward[] };
  } catch {
    return body;
  }
  if (!Array.isArray(parsed.rewards)) return body;
  for (const reward of parsed.rewards) {
    if (mode === 'wrong-reward-figure' && reward.figures) reward.figures.weight = plus20(reward.figures.weight);
    if (mode === 'wrong-reward-amount') reward.amount = plus20(reward.amount);
  }
  return Buffer.from(JSON.stringify(parsed));
}

export async function startRelayProxy(relayUrl: string): Promise<RelayProxy> {
  const target = new URL(relayUrl);
  const state: { mode: ProxyMode; promiseSeconds: number } = { mode: 'honest', promiseSeconds: 15 };
  const seen: string[] = [];
  /** Receipts made up in 'accept-never-anchor' mode, by id. */
  const madeUp = new Map<string, unknown>();
  const json = (res: ServerResponse, status: number, body: unknown, origin: string | undefined) => {
    res.writeHead(status, { 'content-type': 'application/json', ...(origin ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {}) });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const path = req.url ?? '/';
    seen.push(`${req.method} ${path.split('?')[0]}`);
    const origin = req.headers.origin;
    if (state.mode === 'refuse-replay' && req.method === 'POST' && path.startsWith('/v1/batches')) {
      json(res, 409, { error: { code: 'replay', message: 'This epoch is older than the device’s newest batch.', hint: 'Submit it on-chain directly.' } }, origin);
      return;
    }
    if (state.mode === 'accept-never-anchor' && req.method === 'POST' && path.startsWith('/v1/batches')) {
      const sent = JSON.parse(body.toString('utf8')) as { device: string; epoch: number; commitment: string };
      const receipt = { id: keccak256(body), device: sent.device, epoch: sent.epoch, commitment: sent.commitment, readings: 64, receivedAt: new Date().toISOString(), status: 'accepted', anchor: null };
      madeUp.set(receipt.id, receipt);
      json(res, 201, { receipt, duplicate: false }, origin);
      return;
    }
    const known = req.method === 'GET' ? madeUp.get(path.replace(/^\/v1\/batches\//, '')) : undefined;
    if (known) {
      json(res, 200, { receipt: known }, origin);
      return;
    }
    // One connection per request to the relay (no keep-alive), so nothing is held open when the harness stops it.
    const upstream = httpRequest(
      { hostname: target.hostname, port: target.port, path, method: req.method, headers: { ...req.headers, host: target.host, connection: 'close' }, agent: false },
      (answer) => {
        void readBody(answer).then((raw) => {
          const rewrite = req.method === 'GET' && /^\/v1\/batches\/0x/.test(path) && (state.mode === 'tamper-proof' || state.mode === 'fake-root');
          const promise = req.method === 'GET' && path === '/v1/info' && state.mode === 'accept-never-anchor';
          const rewards = req.method === 'GET' && REWARDS_PATH.test(path) && (state.mode === 'wrong-reward-figure' || state.mode === 'wrong-reward-amount') ? state.mode : null;
          const out = rewrite
            ? tamper(state.mode, raw)
            : promise
              ? Buffer.from(JSON.stringify({ ...(JSON.parse(raw.toString('utf8')) as object), anchorWithinSeconds: state.promiseSeconds }))
              : rewards
                ? tamperRewards(rewards, raw)
                : raw;
          const headers = { ...answer.headers, 'content-length': String(out.length) };
          delete headers['transfer-encoding'];
          delete headers.connection;
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(out);
        });
      },
    );
    upstream.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'proxy_upstream', message: error.message } }));
    });
    upstream.end(body);
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return state.mode;
    },
    set mode(mode: ProxyMode) {
      state.mode = mode;
    },
    get promiseSeconds() {
      return state.promiseSeconds;
    },
    set promiseSeconds(seconds: number) {
      state.promiseSeconds = seconds;
    },
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
