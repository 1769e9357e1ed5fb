import { scryptAsync } from '@noble/hashes/scrypt.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import type { Address, Hex } from 'viem';
import { fromHex, randomBytes, toHex, utf8, wipe } from './bytes.js';
import { InvalidKeystoreError, KeystorePasswordError } from './errors.js';
import { addressOfPrivateKey, normalizePrivateKey } from './keys.js';

/**
 * Ethereum keystore v3 ("Web3 Secret Storage"): what MetaMask, geth and ioPay export. AES-128-CTR
 * under the first half of a scrypt or PBKDF2-HMAC-SHA256 key; the MAC is
 * keccak256(DK[16..32] ‖ ciphertext) and is checked before decrypting.
 */
export type KeystoreV3 = {
  version: 3;
  id: string;
  address?: string;
  crypto: {
    cipher: 'aes-128-ctr';
    cipherparams: { iv: string };
    ciphertext: string;
    kdf: 'scrypt' | 'pbkdf2';
    kdfparams: ScryptParams | Pbkdf2Params;
    mac: string;
  };
};
type ScryptParams = { dklen: number; n: number; r: number; p: number; salt: string };
type Pbkdf2Params = { dklen: number; c: number; prf: 'hmac-sha256'; salt: string };

/** Export defaults: scrypt N=2^17 (128 MiB), a compromise between geth's 2^18 and phones. */
const EXPORT_SCRYPT = { n: 131_072, r: 8, p: 1 } as const;
const MAX_SCRYPT_N = 2 ** 20;
/**
 * scrypt's time grows with N·r·p and its memory with N·r, and a keystore file names all three: a
 * hostile file with a huge p (or r) would keep the tab busy for hours. The cap is what N=2^20, r=8,
 * p=1 costs (1 GiB, 8× geth's standard file, which ioPay and MetaMask also write).
 */
const MAX_SCRYPT_WORK = 2 ** 23;
const MAX_SCRYPT_R = 32;
const MAX_PBKDF2_C = 10_000_000;

export async function decryptKeystore(input: string | unknown, password: string): Promise<{ privateKey: Hex; address: Address }> {
  const store = parseKeystore(input);
  const derived = await deriveKeystoreKey(store, password);
  const ciphertext = hexField(store.crypto.ciphertext, 'crypto.ciphertext');
  const mac = toHex(keccak_256(concat(derived.subarray(16, 32), ciphertext)));
  if (mac !== store.crypto.mac.toLowerCase().replace(/^0x/, '')) {
    wipe(derived);
    throw new KeystorePasswordError();
  }
  const plain = await aesCtr(derived.subarray(0, 16), hexField(store.crypto.cipherparams.iv, 'crypto.cipherparams.iv'), ciphertext);
  wipe(derived);
  const privateKey = normalizePrivateKey(toHex(plain));
  wipe(plain);
  return { privateKey, address: addressOfPrivateKey(privateKey) };
}

export type EncryptKeystoreOptions =
  | { kdf?: 'scrypt'; n?: number; r?: number; p?: number; salt?: Uint8Array; iv?: Uint8Array; id?: string }
  | { kdf: 'pbkdf2'; c?: number; salt?: Uint8Array; iv?: Uint8Array; id?: string };

export async function encryptKeystore(privateKey: Hex, password: string, options: EncryptKeystoreOptions = {}): Promise<KeystoreV3> {
  const key = fromHex(normalizePrivateKey(privateKey));
  const salt = options.salt ?? randomBytes(32);
  const iv = options.iv ?? randomBytes(16);
  const kdfparams: ScryptParams | Pbkdf2Params =
    options.kdf === 'pbkdf2'
      ? { dklen: 32, c: options.c ?? 262_144, prf: 'hmac-sha256', salt: toHex(salt) }
      : { dklen: 32, n: options.n ?? EXPORT_SCRYPT.n, r: options.r ?? EXPORT_SCRYPT.r, p: options.p ?? EXPORT_SCRYPT.p, salt: toHex(salt) };
  const partial = { crypto: { kdf: options.kdf ?? 'scrypt', kdfparams } } as KeystoreV3;
  const derived = await deriveKeystoreKey(partial, password);
  const ciphertext = await aesCtr(derived.subarray(0, 16), iv, key);
  const mac = keccak_256(concat(derived.subarray(16, 32), ciphertext));
  wipe(derived, key);
  return {
    version: 3,
    id: options.id ?? crypto.randomUUID(),
    address: addressOfPrivateKey(privateKey).slice(2).toLowerCase(),
    crypto: {
      cipher: 'aes-128-ctr',
      cipherparams: { iv: toHex(iv) },
      ciphertext: toHex(ciphertext),
      kdf: options.kdf ?? 'scrypt',
      kdfparams,
      mac: toHex(mac),
    },
  };
}

