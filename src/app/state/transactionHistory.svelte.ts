import type { Address, Hash } from 'viem';
import { createContext } from 'svelte';
import type { TxRecord } from '../../browser/wallet/store.js';
import { networkState } from './network.svelte.js';
import { reachability } from './reachability.svelte.js';
import type { WalletSession } from './walletSession.svelte.js';

/** The active account's sent transactions and their status (its balance is ./accountBalance.svelte.ts). */
export class TransactionHistory {
  transactions = $state<TxRecord[]>([]);

  readonly #session: WalletSession;

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
    const client = reachability.state === 'unreachable' ? null : rt.walletClientFor(network, rpcUrl);
    this.transactions = await rt.loadHistory(client, network, address).catch(() => this.transactions);
  }

  /** Records a transaction the active wallet just sent and follows it until it settles. */
  async track(sent: { hash: Hash; from: Address; to: Address; value: bigint; label: string }): Promise<void> {
    const rt = await this.#session.runtime();
    const { network, rpcUrl } = networkState.context;
    const client = rt.walletClientFor(network, rpcUrl);
    const record = await rt.recordSent(client, network, sent);
    this.transactions = [record, ...this.transactions.filter((tx) => tx.hash !== sent.hash)];
    void rt.trackTx(client, record).then(() => this.refresh());
  }
}

export const [getTransactionHistory, setTransactionHistory] = createContext<TransactionHistory>();
