import { bech32 } from '@scure/base';
import { bytesToHex, getAddress, hexToBytes, isAddress, type Address } from 'viem';
import { ADDRESS_ERRORS } from './errorCodes.js';
import { OutpostError } from './errors.js';

/** IoTeX's bech32 human-readable part: `io1…` addresses carry the same 20 bytes as `0x…` ones. */
export const IOTEX_HRP = 'io';

export type AddressErrorReason =
  | 'empty'
  | 'bad-hex'
  | 'bad-hex-checksum'
  | 'bad-bech32'
  | 'bad-bech32-checksum'
  | 'wrong-prefix'
  | 'wrong-length';

export class InvalidAddressError extends OutpostError {
  override name = 'InvalidAddressError';
  readonly reason: AddressErrorReason;
  readonly input: string;

  constructor(input: string, reason: AddressErrorReason, shortMessage: string, details?: string) {
    super(ADDRESS_ERRORS[reason.replaceAll('-', '_') as keyof typeof ADDRESS_ERRORS], shortMessage, {
      hint: 'Paste an IoTeX address that starts with io1, or a 0x address of 40 hex digits.',
      ...(details === undefined ? {} : { details }),
    });
    this.reason = reason;
    this.input = input;
  }
}

/** The `io1…` form of a 0x address. */
export function toIoAddress(address: Address): string {
  const bytes = hexToBytes(parseHexAddress(address));
  return bech32.encode(IOTEX_HRP, bech32.toWords(bytes));
}

/** The checksummed 0x form of an `io1…` address; throws InvalidAddressError naming the fault. */
export function fromIoAddress(input: string): Address {
  const text = input.trim();
  const separator = text.lastIndexOf('1');
  const prefix = separator > 0 ? text.slice(0, separator).toLowerCase() : '';
  if (separator <= 0) throw new InvalidAddressError(input, 'bad-bech32', 'This is not a bech32 address.');
  if (prefix !== IOTEX_HRP) {
    throw new InvalidAddressError(
      input,
      'wrong-prefix',
      `This address is for another network ("${prefix}1…"), not IoTeX ("io1…").`,
    );
  }
  let words: number[];
  try {
    ({ words } = bech32.decode(text as `${string}1${string}`, 90));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const checksum = /checksum/i.test(message);
    throw new InvalidAddressError(
      input,
      checksum ? 'bad-bech32-checksum' : 'bad-bech32',
      checksum
        ? 'This io1 address has a bad checksum: a character is mistyped or missing.'
        : 'This io1 address has characters bech32 does not allow.',
      message,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = bech32.fromWords(words);
  } catch (error) {
    throw new InvalidAddressError(input, 'bad-bech32', 'This io1 address does not decode to bytes.', String(error));
  }
  if (bytes.length !== 20) {
    throw new InvalidAddressError(
      input,
      'wrong-length',
      `This io1 address holds ${bytes.length} bytes; an account address holds 20.`,
    );
  }
  return getAddress(bytesToHex(bytes));
}

/**
 * Accepts what people paste (`io1…` or `0x…`, any case, surrounding spaces) and returns the
 * checksummed 0x address. Mixed-case 0x input must carry a valid EIP-55 checksum.
 */
export function parseAddress(input: string): Address {
  const text = input.trim();
  if (text === '') throw new InvalidAddressError(input, 'empty', 'Enter an address.');
  if (/^0x/i.test(text)) return parseHexAddress(text);
  if (/^[a-z]+1/i.test(text)) return fromIoAddress(text);
  throw new InvalidAddressError(input, 'bad-hex', 'This does not look like an address (io1… or 0x…).');
}

/** Both forms, for display. */
export function addressForms(address: Address): { hex: Address; io: string } {
  const hex = parseHexAddress(address);
  return { hex, io: toIoAddress(hex) };
}

function parseHexAddress(text: string): Address {
  const body = text.slice(2);
  if (!/^[0-9a-fA-F]*$/.test(body)) {
    throw new InvalidAddressError(text, 'bad-hex', 'This 0x address has characters that are not hex digits.');
  }
  if (body.length !== 40) {
    throw new InvalidAddressError(text, 'wrong-length', `This 0x address has ${body.length} hex digits; it needs 40.`);
  }
  // EIP-55: all-lower or all-upper hex carries no checksum; mixed case must match it.
  const unchecksummed = body === body.toLowerCase() || body === body.toUpperCase();
  if (!unchecksummed && !isAddress(text, { strict: true })) {
    throw new InvalidAddressError(
      text,
      'bad-hex-checksum',
      'This 0x address has a bad checksum (its mix of capital letters is wrong): a character is mistyped.',
    );
  }
  return getAddress(`0x${body.toLowerCase()}`);
}