/** Validates the shape (case-insensitively for "Crypto", as some tools write it). */
function parseKeystore(input: string | unknown): KeystoreV3 {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new InvalidKeystoreError(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (typeof value !== 'object' || value === null) throw new InvalidKeystoreError('not a JSON object');
  const record = value as Record<string, unknown>;
  if (record.version !== 3) throw new InvalidKeystoreError(`version is ${JSON.stringify(record.version)}, expected 3`);
  const cryptoPart = (record.crypto ?? record.Crypto) as Record<string, unknown> | undefined;
  if (!cryptoPart || typeof cryptoPart !== 'object') throw new InvalidKeystoreError('missing the "crypto" section');
  if (cryptoPart.cipher !== 'aes-128-ctr') throw new InvalidKeystoreError(`cipher "${String(cryptoPart.cipher)}" is not supported (only aes-128-ctr)`);
  if (cryptoPart.kdf !== 'scrypt' && cryptoPart.kdf !== 'pbkdf2') throw new InvalidKeystoreError(`kdf "${String(cryptoPart.kdf)}" is not supported`);
  const params = cryptoPart.kdfparams as Record<string, unknown> | undefined;
  if (!params || typeof params !== 'object' || typeof params.salt !== 'string') throw new InvalidKeystoreError('missing kdfparams.salt');
  if (params.dklen !== 32) throw new InvalidKeystoreError(`kdfparams.dklen is ${String(params.dklen)}, expected 32`);
  if (cryptoPart.kdf === 'scrypt') {
    for (const name of ['n', 'r', 'p'] as const) {
      if (!Number.isInteger(params[name]) || (params[name] as number) < 1) throw new InvalidKeystoreError(`kdfparams.${name} must be a positive integer`);
    }
    const { n, r, p } = params as { n: number; r: number; p: number };
    if (n > MAX_SCRYPT_N || (n & (n - 1)) !== 0) throw new InvalidKeystoreError(`scrypt n=${n} is not a power of two up to 2^20, so it cannot be run in a browser`);
    if (r > MAX_SCRYPT_R) throw new InvalidKeystoreError(`scrypt r=${r} is larger than ${MAX_SCRYPT_R}`);
    if (n * r * p > MAX_SCRYPT_WORK) {
      throw new InvalidKeystoreError(`scrypt work n·r·p = ${n * r * p} is more than this app runs (${MAX_SCRYPT_WORK}); p=${p} would keep the page busy for a very long time`);
    }
  } else {
    if (params.prf !== 'hmac-sha256') throw new InvalidKeystoreError(`pbkdf2 prf "${String(params.prf)}" is not supported`);
    if (!Number.isInteger(params.c) || (params.c as number) < 1 || (params.c as number) > MAX_PBKDF2_C) throw new InvalidKeystoreError('kdfparams.c is out of range');
  }
  const cipherparams = cryptoPart.cipherparams as Record<string, unknown> | undefined;
  if (typeof cipherparams?.iv !== 'string') throw new InvalidKeystoreError('missing cipherparams.iv');
  if (typeof cryptoPart.ciphertext !== 'string' || typeof cryptoPart.mac !== 'string') throw new InvalidKeystoreError('missing ciphertext or mac');
  return { ...(record as object), crypto: cryptoPart } as KeystoreV3;
}

async function deriveKeystoreKey(store: KeystoreV3, password: string): Promise<Uint8Array<ArrayBuffer>> {
  const params = store.crypto.kdfparams;
  const salt = hexField(params.salt, 'kdfparams.salt');
  if (store.crypto.kdf === 'scrypt') {
    const { n, r, p } = params as ScryptParams;
    const out = await scryptAsync(utf8(password), salt, { N: n, r, p, dkLen: 32, maxmem: 2 ** 31 });
    return new Uint8Array(out);
  }
  // PBKDF2 through WebCrypto: native, far faster than a JS loop.
  const material = await crypto.subtle.importKey('raw', utf8(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: (params as Pbkdf2Params).c },
    material,
    256,
  );
  return new Uint8Array(bits);
}

async function aesCtr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const cryptoKey = await crypto.subtle.importKey('raw', new Uint8Array(key), 'AES-CTR', false, ['encrypt']);
  // The whole 16-byte IV is the big-endian counter block, as in geth.
  const out = await crypto.subtle.encrypt({ name: 'AES-CTR', counter: new Uint8Array(iv), length: 128 }, cryptoKey, new Uint8Array(data));
  return new Uint8Array(out);
}

function hexField(value: string, field: string): Uint8Array<ArrayBuffer> {
  try {
    return fromHex(value);
  } catch {
    throw new InvalidKeystoreError(`${field} is not hex`);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
