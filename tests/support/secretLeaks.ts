/**
 * Does a stored record give away a wallet's secret? Test-side, on purpose independent of the code
 * under test: the seed and keys are derived here with @scure/bip39 and @scure/bip32.
 *
 * Only the record's values are searched, never its keys. Keys are the record's own vocabulary,
 * and eight of them ("version", "kind", "address", "path", "index", "name", "salt", "secret") are
 * BIP-39 words: a check on the whole JSON text fires on about one fresh phrase in twenty although
 * nothing leaked (the wallet e2e flake).
 *
 * A leak is any of:
 * - the phrase, or any run of two or more of its consecutive words (as whole words, separated by
 *   white space or punctuation), in any string value; any longer run contains such a pair;
 * - the phrase's entropy, its BIP-39 seed, or the private key of index 0 on the Ethereum and the
 *   IoTeX path (or a given raw key), as hex (any case, with or without 0x) or base64;
 * - the phrase as UTF-8 hex or base64.
 * A single word alone is not a leak: 2,048 words cannot all stay out of random text.
 */
import { HDKey } from '@scure/bip32';
import { mnemonicToEntropy, mnemonicToSeedSync } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';

export type WalletSecret = { mnemonic: string } | { privateKey: string };

const COIN_TYPES = { ethereum: 60, iotex: 304 } as const;

/** Every string value in a JSON-like value (object keys excluded), with where it sits. */
function stringValues(value: unknown, where = '$'): { where: string; text: string }[] {
  if (typeof value === 'string') return [{ where, text: value }];
  if (typeof value === 'number' || typeof value === 'bigint') return [{ where, text: String(value) }];
  if (value instanceof Uint8Array) return [{ where, text: Buffer.from(value).toString('hex') }];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringValues(item, `${where}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => stringValues(item, `${where}.${key}`));
  return [];
}

/** The byte strings that must never be stored, each named. */
function secretBytes(secret: WalletSecret): { name: string; bytes: Uint8Array }[] {
  if ('privateKey' in secret) return [{ name: 'private key', bytes: Buffer.from(secret.privateKey.replace(/^0x/, ''), 'hex') }];
  const phrase = secret.mnemonic.trim().toLowerCase().split(/\s+/).join(' ');
  const seed = mnemonicToSeedSync(phrase);
  const root = HDKey.fromMasterSeed(seed);
  const keys = Object.entries(COIN_TYPES).map(([name, coin]) => ({
    name: `private key (${name} path, index 0)`,
    bytes: root.derive(`m/44'/${coin}'/0'/0/0`).privateKey!,
  }));
  return [
    { name: 'phrase entropy', bytes: mnemonicToEntropy(phrase, wordlist) },
    { name: 'BIP-39 seed', bytes: seed },
    { name: 'phrase as UTF-8 bytes', bytes: new TextEncoder().encode(phrase) },
    ...keys,
  ];
}

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What in `record` gives `secret` away: one line per finding, empty when nothing does. */
export function findSecretLeaks(record: unknown, secret: WalletSecret): string[] {
  const values = stringValues(record);
  const findings: string[] = [];
  if ('mnemonic' in secret) {
    const words = secret.mnemonic.trim().toLowerCase().split(/\s+/);
    for (let i = 0; i + 1 < words.length; i++) {
      const pair = new RegExp(`(?<![a-z])${escape(words[i]!)}[\\s\\p{P}]+${escape(words[i + 1]!)}(?![a-z])`, 'iu');
      for (const { where, text } of values) {
        if (pair.test(text)) findings.push(`${where} holds words ${i + 1} and ${i + 2} of the phrase in sequence`);
      }
    }
  }
  for (const { name, bytes } of secretBytes(secret)) {
    const hex = Buffer.from(bytes).toString('hex');
    const base64 = Buffer.from(bytes).toString('base64');
    for (const { where, text } of values) {
      if (text.toLowerCase().includes(hex)) findings.push(`${where} holds the ${name} as hex`);
      if (text.includes(base64) || text.includes(base64.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'))) findings.push(`${where} holds the ${name} as base64`);
    }
  }
  return findings;
}
