import { bytesToHex, hexToBytes, isHex } from 'viem';

/** Hex <-> bytes without a 0x prefix, as keystore files and the vault record store them (viem's, minus the prefix). */
export function toHex(bytes: Uint8Array): string {
  return bytesToHex(bytes).slice(2);
}

export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const prefixed = hex.startsWith('0x') ? hex : `0x${hex}`;
  // viem pads an odd-length string with a leading 0; a stored field of odd length is corrupt, so refuse it.
  if (!isHex(prefixed, { strict: true }) || prefixed.length % 2 !== 0) throw new TypeError('not an even-length hex string');
  return hexToBytes(prefixed) as Uint8Array<ArrayBuffer>;
}

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(length));
}

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;
}

/** Best effort: JS cannot guarantee erasure, but plaintext buffers need not linger filled. */
export function wipe(...arrays: Uint8Array[]): void {
  for (const array of arrays) array.fill(0);
}
