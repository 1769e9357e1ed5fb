import { describe, expect, it } from 'vitest';
import { InvalidAddressError, addressForms, fromIoAddress, parseAddress, toIoAddress } from '../../../src/core/address.js';

// Vectors computed with the BIP-173 reference implementation (python, sipa/bech32), independently
// of the code under test. io1qqq…d39ym7 is IoTeX's well-known zero address.
const DEV0_HEX = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const DEV0_IO = 'io17w0adeg64ky0daxwd2ugyuneellmjgnxa07fhr';
const ZERO_IO = 'io1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqd39ym7';
const DEV0_IOTX_HRP = 'iotx17w0adeg64ky0daxwd2ugyuneellmjgnxj6pgt5';
const DEV0_BC_HRP = 'bc17w0adeg64ky0daxwd2ugyuneellmjgnxt7y266';
const NINETEEN_BYTES_IO = 'io17w0adeg64ky0daxwd2ugyuneellmjgsr7aeae';

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidAddressError) return error.reason;
    throw error;
  }
  throw new Error('expected an InvalidAddressError');
}

describe('io1 ⇄ 0x conversion', () => {
  it('encodes a 0x address to its io1 form', () => {
    expect(toIoAddress(DEV0_HEX)).toBe(DEV0_IO);
    expect(toIoAddress('0x0000000000000000000000000000000000000000')).toBe(ZERO_IO);
  });

  it('decodes io1 to the checksummed 0x address', () => {
    expect(fromIoAddress(DEV0_IO)).toBe(DEV0_HEX);
    expect(fromIoAddress(DEV0_IO.toUpperCase())).toBe(DEV0_HEX);
  });

  it('shows both forms', () => {
    expect(addressForms(DEV0_HEX.toLowerCase() as `0x${string}`)).toEqual({ hex: DEV0_HEX, io: DEV0_IO });
  });

  it('accepts pasted input in either form, with spaces and any hex case', () => {
    expect(parseAddress(`  ${DEV0_IO}\n`)).toBe(DEV0_HEX);
    expect(parseAddress(DEV0_HEX.toLowerCase())).toBe(DEV0_HEX);
    expect(parseAddress(`0x${DEV0_HEX.slice(2).toUpperCase()}`)).toBe(DEV0_HEX);
  });

  it('names a bad bech32 checksum', () => {
    const typo = `${DEV0_IO.slice(0, -1)}q`;
    expect(reasonOf(() => parseAddress(typo))).toBe('bad-bech32-checksum');
    expect(() => parseAddress(typo)).toThrow(/bad checksum/);
  });

  it('names a wrong prefix, saying which network it is for', () => {
    expect(reasonOf(() => parseAddress(DEV0_IOTX_HRP))).toBe('wrong-prefix');
    expect(() => parseAddress(DEV0_BC_HRP)).toThrow(/another network \("bc1…"\)/);
  });

  it('names a payload of the wrong length', () => {
    expect(reasonOf(() => parseAddress(NINETEEN_BYTES_IO))).toBe('wrong-length');
    expect(reasonOf(() => parseAddress('0x1234'))).toBe('wrong-length');
  });

  it('names a bad EIP-55 checksum in a mixed-case 0x address', () => {
    const flipped = DEV0_HEX.replace('f39Fd6', 'f39fD6');
    expect(reasonOf(() => parseAddress(flipped))).toBe('bad-hex-checksum');
  });

  it('names characters that do not belong', () => {
    expect(reasonOf(() => parseAddress('0xg39Fd6e51aad88F6F4ce6aB8827279cffFb92266'))).toBe('bad-hex');
    expect(reasonOf(() => parseAddress('io1bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'))).toBe('bad-bech32');
    expect(reasonOf(() => parseAddress('hello'))).toBe('bad-hex');
    expect(reasonOf(() => parseAddress('   '))).toBe('empty');
  });

  it('tells the user what to paste instead', () => {
    expect(() => parseAddress('hello')).toThrow(/starts with io1, or a 0x address/);
  });
});
