/**
 * The e2e TEST FIXTURE relay proxy's reward modes (tests/e2e/support/relayProxy.ts), in front of a
 * stand-in relay with a fixed rewards answer: 'wrong-reward-figure' raises figures.weight by 20% and
 * 'wrong-reward-amount' raises amount by 20%, each leaving everything else as the relay sent it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelayProxy, type RelayProxy } from '../e2e/support/relayProxy.js';

const DEVICE = '0x00000000000000000000000000000000000000D1';
const hash = (byte: string) => `0x${byte.repeat(32)}`;
const base = { device: DEVICE, root: hash('aa'), leaf: hash('bb'), proof: [hash('cc')], status: 'confirmed', txHash: hash('dd') };
const RELAY_ANSWER = {
  device: DEVICE,
  rewards: [
    { ...base, epoch: 7, amount: '24', figures: { weight: '64000000', epochWeight: '106634920', pool: '40' } },
    // 10^18 + 7: ×12/10 must stay exact past 2^53, and floor.
    { ...base, epoch: 8, amount: '1000000000000000007', figures: { weight: '40634929', epochWeight: '40634929', pool: '1000000000000000007' } },
    { ...base, epoch: 5, amount: '3', figures: null },
  ],
};

let upstream: Server;
let proxy: RelayProxy;
const get = async (path: string) => (await fetch(`${proxy.url}${path}`)).json() as Promise<typeof RELAY_ANSWER>;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.url?.startsWith('/v1/rewards/') ? RELAY_ANSWER : { epochSeconds: 3600 }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  proxy = await startRelayProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
});
afterAll(async () => {
  await proxy?.close();
  await new Promise<void>((resolve) => (upstream ? upstream.close(() => resolve()) : resolve()));
});

describe('relay proxy reward modes (TEST FIXTURE)', () => {
  it('honest: the relay’s answer as it is', async () => {
    proxy.mode = 'honest';
    expect(await get(`/v1/rewards/${DEVICE}`)).toEqual(RELAY_ANSWER);
  });

  it('wrong-reward-figure: weight ×12/10, amount and proof untouched, null figures left alone', async () => {
    proxy.mode = 'wrong-reward-figure';
    const answer = await get(`/v1/rewards/${DEVICE}`);
    expect(answer.rewards.map((reward) => [reward.amount, reward.figures])).toEqual([
      ['24', { weight: '76800000', epochWeight: '106634920', pool: '40' }],
      ['1000000000000000007', { weight: '48761914', epochWeight: '40634929', pool: '1000000000000000007' }],
      ['3', null],
    ]);
    expect(answer.rewards.map(({ figures: _, amount: __, ...rest }) => rest)).toEqual(RELAY_ANSWER.rewards.map(({ figures: _, amount: __, ...rest }) => rest));
    // Other routes pass unchanged.
    expect(await get('/v1/info')).toEqual({ epochSeconds: 3600 });
  });

  it('wrong-reward-amount: amount ×12/10, leaf, proof and figures untouched', async () => {
    proxy.mode = 'wrong-reward-amount';
    const answer = await get(`/v1/rewards/${DEVICE}`);
    expect(answer.rewards.map((reward) => reward.amount)).toEqual(['28', '1200000000000000008', '3']);
    expect(answer.rewards.map(({ amount: _, ...rest }) => rest)).toEqual(RELAY_ANSWER.rewards.map(({ amount: _, ...rest }) => rest));
  });
});
