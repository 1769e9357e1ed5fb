/** fetchDeviceRewards against a fake fetch: the relay's answer validated, each failure named. */
import { describe, expect, it } from 'vitest';
import type { Address } from 'viem';
import { fetchDeviceRewards } from '../../../src/core/rewards/read.js';

const DEVICE = '0x00000000000000000000000000000000000000D1' as Address;
const H = (byte: string) => `0x${byte.repeat(32)}`;
const REWARD = { epoch: 41, device: DEVICE, amount: '1200000000000000000', root: H('aa'), leaf: H('bb'), proof: [H('cc')], status: 'confirmed', txHash: H('dd'), figures: null };

const answering = (status: number, body: unknown) => {
  const asked: string[] = [];
  const fetchFn = (async (url: string) => {
    asked.push(url);
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { fetchFn, asked };
};

describe('fetchDeviceRewards', () => {
  it('asks GET /v1/rewards/<device> and returns the validated rewards', async () => {
    const { fetchFn, asked } = answering(200, { device: DEVICE, rewards: [REWARD] });
    const rewards = await fetchDeviceRewards('http://relay.test/', DEVICE.toLowerCase() as Address, fetchFn);
    expect(asked).toEqual([`http://relay.test/v1/rewards/${DEVICE}`]);
    expect(rewards).toHaveLength(1);
    expect(rewards[0]).toMatchObject({ epoch: 41, amount: '1200000000000000000', proof: [H('cc')] });
  });

  it('names an unreachable or failing relay rewards.relay_unreachable', async () => {
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    await expect(fetchDeviceRewards('http://relay.test', DEVICE, down)).rejects.toMatchObject({ code: 'rewards.relay_unreachable', details: 'fetch failed' });
    await expect(fetchDeviceRewards('http://relay.test', DEVICE, answering(503, 'busy').fetchFn)).rejects.toMatchObject({ code: 'rewards.relay_unreachable', details: 'HTTP 503' });
  });

  it('names anything else rewards.relay_bad_answer: a refusal, a malformed list, another device’s proofs', async () => {
    await expect(fetchDeviceRewards('http://relay.test', DEVICE, answering(400, { nope: true }).fetchFn)).rejects.toMatchObject({ code: 'rewards.relay_bad_answer', details: 'HTTP 400' });
    await expect(fetchDeviceRewards('http://relay.test', DEVICE, answering(200, 'not json').fetchFn)).rejects.toMatchObject({ code: 'rewards.relay_bad_answer' });
    await expect(fetchDeviceRewards('http://relay.test', DEVICE, answering(200, { device: DEVICE, rewards: [{ ...REWARD, amount: '-1' }] }).fetchFn)).rejects.toMatchObject({
      code: 'rewards.relay_bad_answer',
    });
    const other = '0x00000000000000000000000000000000000000D2';
    await expect(fetchDeviceRewards('http://relay.test', DEVICE, answering(200, { device: DEVICE, rewards: [{ ...REWARD, device: other }] }).fetchFn)).rejects.toMatchObject({
      code: 'rewards.relay_bad_answer',
      details: `asked for ${DEVICE}, answered for ${DEVICE}`,
    });
  });
});
