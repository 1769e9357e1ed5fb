/**
 * Replacing a pending transaction (speed up, cancel): the same nonce with higher fees. Nodes keep
 * the first transaction of a nonce unless the newcomer pays at least 10% more on both fee caps
 * (geth's and Hardhat's default "price bump"); some compare with `>`, so the bump is also at least
 * one wei. If the network's own price has risen above that, the network's price is used.
 */
export type FeeCaps = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };

const REPLACEMENT_BUMP_PERCENT = 10n;

/** At least +10% (rounded up) and at least +1 wei over `original`, or the network's `current` caps if higher. */
export function replacementFees(original: FeeCaps, current: FeeCaps): FeeCaps {
  const bump = (value: bigint) => {
    const tenPercentMore = (value * (100n + REPLACEMENT_BUMP_PERCENT) + 99n) / 100n;
    return tenPercentMore > value ? tenPercentMore : value + 1n;
  };
  const max = (a: bigint, b: bigint) => (a > b ? a : b);
  const maxPriorityFeePerGas = max(bump(original.maxPriorityFeePerGas), current.maxPriorityFeePerGas);
  // The fee cap can never be below the tip it has to pay.
  const maxFeePerGas = max(max(bump(original.maxFeePerGas), current.maxFeePerGas), maxPriorityFeePerGas);
  return { maxFeePerGas, maxPriorityFeePerGas };
}

/** A transaction of one nonce, as far as deciding which one won it goes. */
export type NonceCandidate = { hash: string; createdAt: number };

export type NonceOutcome =
  | { hash: string; outcome: 'won' }
  /** Sent before the winner: the winner replaced it. */
  | { hash: string; outcome: 'replaced'; replacedBy: string | null }
  /** Sent after the winner (a speed-up or cancel that came too late): it replaced nothing. */
  | { hash: string; outcome: 'too-late' };

/**
 * Once a nonce is used on chain, what became of each of the app's transactions for it: the one
 * with a receipt won; those sent before it were replaced by it; those sent after it (a replacement
 * whose original was mined first) replaced nothing. If none of them won (another wallet used the
 * nonce), all were replaced by a transaction this app does not know. Null while the nonce is unused.
 */
export function settleNonce(candidates: NonceCandidate[], winner: string | null, nonceUsed: boolean): NonceOutcome[] | null {
  const won = winner === null ? undefined : candidates.find((candidate) => candidate.hash === winner);
  if (!won) {
    if (!nonceUsed) return null;
    return candidates.map((candidate) => ({ hash: candidate.hash, outcome: 'replaced', replacedBy: null }));
  }
  return candidates.map((candidate) =>
    candidate.hash === won.hash
      ? { hash: candidate.hash, outcome: 'won' }
      : candidate.createdAt > won.createdAt
        ? { hash: candidate.hash, outcome: 'too-late' }
        : { hash: candidate.hash, outcome: 'replaced', replacedBy: won.hash },
  );
}
