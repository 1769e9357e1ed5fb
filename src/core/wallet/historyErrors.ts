import { WalletError } from './errors.js';

/**
 * The History screen's errors (incoming transfers, speed up and cancel). A module of their own: the
 * wallet errors in ./errors.ts load with the first screen, these only with the wallet runtime.
 */

/** Where incoming transfers come from on IoTeX's networks, and why they may be missing. */
export class IndexerUnreachableError extends WalletError {
  override name = 'IndexerUnreachableError';
  constructor(host: string, details: string) {
    super('wallet.indexer_unreachable', `Incoming transfers need IoTeX's indexer at ${host}, which does not answer; outgoing transfers from this app are shown.`, {
      details,
      hint: 'Check your connection; History asks again each time it is opened or refreshed.',
    });
  }
}

export class IndexerBadResponseError extends WalletError {
  override name = 'IndexerBadResponseError';
  constructor(host: string, details: string) {
    super('wallet.indexer_bad_response', `IoTeX's indexer at ${host} answered something Outpost cannot read, so incoming transfers are not shown; outgoing transfers from this app are.`, {
      details,
      hint: 'Try again later; if it persists, the indexer may have changed its API.',
    });
  }
}

export class NoIndexerError extends WalletError {
  override name = 'NoIndexerError';
  constructor(networkName: string) {
    super('wallet.indexer_none', `${networkName} has no public indexer Outpost knows of, so incoming transfers are not shown; outgoing transfers from this app are.`, {
      hint: 'See incoming transfers on the network explorer.',
    });
  }
}

/** Speed up / cancel: the original won the race, so the replacement replaced nothing. */
export class ReplacementTooLateError extends WalletError {
  override name = 'ReplacementTooLateError';
  constructor(details?: string) {
    super('wallet.replacement_too_late', 'The original transaction was mined first; nothing was replaced.', {
      ...(details ? { details } : {}),
      hint: 'The original transaction stands as sent; its entry in History shows its outcome.',
    });
  }
}

export class ReplacementUnknownTxError extends WalletError {
  override name = 'ReplacementUnknownTxError';
  constructor() {
    super('wallet.replacement_unknown_tx', 'The network no longer knows this pending transaction, so it cannot be sped up or cancelled.', {
      hint: 'It may have been dropped; refresh History to see whether its nonce was used.',
    });
  }
}

export class NonceIgnoredError extends WalletError {
  override name = 'NonceIgnoredError';
  constructor(walletName: string, wanted: number, used: number) {
    super('wallet.nonce_ignored', `${walletName} sent a new transaction (nonce ${used}) instead of replacing nonce ${wanted}: both may now go through.`, {
      hint: `To replace a pending transaction, use ${walletName}'s own speed-up or cancel, or the Outpost wallet.`,
    });
  }
}
