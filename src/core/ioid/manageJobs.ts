import { encodeFunctionData, erc721Abi, getAddress, isAddressEqual, keccak256, stringToBytes, zeroAddress, type Address, type Hex, type PublicClient } from 'viem';
import { ioIDAbi, ioIDRegistryAbi } from '../abis/index.js';
import { erc6551AccountStandardAbi } from '../abis/ERC6551AccountStandard.js';
import { OutpostError } from '../errors.js';
import type { JobCall, JobRecord, JobSpec, StepSpec } from '../jobs/index.js';
import { assertIoidNetwork, devicePermitCalls, type IoidDeviceHooks } from './devicePermit.js';
import { IoidBadRecipientError, IoidDeviceHooksMissingError, IoidNftNotInWalletError, IoidNotOwnerError, IoidNotRegisteredError, IoidSignerMismatchError } from './errors.js';
import { shortAddress as short } from './permit.js';
import { readDeviceIoid, type IoidContracts } from './reads.js';

/**
 * Managing an ioID (issue 15; docs/ioid.md "Managing an ioID"): each action is ONE transaction job
 * of one step on the runner (docs/jobs.md), its `landed()` read from the chain so a reload never
 * sends it twice. Calls use IoTeX's ioID ABI parts, the ERC-721 standard ABI and the ERC-6551
 * account's standard interface, so the same code runs on the devnet and on IoTeX's networks.
 *
 * What IoTeX's contracts do (iotexproject/ioID-contracts contracts/ioIDRegistry.sol, ioID.sol;
 * tokenbound/contracts for the wallet): `update` and `remove` check the device's
 * Permit(owner = the caller, nonce); `migrate` checks Permit(owner = the new owner, nonce); each
 * consumes the nonce. `remove` unlinks the device (no DID, no document, `exists` false) but the ioID
 * NFT stays with its owner, its wallet keeps the device NFT, and that NFT stays used for registering.
 * A plain ERC-721 transfer of the ioID moves control of its wallet (bound to the token) and so of the
 * device NFT in it; the device's registration and nonce do not change. The wallet's
 * `execute(to, value, data, 0)` makes a CALL from the wallet, allowed to the ioID's owner.
 */

export const IOID_MANAGE_JOB_KIND = 'ioid-manage';

export type IoidManageAction =
  | { kind: 'update'; device: Address; documentHash: Hex; documentURI: string }
  | { kind: 'remove'; device: Address }
  | { kind: 'migrate'; device: Address; to: Address }
  | { kind: 'transfer'; device: Address; to: Address }
  | { kind: 'withdraw-nft'; device: Address; to: Address };

/** Whether the device must sign a Permit for the action (the app connects it first). */
export function ioidManageNeedsDevice(action: Pick<IoidManageAction, 'kind'>): boolean {
  return action.kind === 'update' || action.kind === 'remove' || action.kind === 'migrate';
}

/** The job's params: plain data, enough with the device hooks to rebuild the spec after a reload. */
type IoidManageParams = {
  action: IoidManageAction;
  contracts: IoidContracts;
  /** The ioID managed (the registry's `deviceTokenId` when the job was built). */
  ioidTokenId: string;
  /** Its ERC-6551 wallet. */
  wallet: Address;
  /** withdraw-nft: the device NFT in the wallet, read from the chain when the job was built; null otherwise. */
  nft: { contract: Address; tokenId: string } | null;
  /** `nonces(device)` when the job was built: a later action of the same kind is another job. */
  nonce: string;
};

type ManageContext = { account: Address; chainId: number };

function jobId(ctx: ManageContext, params: IoidManageParams): string {
  const { action } = params;
  const base = `${IOID_MANAGE_JOB_KIND}:${ctx.chainId}:${ctx.account}:${action.device}:${action.kind}`;
  switch (action.kind) {
    case 'update':
      // The same document asked twice before it lands is the same job; another document is another.
      return `${base}:${params.nonce}:${keccak256(stringToBytes(`${action.documentHash} ${action.documentURI}`)).slice(0, 18)}`;
    case 'remove':
      return `${base}:${params.ioidTokenId}`;
    case 'migrate':
      return `${base}:${params.nonce}:${action.to}`;
    case 'transfer':
      return `${base}:${params.ioidTokenId}:${action.to}`;
    case 'withdraw-nft':
      return `${base}:${params.nft!.contract}:${params.nft!.tokenId}:${action.to}`;
  }
}

