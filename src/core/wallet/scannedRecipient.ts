import type { Address } from 'viem';
import { addressForms, parseAddress } from '../address.js';
import { OutpostError } from '../errors.js';
import { ScannedNotAddressError } from './errors.js';

/** A recipient read from a QR code: the address, and the form to put in the field (as it was scanned). */
export type ScannedRecipient = { address: Address; text: string };

/**
 * What a scanned QR code means as a recipient. Accepts a bare io1… or 0x… address (what ioPay,
 * MetaMask and Outpost's own Receive screen show) and an EIP-681 `ethereum:` payment URI, of which
 * only the target address is taken (amount and chain are the sender's to choose here). A URI
 * naming a function (an ERC-20 `transfer`) is a token payment and refused, as is anything else.
 */
export function parseScannedRecipient(scanned: string): ScannedRecipient {
  const text = scanned.trim();
  // EIP-681: ethereum:[pay-]<address>[@chainId][/function][?params]
  const uri = /^ethereum:(?:pay-)?([^@/?#]+)(?:@[^/?#]*)?(\/[^?#]*)?/i.exec(text);
  if (uri) {
    if (uri[2] && uri[2] !== '/') throw new ScannedNotAddressError('token-transfer', text);
    return { address: asAddress(uri[1]!, text), text: addressForms(asAddress(uri[1]!, text)).hex };
  }
  if (/^(0x[0-9a-f]{40}|io1[0-9a-z]{38})$/i.test(text)) {
    const address = asAddress(text, text);
    return { address, text: /^io1/i.test(text) ? text.toLowerCase() : address };
  }
  throw new ScannedNotAddressError('not-address', text);
}

/** The address named in the code; a mistyped one keeps its own named error (bad checksum, length). */
function asAddress(candidate: string, scanned: string): Address {
  // An ENS name or other non-address target: not something to send IOTX to.
  if (!/^(0x|io1)/i.test(candidate)) throw new ScannedNotAddressError('not-address', scanned);
  try {
    return addressForms(parseAddress(candidate)).hex;
  } catch (error) {
    if (error instanceof OutpostError) throw error;
    throw new ScannedNotAddressError('not-address', scanned);
  }
}
