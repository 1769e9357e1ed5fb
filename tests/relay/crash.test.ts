import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { anyFreePort } from '../../scripts/stack/ports.js';
import { anchoredOnChain } from './helpers/anchored.js';
import { CURRENT_EPOCH, EPOCH_SECONDS, FIXED_NOW, makeBatch, post, testDeviceKey, waitFor, type Submission } from './helpers/batches.js';
import { registerDevice, startTestChain, type TestChain } from './helpers/chain.js';
import { advanceChainTo, freshDataDir } from './helpers/relay.js';
import { spawnRelay, type RelayProcess } from './helpers/relayProcess.js';

const STREAM = 8;
const KEY = testDeviceKey('crash');
/** The group-commit test: epochs per device (four devices), and the new receipts after which the relay is killed, each time. */
const GROUP_STREAM = 5;
const KILLS_AFTER_RECEIPTS = [6, 6];

let chain: TestChain;
const batches: Submission[] = [];
let child: RelayProcess | null = null;
/** Where the first test's relay listens and keeps its PGlite store (a restart reuses both). */
let store: RelayPlace;
let configPath: string;

type RelayPlace = { port: number; dataDir: string };

/** `npm run relay` as its own process (so kill -9 hits the relay itself), on `place`. */
async function startChild({ port, dataDir }: RelayPlace): Promise<string> {
  child = await spawnRelay({
    OUTPOST_DEVNET_CONFIG: configPath,
    RELAY_PORT: String(port),
    RELAY_DATA_DIR: dataDir,
    RELAY_FIXED_NOW: String(FIXED_NOW),
    RELAY_EPOCH_SECONDS: String(EPOCH_SECONDS),
    RELAY_ANCHOR_BATCH_SIZE: '2',
    RELAY_ANCHOR_INTERVAL_MS: '300',
    RELAY_WORKER_POLL_MS: '50',
    RELAY_REWARD_PER_EPOCH_WEI: '0',
    RELAY_RATE_PER_DEVICE: '10000',
    RELAY_INSTANCE_ID: 'relay-crash',
  });
  return child.url;
}

async function kill9(): Promise<void> {
  await child?.kill9();
  child = null;
}

beforeAll(async () => {
  chain = await startTestChain();
  // The relay's clock is pinned at FIXED_NOW; it anchors a batch only once the chain's clock has passed its window.
  await advanceChainTo(chain, FIXED_NOW);
  await registerDevice(chain, KEY, 2);
  for (let i = 0; i < STREAM; i++) batches.push(await makeBatch(KEY, CURRENT_EPOCH - STREAM + 1 + i, 10 + i));
  store = { port: await anyFreePort(), dataDir: freshDataDir('crash') };
  configPath = `${store.dataDir}/devnet.json`;
  writeFileSync(configPath, JSON.stringify(chain.devnet));
});

afterAll(async () => {
  await kill9();
  await chain?.stop();
});

it('kill -9 mid-stream: after a restart every receipted batch is there and anchored exactly once', async () => {
  let url = await startChild(store);
  const receipted = new Map<string, string>(); // id → epoch
  // Stream the first half, then kill the relay while the next submission is in flight and anchoring runs.
  const half = STREAM / 2;
  for (let i = 0; i < half; i++) {
    const { status, json } = await post(url, batches[i]);
    expect(status).toBe(201);
    receipted.set(json.receipt.id, String(batches[i]!.epoch));
  }
  const inFlight = post(url, batches[half]).catch(() => null);
  await new Promise((resolve) => setTimeout(resolve, 30));
  await kill9();
  const maybe = await inFlight;
  if (maybe && maybe.status === 201) receipted.set(maybe.json.receipt.id, String(batches[half]!.epoch));

  url = await startChild(store);
  // Every receipt given before the crash is still served.
  for (const id of receipted.keys()) {
    const response = await fetch(`${url}/v1/batches/${id}`);
    expect(response.status).toBe(200);
  }
  // The client retries what it has no receipt for; retries of receipted ones get the same receipt.
  for (let i = half; i < STREAM; i++) {
    const { status, json } = await post(url, batches[i]);
    expect([200, 201]).toContain(status);
    receipted.set(json.receipt.id, String(batches[i]!.epoch));
  }
  expect(receipted.size).toBe(STREAM);

  await waitFor('every batch anchored', async () => {
    for (const id of receipted.keys()) {
      const json = (await (await fetch(`${url}/v1/batches/${id}`)).json()) as { receipt: { status: string } };
      if (json.receipt.status !== 'anchored') return false;
    }
    return true;
  });
  const { timesAnchored } = await anchoredOnChain(chain);
  expect([...receipted.keys()].sort()).toEqual([...timesAnchored.keys()].sort());
  expect([...timesAnchored.values()].every((times) => times === 1)).toBe(true);
});

