import { erc721Abi, getAddress, isAddressEqual, parseAbiItem, zeroAddress, type Address, type PublicClient } from 'viem';
import { ioIDAbi, ioIDRegistryAbi, ioIDStoreAbi, projectAbi } from '../abis/index.js';
import { findRevert } from '../reverts/index.js';

/**
 * The ioID reads the journey and My devices need, through IoTeX's ioID ABI parts only (`<name>Abi`)
 * and the standard ERC-721 ABI for the project's device NFT (any project's contract answers it).
 * Reads that revert for a device without an ioID (`deviceTokenId`, `documentHash`) are asked only
 * after `exists`, as IoTeX's docs advise.
 */

export type IoidContracts = { ioIDRegistry: Address; ioIDStore: Address; ioID: Address };

export type DeviceIoidStatus =
  | { device: Address; registered: false; nonce: bigint }
  | {
      device: Address;
      registered: true;
      nonce: bigint;
      /** The ioID token id (the registry's `deviceTokenId`). */
      tokenId: bigint;
      owner: Address;
      /** The ioID's ERC-6551 account, which holds the device NFT. */
      wallet: Address;
      did: string;
      projectId: bigint;
      /** The device NFT it was registered with, found in the wallet; null when it has left the wallet, is older than `fromBlock`, or the node refused the log search. */
      deviceNFT: { contract: Address; tokenId: bigint } | null;
    };

/** Each read's result, or null where the call reverted (errors that are not reverts are thrown). */
async function readAll<T extends readonly unknown[]>(
  client: PublicClient,
  calls: { [K in keyof T]: { address: Address; abi: readonly unknown[]; functionName: string; args?: readonly unknown[] } },
): Promise<{ [K in keyof T]: T[K] | null }> {
  const multicallAddress = client.chain?.contracts?.multicall3?.address;
  if (multicallAddress && calls.length > 1) {
    const results = (await client.multicall({ contracts: calls as never, allowFailure: true, multicallAddress })) as { status: 'success' | 'failure'; result?: unknown }[];
    return results.map((result) => (result.status === 'success' ? result.result : null)) as never;
  }
  return Promise.all(
    calls.map(async (call) => {
      try {
        return await client.readContract(call as never);
      } catch (error) {
        if (findRevert(error)) return null;
        throw error;
      }
    }),
  ) as never;
}

const TRANSFER = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)');

/**
 * Token ids of `nft` that were transferred to `holder` since `fromBlock` and that it still holds,
 * oldest first. The device NFT need not be enumerable (IoTeX's projects' are not all), so the
 * Transfer logs are the index. IoTeX's API nodes bound log ranges: pass a recent `fromBlock` there.
 */
export async function readHeldTokens(client: PublicClient, nft: Address, holder: Address, fromBlock: bigint = 0n): Promise<bigint[]> {
  const logs = await client.getLogs({ address: nft, event: TRANSFER, args: { to: holder }, fromBlock, toBlock: 'latest' });
  const ids = [...new Set(logs.map((log) => log.args.tokenId!))];
  const owners = await readAll<(Address | null)[]>(
    client,
    ids.map((id) => ({ address: nft, abi: erc721Abi, functionName: 'ownerOf', args: [id] })),
  );
  return ids.filter((_, index) => owners[index] && isAddressEqual(owners[index], holder));
}

