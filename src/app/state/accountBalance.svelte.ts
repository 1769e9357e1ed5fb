import type { Address } from 'viem';
import { createContext, untrack } from 'svelte';
import { readSetting, writeSetting } from '../../browser/storage/db.js';
import { networkState } from './network.svelte.js';
import { reachability } from './reachability.svelte.js';
import type { TransactionHistory } from './transactionHistory.svelte.js';
import type { WalletSession } from './walletSession.svelte.js';

/** A balance as read from the chain, and when (Unix ms). */
export type KnownBalance = { value: bigint; readAt: number };

type Stored = { value: string; readAt: number };
const isStored = (value: unknown): value is Stored =>
  typeof (value as Stored | null)?.value === 'string' && /^\d+$/.test((value as Stored).value) && typeof (value as Stored).readAt === 'number';

/**
 * The active account's balance on the selected network, with the time it was read. The last one
 * read is kept in IndexedDB per network and address, so the account never shows an empty balance
 * when the RPC is down (issue 14, bug 1): the screen shows the last known value "as of" its time,
 * and the network's error beside it.
 */
export class AccountBalance {
  #known = $state<(KnownBalance & { key: string }) | null>(null);
  #failure = $state<{ key: string; error: unknown } | null>(null);
  /** True while a read from the chain is under way. */
  reading = $state(false);

  readonly #session: WalletSession;

  /** The last balance known for the active account here (read now or remembered), or null. */
  readonly known: KnownBalance | null = $derived(this.#known?.key === this.#key() ? this.#known : null);
  /** Why the latest read failed (the network's RPC, worded for it), or null after a good read. */
  readonly error: unknown = $derived(this.#failure?.key === this.#key() ? this.#failure.error : null);

  constructor(session: WalletSession, history: TransactionHistory) {
    this.#session = session;
    $effect(() => session.onActiveChange(() => void this.refresh()));
    $effect(() => {
      // A transaction that settles changes the balance; an RPC that answers again or stops answering changes what can be said of it.
      void history.transactions.map((tx) => tx.status).join();
      if (reachability.state !== 'checking') untrack(() => void this.refresh());
    });
  }

  /** The storage key of the active account on the selected network, or null without one. */
  #key(): string | null {
    const address = this.#session.active?.address;
    return address ? `balance.${networkState.context.network.chainId}.${address.toLowerCase()}` : null;
  }

  /** Shows the remembered balance at once, then reads the chain; a failed read keeps the remembered one. */
  async refresh(): Promise<void> {
    const key = this.#key();
    const address = this.#session.active?.address;
    if (!key || !address) return;
    if (this.#known?.key !== key) {
      const stored = await readSetting(key, isStored).catch(() => undefined);
      if (stored && this.#key() === key && this.#known?.key !== key) this.#known = { key, value: BigInt(stored.value), readAt: stored.readAt };
    }
    this.reading = true;
    try {
      const known = await this.#read(address);
      if (this.#key() !== key) return;
      this.#known = { key, ...known };
      this.#failure = null;
      await writeSetting(key, { value: known.value.toString(), readAt: known.readAt } satisfies Stored).catch(() => undefined);
    } catch (error) {
      if (this.#key() === key) this.#failure = { key, error };
    } finally {
      this.reading = false;
    }
  }

  async #read(address: Address): Promise<KnownBalance> {
    const rt = await this.#session.runtime();
    const { network, rpcUrl } = networkState.context;
    // The shared probe already knows the RPC is down: say so now instead of waiting out the read's timeouts.
    const probe = reachability.result?.probe;
    if (probe && !probe.ok) throw rt.rpcProbeError(network, rpcUrl, probe);
    const value = await rt.readBalance(rt.walletClientFor(network, rpcUrl), network, rpcUrl, address);
    return { value, readAt: Date.now() };
  }

  /** DEV ONLY: asks the devnet faucet for funds for the active wallet, then reads the balance again. */
  async requestDevnetFunds(): Promise<void> {
    const { rt, active } = await this.#session.connection();
    const { network, rpcUrl } = networkState.context;
    const client = rt.walletClientFor(network, rpcUrl);
    const hash = await rt.requestDevnetFunds(client, network, rpcUrl, active.address);
    await client.waitForTransactionReceipt({ hash, timeout: 30_000 });
    await this.refresh();
  }
}

export const [getAccountBalance, setAccountBalance] = createContext<AccountBalance>();