it('kill -9 during group commit, twice: every receipt given before a crash is kept, and each batch is stored and anchored once', async () => {
  await kill9(); // the first test's relay, when it ran
  // Four devices, each sending its epochs in order; sent at once, their inserts meet in the writer and go as groups.
  const streams: Submission[][] = [];
  for (const [d, name] of ['crash-2', 'crash-3', 'crash-4', 'crash-5'].entries()) {
    const key = testDeviceKey(name);
    await registerDevice(chain, key, 3);
    const stream: Submission[] = [];
    for (let i = 0; i < GROUP_STREAM; i++) stream.push(await makeBatch(key, CURRENT_EPOCH - GROUP_STREAM + 1 + i, 60 + 10 * d + i));
    streams.push(stream);
  }
  const all = streams.flat();
  const fromBlock = await chain.client.getBlockNumber();
  const place = { port: await anyFreePort(), dataDir: freshDataDir('crash-group') };
  const receiptOf = new Map<Submission, string>();

  /**
   * Every device sends, in epoch order, its batches without a receipt, all devices at once. With
   * `killAfter`, the relay is killed right after that many new receipts, while the other devices'
   * batches are being verified or written; what it answered before dying still arrives.
   */
  const send = async (url: string, killAfter: number | null) => {
    let fresh = 0;
    let killed: Promise<void> | null = null;
    await Promise.all(
      streams.map(async (stream) => {
        for (const batch of stream) {
          if (receiptOf.has(batch)) continue;
          const answer = await post(url, batch).catch(() => null);
          if (!answer) {
            expect(killed, 'no answer from a relay not killed').not.toBeNull();
            return;
          }
          expect([200, 201]).toContain(answer.status);
          receiptOf.set(batch, answer.json.receipt.id);
          if (++fresh === killAfter) killed = kill9();
        }
      }),
    );
    if (killAfter !== null) {
      expect(killed).not.toBeNull();
      await killed;
    }
  };

  let url = await startChild(place);
  for (const killAfter of KILLS_AFTER_RECEIPTS) {
    await send(url, killAfter);
    expect(receiptOf.size).toBeLessThan(all.length);
    url = await startChild(place);
    // Every receipt given before the crash is still served: no receipt went out for a row that was not committed.
    for (const id of receiptOf.values()) {
      const response = await fetch(`${url}/v1/batches/${id}`);
      expect(response.status, id).toBe(200);
    }
  }
  // The rest; a batch stored before a crash but not answered gets its receipt now (200).
  await send(url, null);
  expect(receiptOf.size).toBe(all.length);
  const ids = [...receiptOf.values()];
  expect(new Set(ids).size).toBe(all.length);

  await waitFor('every batch anchored', async () => {
    for (const id of ids) {
      const json = (await (await fetch(`${url}/v1/batches/${id}`)).json()) as { receipt: { status: string } };
      if (json.receipt.status !== 'anchored') return false;
    }
    return true;
  });
  const { timesAnchored } = await anchoredOnChain(chain, fromBlock);
  expect([...timesAnchored.keys()].sort()).toEqual([...ids].sort());
  expect([...timesAnchored.values()].every((times) => times === 1)).toBe(true);
});
