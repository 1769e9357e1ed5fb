import type { Address, Hex } from 'viem';
import { fromHex, randomBytes, toHex, utf8, wipe } from './bytes.js';
import { TamperedVaultError, WeakPasswordError, WrongPasswordError } from './errors.js';
import type { DerivationPathKind } from './keys.js';

/**
 * The embedded wallet at rest. Two layers, so that a password and a passkey can each open it:
 * - a random 256-bit vault key encrypts the secret (AES-GCM, the record's public fields as
 *   additional data, so they cannot be swapped without detection);
 * - the vault key is stored only wrapped: under a key derived from the password (PBKDF2-SHA256,
 *   600,000 iterations or more) and, optionally, under keys derived from passkey PRF outputs.
 * A wrong password fails at the wrapping layer; a changed ciphertext fails at the secret layer,
 * so the two are told apart. Every byte field is hex text: the record is plain JSON.
 */
export const MIN_PBKDF2_ITERATIONS = 600_000;
const MIN_PASSWORD_LENGTH = 8;
const VAULT_VERSION = 1;

export type VaultSecret =
  | { kind: 'mnemonic'; mnemonic: string; path: DerivationPathKind; index: number }
  | { kind: 'privateKey'; privateKey: Hex };

type Sealed = { iv: string; ciphertext: string };

type PasskeyWrap = {
  credentialId: string;
  /** Salt given to the PRF extension; its output is the passkey's wrapping-key material. */
  prfSalt: string;
  wrappedKey: Sealed;
  createdAt: number;
};

export type VaultRecord = {
  version: typeof VAULT_VERSION;
  id: string;
  kind: VaultSecret['kind'];
  address: Address;
  path: { kind: DerivationPathKind; index: number } | null;
  createdAt: number;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
  wrappedKey: Sealed;
  passkeys: PasskeyWrap[];
  secret: Sealed;
};

export type CreateVaultOptions = { iterations?: number };

export async function createVault(secret: VaultSecret, address: Address, password: string, options: CreateVaultOptions = {}): Promise<VaultRecord> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new WeakPasswordError(MIN_PASSWORD_LENGTH);
  const iterations = options.iterations ?? MIN_PBKDF2_ITERATIONS;
  if (iterations < MIN_PBKDF2_ITERATIONS) throw new RangeError(`PBKDF2 iterations must be at least ${MIN_PBKDF2_ITERATIONS}`);
  const salt = randomBytes(16);
  const vaultKey = randomBytes(32);
  const header = {
    version: VAULT_VERSION,
    id: crypto.randomUUID(),
    kind: secret.kind,
    address,
    path: secret.kind === 'mnemonic' ? { kind: secret.path, index: secret.index } : null,
    createdAt: Date.now(),
  } as const;
  const passwordKey = await passwordWrappingKey(password, salt, iterations);
  const wrappedKey = await seal(passwordKey, vaultKey, utf8(`outpost-vault-key:${header.id}`));
  const secretKey = await importAesKey(vaultKey);
  const plain = utf8(JSON.stringify(secret));
  const sealedSecret = await seal(secretKey, plain, additionalData(header));
  wipe(vaultKey, plain);
  return {
    ...header,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: toHex(salt) },
    wrappedKey,
    passkeys: [],
    secret: sealedSecret,
  };
}

/** Opens the vault with the password: WrongPasswordError or TamperedVaultError otherwise. */
export async function openVault(record: VaultRecord, password: string): Promise<VaultSecret> {
  const vaultKey = await unwrapWithPassword(record, password);
  return openSecret(record, vaultKey);
}

/** The raw vault key, for adding a passkey wrap; the caller wipes it. */
export async function unwrapWithPassword(record: VaultRecord, password: string): Promise<Uint8Array<ArrayBuffer>> {
  const key = await passwordWrappingKey(password, fromHex(record.kdf.salt), record.kdf.iterations);
  try {
    return await unseal(key, record.wrappedKey, utf8(`outpost-vault-key:${record.id}`));
  } catch {
    throw new WrongPasswordError();
  }
}

async function openSecret(record: VaultRecord, vaultKey: Uint8Array<ArrayBuffer>): Promise<VaultSecret> {
  let plain: Uint8Array<ArrayBuffer>;
  try {
    plain = await unseal(await importAesKey(vaultKey), record.secret, additionalData(record));
  } catch (error) {
    throw new TamperedVaultError(error instanceof Error ? error.message : String(error));
  } finally {
    wipe(vaultKey);
  }
  try {
    return JSON.parse(new TextDecoder().decode(plain)) as VaultSecret;
  } finally {
    wipe(plain);
  }
}

/** Wraps the vault key under a passkey's PRF output (HKDF-SHA256 → AES-GCM key). */
export async function addPasskeyWrap(
  record: VaultRecord,
  vaultKey: Uint8Array<ArrayBuffer>,
  credentialId: string,
  prfSalt: Uint8Array,
  prfOutput: Uint8Array,
): Promise<VaultRecord> {
  const key = await prfWrappingKey(prfOutput, record.id);
  const wrappedKey = await seal(key, vaultKey, utf8(`outpost-passkey:${record.id}:${credentialId}`));
  const others = record.passkeys.filter((wrap) => wrap.credentialId !== credentialId);
  return { ...record, passkeys: [...others, { credentialId, prfSalt: toHex(prfSalt), wrappedKey, createdAt: Date.now() }] };
}

export async function openVaultWithPrf(record: VaultRecord, credentialId: string, prfOutput: Uint8Array): Promise<VaultSecret> {
  const wrap = record.passkeys.find((candidate) => candidate.credentialId === credentialId);
  if (!wrap) throw new WrongPasswordError();
  const key = await prfWrappingKey(prfOutput, record.id);
  let vaultKey: Uint8Array<ArrayBuffer>;
  try {
    vaultKey = await unseal(key, wrap.wrappedKey, utf8(`outpost-passkey:${record.id}:${credentialId}`));
  } catch {
    throw new WrongPasswordError();
  }
  return openSecret(record, vaultKey);
}

async function passwordWrappingKey(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', utf8(password.normalize('NFKC')), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

async function prfWrappingKey(prfOutput: Uint8Array, vaultId: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new Uint8Array(prfOutput), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: utf8(`outpost-vault-prf:${vaultId}`) },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

function importAesKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

function additionalData(header: Pick<VaultRecord, 'version' | 'id' | 'kind' | 'address' | 'path'>): Uint8Array<ArrayBuffer> {
  return utf8(JSON.stringify([header.version, header.id, header.kind, header.address, header.path]));
}

async function seal(key: CryptoKey, plain: Uint8Array<ArrayBuffer>, aad: Uint8Array<ArrayBuffer>): Promise<Sealed> {
  const iv = randomBytes(12);
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, plain);
  return { iv: toHex(iv), ciphertext: toHex(new Uint8Array(ciphertext)) };
}

async function unseal(key: CryptoKey, sealed: Sealed, aad: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromHex(sealed.iv), additionalData: aad }, key, fromHex(sealed.ciphertext));
  return new Uint8Array(plain);
}
