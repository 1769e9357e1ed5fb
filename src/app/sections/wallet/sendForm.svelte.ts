import { formatUnits, type Address, type Hash } from 'viem';
import { parseAddress } from '../../../core/address.js';
import { explorerTxUrl } from '../../../core/explorer.js';
import { OutpostError } from '../../../core/errors.js';
import type { ConfirmationQueue } from '../../state/confirmationQueue.svelte.js';
import { networkState } from '../../state/network.svelte.js';
import type { WalletSession } from '../../state/walletSession.svelte.js';

/** What the chain says about the recipient, said before anything is confirmed. */
export type RecipientWarning = 'self' | 'contract';

/**
 * The Send screen's state: recipient and amount as typed, the balance and what Max would send
 * (read from the chain), warnings about the recipient, and the outcome of the last send: sent,
 * cancelled in the wallet (a choice, shown as a neutral note), or an error.
 */
export class SendForm {
  to = $state('');
  amount = $state('');
  /** The amount came from Max: it is priced again at Review, so a fee that moved cannot make it unaffordable. */
  maxChosen = $state(false);
  /** The balance and the fee Max keeps back, at current gas prices. */
  quote = $state<{ balance: bigint; fee: bigint; max: bigint } | null>(null);
  quoteError = $state<unknown>(null);
  warnings = $state<RecipientWarning[]>([]);
  status = $state<string | null>(null);
  error = $state<unknown>(null);
  cancelled = $state(false);
  sentHash = $state<Hash | null>(null);
  busy = $state(false);

  #recipientCheck = 0;

  constructor(
    private readonly session: WalletSession,
    private readonly confirmations: ConfirmationQueue,
  ) {}

  /** The explorer page of the last send, or null on a network without an explorer (the devnet). */
  get explorerUrl(): string | null {
    return this.sentHash ? explorerTxUrl(networkState.context.network, this.sentHash) : null;
  }

  get networkName(): string {
    return networkState.context.network.name;
  }

  get onLocalChain(): boolean {
    return networkState.context.network.id === 'devnet';
  }

  /** Reads the balance and the fee Max keeps back, for the recipient typed so far (a plain transfer without one). */
  async refreshQuote(): Promise<void> {
    try {
      const { rt, active } = await this.session.connection();
      const { network, rpcUrl } = networkState.context;
      this.quote = await rt.quoteMaxSend(rt.walletClientFor(network, rpcUrl), network, rpcUrl, { from: active.address, to: this.#recipient() });
      this.quoteError = null;
    } catch (error) {
      this.quoteError = error;
    }
  }

  /** Fills in the balance less the fee at current gas prices (never below zero). */
  async useMax(): Promise<void> {
    await this.refreshQuote();
    if (!this.quote) return;
    this.amount = formatUnits(this.quote.max, 18);
    this.maxChosen = this.quote.max > 0n;
  }

  amountEdited(): void {
    this.maxChosen = false;
  }

  /** Sets the recipient (typed, pasted or scanned) and checks it against the chain. */
  async setRecipient(text: string): Promise<void> {
    this.to = text;
    const check = ++this.#recipientCheck;
    const to = this.#recipient();
    if (!to) {
      this.warnings = [];
      return;
    }
    try {
      const { rt, active } = await this.session.connection();
      const { network, rpcUrl } = networkState.context;
      const found = await rt.inspectRecipient(rt.walletClientFor(network, rpcUrl), network, rpcUrl, active.address, to);
      // A later keystroke owns the warnings: an older answer arriving last must not replace them.
      if (check !== this.#recipientCheck) return;
      this.warnings = [...(found.self ? ['self' as const] : []), ...(found.contract ? ['contract' as const] : [])];
    } catch {
      // Unreadable now (RPC down): Review names that error; no warning is better than a wrong one.
      if (check === this.#recipientCheck) this.warnings = [];
    }
  }

  async submit(): Promise<void> {
    this.busy = true;
    this.error = this.sentHash = null;
    this.cancelled = false;
    this.status = 'Checking…';
    try {
      const prepared = await this.confirmations.prepareSend(this.to, this.maxChosen ? 'max' : this.amount);
      // Max is priced again now: the field shows exactly what the confirmation sends.
      if (this.maxChosen) this.amount = formatUnits(prepared.value, 18);
      this.status = 'Waiting for your confirmation…';
      this.sentHash = await this.confirmations.send(prepared);
      this.to = this.amount = '';
      this.maxChosen = false;
      this.warnings = [];
      void this.refreshQuote();
    } catch (error) {
      // Reject in the confirmation or in an external wallet (EIP-1193 4001): a choice, nothing to fix.
      if (error instanceof OutpostError && error.code === 'wallet.rejected') this.cancelled = true;
      else this.error = error;
    } finally {
      this.status = null;
      this.busy = false;
    }
  }

  #recipient(): Address | null {
    try {
      return parseAddress(this.to);
    } catch {
      return null;
    }
  }
}
