import type { AddressBook } from '../../src/core/addressBook.js';
import { createDeployContext } from './deployer.js';

export type DevnetDeployment = { contracts: AddressBook; extra: Record<string, unknown> };

/**
 * Deploys every contract the app and relay use to a fresh devnet and seeds demo state. Each
 * feature's contracts add their step here as they land (see docs/contracts.md).
 */
export async function deployDevnet(rpcUrl: string): Promise<DevnetDeployment> {
  const ctx = createDeployContext(rpcUrl);
  const contracts: AddressBook = {};
  const extra: Record<string, unknown> = { deployer: ctx.wallet.account.address };
  return { contracts, extra };
}
