import type { Address, Hash } from 'viem';
import { createContext } from 'svelte';
import type { TxRecord } from '../../browser/wallet/store.js';
import { networkState } from './network.svelte.js';
import type { WalletSession } from './walletSession.svelte.js';

/**
 * The active account's sent transactions and their status, with its balance beside them: both are
 * read for the same account and both change when a transaction confirms, so they refresh together.
 */
export class TransactionHistory {
  transactions = $state<TxRecord[]>([]);
  balance = $state<bigint | null>(null);
  /** Why the balance could not be read (RPC down, wrong chain), as thrown: ErrorNotice shows it. */
  balanceError = $state<unknown>(null);

  readonly #session: WalletSession;

  constructor(session: WalletSession) {
    this.#session = session;
    session.onActiveChange(() => void this.refresh());
  }

  /** Balance and history of the active wallet; errors are named (RPC down, wrong chain). */
  async refresh(): Promise<void> {
    const address = this.#session.active?.address;
    if (!address) {
      this.balance = null;
      this.transactions = [];
      return;
    }
    const rt = await this.#session.runtime();
    const { network, rpcUrl } = networkState.context;
    const client = rt.walletClientFor(network, rpcUrl);
    try {
      this.balance = await rt.readBalance(client, network, rpcUrl, address);
      this.balanceError = null;
    } catch (error) {
      this.balanceError = error;
    }
    this.transactions = await rt.loadHistory(this.balanceError ? null : client, network, address).catch(() => this.transactions);
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

  /** DEV ONLY: asks the devnet faucet for funds for the active wallet. */
  async requestDevnetFunds(): Promise<void> {
    const { rt, active } = await this.#session.connection();
    const { network, rpcUrl } = networkState.context;
    const client = rt.walletClientFor(network, rpcUrl);
    const hash = await rt.requestDevnetFunds(client, network, rpcUrl, active.address);
    await client.waitForTransactionReceipt({ hash, timeout: 30_000 });
    await this.refresh();
  }
}

export const [getTransactionHistory, setTransactionHistory] = createContext<TransactionHistory>();
