/**
 * The provable batch is chosen for the relay the batch goes to: a batch that sits inside one of
 * that relay's epochs is provable, the same batch across an epoch boundary of another length is
 * not. The relay is the network boundary (its GET /v1/info answered by `fetch`); IndexedDB, where
 * the length is remembered, is fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { findProvableBatch } from '../../../src/browser/anchoring/provableBatch.js';

const DEVICE = '0x8ba1f109551bD432803012645Ac136ddd64DBA72';
// 64 readings a minute apart from 3000 s: inside epoch 0 of a 7200 s relay, across the 3600 s boundary of the default.
const readings = Array.from({ length: 64 }, (_, i) => ({ seq: i + 1, timestamp: 3000 + i * 60, temperature: 2000, humidity: 500, flags: 0 }));
const batch = { readings, commitmentValue: 42n, signature: new Uint8Array(65).fill(1), signer: DEVICE } as const;
const relayWithEpoch = (epochSeconds: number) =>
  (async () => new Response(JSON.stringify({ epochSeconds, maxEpochLag: 24, chainId: 31337, bodyLimitBytes: 65536 }), { headers: { 'content-type': 'application/json' } })) as unknown as typeof fetch;

describe('findProvableBatch', () => {
  it('uses the epoch length of the relay the batch goes to', async () => {
    const provable = await findProvableBatch({ relayUrl: 'http://long-epochs.test', fetch: relayWithEpoch(7200) }, [batch], DEVICE);
    expect(provable?.epoch).toBe(0);
    expect(provable?.claim.window).toEqual({ windowStart: 0, windowEnd: 3000 + 63 * 60 });

    await expect(findProvableBatch({ relayUrl: 'http://hour-epochs.test', fetch: relayWithEpoch(3600) }, [batch], DEVICE)).resolves.toBeNull();
    // No relay on this network: the shipped default length (3600 s), across whose boundary the batch lies.
    await expect(findProvableBatch({ relayUrl: null }, [batch], DEVICE)).resolves.toBeNull();
  });
});
