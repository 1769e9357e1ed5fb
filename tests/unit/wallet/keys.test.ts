import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { InvalidMnemonicError, InvalidPrivateKeyError } from '../../../src/core/wallet/errors.js';
import { deriveFromMnemonic, generateMnemonic, normalizeMnemonic, normalizePrivateKey } from '../../../src/core/wallet/keys.js';

const TEST_MNEMONIC = 'test test test test test test test test test test test junk';

/** Independent derivation: BIP-32 from @scure/bip32 and the public key → address by hand. */
function independentAddress(mnemonic: string, path: string): string {
  const node = HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic)).derive(path);
  const publicKey = secp256k1.getPublicKey(node.privateKey!, false);
  return `0x${bytesToHex(keccak_256(publicKey.subarray(1)).subarray(12))}`;
}

describe('derivation paths', () => {
  it("gives Hardhat's account #0 on the Ethereum path for the standard test mnemonic", () => {
    expect(deriveFromMnemonic(TEST_MNEMONIC, 'ethereum', 0).address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(deriveFromMnemonic(TEST_MNEMONIC, 'ethereum', 1).address).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
  });

  it("derives IoTeX's m/44'/304'/0'/0/n as an independent BIP-32 implementation does", () => {
    for (const index of [0, 1, 7]) {
      const expected = independentAddress(TEST_MNEMONIC, `m/44'/304'/0'/0/${index}`);
      const derived = deriveFromMnemonic(TEST_MNEMONIC, 'iotex', index);
      expect(derived.address.toLowerCase()).toBe(expected);
      expect(derived.path).toBe(`m/44'/304'/0'/0/${index}`);
    }
    // The two paths lead to different accounts.
    expect(independentAddress(TEST_MNEMONIC, "m/44'/304'/0'/0/0")).not.toBe('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266');
  });

  it('creates 12-word phrases that validate and differ each time', () => {
    const a = generateMnemonic();
    const b = generateMnemonic();
    expect(a.split(' ')).toHaveLength(12);
    expect(normalizeMnemonic(a)).toBe(a);
    expect(a).not.toBe(b);
  });
});

describe('mnemonic errors', () => {
  it('names the position of an unknown word, never the word (it is one typo from a word of the secret)', () => {
    const error = catchError(() => normalizeMnemonic('test test test tset test test test test test test test junk'));
    expect(error).toBeInstanceOf(InvalidMnemonicError);
    const mnemonicError = error as InvalidMnemonicError;
    expect(mnemonicError.reason).toBe('unknown-word');
    expect(mnemonicError.wordPosition).toBe(4);
    expect(mnemonicError.shortMessage).toBe('Word 4 is not in the BIP-39 English word list.');
    const everything = [mnemonicError.message, mnemonicError.shortMessage, mnemonicError.details, mnemonicError.hint, String(mnemonicError.stack), JSON.stringify(mnemonicError)].join('\n');
    expect(everything).not.toMatch(/tset/i);
  });

  it('names a bad checksum when every word is valid', () => {
    const error = catchError(() => normalizeMnemonic('test test test test test test test test test test test test'));
    expect(error).toBeInstanceOf(InvalidMnemonicError);
    expect((error as InvalidMnemonicError).reason).toBe('bad-checksum');
    expect((error as InvalidMnemonicError).code).toBe('wallet.mnemonic_bad_checksum');
  });

  it('names a wrong word count and accepts messy spacing and capitals', () => {
    expect((catchError(() => normalizeMnemonic('test junk')) as InvalidMnemonicError).reason).toBe('wrong-length');
    expect(normalizeMnemonic(`  ${TEST_MNEMONIC.toUpperCase().replace(/ /g, '   ')} `)).toBe(TEST_MNEMONIC);
  });
});

describe('private keys', () => {
  it('accepts 64 hex digits with or without 0x and rejects the rest by name', () => {
    const key = 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
    expect(normalizePrivateKey(key)).toBe(`0x${key}`);
    expect(normalizePrivateKey(`0X${key.toUpperCase()}`)).toBe(`0x${key}`);
    expect(() => normalizePrivateKey(key.slice(2))).toThrow(InvalidPrivateKeyError);
    expect(() => normalizePrivateKey(`${key.slice(1)}g`)).toThrow(/not hex digits/);
    expect(() => normalizePrivateKey('0'.repeat(64))).toThrow(InvalidPrivateKeyError);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
