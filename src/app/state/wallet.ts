import { ConfirmationQueue, setConfirmationQueue } from './confirmationQueue.svelte.js';
import { setTransactionHistory, TransactionHistory } from './transactionHistory.svelte.js';
import { setWalletSession, WalletSession } from './walletSession.svelte.js';

/**
 * Creates the wallet's shared state and puts it in context for every component below: call once,
 * at the root. Each piece is small; the heavy wallet code still loads only on first use. The balance
 * is provided by the Wallet section itself (provideAccountBalance): only its screens show it.
 */
export function provideWallet(): { session: WalletSession; history: TransactionHistory; confirmations: ConfirmationQueue } {
  const session = setWalletSession(new WalletSession());
  const history = setTransactionHistory(new TransactionHistory(session));
  const confirmations = setConfirmationQueue(new ConfirmationQueue(session, history));
  return { session, history, confirmations };
}
