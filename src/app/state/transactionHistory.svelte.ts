import type { Address, Hash } from 'viem';
import { createContext } from 'svelte';
import type { ScanProgress } from '../../browser/wallet/incoming.js';
import type { TxRecord } from '../../browser/wallet/store.js';
import { inLine } from '../../core/inLine.js';
import { networkState } from './network.svelte.js';
import { reachability } from './reachability.svelte.js';
import type { WalletSession } from './walletSession.svelte.js';

/**
 * The active account's history: what this app sent (status, fee) and the IOTX found coming in.
 * Its balance is ./accountBalance.svelte.ts.
 */
export class TransactionHistory {
  transactions = $state<TxRecord[]>([]);

  /** Progress of a long search for incoming transfers (the devnet's block scan); null when none runs. */
  scan = $state<ScanProgress | null>(null);
  /** Why incoming transfers are missing (IoTeX's indexer does not answer, or there is none), as thrown. */
  incomingError = $state<unknown>(null);
  /** Devnet blocks the last search left unread (it reads a bounded number per refresh). */
  blocksLeft = $state(0);

  readonly #session: WalletSession;
  readonly #searches = inLine(() => this.#searchIncoming());
  /** Counts the reads of the stored list: only the latest one started is shown. */
  #reads = 0;
  /** Records put on the list since the latest read started (it may have missed them). */
  #shownSinceRead: TxRecord[] = [];

  constructor(session: WalletSession) {
    this.#session = session;
    session.onActiveChange(() => void this.refresh());
  }

  /** History of the active wallet; pending ones are checked on the chain only while its RPC answers. */
  async refresh(): Promise<void> {
    const address = this.#session.active?.address;
    if (!address) {
      this.transactions = [];
      return;
    }
    const rt = await this.#session.runtime();
    const { network, rpcUrl } = networkState.context;
    // While the RPC does not answer, the stored list is shown as it is, and no search starts.
    const client = reachability.state === 'unreachable' ? null : rt.walletClientFor(network, rpcUrl);
    await this.#showRead(() => rt.loadHistory(client, network, address));
    if (client) void this.findIncoming();
  }

  /**
   * Looks for IOTX sent to the active account (a devnet block scan, or IoTeX's indexer) and lists
   * what it found. One search at a time: asking during one runs it once more afterwards (core/inLine).
   */
  findIncoming(): Promise<void> {
    return this.#searches.run();
  }

  async #searchIncoming(): Promise<void> {
    const address = this.#session.active?.address;
    if (!address) return;
    const rt = await this.#session.runtime();
    const { network, rpcUrl } = networkState.context;
    try {
      const result = await rt.findIncoming(rt.walletClientFor(network, rpcUrl), network, rpcUrl, address, (progress) => (this.scan = progress));
      this.blocksLeft = result.blocksLeft;
      this.incomingError = null;
    } catch (error) {
      this.incomingError = error;
    }
    // The account or network may have changed while the search ran: its list is not this one's.
    if (this.#session.active?.address !== address || networkState.context.network.id !== network.id) return;
    await this.#showRead(() => rt.loadHistory(null, network, address));
  }

  /**
   * Shows a read of the stored list if no later read started meanwhile. Reads overlap (a refresh
   * re-checks pending ones on the chain, which takes a while); an older one finishing last would
   * put back the statuses from before, and nothing would correct them until the next refresh.
   * Records shown while it ran stay on top.
   */
  async #showRead(read: () => Promise<TxRecord[]>): Promise<void> {
    const number = ++this.#reads;
    this.#shownSinceRead = [];
    const list = await read().catch(() => null);
    if (!list || number !== this.#reads) return;
    const missed = this.#shownSinceRead.filter((shown) => !list.some((tx) => tx.hash === shown.hash));
    this.transactions = [...missed, ...list];
  }

  /** Puts a record just stored at the top of the list (a send, a speed-up or cancel). */
  show(record: TxRecord): void {
    this.#shownSinceRead.push(record);
    this.transactions = [record, ...this.transactions.filter((tx) => tx.hash !== record.hash)];
  }

  /** Records a transaction the active wallet just sent and follows it until it settles. */
  async track(sent: { hash: Hash; from: Address; to: Address; value: bigint; label: string }): Promise<void> {
    const rt = await this.#session.runtime();
    const { network, rpcUrl } = networkState.context;
    const client = rt.walletClientFor(network, rpcUrl);
    const record = await rt.recordSent(client, network, sent);
    this.show(record);
    void rt.trackTx(client, record).then(() => this.refresh());
  }
}

export const [getTransactionHistory, setTransactionHistory] = createContext<TransactionHistory>();