function manageJob(ctx: ManageContext, params: IoidManageParams, hooks: IoidDeviceHooks | null): JobSpec<IoidManageParams> {
  const { account, chainId } = ctx;
  const { action, contracts, wallet } = params;
  const device = action.device;
  const ioidTokenId = BigInt(params.ioidTokenId);
  const registry = { address: contracts.ioIDRegistry, abi: ioIDRegistryAbi } as const;
  const signedCall = devicePermitCalls({ chainId, registry: contracts.ioIDRegistry, device }, hooks);

  const ioidOwner = (client: PublicClient) => client.readContract({ address: contracts.ioID, abi: ioIDAbi, functionName: 'ownerOf', args: [ioidTokenId] });
  /** The device is still linked to this ioID (not removed, not registered again as another). */
  const linked = async (client: PublicClient) =>
    (await client.readContract({ ...registry, functionName: 'exists', args: [device] })) &&
    (await client.readContract({ ...registry, functionName: 'deviceTokenId', args: [device] })) === ioidTokenId;
  /** Before a call is built: the network, and the account still owns the ioID (it may have moved since the job was built). */
  const checkOwner = async (client: PublicClient) => {
    await assertIoidNetwork(client, chainId);
    const owner = await ioidOwner(client);
    if (!isAddressEqual(owner, account)) throw new IoidNotOwnerError(device, ioidTokenId, getAddress(owner));
  };
  const checkLinked = async (client: PublicClient) => {
    if (!(await linked(client))) throw new IoidNotRegisteredError(device);
  };
  const nonceOf = (client: PublicClient) => client.readContract({ ...registry, functionName: 'nonces', args: [device] });
  const registryCall = (data: Hex): JobCall => ({ to: contracts.ioIDRegistry, data, abi: ioIDRegistryAbi });
  const ioid = `ioID #${ioidTokenId}`;

  let title: string;
  let step: StepSpec;
  switch (action.kind) {
    case 'update': {
      const { documentHash, documentURI } = action;
      title = `Update the DID document of ${short(device)}`;
      step = {
        id: 'update',
        label: `Set the DID document of ${short(device)} to hash ${short(documentHash)}${documentURI ? ` at ${documentURI}` : ''} (the device signs)`,
        landed: async (client) =>
          (await linked(client)) &&
          (await client.readContract({ ...registry, functionName: 'documentHash', args: [device] })) === documentHash &&
          (await client.readContract({ ...registry, functionName: 'documentURI', args: [device] })) === documentURI,
        request: async (client) => {
          await checkOwner(client);
          await checkLinked(client);
          return signedCall({
            nonce: await nonceOf(client),
            owner: account, // IoTeX's update: Permit(owner = msg.sender)
            action: 'update',
            prepare: async () => undefined,
            build: ({ v, r, s }) => registryCall(encodeFunctionData({ abi: ioIDRegistryAbi, functionName: 'update', args: [device, documentHash, documentURI, v, r, s] })),
          });
        },
      };
      break;
    }
    case 'remove':
      title = `Remove the ioID of ${short(device)}`;
      step = {
        id: 'remove',
        label: `Remove ${ioid} of ${short(device)}: its DID stops resolving; the ioID and the device NFT in its wallet stay yours (the device signs)`,
        landed: async (client) => !(await linked(client)),
        request: async (client) => {
          await checkOwner(client);
          await checkLinked(client);
          return signedCall({
            nonce: await nonceOf(client),
            owner: account, // IoTeX's remove: Permit(owner = msg.sender)
            action: 'remove',
            prepare: async () => undefined,
            build: ({ v, r, s }) => registryCall(encodeFunctionData({ abi: ioIDRegistryAbi, functionName: 'remove', args: [device, v, r, s] })),
          });
        },
      };
      break;
    case 'migrate': {
      const { to } = action;
      title = `Migrate the ioID of ${short(device)} to ${short(to)}`;
      step = {
        id: 'migrate',
        label: `Move ${ioid}, its wallet and device NFT to ${short(to)} (the device signs)`,
        landed: async (client) => isAddressEqual(await ioidOwner(client), to),
        request: async (client) => {
          await checkOwner(client);
          await checkLinked(client);
          return signedCall({
            nonce: await nonceOf(client),
            owner: to, // IoTeX's migrate: Permit(owner = the new owner)
            action: 'migrate',
            // A device that signed for the current owner instead is named as such.
            otherOwners: [account],
            prepare: async () => undefined,
            build: ({ v, r, s }) => registryCall(encodeFunctionData({ abi: ioIDRegistryAbi, functionName: 'migrate', args: [device, to, v, r, s] })),
          });
        },
      };
      break;
    }
    case 'transfer': {
      const { to } = action;
      title = `Transfer ${ioid} of ${short(device)} to ${short(to)}`;
      step = {
        id: 'transfer',
        label: `Transfer ${ioid}, with its wallet and device NFT, to ${short(to)}`,
        landed: async (client) => isAddressEqual(await ioidOwner(client), to),
        request: async (client) => {
          await checkOwner(client);
          return {
            to: contracts.ioID,
            data: encodeFunctionData({ abi: erc721Abi, functionName: 'safeTransferFrom', args: [account, to, ioidTokenId] }),
            abi: erc721Abi,
          };
        },
      };
      break;
    }
    case 'withdraw-nft': {
      const { to } = action;
      const nft = params.nft!;
      const nftTokenId = BigInt(nft.tokenId);
      const nftOwner = (client: PublicClient) => client.readContract({ address: nft.contract, abi: erc721Abi, functionName: 'ownerOf', args: [nftTokenId] });
      title = `Take the device NFT of ${short(device)} out of its ioID wallet`;
      step = {
        id: 'withdraw-nft',
        label: `Move device NFT #${nftTokenId} from the wallet of ${ioid} to ${short(to)}`,
        landed: async (client) => isAddressEqual(await nftOwner(client), to),
        request: async (client) => {
          await checkOwner(client);
          if (!isAddressEqual(await nftOwner(client), wallet)) throw new IoidNftNotInWalletError(device, wallet);
          // The wallet calls the NFT contract: transferFrom(wallet, to, id) as the holder itself.
          const transfer = encodeFunctionData({ abi: erc721Abi, functionName: 'transferFrom', args: [wallet, to, nftTokenId] });
          return {
            to: wallet,
            data: encodeFunctionData({ abi: erc6551AccountStandardAbi, functionName: 'execute', args: [nft.contract, 0n, transfer, 0] }),
            abi: erc6551AccountStandardAbi,
          };
        },
      };
      break;
    }
  }

  return { id: jobId(ctx, params), kind: IOID_MANAGE_JOB_KIND, title, account, chainId, params, steps: [step] };
}

