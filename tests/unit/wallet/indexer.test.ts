/**
 * Incoming IOTX on IoTeX's networks comes from IoTeXScan's Etherscan-compatible API, which this
 * machine cannot reach: the client is tested against a HANDWRITTEN answer of the documented
 * `account/txlist` shape (fixtures/iotexscan-txlist.json says so too), served by a stub `fetch`.
 * Whether the live service still answers in that shape is not, and cannot be, checked here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fetchIncomingFromIndexer, IOTEX_INDEXERS } from '../../../src/core/wallet/indexer.js';
import { IndexerBadResponseError, IndexerUnreachableError } from '../../../src/core/wallet/historyErrors.js';

const ME = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const fixture: unknown = JSON.parse(readFileSync(new URL('./fixtures/iotexscan-txlist.json', import.meta.url), 'utf8'));
const indexer = IOTEX_INDEXERS.mainnet!;

function answering(body: unknown, seen: URL[] = []): typeof fetch {
  return (async (input: URL | RequestInfo) => {
    seen.push(new URL(String(input)));
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

describe('IoTeXScan txlist client', () => {
  it('asks for the account from a block on, oldest first, and keeps only successful incoming transfers of value', async () => {
    const seen: URL[] = [];
    const page = await fetchIncomingFromIndexer(answering(fixture, seen), indexer, ME, 100);

    expect(seen[0]!.origin + seen[0]!.pathname).toBe('https://dev.iotexscan.io/api');
    expect(Object.fromEntries(seen[0]!.searchParams)).toMatchObject({ module: 'account', action: 'txlist', address: ME, startblock: '100', sort: 'asc', page: '1', offset: '100' });
    // Rows 1 and 5 of the fixture; row 2 is outgoing, 3 failed, 4 moved nothing.
    expect(page.transfers).toEqual([
      {
        hash: `0x${'1'.repeat(64)}`,
        from: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
        to: ME,
        value: 10n * 10n ** 18n,
        nonce: 5,
        blockNumber: 100n,
        timestamp: 1_764_670_000_000,
      },
      {
        hash: `0x${'5'.repeat(64)}`,
        from: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
        to: ME,
        value: 25n * 10n ** 16n,
        nonce: 12,
        blockNumber: 104n,
        timestamp: 1_764_670_020_000,
      },
    ]);
    expect(page.lastBlock).toBe(104);
    expect(page.full).toBe(false);
    // Five rows fill a page of five: there may be more from block 104 on.
    await expect(fetchIncomingFromIndexer(answering(fixture), indexer, ME, 100, { pageSize: 5 })).resolves.toMatchObject({ full: true });
  });

  it('reads "No transactions found" as an empty page', async () => {
    const page = await fetchIncomingFromIndexer(answering({ status: '0', message: 'No transactions found', result: [] }), indexer, ME, 0);
    expect(page).toEqual({ transfers: [], lastBlock: null, full: false });
  });

  it('names the indexer when it does not answer, and when its answer is not a txlist', async () => {
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    const unreachable = await fetchIncomingFromIndexer(down, indexer, ME, 0).catch((error: unknown) => error);
    expect(unreachable).toBeInstanceOf(IndexerUnreachableError);
    expect((unreachable as IndexerUnreachableError).shortMessage).toBe(
      "Incoming transfers need IoTeX's indexer at dev.iotexscan.io, which does not answer; outgoing transfers from this app are shown.",
    );
    expect((unreachable as IndexerUnreachableError).details).toBe('fetch failed');

    const refused = await fetchIncomingFromIndexer(answering({ status: '0', message: 'NOTOK', result: 'Error! Invalid address format' }), indexer, ME, 0).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(IndexerBadResponseError);
    expect((refused as IndexerBadResponseError).details).toBe('status 0: NOTOK Error! Invalid address format');
  });
});
