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

const WEI_PER_IOTX = 10n ** BigInt(IOTX_DECIMALS);

/** How many decimals show `significant` significant digits of `wei` (none for whole amounts ≥ 10^significant). */
function significantDecimals(wei: bigint, significant: number): number {
  if (wei <= 0n) return 0;
  // Position of the first non-zero digit, counted in decimals: 1 IOTX → 0, 0.0021 IOTX → 3.
  const leadingDigitExponent = wei.toString().length - 1 - IOTX_DECIMALS;
  return Math.min(IOTX_DECIMALS, Math.max(0, significant - 1 - leadingDigitExponent));
}

/** `wei` rounded half up to `decimals` decimals, trailing zeros dropped; `exact` says whether nothing was lost. */
function roundIotx(wei: bigint, decimals: number): { text: string; exact: boolean } {
  const step = 10n ** BigInt(IOTX_DECIMALS - decimals);
  const rounded = ((wei + step / 2n) / step) * step;
  const whole = rounded / WEI_PER_IOTX;
  const fraction = (rounded % WEI_PER_IOTX).toString().padStart(IOTX_DECIMALS, '0').slice(0, decimals).replace(/0+$/, '');
  return { text: fraction ? `${whole}.${fraction}` : whole.toString(), exact: rounded === wei };
}

/**
 * An IOTX amount rounded half up to `significant` significant digits, trailing zeros dropped: fees
 * are tiny and an 18-decimal figure says nothing to a person. Whole IOTX are never cut (12345.678
 * at 3 digits is "12346": every integer digit stays).
 */
export function formatIotxSignificant(wei: bigint, significant = 3): string {
  if (wei < 0n) return `-${formatIotxSignificant(-wei, significant)}`;
  return roundIotx(wei, significantDecimals(wei, significant)).text;
}

/**
 * A network fee as people read one: two significant digits, "≈" when rounded ("≈ 0.0021 IOTX"),
 * instead of 18 decimals of wei nobody compares.
 */
export function formatFee(fee: bigint, significant = 2): string {
  const { text, exact } = roundIotx(fee, significantDecimals(fee, significant));
  return `${exact ? '' : '≈ '}${text} IOTX`;
}

/**
 * Amount plus fee, rounded at the fee's own precision: the fee is the uncertain part (an upper
 * bound at current gas prices), so decimals beyond it would claim an exactness the total lacks.
 */
export function formatTotal(amount: bigint, fee: bigint, significant = 2): string {
  const { text, exact } = roundIotx(amount + fee, significantDecimals(fee, significant));
  return `${exact ? '' : '≈ '}${text} IOTX`;
}

/** The most that can be sent once `fee` is kept back for the network: never below zero. */
export function maxSendable(balance: bigint, fee: bigint): bigint {
  return balance > fee ? balance - fee : 0n;
}
