/**
 * The history's list (src/app/state/transactionHistory.svelte.ts) when reads of the stored list
 * overlap: a refresh re-checks pending transactions on the chain, which takes a while, so an older
 * read can finish after a newer one. The older one's statuses must not come back on screen (in the
 * wallet-history e2e on CI a mined cancel went back to "pending" and stayed there). The wallet's
 * runtime is a stand-in whose reads finish when the test says.
 */
import { describe, expect, it } from 'vitest';
import { TransactionHistory } from '../../../src/app/state/transactionHistory.svelte.js';
import type { WalletSession } from '../../../src/app/state/walletSession.svelte.js';
import type { TxRecord } from '../../../src/browser/wallet/store.js';

const FROM = '0x1111111111111111111111111111111111111111';
const record = (status: TxRecord['status'], hash = `0x${'cc'.repeat(32)}`): TxRecord =>
  ({ hash, chainId: 31337, from: FROM, to: FROM, value: '0', nonce: 7, label: 'Cancel', status, createdAt: 2_000 }) as TxRecord;

function setup() {
  const reads: { resolve: (list: TxRecord[]) => void }[] = [];
  const runtime = {
    walletClientFor: () => ({}),
    loadHistory: () => new Promise<TxRecord[]>((resolve) => reads.push({ resolve })),
    findIncoming: () => new Promise(() => undefined),
    recordSent: (_client: unknown, _network: unknown, sent: { hash: string }) => Promise.resolve({ ...record('pending'), hash: sent.hash }),
    trackTx: () => new Promise(() => undefined),
  };
  const session = { active: { address: FROM }, onActiveChange: () => () => undefined, runtime: () => Promise.resolve(runtime) } as unknown as WalletSession;
  return { history: new TransactionHistory(session), reads };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('TransactionHistory reads that overlap', () => {
  it('an older refresh finishing after a newer one does not put back the older statuses', async () => {
    const { history, reads } = setup();
    const older = history.refresh();
    await settle();
    const newer = history.refresh();
    await settle();
    expect(reads).toHaveLength(2);
    reads[1]!.resolve([record('confirmed')]);
    await newer;
    expect(history.transactions.map((tx) => tx.status)).toEqual(['confirmed']);
    reads[0]!.resolve([record('pending')]);
    await older;
    expect(history.transactions.map((tx) => tx.status)).toEqual(['confirmed']);
  });

  it('a record shown while a read is under way stays on top of the list that read brings', async () => {
    const { history, reads } = setup();
    const refresh = history.refresh();
    await settle();
    const speedUp = record('pending', `0x${'dd'.repeat(32)}`);
    history.show(speedUp);
    reads[0]!.resolve([record('pending')]);
    await refresh;
    expect(history.transactions.map((tx) => tx.hash)).toEqual([speedUp.hash, record('pending').hash]);
  });
});
