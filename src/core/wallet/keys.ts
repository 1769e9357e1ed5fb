import { firstLine } from '../errors.js';
import { generateMnemonic as scureGenerate, mnemonicToEntropy } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { bytesToHex, isHex, type Address, type Hex } from 'viem';
import { mnemonicToAccount, privateKeyToAccount } from 'viem/accounts';
import { InvalidMnemonicError, InvalidPrivateKeyError } from './errors.js';

/**
 * Key material of the embedded wallet: BIP-39 phrases, the two derivation paths people arrive
 * with (MetaMask's Ethereum path, ioPay's IoTeX coin type 304), and raw private keys.
 */
export type DerivationPathKind = 'ethereum' | 'iotex';

const DERIVATION_PATHS: Readonly<Record<DerivationPathKind, { label: string; coinType: number }>> = {
  ethereum: { label: "Ethereum / MetaMask (m/44'/60'/0'/0/n)", coinType: 60 },
  iotex: { label: "IoTeX / ioPay (m/44'/304'/0'/0/n)", coinType: 304 },
};

function derivationPath(kind: DerivationPathKind, index: number): `m/44'/${string}` {
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** 31) {
    throw new RangeError(`Account index must be an integer from 0 to 2^31-1, got ${index}`);
  }
  return `m/44'/${DERIVATION_PATHS[kind].coinType}'/0'/0/${index}`;
}

/** A new 12-word English recovery phrase (128 bits of entropy from the platform CSPRNG). */
export function generateMnemonic(): string {
  return scureGenerate(wordlist, 128);
}

/** Lowercases and collapses whitespace, then checks words and checksum; throws a named error. */
export function normalizeMnemonic(input: string): string {
  const words = input.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (![12, 15, 18, 21, 24].includes(words.length)) {
    throw new InvalidMnemonicError(
      'wrong-length',
      `A recovery phrase has 12, 15, 18, 21 or 24 words; this one has ${words.length}.`,
    );
  }
  const known = new Set(wordlist);
  const unknownAt = words.findIndex((word) => !known.has(word));
  if (unknownAt >= 0) {
    // The word itself is never quoted: a mistyped word is usually one letter from a real word of the
    // phrase, and messages end up on screen, in logs and in copied bug reports.
    throw new InvalidMnemonicError('unknown-word', `Word ${unknownAt + 1} is not in the BIP-39 English word list.`, unknownAt + 1);
  }
  const phrase = words.join(' ');
  try {
    mnemonicToEntropy(phrase, wordlist);
  } catch {
    throw new InvalidMnemonicError('bad-checksum', 'This recovery phrase has a bad checksum.');
  }
  return phrase;
}

export type DerivedKey = { address: Address; privateKey: Hex; path: string };

export function deriveFromMnemonic(mnemonic: string, kind: DerivationPathKind, index = 0): DerivedKey {
  const phrase = normalizeMnemonic(mnemonic);
  const path = derivationPath(kind, index);
  // viem types `path` as Ethereum's coin type only; at run time it derives any BIP-32 path.
  const account = mnemonicToAccount(phrase, { path: path as `m/44'/60'/${string}` });
  const key = account.getHdKey().privateKey;
  if (!key) throw new Error('HD derivation produced no private key');
  return { address: account.address, privateKey: bytesToHex(key), path };
}

/** Accepts 64 hex digits with or without 0x; throws InvalidPrivateKeyError naming the fault. */
export function normalizePrivateKey(input: string): Hex {
  const text = input.trim();
  const hex = (/^0x/i.test(text) ? `0x${text.slice(2)}` : `0x${text}`).toLowerCase() as Hex;
  if (!isHex(hex, { strict: true })) throw new InvalidPrivateKeyError('it contains characters that are not hex digits');
  if (hex.length !== 66) throw new InvalidPrivateKeyError(`it has ${hex.length - 2} hex digits instead of 64`);
  try {
    privateKeyToAccount(hex);
  } catch (error) {
    throw new InvalidPrivateKeyError(firstLine(error));
  }
  return hex;
}

export function addressOfPrivateKey(privateKey: Hex): Address {
  return privateKeyToAccount(privateKey).address;
}
