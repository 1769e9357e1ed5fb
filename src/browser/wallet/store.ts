import type { Address, Hash } from 'viem';
import { openOutpostDb, storageErrorFrom } from '../storage/db.js';
import type { VaultRecord } from '../../core/wallet/vault.js';
import { readErrorRecord, type ErrorRecord } from '../../core/errorReport.js';

/**
 * The wallet's IndexedDB object store: one encrypted vault under "vault", and this app's
 * transactions under "tx:<chainId>:<hash>". Values are checked on read; what does not check
 * reads as absent rather than crashing the app.
 */
const VAULT_KEY = 'vault';
const TX_PREFIX = 'tx:';

type TxStatus = 'pending' | 'confirmed' | 'failed' | 'replaced';

export type TxRecord = {
  hash: Hash;
  chainId: number;
  from: Address;
  to: Address | null;
  /** wei, as a decimal string (IndexedDB stores bigint, but JSON export does not). */
  value: string;
  nonce: number;
  /** What the user did, for the list: "Send", "Faucet", or a feature's own label. */
  label: string;
  status: TxStatus;
  createdAt: number;
  blockNumber?: string;
  /** The transaction that took this one's nonce, when status is 'replaced'. */
  replacedBy?: Hash;
  /** Why following it failed, as `{code, message, hint}` (records stored before held a sentence; see readTxRecord). */
  error?: ErrorRecord;
};

export async function loadVault(): Promise<VaultRecord | null> {
  try {
    const db = await openOutpostDb();
    const value = await db.get('wallet', VAULT_KEY);
    return isVaultRecord(value) ? value : null;
  } catch (error) {
    throw storageErrorFrom(error, 'read the wallet');
  }
}

/** Whether a wallet is stored (one record read, no wallet code): the first screen asks before offering to create one. */
export async function hasStoredVault(): Promise<boolean> {
  return (await loadVault()) !== null;
}

export async function saveVault(record: VaultRecord): Promise<void> {
  try {
    const db = await openOutpostDb();
    await db.put('wallet', record, VAULT_KEY);
  } catch (error) {
    throw storageErrorFrom(error, 'save the wallet');
  }
}

export async function deleteVault(): Promise<void> {
  try {
    const db = await openOutpostDb();
    await db.delete('wallet', VAULT_KEY);
  } catch (error) {
    throw storageErrorFrom(error, 'remove the wallet');
  }
}

export async function putTx(tx: TxRecord): Promise<void> {
  try {
    const db = await openOutpostDb();
    await db.put('wallet', tx, txKey(tx.chainId, tx.hash));
  } catch (error) {
    throw storageErrorFrom(error, 'save the transaction');
  }
}

/** This app's transactions from an account on a chain, newest first. */
export async function listTxs(chainId: number, from: Address): Promise<TxRecord[]> {
  try {
    const db = await openOutpostDb();
    const prefix = `${TX_PREFIX}${chainId}:`;
    const values = await db.getAll('wallet', IDBKeyRange.bound(prefix, `${prefix}\uffff`));
    return values
      .map(readTxRecord)
      .filter((tx) => tx !== null)
      .filter((tx) => tx.from.toLowerCase() === from.toLowerCase())
      .sort((a, b) => b.createdAt - a.createdAt || b.nonce - a.nonce);
  } catch (error) {
    throw storageErrorFrom(error, 'read the transaction history');
  }
}

function txKey(chainId: number, hash: Hash): string {
  return `${TX_PREFIX}${chainId}:${hash.toLowerCase()}`;
}

function isVaultRecord(value: unknown): value is VaultRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<VaultRecord>;
  return (
    record.version === 1 &&
    typeof record.id === 'string' &&
    (record.kind === 'mnemonic' || record.kind === 'privateKey') &&
    typeof record.address === 'string' &&
    typeof record.kdf?.salt === 'string' &&
    typeof record.kdf.iterations === 'number' &&
    typeof record.wrappedKey?.ciphertext === 'string' &&
    typeof record.secret?.ciphertext === 'string' &&
    Array.isArray(record.passkeys)
  );
}

/**
 * A stored transaction as the app reads it, or null if it is not one. Records written before
 * errors were structured keep their error as a sentence: it is read back as the message of an
 * uncoded ErrorRecord, so the history still says why.
 */
export function readTxRecord(value: unknown): TxRecord | null {
  if (!isTxRecord(value)) return null;
  const { error, ...tx } = value as TxRecord & { error?: unknown };
  const record = readErrorRecord(error);
  return record ? { ...tx, error: record } : tx;
}

function isTxRecord(value: unknown): value is TxRecord {
  if (typeof value !== 'object' || value === null) return false;
  const tx = value as Partial<TxRecord>;
  return (
    typeof tx.hash === 'string' &&
    typeof tx.chainId === 'number' &&
    typeof tx.from === 'string' &&
    typeof tx.value === 'string' &&
    typeof tx.nonce === 'number' &&
    (tx.status === 'pending' || tx.status === 'confirmed' || tx.status === 'failed' || tx.status === 'replaced')
  );
}
