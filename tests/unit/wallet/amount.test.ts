import { describe, expect, it } from 'vitest';
import { InvalidAddressError, parseAddress } from '../../../src/core/address.js';
import { assertAffordable, formatFee, formatIotx, formatTotal, maxSendable, parseAmount } from '../../../src/core/wallet/amount.js';
import { InsufficientFundsError, InvalidAmountError } from '../../../src/core/wallet/errors.js';

const reason = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidAmountError) return error.reason;
    throw error;
  }
  throw new Error('expected an InvalidAmountError');
};

describe('amounts', () => {
  it('parses decimal IOTX to wei', () => {
    expect(parseAmount('1.5')).toBe(1_500_000_000_000_000_000n);
    expect(parseAmount(' 0.000000000000000001 ')).toBe(1n);
    expect(parseAmount('2')).toBe(2_000_000_000_000_000_000n);
    expect(parseAmount('0,25')).toBe(250_000_000_000_000_000n);
  });

  it('names zero, negative, empty, non-numbers and too many decimals', () => {
    expect(reason(() => parseAmount('0'))).toBe('zero');
    expect(reason(() => parseAmount('0.000'))).toBe('zero');
    expect(reason(() => parseAmount('-1'))).toBe('negative');
    expect(reason(() => parseAmount(''))).toBe('empty');
    expect(reason(() => parseAmount('1e3'))).toBe('not-a-number');
    expect(reason(() => parseAmount('abc'))).toBe('not-a-number');
    expect(reason(() => parseAmount('0.0000000000000000001'))).toBe('too-many-decimals');
  });

  it('names an amount above the balance, and amount plus fee above it', () => {
    expect(() => assertAffordable(11n, 0n, 10n)).toThrow(InsufficientFundsError);
    expect(() => assertAffordable(11n, 0n, 10n)).toThrow(/more than the balance/);
    expect(() => assertAffordable(9n, 2n, 10n)).toThrow(/plus the network fee/);
    expect(() => assertAffordable(8n, 2n, 10n)).not.toThrow();
  });

  it('formats without rounding up', () => {
    expect(formatIotx(1_999_999_999_999_999_999n)).toBe('1.999999');
    expect(formatIotx(10n ** 19n)).toBe('10');
  });

  it('rejects an io1 recipient with a bad checksum by name', () => {
    const error = (() => {
      try {
        parseAddress('io17w0adeg64ky0daxwd2ugyuneellmjgnxa07fhq');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidAddressError);
    expect((error as InvalidAddressError).reason).toBe('bad-bech32-checksum');
  });
});

describe('fees, totals and Max', () => {
  const gwei = 1_000_000_000n;
  it('rounds a fee to two significant digits, with ≈ only when something was rounded', () => {
    expect(formatFee(21_000n * 100n * gwei)).toBe('0.0021 IOTX'); // 0.0021 exactly
    expect(formatFee(21_000n * 1_875_000_000n)).toBe('≈ 0.000039 IOTX'); // 0.000039375
    expect(formatFee(2_149_999_999_999_999n)).toBe('≈ 0.0021 IOTX');
    expect(formatFee(2_150_000_000_000_000n)).toBe('≈ 0.0022 IOTX'); // half rounds up
    expect(formatFee(1_234_000_000_000_000_000n)).toBe('≈ 1.2 IOTX');
    expect(formatFee(123_400_000_000_000_000_000n)).toBe('≈ 123 IOTX');
    expect(formatFee(1n)).toBe('0.000000000000000001 IOTX');
    expect(formatFee(0n)).toBe('0 IOTX');
  });

  it('rounds a total at the fee\'s precision', () => {
    // 1.5 IOTX + 0.000039375 IOTX: the fee's second digit is the 6th decimal.
    expect(formatTotal(1_500_000_000_000_000_000n, 39_375_000_000_000n)).toBe('≈ 1.500039 IOTX');
    expect(formatTotal(9_999_960_625_000_000_000n, 39_375_000_000_000n)).toBe('10 IOTX');
    expect(formatTotal(1_000_000_000_000_000_000n, 2_100_000_000_000_000n)).toBe('1.0021 IOTX');
  });

  it('keeps the fee back for Max and never goes below zero', () => {
    expect(maxSendable(10n * 10n ** 18n, 39_375_000_000_000n)).toBe(9_999_960_625_000_000_000n);
    expect(maxSendable(100n, 100n)).toBe(0n);
    expect(maxSendable(50n, 100n)).toBe(0n);
  });
});