/**
 * Builds the job for one action on a device's ioID, refusing at once what cannot succeed (each a
 * named `ioid.*` error): the wrong network; the device's hooks missing, or another device's, for an
 * action the device signs; a recipient that is the zero address, the account itself or the ioID's
 * own wallet; a device without an ioID; an account that does not own it (the owner is named); for
 * withdraw-nft, a wallet holding no device NFT. An action whose effect is already on the chain gives
 * a job whose step has landed (nothing is sent).
 */
export async function ioidManageJob(
  client: PublicClient,
  ctx: { account: Address; chainId: number; contracts: IoidContracts; fromBlock?: bigint },
  action: IoidManageAction,
  hooks: IoidDeviceHooks | null,
): Promise<JobSpec> {
  await assertIoidNetwork(client, ctx.chainId);
  const account = getAddress(ctx.account);
  action = normalize(action);
  const device = action.device;
  if (ioidManageNeedsDevice(action)) {
    if (!hooks) throw new IoidDeviceHooksMissingError(device);
    if (!isAddressEqual(hooks.signer.address, device)) throw new IoidSignerMismatchError(device, getAddress(hooks.signer.address));
  }
  if ('to' in action && isAddressEqual(action.to, zeroAddress)) throw new IoidBadRecipientError(action.to, 'zero-address');
  // Before the landed shortcut below: an ioID "moved" to the account that holds it has always landed.
  if ((action.kind === 'migrate' || action.kind === 'transfer') && isAddressEqual(action.to, account)) throw new IoidBadRecipientError(action.to, 'self');

  const status = await readDeviceIoid(client, ctx.contracts, device, ctx.fromBlock === undefined ? {} : { fromBlock: ctx.fromBlock });
  if (!status.registered) throw new IoidNotRegisteredError(device);
  let nft: IoidManageParams['nft'] = null;
  if (action.kind === 'withdraw-nft') {
    if (isAddressEqual(action.to, status.wallet)) throw new IoidBadRecipientError(action.to, 'self');
    if (!status.deviceNFT) throw new IoidNftNotInWalletError(device, status.wallet);
    nft = { contract: status.deviceNFT.contract, tokenId: status.deviceNFT.tokenId.toString() };
  }
  const params: IoidManageParams = { action, contracts: ctx.contracts, ioidTokenId: status.tokenId.toString(), wallet: status.wallet, nft, nonce: status.nonce.toString() };
  const spec = manageJob({ account, chainId: ctx.chainId }, params, hooks);
  // Already on the chain (a transfer to its present owner, the same document): nothing to refuse or send.
  if (await spec.steps[0]!.landed(client)) return spec;

  if (!isAddressEqual(status.owner, account)) throw new IoidNotOwnerError(device, status.tokenId, status.owner);
  // The ERC-6551 wallet owning its own ioID could never be controlled again.
  if ((action.kind === 'migrate' || action.kind === 'transfer') && isAddressEqual(action.to, status.wallet)) throw new IoidBadRecipientError(action.to, 'own-wallet');
  return spec;
}

