import { encodeFunctionData, erc721Abi, getAddress, isAddressEqual, keccak256, stringToBytes, type Address, type Hex, type PublicClient } from 'viem';
import { deviceNFTAbi, ioIDAbi, ioIDRegistryAbi } from '../abis/index.js';
import { OutpostError } from '../errors.js';
import type { JobRecord, JobSpec, StepSpec } from '../jobs/index.js';
import { assertIoidNetwork as assertNetwork, devicePermitCalls, type IoidDeviceHooks } from './devicePermit.js';
import { IoidAlreadyRegisteredError, IoidError } from './errors.js';
import { readDeviceIoid, readHeldTokens, readIoidProject, readNftRegistered, readRegistryApproval, type IoidContracts } from './reads.js';

/**
 * The ioID mint journey (issue 15) as ONE transaction job (docs/ioid.md, docs/jobs.md):
 * [devnet only: mint a demo device NFT] → approve the registry for the device NFT contract →
 * register (the device signs the Permit when the step's call is built). Every step is decided from
 * the chain; a landed step is never repeated. Calls use IoTeX's ioID ABI part and the standard
 * ERC-721 ABI; the one exception is the demo NFT's `mintOpen`, which exists on the devnet only.
 */

export const IOID_JOB_KIND = 'ioid-mint';

export type IoidJobContext = {
  account: Address;
  chainId: number;
  contracts: IoidContracts;
  /** The devnet's demo DeviceNFT (open mint), or null on IoTeX networks, where no mint step exists. */
  demoDeviceNFT: Address | null;
  /**
   * Where Transfer logs are searched for the owner's device NFTs when no token id is named. IoTeX's
   * nodes bound log ranges: off the devnet, name the token id or pass a recent block.
   */
  fromBlock?: bigint;
};

export type IoidMintInput = {
  device: Address;
  /** The project's device NFT contract. */
  deviceNFT: Address;
  /** The owner's device NFT to register with; when absent, the first unused one the owner holds. */
  tokenId?: bigint;
  /** The DID document's hash and URI; default a placeholder (the DID's keccak, no URI) until the app publishes documents. */
  documentHash?: Hex;
  documentURI?: string;
};

/** The job's params: plain data, enough with the device hooks to rebuild the spec after a reload. */
export type IoidJobParams = {
  device: Address;
  deviceNFT: Address;
  tokenId: string | null;
  documentHash: Hex;
  documentURI: string;
  contracts: IoidContracts;
  demoDeviceNFT: Address | null;
  fromBlock: string;
};

/** Wallet prompts left for a device: 0–1 devnet mint, 0–1 approval, 1 register. */
export function ioidPromptCount(state: { mintsDemoNft: boolean; approved: boolean; registered: boolean }): number {
  if (state.registered) return 0;
  return (state.mintsDemoNft ? 1 : 0) + (state.approved ? 0 : 1) + 1;
}

/** The prompts a built job still needs, from the chain: its steps that have not landed. */
export async function readIoidPromptCount(client: PublicClient, spec: JobSpec): Promise<number> {
  const landed = await Promise.all(spec.steps.map((step) => step.landed(client)));
  return landed.filter((done) => !done).length;
}

function didOf(device: Address): string {
  return `did:io:${device.toLowerCase()}`;
}

