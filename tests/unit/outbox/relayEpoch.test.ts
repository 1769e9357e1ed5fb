/**
 * The epoch length the app proves batches for comes from the relay they go to, is remembered for
 * offline use, and falls back to the shipped default. IndexedDB is fake-indexeddb (the spec in JS);
 * the relay is the network boundary, answered by `fetchFn`.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { fetchRelayInfo } from '../../../src/core/outbox/relayClient.js';
import { relayEpochSeconds } from '../../../src/browser/outbox/relayEpoch.js';

const info = (epochSeconds: number) => ({ epochSeconds, maxEpochLag: 24, chainId: 31337, bodyLimitBytes: 65536 });
const answering = (body: unknown, status = 200) => (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as unknown as typeof fetch;
const down = (async () => {
  throw new TypeError('Failed to fetch');
}) as unknown as typeof fetch;

describe('relayEpochSeconds', () => {
  it('uses the relay’s epoch length and remembers it for when the relay is unreachable', async () => {
    await expect(relayEpochSeconds('http://relay-one.test', answering(info(600)))).resolves.toEqual({ epochSeconds: 600, source: 'relay' });
    await expect(relayEpochSeconds('http://relay-one.test', down)).resolves.toEqual({ epochSeconds: 600, source: 'remembered' });
    // Remembered per relay: another relay's length is not this one's.
    await expect(relayEpochSeconds('http://relay-two.test', down)).resolves.toEqual({ epochSeconds: 3600, source: 'default' });
  });

  it('ignores an answer that is not a relay’s info, and uses the default without a relay', async () => {
    await expect(relayEpochSeconds('http://relay-three.test', answering({ epochSeconds: 0, maxEpochLag: 1, chainId: 1, bodyLimitBytes: 1 }))).resolves.toEqual({ epochSeconds: 3600, source: 'default' });
    await expect(relayEpochSeconds('http://relay-three.test', answering({ error: { code: 'not_found', message: 'x' } }, 404))).resolves.toEqual({ epochSeconds: 3600, source: 'default' });
    await expect(relayEpochSeconds(null, answering(info(600)))).resolves.toEqual({ epochSeconds: 3600, source: 'default' });
  });
});

describe('fetchRelayInfo', () => {
  it('names what is wrong with a malformed answer', async () => {
    const error = await fetchRelayInfo('http://relay.test/', answering({ ...info(60), epochSeconds: 1.5 })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'outbox.relay_bad_info', retryable: true });
    expect((error as { details?: string }).details).toContain('epochSeconds');
  });

  it('calls /v1/info once, without a doubled slash', async () => {
    const urls: string[] = [];
    const fetchFn = (async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify(info(60)));
    }) as unknown as typeof fetch;
    await expect(fetchRelayInfo('http://relay.test/', fetchFn)).resolves.toEqual(info(60));
    expect(urls).toEqual(['http://relay.test/v1/info']);
  });
});