function normalize(action: IoidManageAction): IoidManageAction {
  const device = getAddress(action.device);
  switch (action.kind) {
    case 'update':
      return { kind: 'update', device, documentHash: action.documentHash, documentURI: action.documentURI };
    case 'remove':
      return { kind: 'remove', device };
    default:
      return { kind: action.kind, device, to: getAddress(action.to) };
  }
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const DECIMAL = /^\d+$/;
const isAddress = (value: unknown): value is Address => typeof value === 'string' && ADDRESS.test(value);

/**
 * Rebuilds the spec from a stored record (kind IOID_MANAGE_JOB_KIND) after a reload. `hooks` may be
 * null even for an action the device signs: the step's `landed()` needs no device, and only a step
 * still to send asks for it (`ioid.device_hooks_missing`, which pauses the job).
 */
export function rebuildIoidManageJob(record: JobRecord, hooks: IoidDeviceHooks | null): JobSpec {
  try {
    if (record.kind !== IOID_MANAGE_JOB_KIND) throw new Error(`kind ${record.kind}`);
    const params = record.params as Partial<IoidManageParams> | null;
    const action = params?.action as Partial<Record<string, unknown>> | undefined;
    const contracts = params?.contracts;
    if (!params || !action || !contracts || ![action.device, contracts.ioIDRegistry, contracts.ioID, contracts.ioIDStore, params.wallet].every(isAddress)) throw new Error('missing addresses');
    if (typeof params.ioidTokenId !== 'string' || !DECIMAL.test(params.ioidTokenId)) throw new Error('bad ioID id');
    if (typeof params.nonce !== 'string' || !DECIMAL.test(params.nonce)) throw new Error('bad nonce');
    switch (action.kind) {
      case 'update':
        if (typeof action.documentHash !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(action.documentHash) || typeof action.documentURI !== 'string') throw new Error('bad document');
        break;
      case 'remove':
        break;
      case 'migrate':
      case 'transfer':
      case 'withdraw-nft':
        if (!isAddress(action.to)) throw new Error('bad recipient');
        break;
      default:
        throw new Error(`action ${String(action.kind)}`);
    }
    const nft = params.nft;
    if (action.kind === 'withdraw-nft' ? !nft || !isAddress(nft.contract) || typeof nft.tokenId !== 'string' || !DECIMAL.test(nft.tokenId) : nft !== null) throw new Error('bad device NFT');
    return manageJob({ account: record.account, chainId: record.chainId }, params as IoidManageParams, hooks);
  } catch (error) {
    throw new OutpostError('ioid.job_params_invalid', `The stored ioID job “${record.title}” cannot be read back.`, {
      hint: 'Cancel it and start again: what already happened on the chain is kept.',
      cause: error,
    });
  }
}
