/**
 * The wallet's transaction history keeps why following a transaction failed as `{code, message,
 * hint}`; records stored before that held a plain sentence and must still read back, the sentence
 * as the message, with no code invented for it.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openOutpostDb } from '../../../src/browser/storage/db.js';
import { listTxs, putTx, readTxRecord, type TxRecord } from '../../../src/browser/wallet/store.js';
import { toErrorRecord } from '../../../src/core/errorReport.js';
import { NETWORKS } from '../../../src/core/networks.js';
import { RpcUnreachableError } from '../../../src/core/rpcErrors.js';

const FROM = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const CHAIN = 4690;

function tx(hash: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { hash, chainId: CHAIN, from: FROM, to: null, value: '1', nonce: 0, label: 'Send', status: 'pending', createdAt: 1, ...extra };
}

describe('transaction history errors', () => {
  it('reads a record stored with the old string error back as an uncoded ErrorRecord', async () => {
    const hash = `0x${'a'.repeat(64)}`;
    const db = await openOutpostDb();
    // Written as an earlier version of the app did: the error's first line, nothing else.
    await db.put('wallet', tx(hash, { error: 'Timed out while waiting for transaction.' }), `tx:${CHAIN}:${hash}`);

    const [read] = await listTxs(CHAIN, FROM);
    expect(read?.hash).toBe(hash);
    expect(read?.error).toEqual({ code: null, message: 'Timed out while waiting for transaction.', hint: null });
  });

  it('keeps a structured error as stored, and a record without one without', async () => {
    const structured = toErrorRecord(new RpcUnreachableError(NETWORKS.testnet, 'http://127.0.0.1:1', 'fetch failed'));
    expect(structured.code).toBe('rpc.unreachable');
    const hash = `0x${'b'.repeat(64)}`;
    await putTx({ ...(tx(hash) as TxRecord), error: structured });
    const read = (await listTxs(CHAIN, FROM)).find((record) => record.hash === hash);
    expect(read?.error).toEqual(structured);

    expect(readTxRecord(tx(`0x${'c'.repeat(64)}`))).not.toHaveProperty('error');
    expect(readTxRecord({ hash: 'not a record' })).toBeNull();
  });
});
