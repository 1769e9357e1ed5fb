import { describe, expect, it } from 'vitest';
import { InvalidAddressError } from '../../../src/core/address.js';
import { ScannedNotAddressError } from '../../../src/core/wallet/errors.js';
import { parseScannedRecipient } from '../../../src/core/wallet/scannedRecipient.js';

// Hardhat dev account #0, in both forms (the io1 form checked in address.test.ts).
const HEX = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const IO = 'io17w0adeg64ky0daxwd2ugyuneellmjgnxa07fhr';

const refusal = (text: string): string => {
  try {
    parseScannedRecipient(text);
  } catch (error) {
    if (error instanceof ScannedNotAddressError) return error.code;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
};

describe('a scanned recipient', () => {
  it('takes a bare io1 or 0x address, in the form it was scanned', () => {
    expect(parseScannedRecipient(IO)).toEqual({ address: HEX, text: IO });
    expect(parseScannedRecipient(` ${IO.toUpperCase()}\n`)).toEqual({ address: HEX, text: IO });
    expect(parseScannedRecipient(HEX.toLowerCase())).toEqual({ address: HEX, text: HEX });
  });

  it('takes the address of an EIP-681 payment URI and leaves its amount and chain', () => {
    expect(parseScannedRecipient(`ethereum:${HEX}`).address).toBe(HEX);
    expect(parseScannedRecipient(`ethereum:pay-${HEX}@4689?value=1e18`).address).toBe(HEX);
    expect(parseScannedRecipient(`ETHEREUM:${HEX.toLowerCase()}?value=2`)).toEqual({ address: HEX, text: HEX });
  });

  it('refuses text, links, ENS names and token transfers with a named error', () => {
    expect(refusal('hello world')).toBe('wallet.scan_not_address');
    expect(refusal('https://example.com/pay')).toBe('wallet.scan_not_address');
    expect(refusal('ethereum:alice.eth')).toBe('wallet.scan_not_address');
    expect(refusal('')).toBe('wallet.scan_not_address');
    expect(refusal(`ethereum:0x6B175474E89094C44Da98b954EedeAC495271d0F/transfer?address=${HEX}&uint256=1`)).toBe('wallet.scan_token_transfer');
  });

  it('keeps the address error for a damaged address (bad checksum)', () => {
    expect(() => parseScannedRecipient(`${IO.slice(0, -1)}q`)).toThrow(InvalidAddressError);
    expect(() => parseScannedRecipient(`ethereum:${HEX.replace('f39F', 'F39f')}`)).toThrow(InvalidAddressError);
  });
});