function ioidJob(ctx: IoidJobContext, params: IoidJobParams, hooks: IoidDeviceHooks): JobSpec<IoidJobParams> {
  const { account, chainId } = ctx;
  const contracts = params.contracts;
  const device = params.device;
  const nft = params.deviceNFT;
  const fromBlock = BigInt(params.fromBlock);
  const isDemoNft = params.demoDeviceNFT !== null && isAddressEqual(params.demoDeviceNFT, nft);

  /** The device has an ioID owned by the account (no log search: cheap enough for every `landed`). */
  const registeredToAccount = async (client: PublicClient) => {
    const registry = { address: contracts.ioIDRegistry, abi: ioIDRegistryAbi } as const;
    if (!(await client.readContract({ ...registry, functionName: 'exists', args: [device] }))) return false;
    const tokenId = await client.readContract({ ...registry, functionName: 'deviceTokenId', args: [device] });
    return isAddressEqual(await client.readContract({ address: contracts.ioID, abi: ioIDAbi, functionName: 'ownerOf', args: [tokenId] }), account);
  };

  /** The device NFT the register step uses: the one named, or the first unused one the owner holds. */
  const chooseToken = async (client: PublicClient): Promise<bigint | null> => {
    if (params.tokenId !== null) return BigInt(params.tokenId);
    // Holding none is known without logs (IoTeX's nodes bound log ranges).
    if ((await client.readContract({ address: nft, abi: erc721Abi, functionName: 'balanceOf', args: [account] })) === 0n) return null;
    for (const id of await readHeldTokens(client, nft, account, fromBlock)) {
      if (!(await readNftRegistered(client, contracts, nft, id))) return id;
    }
    return null;
  };

  const steps: StepSpec[] = [];
  if (isDemoNft && params.tokenId === null) {
    steps.push({
      id: 'mint-nft',
      label: 'Mint a demo device NFT (devnet only)',
      // Still true after register moved the NFT into the ioID's wallet.
      landed: async (client) => (await chooseToken(client)) !== null || (await registeredToAccount(client)),
      request: async (client) => {
        await assertNetwork(client, chainId);
        return { to: nft, data: encodeFunctionData({ abi: deviceNFTAbi, functionName: 'mintOpen' }), abi: deviceNFTAbi };
      },
    });
  }

  steps.push({
    id: 'approve',
    label: 'Allow the ioID registry to move your device NFT',
    landed: async (client) => (await readRegistryApproval(client, contracts, nft, account)) || (await registeredToAccount(client)),
    request: async (client) => {
      await assertNetwork(client, chainId);
      return { to: nft, data: encodeFunctionData({ abi: erc721Abi, functionName: 'setApprovalForAll', args: [contracts.ioIDRegistry, true] }), abi: erc721Abi };
    },
  });

  // The device's signature for the current nonce, kept so a rebuilt call (simulation, revert
  // replay, a batch) does not ask the device twice; a new nonce asks again.
  const signedCall = devicePermitCalls({ chainId, registry: contracts.ioIDRegistry, device }, hooks);

  steps.push({
    id: 'register',
    label: 'Register the device’s ioID',
    landed: registeredToAccount,
    request: async (client) => {
      await assertNetwork(client, chainId);
      const status = await readDeviceIoid(client, contracts, device, { fromBlock });
      if (status.registered) throw new IoidAlreadyRegisteredError(device, status.tokenId, status.owner);
      return signedCall({
        nonce: status.nonce,
        owner: account,
        action: 'register',
        // The NFT, holder, project and cost checks run only when the device is about to be asked.
        prepare: async () => {
          const tokenId = await chooseToken(client);
          if (tokenId === null) {
            throw new IoidError('ioid.no_device_nft', `This account holds no unused device NFT of ${nft}.`, {
              hint: 'Only your project’s device NFT contract can provide one: ask the project (or the seller of the device) for the device NFT, then resume.',
            });
          }
          const holder = await client.readContract({ address: nft, abi: erc721Abi, functionName: 'ownerOf', args: [tokenId] }).catch(() => null);
          if (!holder || !isAddressEqual(holder, account)) {
            throw new IoidError('ioid.nft_not_owned', `Device NFT #${tokenId} of ${nft} is not held by this account.`, {
              hint: 'Register from the account that holds the device NFT, or name one this account holds.',
            });
          }
          if (await readNftRegistered(client, contracts, nft, tokenId)) {
            throw new IoidError('ioid.nft_already_registered', `Device NFT #${tokenId} of ${nft} already backs an ioID (an NFT stays used even after its ioID is removed).`, {
              hint: 'Use another device NFT of the project for this device.',
            });
          }
          const project = await readIoidProject(client, contracts, nft);
          if (project.projectId === 0n) {
            throw new IoidError('ioid.project_unbound', `The device NFT contract ${nft} is not bound to an ioID project.`, {
              hint: 'The project owner must bind it (ioIDStore.setDeviceContract) before devices can register.',
            });
          }
          let value = 0n;
          if (project.kind === 'hardware') {
            if (project.prepaidLeft === 0n) {
              throw new IoidError('ioid.quota_exhausted', `Project ${project.projectId} has no prepaid ioIDs left.`, {
                hint: 'The project owner must buy more (ioIDStore.applyIoIDs) before another device can register.',
              });
            }
          } else {
            value = project.price;
            const balance = await client.getBalance({ address: account });
            if (balance < value) {
              throw new IoidError('ioid.insufficient_funds', `Registering costs ${value} wei (ioIDStore.price()), but the account holds ${balance}.`, {
                hint: 'Add IOTX to this account (plus a little for gas), then resume.',
              });
            }
          }
          return { tokenId, value };
        },
        build: ({ v, r, s }, { tokenId, value }) => ({
          to: contracts.ioIDRegistry,
          data: encodeFunctionData({
            abi: ioIDRegistryAbi,
            functionName: 'register',
            args: [nft, tokenId, device, params.documentHash, params.documentURI, v, r, s],
          }),
          value,
          abi: ioIDRegistryAbi,
        }),
      });
    },
  });

  return {
    id: `ioid-mint:${chainId}:${account}:${device}`,
    kind: IOID_JOB_KIND,
    title: `Mint the ioID of device ${device}`,
    account,
    chainId,
    params,
    steps,
  };
}

