import { entropyToMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { describe, expect, it } from 'vitest';
import { createVault } from '../../../src/core/wallet/vault.js';
import { findSecretLeaks } from '../../support/secretLeaks.js';

/**
 * The check behind "the stored vault holds no phrase" (wallet e2e and vault unit tests). The e2e
 * used to search the record's whole JSON for each word of a fresh phrase, and failed about one run
 * in twenty: the record's own keys include eight BIP-39 words.
 */

/** A valid 12-word phrase that starts with the given 11 words (the 12th carries the checksum). */
function phraseStartingWith(first11: string[]): string {
  const bits = first11.map((word) => wordlist.indexOf(word).toString(2).padStart(11, '0')).join('') + '0000000';
  const entropy = Uint8Array.from(bits.match(/.{8}/g)!, (byte) => parseInt(byte, 2));
  return entropyToMnemonic(entropy, wordlist);
}

// Every key of the vault record that is a BIP-39 word, plus three more words.
const KEY_WORDS = ['version', 'kind', 'address', 'path', 'index', 'name', 'salt', 'secret'];
const PHRASE = phraseStartingWith([...KEY_WORDS, 'ocean', 'ladder', 'crane']);
const PASSWORD = 'correct horse battery';

describe('findSecretLeaks', () => {
  it('does not fire on a sealed vault whose keys are words of the phrase', async () => {
    expect(PHRASE.split(' ').slice(0, 8)).toEqual(KEY_WORDS);
    const record = await createVault({ kind: 'mnemonic', mnemonic: PHRASE, path: 'ethereum', index: 0 }, '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', PASSWORD);
    const json = JSON.stringify(record);
    // What the old whole-word check on the JSON text saw: every one of these words is there, as keys.
    for (const word of KEY_WORDS) expect(json).toMatch(new RegExp(`"${word}"`));
    expect(findSecretLeaks(record, { mnemonic: PHRASE })).toEqual([]);
  });

  it('catches the phrase stored in plain text, whole or as any two consecutive words', () => {
    const sealed = { version: 1, kind: 'mnemonic', secret: { iv: 'aa', ciphertext: 'bb' } };
    expect(findSecretLeaks({ ...sealed, secret: { kind: 'mnemonic', mnemonic: PHRASE, path: 'ethereum', index: 0 } }, { mnemonic: PHRASE })).toHaveLength(11);
    const words = PHRASE.split(' ');
    for (let i = 0; i + 1 < words.length; i++) {
      const pair = `${words[i]} ${words[i + 1]}`;
      expect(findSecretLeaks({ ...sealed, note: [`…${pair}…`] }, { mnemonic: PHRASE }), pair).toEqual([
        `$.note[0] holds words ${i + 1} and ${i + 2} of the phrase in sequence`,
      ]);
    }
    // Other separators a careless encoding might use.
    expect(findSecretLeaks({ words: words.join(',') }, { mnemonic: PHRASE })).toHaveLength(11);
    expect(findSecretLeaks({ words: words.join('\n').toUpperCase() }, { mnemonic: PHRASE })).toHaveLength(11);
  });

  it('leaves single words and words out of order alone', () => {
    const words = PHRASE.split(' ');
    expect(findSecretLeaks({ a: words[0], b: words[5], c: `${words[3]} ${words[1]}` }, { mnemonic: PHRASE })).toEqual([]);
  });

  it('catches the entropy, the seed, the derived private keys and the phrase bytes in hex or base64', () => {
    // Hardhat's dev phrase: its seed and its account #0 key are public reference values.
    const hardhat = 'test test test test test test test test test test test junk';
    const key0 = 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
    const entropy = 'df9bf37e6fcdf9bf37e6fcdf9bf37e3c';
    expect(findSecretLeaks({ k: `0x${key0.toUpperCase()}` }, { mnemonic: hardhat })).toEqual(['$.k holds the private key (ethereum path, index 0) as hex']);
    expect(findSecretLeaks({ k: Buffer.from(key0, 'hex').toString('base64') }, { mnemonic: hardhat })).toEqual(['$.k holds the private key (ethereum path, index 0) as base64']);
    expect(findSecretLeaks({ e: entropy }, { mnemonic: hardhat })).toEqual(['$.e holds the phrase entropy as hex']);
    expect(findSecretLeaks({ p: Buffer.from(hardhat).toString('base64url') }, { mnemonic: hardhat })).toEqual(['$.p holds the phrase as UTF-8 bytes as base64']);
    expect(findSecretLeaks({ k: `0x${key0}` }, { privateKey: key0 })).toEqual(['$.k holds the private key as hex']);
    expect(findSecretLeaks({ k: `0x${key0.replace('a', 'b')}` }, { privateKey: key0 })).toEqual([]);
  });
});
