import { provideJobs } from './appJobs.js';
import { AccountBalance, setAccountBalance } from './accountBalance.svelte.js';
import { ConfirmationQueue, setConfirmationQueue } from './confirmationQueue.svelte.js';
import type { JobsState } from './jobs.svelte.js';
import { setTransactionHistory, TransactionHistory } from './transactionHistory.svelte.js';
import { setWalletSession, WalletSession } from './walletSession.svelte.js';

/**
 * Creates the wallet's shared state and puts it in context for every component below: call once,
 * at the root. Each piece is small; the heavy wallet code still loads only on first use.
 */
export function provideWallet(): { session: WalletSession; history: TransactionHistory; balance: AccountBalance; confirmations: ConfirmationQueue; jobs: JobsState } {
  const session = setWalletSession(new WalletSession());
  const history = setTransactionHistory(new TransactionHistory(session));
  const balance = setAccountBalance(new AccountBalance(session, history));
  const confirmations = setConfirmationQueue(new ConfirmationQueue(session, history));
  // Transaction jobs (docs/jobs.md) for every journey: their runner loads with the first job.
  const jobs = provideJobs(session, history, confirmations);
  return { session, history, balance, confirmations, jobs };
}
