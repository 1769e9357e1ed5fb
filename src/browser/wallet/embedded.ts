import type { Address, Hex, LocalAccount } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { NoWalletError, WalletLockedError } from '../../core/wallet/errors.js';
import { encryptKeystore, decryptKeystore, type EncryptKeystoreOptions, type KeystoreV3 } from '../../core/wallet/keystore.js';
import { addressOfPrivateKey, deriveFromMnemonic, generateMnemonic, normalizeMnemonic, normalizePrivateKey, type DerivationPathKind } from '../../core/wallet/keys.js';
import { deleteVault, loadVault, saveVault } from './store.js';
import { addPasskeyWrap, createVault, openVault, openVaultWithPrf, unwrapWithPassword, type VaultRecord, type VaultSecret } from '../../core/wallet/vault.js';

/**
 * The embedded wallet's life cycle: create/import (encrypt and store), unlock (decrypt into
 * memory), lock (forget), and the password-gated reveals. The unlocked key lives only in a viem
 * LocalAccount held here; the mnemonic is never kept in memory after unlocking.
 */
export type ImportSource =
  | { kind: 'mnemonic'; mnemonic: string; path: DerivationPathKind; index?: number }
  | { kind: 'privateKey'; privateKey: string }
  | { kind: 'keystore'; json: string; keystorePassword: string };

type Listener = (state: EmbeddedState) => void;
export type EmbeddedState =
  | { status: 'none' }
  | { status: 'locked'; address: Address; vault: VaultRecord }
  | { status: 'unlocked'; address: Address; vault: VaultRecord };

export class EmbeddedWallet {
  #vault: VaultRecord | null = null;
  #account: LocalAccount | null = null;
  #listeners = new Set<Listener>();

  /** Reads the stored vault; the wallet always starts locked. */
  async load(): Promise<EmbeddedState> {
    this.#vault = await loadVault();
    this.#account = null;
    this.#emit();
    return this.state;
  }

  get state(): EmbeddedState {
    if (!this.#vault) return { status: 'none' };
    return this.#account
      ? { status: 'unlocked', address: this.#vault.address, vault: this.#vault }
      : { status: 'locked', address: this.#vault.address, vault: this.#vault };
  }

  get account(): LocalAccount | null {
    return this.#account;
  }

  requireAccount(): LocalAccount {
    if (!this.#vault) throw new NoWalletError();
    if (!this.#account) throw new WalletLockedError();
    return this.#account;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Creates a wallet from a fresh phrase; returns the phrase once, for the backup step. */
  async create(password: string, path: DerivationPathKind = 'ethereum'): Promise<{ mnemonic: string; address: Address }> {
    const mnemonic = generateMnemonic();
    const { address } = await this.import({ kind: 'mnemonic', mnemonic, path, index: 0 }, password);
    return { mnemonic, address };
  }

  async import(source: ImportSource, password: string): Promise<{ address: Address }> {
    let secret: VaultSecret;
    let privateKey: Hex;
    if (source.kind === 'mnemonic') {
      const mnemonic = normalizeMnemonic(source.mnemonic);
      const index = source.index ?? 0;
      privateKey = deriveFromMnemonic(mnemonic, source.path, index).privateKey;
      secret = { kind: 'mnemonic', mnemonic, path: source.path, index };
    } else if (source.kind === 'privateKey') {
      privateKey = normalizePrivateKey(source.privateKey);
      secret = { kind: 'privateKey', privateKey };
    } else {
      ({ privateKey } = await decryptKeystore(source.json, source.keystorePassword));
      secret = { kind: 'privateKey', privateKey };
    }
    const address = addressOfPrivateKey(privateKey);
    const vault = await createVault(secret, address, password);
    await saveVault(vault);
    this.#vault = vault;
    this.#account = privateKeyToAccount(privateKey);
    this.#emit();
    return { address };
  }

  async unlock(password: string): Promise<Address> {
    const vault = this.#requireVault();
    this.#account = accountFromSecret(await openVault(vault, password));
    this.#emit();
    return this.#account.address;
  }

  async unlockWithPrf(credentialId: string, prfOutput: Uint8Array): Promise<Address> {
    const vault = this.#requireVault();
    this.#account = accountFromSecret(await openVaultWithPrf(vault, credentialId, prfOutput));
    this.#emit();
    return this.#account.address;
  }

  lock(): void {
    if (!this.#account) return;
    this.#account = null;
    this.#emit();
  }

  /** Re-checks the password, then returns the phrase (null for a wallet imported from a key). */
  async revealMnemonic(password: string): Promise<string | null> {
    const secret = await openVault(this.#requireVault(), password);
    return secret.kind === 'mnemonic' ? secret.mnemonic : null;
  }

  async exportPrivateKey(password: string): Promise<Hex> {
    return privateKeyOf(await openVault(this.#requireVault(), password));
  }

  async exportKeystore(password: string, keystorePassword: string, options: EncryptKeystoreOptions = {}): Promise<KeystoreV3> {
    const key = await this.exportPrivateKey(password);
    return encryptKeystore(key, keystorePassword, options);
  }

  /** Throws WrongPasswordError unless `password` opens the vault; for checks before a side effect. */
  async verifyPassword(password: string): Promise<void> {
    (await unwrapWithPassword(this.#requireVault(), password)).fill(0);
  }

  /** Adds a passkey wrap of the vault key; needs the password once to reach the vault key. */
  async addPasskey(password: string, credentialId: string, prfSalt: Uint8Array, prfOutput: Uint8Array): Promise<void> {
    const vault = this.#requireVault();
    const vaultKey = await unwrapWithPassword(vault, password);
    try {
      this.#vault = await addPasskeyWrap(vault, vaultKey, credentialId, prfSalt, prfOutput);
    } finally {
      vaultKey.fill(0);
    }
    await saveVault(this.#vault);
    this.#emit();
  }

  /** Removes the wallet from this device (the caller has confirmed the user has a backup). */
  async forget(): Promise<void> {
    await deleteVault();
    this.#vault = null;
    this.#account = null;
    this.#emit();
  }

  #requireVault(): VaultRecord {
    if (!this.#vault) throw new NoWalletError();
    return this.#vault;
  }

  #emit(): void {
    const state = this.state;
    for (const listener of this.#listeners) listener(state);
  }
}

function privateKeyOf(secret: VaultSecret): Hex {
  return secret.kind === 'mnemonic' ? deriveFromMnemonic(secret.mnemonic, secret.path, secret.index).privateKey : secret.privateKey;
}

function accountFromSecret(secret: VaultSecret): LocalAccount {
  return privateKeyToAccount(privateKeyOf(secret));
}
