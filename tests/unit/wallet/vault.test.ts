import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openOutpostDb } from '../../../src/browser/storage/db.js';
import { EmbeddedWallet } from '../../../src/browser/wallet/embedded.js';
import { TamperedVaultError, WeakPasswordError, WrongPasswordError } from '../../../src/core/wallet/errors.js';
import { findSecretLeaks } from '../../support/secretLeaks.js';
import { seededBytes } from '../../support/seed.js';
import { addPasskeyWrap, createVault, MIN_PBKDF2_ITERATIONS, openVault, openVaultWithPrf, unwrapWithPassword, type VaultRecord } from '../../../src/core/wallet/vault.js';

const MNEMONIC = 'test test test test test test test test test test test junk';
const KEY0 = 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const ADDRESS0 = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const PASSWORD = 'correct horse battery';

/** Nothing in the record's values gives the test phrase or key away (see tests/support/secretLeaks.ts). */
function assertNoSecretIn(record: unknown): void {
  expect(findSecretLeaks(record, { mnemonic: MNEMONIC })).toEqual([]);
  expect(findSecretLeaks(record, { privateKey: KEY0 })).toEqual([]);
}

describe('vault crypto', () => {
  it('round-trips a mnemonic with at least 600,000 PBKDF2 iterations and holds no plaintext', async () => {
    const record = await createVault({ kind: 'mnemonic', mnemonic: MNEMONIC, path: 'ethereum', index: 0 }, ADDRESS0, PASSWORD);
    expect(record.kdf.iterations).toBeGreaterThanOrEqual(600_000);
    assertNoSecretIn(record);
    await expect(openVault(record, PASSWORD)).resolves.toEqual({ kind: 'mnemonic', mnemonic: MNEMONIC, path: 'ethereum', index: 0 });
  });

  it('fails a wrong password with WrongPasswordError', async () => {
    const record = await createVault({ kind: 'privateKey', privateKey: `0x${KEY0}` }, ADDRESS0, PASSWORD);
    const error = await openVault(record, 'correct horse battery!').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongPasswordError);
    expect((error as WrongPasswordError).message).toContain('does not unlock');
  });

  it('rejects a tampered ciphertext, a tampered header and a tampered wrapped key', async () => {
    const record = await createVault({ kind: 'privateKey', privateKey: `0x${KEY0}` }, ADDRESS0, PASSWORD);
    const flip = (hex: string) => `${hex.slice(0, 10)}${hex[10] === '0' ? '1' : '0'}${hex.slice(11)}`;
    const badSecret: VaultRecord = { ...record, secret: { ...record.secret, ciphertext: flip(record.secret.ciphertext) } };
    await expect(openVault(badSecret, PASSWORD)).rejects.toBeInstanceOf(TamperedVaultError);
    // The address is bound to the ciphertext: pointing the record at another account is caught.
    const badAddress: VaultRecord = { ...record, address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' };
    await expect(openVault(badAddress, PASSWORD)).rejects.toBeInstanceOf(TamperedVaultError);
    const badWrap: VaultRecord = { ...record, wrappedKey: { ...record.wrappedKey, ciphertext: flip(record.wrappedKey.ciphertext) } };
    await expect(openVault(badWrap, PASSWORD)).rejects.toBeInstanceOf(WrongPasswordError);
  });

  it('refuses short passwords and too few iterations', async () => {
    await expect(createVault({ kind: 'privateKey', privateKey: `0x${KEY0}` }, ADDRESS0, 'short')).rejects.toBeInstanceOf(WeakPasswordError);
    await expect(
      createVault({ kind: 'privateKey', privateKey: `0x${KEY0}` }, ADDRESS0, PASSWORD, { iterations: MIN_PBKDF2_ITERATIONS - 1 }),
    ).rejects.toThrow(/at least 600000/);
  });

  it('opens the same vault key with a passkey PRF output, and not with another', async () => {
    const record = await createVault({ kind: 'privateKey', privateKey: `0x${KEY0}` }, ADDRESS0, PASSWORD);
    const prf = seededBytes('passkey PRF output');
    const vaultKey = await unwrapWithPassword(record, PASSWORD);
    const withPasskey = await addPasskeyWrap(record, vaultKey, 'cred-1', new Uint8Array(32), prf);
    assertNoSecretIn(withPasskey);
    expect(JSON.stringify(withPasskey)).not.toContain(Buffer.from(prf).toString('hex'));
    await expect(openVaultWithPrf(withPasskey, 'cred-1', prf)).resolves.toEqual({ kind: 'privateKey', privateKey: `0x${KEY0}` });
    await expect(openVaultWithPrf(withPasskey, 'cred-1', seededBytes('another PRF output'))).rejects.toBeInstanceOf(WrongPasswordError);
    // The password still works after adding a passkey.
    await expect(openVault(withPasskey, PASSWORD)).resolves.toMatchObject({ kind: 'privateKey' });
  });
});

describe('embedded wallet with IndexedDB (fake-indexeddb)', () => {
  it('stores only ciphertext, starts locked after a reload, unlocks to the same account', async () => {
    const wallet = new EmbeddedWallet();
    await wallet.load();
    expect(wallet.state.status).toBe('none');
    const { address } = await wallet.import({ kind: 'mnemonic', mnemonic: MNEMONIC, path: 'ethereum' }, PASSWORD);
    expect(address).toBe(ADDRESS0);
    expect(wallet.state.status).toBe('unlocked');

    // Read the raw stored value straight from IndexedDB.
    const db = await openOutpostDb();
    const stored = await db.get('wallet', 'vault');
    assertNoSecretIn(stored);

    const reloaded = new EmbeddedWallet();
    const state = await reloaded.load();
    expect(state).toMatchObject({ status: 'locked', address: ADDRESS0 });
    expect(reloaded.account).toBeNull();
    await expect(reloaded.unlock('wrong password')).rejects.toBeInstanceOf(WrongPasswordError);
    await expect(reloaded.unlock(PASSWORD)).resolves.toBe(ADDRESS0);
    await expect(reloaded.revealMnemonic('wrong password')).rejects.toBeInstanceOf(WrongPasswordError);
    await expect(reloaded.revealMnemonic(PASSWORD)).resolves.toBe(MNEMONIC);
    await expect(reloaded.exportPrivateKey(PASSWORD)).resolves.toBe(`0x${KEY0}`);
    reloaded.lock();
    expect(reloaded.state.status).toBe('locked');
  });

  it('imports an IoTeX-path account and exports a keystore that opens to the same key', async () => {
    const wallet = new EmbeddedWallet();
    const { address } = await wallet.import({ kind: 'mnemonic', mnemonic: MNEMONIC, path: 'iotex', index: 0 }, PASSWORD);
    expect(address).not.toBe(ADDRESS0);
    const keystore = await wallet.exportKeystore(PASSWORD, 'keystore pass', { kdf: 'scrypt', n: 1024 });
    const other = new EmbeddedWallet();
    const imported = await other.import({ kind: 'keystore', json: JSON.stringify(keystore), keystorePassword: 'keystore pass' }, 'new password 1');
    expect(imported.address).toBe(address);
    await wallet.forget();
  });
});