/** Whether the device has an ioID and, if so, whose it is, its wallet, DID and the device NFT it holds. */
export async function readDeviceIoid(client: PublicClient, contracts: IoidContracts, device: Address, options: { fromBlock?: bigint } = {}): Promise<DeviceIoidStatus> {
  device = getAddress(device);
  const registry = { address: contracts.ioIDRegistry, abi: ioIDRegistryAbi } as const;
  const [exists, nonce] = await readAll<[boolean, bigint]>(client, [
    { ...registry, functionName: 'exists', args: [device] },
    { ...registry, functionName: 'nonces', args: [device] },
  ]);
  if (exists === null || nonce === null) throw new Error(`the ioIDRegistry at ${contracts.ioIDRegistry} did not answer exists/nonces`);
  if (!exists) return { device, registered: false, nonce };
  const ioID = { address: contracts.ioID, abi: ioIDAbi } as const;
  const [tokenId, did, projectId] = await readAll<[bigint, string, bigint]>(client, [
    { ...registry, functionName: 'deviceTokenId', args: [device] },
    { ...ioID, functionName: 'did', args: [device] },
    { ...ioID, functionName: 'deviceProject', args: [device] },
  ]);
  if (tokenId === null || did === null || projectId === null) throw new Error(`the ioID contracts did not answer for registered device ${device}`);
  // IoTeX's `wallet(uint256)` answers (wallet, did).
  const [owner, walletAndDid, nftContract] = await readAll<[Address, readonly [Address, string], Address]>(client, [
    { ...ioID, functionName: 'ownerOf', args: [tokenId] },
    { ...ioID, functionName: 'wallet', args: [tokenId] },
    { address: contracts.ioIDStore, abi: ioIDStoreAbi, functionName: 'projectDeviceContract', args: [projectId] },
  ]);
  if (owner === null || walletAndDid === null) throw new Error(`ioID #${tokenId} has no owner or wallet`);
  const [wallet] = walletAndDid;
  let deviceNFT: { contract: Address; tokenId: bigint } | null = null;
  if (nftContract && !isAddressEqual(nftContract, zeroAddress)) {
    // Found through logs, which a node may refuse over a long range: the rest of the status stands without it.
    const held = await readHeldTokens(client, nftContract, wallet, options.fromBlock).catch(() => []);
    if (held[0] !== undefined) deviceNFT = { contract: getAddress(nftContract), tokenId: held[0] };
  }
  return { device, registered: true, nonce, tokenId, owner: getAddress(owner), wallet: getAddress(wallet), did, projectId, deviceNFT };
}

type IoidProjectKind = 'hardware' | 'virtual';

/** The ioID project bound to a device NFT contract, and what registering one more device costs. */
export type IoidProjectState = {
  deviceNFT: Address;
  /** 0 when the NFT contract is bound to no project (registering reverts "invalid project"). */
  projectId: bigint;
  /** IoTeX's project type: 0 hardware (prepaid quota), anything else virtual (pays `price()` per device). */
  kind: IoidProjectKind;
  price: bigint;
  /** Prepaid ioIDs left: applied − actived (hardware projects). */
  prepaidLeft: bigint;
};

export async function readIoidProject(client: PublicClient, contracts: IoidContracts, deviceNFT: Address): Promise<IoidProjectState> {
  const store = { address: contracts.ioIDStore, abi: ioIDStoreAbi } as const;
  const [projectId, price, projectContract] = await readAll<[bigint, bigint, Address]>(client, [
    { ...store, functionName: 'deviceContractProject', args: [deviceNFT] },
    { ...store, functionName: 'price' },
    { ...store, functionName: 'project' },
  ]);
  if (projectId === null || price === null || projectContract === null) throw new Error(`the ioIDStore at ${contracts.ioIDStore} did not answer`);
  if (projectId === 0n) return { deviceNFT: getAddress(deviceNFT), projectId, kind: 'hardware', price, prepaidLeft: 0n };
  const [projectType, applied, actived] = await readAll<[number, bigint, bigint]>(client, [
    { address: projectContract, abi: projectAbi, functionName: 'projectType', args: [projectId] },
    { ...store, functionName: 'projectAppliedAmount', args: [projectId] },
    { ...store, functionName: 'projectActivedAmount', args: [projectId] },
  ]);
  if (projectType === null || applied === null || actived === null) throw new Error(`project ${projectId} did not answer`);
  return { deviceNFT: getAddress(deviceNFT), projectId, kind: projectType === 0 ? 'hardware' : 'virtual', price, prepaidLeft: applied > actived ? applied - actived : 0n };
}

/** Whether `owner` has approved the registry for all of `deviceNFT` (what `register` moves the NFT with). */
export async function readRegistryApproval(client: PublicClient, contracts: IoidContracts, deviceNFT: Address, owner: Address): Promise<boolean> {
  return client.readContract({ address: deviceNFT, abi: erc721Abi, functionName: 'isApprovedForAll', args: [owner, contracts.ioIDRegistry] });
}

/** Whether a device NFT already backed an ioID (it stays used after `remove`, as on IoTeX). */
export async function readNftRegistered(client: PublicClient, contracts: IoidContracts, deviceNFT: Address, tokenId: bigint): Promise<boolean> {
  return client.readContract({ address: contracts.ioIDRegistry, abi: ioIDRegistryAbi, functionName: 'registeredNFT', args: [deviceNFT, tokenId] });
}
