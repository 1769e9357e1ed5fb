import { readFileSync } from 'node:fs';
import { createPublicClient, erc721Abi, getAddress, http, type Address, type PublicClient } from 'viem';
import { inject } from 'vitest';
import { ioIDAbi, ioIDRegistryAbi, ioIDStoreAbi } from '../../../src/core/abis/index.js';
import { parseDevnetConfig } from '../../../src/core/devnetConfig.js';

/**
 * What the devnet chain says about ioIDs, read with viem and the contracts' ABIs only (not through
 * src/core/ioid, the code under test), for e2e assertions. Every function reads the e2e stack's
 * chain (vitest's provided devnet config) unless given another one, so a bench or script can use
 * them against its own devnet.
 */
export type IoidChain = { client: PublicClient; registry: Address; ioID: Address; ioIDStore: Address };

let stackChain: IoidChain | null = null;

/** The e2e stack's chain; `inject` works only inside a vitest run, so it is asked lazily. */
function e2eChain(): IoidChain {
  stackChain ??= ioidChainAt(parseDevnetConfig(JSON.parse(readFileSync(inject('devnetConfigPath'), 'utf8'))));
  return stackChain;
}

/** The chain of a devnet config (its rpcUrl and address book). */
export function ioidChainAt(devnet: { rpcUrl: string; contracts: Partial<Record<'ioIDRegistry' | 'ioID' | 'ioIDStore', Address>> }): IoidChain {
  const { ioIDRegistry, ioID, ioIDStore } = devnet.contracts;
  if (!ioIDRegistry || !ioID || !ioIDStore) throw new Error('the devnet config has no ioID contracts');
  return { client: createPublicClient({ transport: http(devnet.rpcUrl) }) as PublicClient, registry: ioIDRegistry, ioID, ioIDStore };
}

export type IoidOnChain = {
  exists: boolean;
  ioidTokenId: bigint | null;
  owner: Address | null;
  /** The ioID's ERC-6551 account. */
  wallet: Address | null;
  did: string | null;
  /** The device NFT contract of the device's project (ioIDStore.projectDeviceContract). */
  deviceNFT: Address | null;
  /** The device NFT token the registry moved into `wallet` (from its Transfer logs). */
  deviceTokenId: bigint | null;
  /** ownerOf(deviceTokenId): the ERC-6551 wallet after register. */
  nftHolder: Address | null;
};

const NONE: IoidOnChain = { exists: false, ioidTokenId: null, owner: null, wallet: null, did: null, deviceNFT: null, deviceTokenId: null, nftHolder: null };

/** The device's ioID as the registry, ioID and device NFT contracts state it; all null when it has none. */
export async function readIoidOnChain(device: Address, chain: IoidChain = e2eChain()): Promise<IoidOnChain> {
  const { client } = chain;
  if (!(await client.readContract({ address: chain.registry, abi: ioIDRegistryAbi, functionName: 'exists', args: [device] }))) return NONE;
  const ioidTokenId = await client.readContract({ address: chain.registry, abi: ioIDRegistryAbi, functionName: 'deviceTokenId', args: [device] });
  const owner = await client.readContract({ address: chain.ioID, abi: ioIDAbi, functionName: 'ownerOf', args: [ioidTokenId] });
  const [wallet, did] = await client.readContract({ address: chain.ioID, abi: ioIDAbi, functionName: 'wallet', args: [ioidTokenId] });
  const projectId = await client.readContract({ address: chain.ioID, abi: ioIDAbi, functionName: 'deviceProject', args: [device] });
  const nft = await client.readContract({ address: chain.ioIDStore, abi: ioIDStoreAbi, functionName: 'projectDeviceContract', args: [projectId] });
  const deviceNFT = BigInt(nft) === 0n ? null : getAddress(nft);
  let deviceTokenId: bigint | null = null;
  let nftHolder: Address | null = null;
  if (deviceNFT) {
    // Device NFTs need not be enumerable: the token is the one whose Transfer went to the ioID's wallet.
    const moved = await client.getContractEvents({ address: deviceNFT, abi: erc721Abi, eventName: 'Transfer', args: { to: wallet }, fromBlock: 0n });
    deviceTokenId = moved.at(-1)?.args.tokenId ?? null;
    if (deviceTokenId !== null) nftHolder = await client.readContract({ address: deviceNFT, abi: erc721Abi, functionName: 'ownerOf', args: [deviceTokenId] });
  }
  return { exists: true, ioidTokenId, owner: getAddress(owner), wallet: getAddress(wallet), did, deviceNFT, deviceTokenId, nftHolder };
}

/** How many ApprovalForAll(owner, operator, true) events `nft` emitted: one per approval the wallet sent. */
export async function countApprovalForAll(owner: Address, operator: Address, nft: Address, chain: IoidChain = e2eChain()): Promise<number> {
  const logs = await chain.client.getContractEvents({ address: nft, abi: erc721Abi, eventName: 'ApprovalForAll', args: { owner, operator }, fromBlock: 0n });
  return logs.filter((log) => log.args.approved === true).length;
}

/** Transactions the account has sent (its nonce at the latest block). */
export async function countSentTransactions(from: Address, chain: IoidChain = e2eChain()): Promise<number> {
  return chain.client.getTransactionCount({ address: from, blockTag: 'latest' });
}