/**
 * Builds the mint job for a device, refusing at once what cannot succeed: the device already has
 * an ioID owned by someone else (its id and owner are carried). A device already registered to this
 * account gives a job whose steps have all landed.
 */
export async function ioidMintJob(client: PublicClient, ctx: IoidJobContext, input: IoidMintInput, hooks: IoidDeviceHooks): Promise<JobSpec<IoidJobParams>> {
  await assertNetwork(client, ctx.chainId);
  const device = getAddress(input.device);
  if (!isAddressEqual(hooks.signer.address, device)) throw new Error(`the device signer is ${hooks.signer.address}, not the device ${device}`);
  const status = await readDeviceIoid(client, ctx.contracts, device, ctx.fromBlock === undefined ? {} : { fromBlock: ctx.fromBlock });
  if (status.registered && !isAddressEqual(status.owner, ctx.account)) throw new IoidAlreadyRegisteredError(device, status.tokenId, status.owner);
  const params: IoidJobParams = {
    device,
    deviceNFT: getAddress(input.deviceNFT),
    tokenId: input.tokenId === undefined ? null : input.tokenId.toString(),
    documentHash: input.documentHash ?? keccak256(stringToBytes(didOf(device))),
    documentURI: input.documentURI ?? '',
    contracts: ctx.contracts,
    demoDeviceNFT: ctx.demoDeviceNFT,
    fromBlock: (ctx.fromBlock ?? 0n).toString(),
  };
  return ioidJob(ctx, params, hooks);
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const DECIMAL = /^\d+$/;

/** Rebuilds the spec from a stored record (kind IOID_JOB_KIND) with the device's hooks, after a reload. */
export function rebuildIoidJob(record: JobRecord, hooks: IoidDeviceHooks): JobSpec<IoidJobParams> {
  try {
    if (record.kind !== IOID_JOB_KIND) throw new Error(`kind ${record.kind}`);
    const params = record.params as Partial<IoidJobParams> | null;
    const addresses = [params?.device, params?.deviceNFT, params?.contracts?.ioIDRegistry, params?.contracts?.ioID, params?.contracts?.ioIDStore];
    if (!params || addresses.some((address) => typeof address !== 'string' || !ADDRESS.test(address))) throw new Error('missing addresses');
    if (params.demoDeviceNFT !== null && (typeof params.demoDeviceNFT !== 'string' || !ADDRESS.test(params.demoDeviceNFT))) throw new Error('bad demo NFT');
    if (params.tokenId !== null && (typeof params.tokenId !== 'string' || !DECIMAL.test(params.tokenId))) throw new Error('bad token id');
    if (typeof params.fromBlock !== 'string' || !DECIMAL.test(params.fromBlock)) throw new Error('bad start block');
    if (typeof params.documentHash !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(params.documentHash) || typeof params.documentURI !== 'string') throw new Error('bad document');
    return ioidJob({ account: record.account, chainId: record.chainId, contracts: params.contracts!, demoDeviceNFT: params.demoDeviceNFT }, params as IoidJobParams, hooks);
  } catch (error) {
    throw new OutpostError('ioid.job_params_invalid', `The stored ioID job “${record.title}” cannot be read back.`, {
      hint: 'Cancel it and start the journey again: what already happened on the chain is kept.',
      cause: error,
    });
  }
}
