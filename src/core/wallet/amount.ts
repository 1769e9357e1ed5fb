import { formatUnits, parseUnits } from 'viem';
import { InsufficientFundsError, InvalidAmountError } from './errors.js';

const IOTX_DECIMALS = 18;

/** Parses what a person types ("1.5", " 2 ", "0.000001") into wei; a named error for anything else. */
export function parseAmount(input: string, decimals = IOTX_DECIMALS): bigint {
  const text = input.trim().replace(/,/g, '.');
  if (text === '') throw new InvalidAmountError('empty', 'Enter an amount.');
  if (/^-/.test(text)) throw new InvalidAmountError('negative', 'The amount cannot be negative.');
  if (!/^\d*\.?\d*$/.test(text) || text === '.') throw new InvalidAmountError('not-a-number', `"${input.trim()}" is not an amount.`);
  const fraction = text.split('.')[1] ?? '';
  if (fraction.length > decimals) {
    throw new InvalidAmountError('too-many-decimals', `IOTX has ${decimals} decimal places; this amount has ${fraction.length}.`);
  }
  const value = parseUnits(text, decimals);
  if (value === 0n) throw new InvalidAmountError('zero', 'The amount must be more than zero.');
  return value;
}

/** Checks that amount + fee fits in the balance; the error says by how much it does not. */
export function assertAffordable(amount: bigint, fee: bigint, balance: bigint): void {
  if (amount > balance) {
    throw new InsufficientFundsError(
      `The amount (${formatIotx(amount)} IOTX) is more than the balance (${formatIotx(balance)} IOTX).`,
      amount,
      balance,
    );
  }
  if (amount + fee > balance) {
    throw new InsufficientFundsError(
      `The amount plus the network fee (${formatIotx(amount + fee)} IOTX) is more than the balance (${formatIotx(balance)} IOTX).`,
      amount + fee,
      balance,
    );
  }
}

/** At most `digits` decimals, trailing zeros dropped, never rounded up. */
export function formatIotx(wei: bigint, digits = 6): string {
  const full = formatUnits(wei, IOTX_DECIMALS);
  const [whole, fraction = ''] = full.split('.');
  const cut = fraction.slice(0, digits).replace(/0+$/, '');
  return cut ? `${whole}.${cut}` : (whole ?? '0');
}
