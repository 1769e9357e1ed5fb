import type { Address } from 'viem';
import { parseAddress } from '../../../core/address.js';
import { OutpostError } from '../../../core/errors.js';
import { formatIotx, parseAmount } from '../../../core/wallet/amount.js';

/**
 * What the staking forms read from what a person typed, each with an error naming the problem and
 * the fix. The limits come from the contract (MIN_AMOUNT, MAX_DURATION) and the bucket's state.
 */

const DAY = 86_400n;

/**
 * Whole days from 0 to the contract's MAX_DURATION, as V3 takes them. A bucket's own minimum (time
 * left, current duration) is checked with the action (checkStakingAction), which names the bucket.
 */
export function parseDays(input: string, { maxSeconds }: { maxSeconds: bigint }): number {
  const text = input.trim();
  const max = maxSeconds / DAY;
  const range = `0 to ${max.toLocaleString('en-US')} days`;
  if (!/^\d+$/.test(text)) {
    throw new OutpostError('staking.duration_invalid', `"${text}" is not a number of days.`, { hint: `Enter whole days, ${range}.` });
  }
  const days = BigInt(text);
  if (days > max) {
    throw new OutpostError('staking.duration_invalid', `${days.toLocaleString('en-US')} days is outside what the contract accepts here.`, { hint: `Enter ${range}.` });
  }
  return Number(days);
}

/** A stake amount: a number, at least the contract's minimum, at most the balance. */
export function parseStakeAmount(input: string, { minAmount, balance }: { minAmount: bigint; balance: bigint | null }): bigint {
  const amount = parseAmount(input);
  if (amount < minAmount) {
    throw new OutpostError('staking.amount_below_minimum', `The minimum stake is ${formatIotx(minAmount)} IOTX on this network.`, { hint: `Enter ${formatIotx(minAmount)} IOTX or more.` });
  }
  if (balance !== null && amount > balance) {
    throw new OutpostError('staking.amount_above_balance', `${formatIotx(amount)} IOTX is more than the balance (${formatIotx(balance)} IOTX).`, { hint: 'Enter less, leaving some IOTX for the network fee.' });
  }
  return amount;
}

/** An optional amount to add (merge, expand): empty is none. */
export function parseAddAmount(input: string): bigint {
  return input.trim() === '' ? 0n : parseAmount(input);
}

/** A recipient: empty means the account itself. */
export function parseRecipient(input: string, self: Address): Address {
  return input.trim() === '' ? self : parseAddress(input);
}

export function requireDelegate(delegate: Address | null): Address {
  if (!delegate) throw new OutpostError('staking.delegate_missing', 'Choose a delegate to vote for.', { hint: 'Search the list by name or address and pick one.' });
  return delegate;
}

export function requireSelection(ids: readonly bigint[], { atLeast, what }: { atLeast: number; what: string }): bigint[] {
  if (ids.length < atLeast) {
    throw new OutpostError('staking.selection_invalid', `Choose at least ${atLeast} bucket${atLeast === 1 ? '' : 's'} to ${what}.`, { hint: 'Tick them in the list.' });
  }
  return [...ids];
}
