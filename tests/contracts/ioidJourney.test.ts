/**
 * The ioID mint journey (src/core/ioid) as one transaction job on the devnet contracts (Hardhat's
 * EVM, deployed by the devnet plan): a fresh account holding only IOTX, with a viem wallet client
 * over its own local key (`jobWalletFromClient`), runs the job through the real runner and a
 * memory store. The device is a local key signing the digests it is given, as the device link
 * does: r‖s‖yParity (Outpost protocol) or r‖s alone (ioConnect mode). The only thing not real is
 * the link itself (the phone radio), stood in for by the signer function.
 *
 * Expected figures come from the chain (ownerOf, wallet, deviceTokenId, Transfer logs, the
 * registry's nonces) and from counting what the wallet was asked to send. Every sent call is
 * decoded with IoTeX's ioID ABI part, the ERC-721 standard ABI, or (the devnet-only demo mint)
 * the demo DeviceNFT's ABI; anything else fails the decode.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  bytesToHex,
  concat,
  createPublicClient,
  custom,
  decodeFunctionData,
  erc721Abi,
  hexToBytes,
  parseEther,
  parseEventLogs,
  toHex,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { deviceNFTAbi, ioIDAbi, ioIDRegistryAbi, ioIDStoreAbi, projectAbi, projectRegistryAbi } from '../../src/core/abis/index.js';
import {
  IoidAlreadyRegisteredError,
  ioidMintJob,
  ioidPermitDigest,
  ioidPromptCount,
  readDeviceIoid,
  readIoidProject,
  readIoidPromptCount,
  readRegistryApproval,
  rebuildIoidJob,
  type DecodedIoidPermit,
  type DevicePermitSigner,
  type IoidContracts,
  type IoidDeviceHooks,
  type IoidJobContext,
} from '../../src/core/ioid/index.js';
import { createMemoryJobStore, JobCancelledError, runJob, type JobCall, type JobStore, type JobWallet } from '../../src/core/jobs/index.js';
import { NETWORKS, toViemChain } from '../../src/core/networks.js';
import { seededHex } from '../support/seed.js';
import { Crash, crashingView } from '../support/jobCrash.js';
import { expectRevert } from './helpers/chain.js';
import { countingWallet } from './helpers/countingWallet.js';
import { deployFixture, type Fixture } from './helpers/fixture.js';
import { newDevice, signPermit, type SimDevice } from './helpers/device.js';
import { registerNewDevice } from './helpers/ioid.js';

let f: Fixture;
let snap: Hex;
let client: PublicClient;
let contracts: IoidContracts;
let owners = 0;

beforeAll(async () => {
  f = await deployFixture();
  client = createPublicClient({ chain: toViemChain(NETWORKS.devnet), transport: custom(f.chain.provider, { retryCount: 0 }), pollingInterval: 5 }) as PublicClient;
  contracts = { ioIDRegistry: f.c.ioIDRegistry, ioID: f.c.ioID, ioIDStore: f.c.ioIDStore };
  snap = await f.chain.snapshot();
});
beforeEach(async () => {
  await f.chain.revert(snap);
  snap = await f.chain.snapshot();
});

/** A fresh account (its own key, like a new embedded wallet) holding only 10 IOTX; its wallet counts what it sends. */
async function freshOwner(): Promise<JobWallet & { address: Address; sent: JobCall[] }> {
  const account = privateKeyToAccount(seededHex(`ioid journey owner #${owners++}`));
  await f.chain.provider.request({ method: 'hardhat_setBalance', params: [account.address, toHex(parseEther('10'))] } as never);
  return countingWallet(f.chain.provider, account);
}

type Mode = 'protocol' | 'ioconnect';
/** The device's key signing the digest it is given: 65 bytes r‖s‖yParity, or 64 bytes r‖s in ioConnect mode. */
function deviceSigner(device: SimDevice, mode: Mode = 'protocol'): DevicePermitSigner & { asked: Hex[] } {
  const asked: Hex[] = [];
  return {
    address: device.address,
    asked,
    async signDigest(digest) {
      asked.push(digest);
      const recovered = secp256k1.sign(hexToBytes(digest), hexToBytes(device.key), { prehash: false, format: 'recovered' });
      const rs = bytesToHex(recovered.subarray(1));
      return mode === 'ioconnect' ? rs : concat([rs, toHex(recovered[0]!, { size: 1 })]);
    },
  };
}

/** A "device" that signs the Permit for another owner or nonce than asked (a stale or foreign permit). */
function signsOtherPermit(device: SimDevice, permit: { owner?: Address; nonce?: bigint }, owner: Address): DevicePermitSigner {
  const honest = deviceSigner(device);
  return {
    address: device.address,
    signDigest: () =>
      honest.signDigest(ioidPermitDigest({ chainId: 31337, registry: f.c.ioIDRegistry, device: device.address, owner: permit.owner ?? owner, nonce: permit.nonce ?? 0n })),
  };
}

const ctxFor = (account: Address): IoidJobContext => ({ account, chainId: 31337, contracts, demoDeviceNFT: f.deviceNFT });

/** Each sent call's function, decoded with IoTeX's ioID ABI part, ERC-721, or the devnet demo NFT's mint. */
function decoded(sent: readonly JobCall[], nft: Address = f.deviceNFT): string[] {
  return sent.map((call) => {
    if (call.to === f.c.ioIDRegistry) return decodeFunctionData({ abi: ioIDRegistryAbi, data: call.data! }).functionName;
    expect(call.to).toBe(nft);
    try {
      return decodeFunctionData({ abi: erc721Abi, data: call.data! }).functionName;
    } catch {
      const { functionName } = decodeFunctionData({ abi: deviceNFTAbi, data: call.data! });
      expect(functionName).toBe('mintOpen'); // the one devnet-only call
      return functionName;
    }
  });
}

async function run(wallet: JobWallet, hooks: IoidDeviceHooks, input: { device: Address; tokenId?: bigint }, store: JobStore = createMemoryJobStore()) {
  const spec = await ioidMintJob(client, ctxFor(wallet.address), { deviceNFT: f.deviceNFT, ...input }, hooks);
  return runJob(client, wallet, store, spec, { pollingIntervalMs: 5 });
}

/** What the chain says about the device's ioID, read directly (not through src/core/ioid). */
async function chainIoid(device: Address) {
  const tokenId = await f.chain.read<bigint>(f.c.ioIDRegistry, ioIDRegistryAbi, 'deviceTokenId', [device]);
  const owner = await f.chain.read<Address>(f.c.ioID, ioIDAbi, 'ownerOf', [tokenId]);
  const [wallet, did] = await f.chain.read<readonly [Address, string]>(f.c.ioID, ioIDAbi, 'wallet', [tokenId]);
  return { tokenId, owner, wallet, did };
}

/** The demo NFT ids minted to `to` (Transfer from zero), read from the logs. */
async function mintedTo(to: Address): Promise<bigint[]> {
  const logs = await client.getContractEvents({ address: f.deviceNFT, abi: erc721Abi, eventName: 'Transfer', args: { from: '0x0000000000000000000000000000000000000000', to }, fromBlock: 0n });
  return logs.map((log) => log.args.tokenId!);
}

describe('the ioID mint journey', () => {
  it('takes a fresh account with only IOTX from nothing to an ioID: demo NFT, approval, register (65-byte signature)', async () => {
    const owner = await freshOwner();
    const device = newDevice();
    const signer = deviceSigner(device);
    const shown: DecodedIoidPermit[] = [];
    const quotaBefore = (await f.chain.read<bigint>(f.c.ioIDStore, ioIDStoreAbi, 'projectAppliedAmount', [f.projectId])) - (await f.chain.read<bigint>(f.c.ioIDStore, ioIDStoreAbi, 'projectActivedAmount', [f.projectId]));

    const spec = await ioidMintJob(client, ctxFor(owner.address), { device: device.address, deviceNFT: f.deviceNFT }, { signer, showPermit: (p) => void shown.push(p) });
    expect(spec.steps.map((s) => s.id)).toEqual(['mint-nft', 'approve', 'register']);
    expect(await readIoidPromptCount(client, spec)).toBe(3);
    expect(ioidPromptCount({ mintsDemoNft: true, approved: false, registered: false })).toBe(3);
    const record = await runJob(client, owner, createMemoryJobStore(), spec, { pollingIntervalMs: 5 });

    expect(record.status).toBe('done');
    expect(decoded(owner.sent)).toEqual(['mintOpen', 'setApprovalForAll', 'register']);
    const [nftId] = await mintedTo(owner.address);
    const onChain = await chainIoid(device.address);
    expect(onChain.owner).toBe(owner.address);
    // The ERC-6551 account holds the device NFT.
    expect(await f.chain.read<Address>(f.deviceNFT, erc721Abi, 'ownerOf', [nftId!])).toBe(onChain.wallet);
    // The permit shown before the device was asked is the one it signed, with the chain's nonce (0).
    expect(shown.map((p) => [p.owner, p.nonce, p.device])).toEqual([[owner.address, 0n, device.address]]);
    expect(signer.asked).toEqual([shown[0]!.digest]);
    expect(await f.chain.read<bigint>(f.c.ioIDRegistry, ioIDRegistryAbi, 'nonces', [device.address])).toBe(1n);

    const status = await readDeviceIoid(client, contracts, device.address);
    expect(onChain.did).toBe(`did:io:${device.address.toLowerCase()}`);
    expect(status).toEqual({
      device: device.address,
      registered: true,
      nonce: 1n,
      tokenId: onChain.tokenId,
      owner: owner.address,
      wallet: onChain.wallet,
      did: onChain.did,
      projectId: f.projectId,
      deviceNFT: { contract: f.deviceNFT, tokenId: nftId },
    });
    const project = await readIoidProject(client, contracts, f.deviceNFT);
    expect(project).toMatchObject({ projectId: f.projectId, kind: 'hardware', prepaidLeft: quotaBefore - 1n });
    expect(project.price).toBe(await f.chain.read<bigint>(f.c.ioIDStore, ioIDStoreAbi, 'price'));
    // Hardware project: the register went within the prepaid quota, no value.
    expect(owner.sent.at(-1)!.value ?? 0n).toBe(0n);

    // A second device of the same NFT contract, its NFT already held (minted by the project's
    // minter, as a factory would): one wallet send. In ioConnect mode (r‖s only).
    const second = newDevice();
    await f.chain.write(f.deviceNFT, deviceNFTAbi, 'mint', [owner.address], { from: f.operator });
    const secondNft = (await mintedTo(owner.address)).at(-1)!;
    const sentBefore = owner.sent.length;
    const secondSpec = await ioidMintJob(client, ctxFor(owner.address), { device: second.address, deviceNFT: f.deviceNFT }, { signer: deviceSigner(second, 'ioconnect') });
    expect(await readIoidPromptCount(client, secondSpec)).toBe(1);
    expect((await runJob(client, owner, createMemoryJobStore(), secondSpec, { pollingIntervalMs: 5 })).status).toBe('done');
    expect(decoded(owner.sent.slice(sentBefore))).toEqual(['register']);
    const secondOnChain = await chainIoid(second.address);
    expect(secondOnChain.owner).toBe(owner.address);
    expect(await f.chain.read<Address>(f.deviceNFT, erc721Abi, 'ownerOf', [secondNft])).toBe(secondOnChain.wallet);

    // A third device with no NFT held on the devnet: the demo mint and the register (approval stays).
    const third = newDevice();
    const thirdSpec = await ioidMintJob(client, ctxFor(owner.address), { device: third.address, deviceNFT: f.deviceNFT }, { signer: deviceSigner(third, 'ioconnect') });
    expect(await readIoidPromptCount(client, thirdSpec)).toBe(2);
    expect(ioidPromptCount({ mintsDemoNft: true, approved: true, registered: false })).toBe(2);
  });

  it('stops after the approval landed and resumes without a second approval', async () => {
    const owner = await freshOwner();
    const device = newDevice();
    const store = createMemoryJobStore();
    const dying = crashingView(store, (record) => record.steps.find((s) => s.id === 'approve')?.status.kind === 'confirmed');
    await expect(run(owner, { signer: deviceSigner(device) }, { device: device.address }, dying)).rejects.toBeInstanceOf(Crash);
    expect(await readRegistryApproval(client, contracts, f.deviceNFT, owner.address)).toBe(true);
    expect((await readDeviceIoid(client, contracts, device.address)).registered).toBe(false);

    // The next page load: the spec rebuilt from the stored record alone, plus the device's hooks.
    const stored = (await store.list({ account: owner.address, chainId: 31337 }))[0]!;
    const rebuilt = rebuildIoidJob(stored, { signer: deviceSigner(device) });
    expect(await readIoidPromptCount(client, rebuilt)).toBe(1);
    const record = await runJob(client, owner, store, rebuilt, { pollingIntervalMs: 5 });
    expect(record.status).toBe('done');
    expect(decoded(owner.sent)).toEqual(['mintOpen', 'setApprovalForAll', 'register']);
    expect((await chainIoid(device.address)).owner).toBe(owner.address);
  });

  it('pauses at register when the link drops while the device signs, and a resume asks the device again', async () => {
    const owner = await freshOwner();
    const device = newDevice();
    const store = createMemoryJobStore();
    const dropped: DevicePermitSigner = {
      address: device.address,
      signDigest: () => Promise.reject(new Error('GATT server disconnected')),
    };
    const failed = await run(owner, { signer: dropped }, { device: device.address }, store).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failed).toMatchObject({ code: 'ioid.device_unreachable' });
    const paused = (await store.list({ account: owner.address, chainId: 31337 }))[0]!;
    expect(paused.status).toBe('paused');
    expect(paused.error?.code).toBe('ioid.device_unreachable');
    expect(paused.steps.map((s) => [s.id, s.status.kind])).toEqual([
      ['mint-nft', 'confirmed'],
      ['approve', 'confirmed'],
      ['register', 'waiting'],
    ]);

    const signer = deviceSigner(device);
    const record = await runJob(client, owner, store, rebuildIoidJob(paused, { signer }), { pollingIntervalMs: 5 });
    expect(record.status).toBe('done');
    expect(signer.asked).toHaveLength(1);
    expect(decoded(owner.sent)).toEqual(['mintOpen', 'setApprovalForAll', 'register']);
    expect((await chainIoid(device.address)).owner).toBe(owner.address);
  });

  it('leaves an abort while the device signs to the runner: cancelled, not “device unreachable”', async () => {
    const owner = await freshOwner();
    const device = newDevice();
    const controller = new AbortController();
    const signer: DevicePermitSigner = {
      address: device.address,
      signDigest: (_digest, signal) => {
        controller.abort(new JobCancelledError('Mint the ioID'));
        return Promise.reject(signal?.reason);
      },
    };
    const spec = await ioidMintJob(client, ctxFor(owner.address), { device: device.address, deviceNFT: f.deviceNFT }, { signer, signal: controller.signal });
    const record = await runJob(client, owner, createMemoryJobStore(), spec, { pollingIntervalMs: 5, signal: controller.signal });
    expect(record.status).toBe('cancelled');
    expect(record.error?.code).toBe('job.cancelled');
    expect(decoded(owner.sent)).toEqual(['mintOpen', 'setApprovalForAll']);
  });

  it('refuses a device that already has an ioID, with its id and owner; its own owner gets a job with nothing to send', async () => {
    const first = f.chain.accounts[4]!;
    const { device, ioID } = await registerNewDevice(f, first);
    const owner = await freshOwner();
    const refusal = await ioidMintJob(client, ctxFor(owner.address), { device: device.address, deviceNFT: f.deviceNFT }, { signer: deviceSigner(device) }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(IoidAlreadyRegisteredError);
    expect(refusal).toMatchObject({ code: 'ioid.already_registered', ioidTokenId: ioID, owner: first });
    expect(owner.sent).toEqual([]);

    const mine = await ioidMintJob(client, ctxFor(first), { device: device.address, deviceNFT: f.deviceNFT }, { signer: deviceSigner(device) });
    expect(await readIoidPromptCount(client, mine)).toBe(0);
  });

  it('refuses a permit signed for another owner, and a stale one, before the register is sent', async () => {
    const owner = await freshOwner();
    const other = f.chain.accounts[5]!;
    const device = newDevice();
    const store = createMemoryJobStore();
    const foreign = await run(owner, { signer: signsOtherPermit(device, { owner: other }, owner.address), otherOwners: [other] }, { device: device.address }, store).catch((e: unknown) => e);
    expect(foreign).toMatchObject({ code: 'ioid.permit_other_owner' });
    expect(decoded(owner.sent)).toEqual(['mintOpen', 'setApprovalForAll']);
    expect(await f.chain.read<bigint>(f.c.ioIDRegistry, ioIDRegistryAbi, 'nonces', [device.address])).toBe(0n);

    // A device whose nonce moved on (registered, then removed: nonce 2) signing nonce 1 again.
    const reused = await registerNewDevice(f, other);
    const removal = await signPermit(reused.device, f.c.ioIDRegistry, other, 1n);
    await f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'remove', [reused.device.address, removal.v, removal.r, removal.s], { from: other });
    expect(await f.chain.read<bigint>(f.c.ioIDRegistry, ioIDRegistryAbi, 'nonces', [reused.device.address])).toBe(2n);
    const sentBefore = owner.sent.length;
    const stale = await run(owner, { signer: signsOtherPermit(reused.device, { nonce: 1n }, owner.address) }, { device: reused.device.address }).catch((e: unknown) => e);
    expect(stale).toMatchObject({ code: 'ioid.permit_stale' });
    // Nothing went out for it: the unused NFT and the approval of the first attempt are reused, and no register.
    expect(owner.sent.length).toBe(sentBefore);
    expect(await f.chain.read<bigint>(f.c.ioIDRegistry, ioIDRegistryAbi, 'nonces', [reused.device.address])).toBe(2n);
  });

  it('names a missing device NFT on a network without the demo mint', async () => {
    const owner = await freshOwner();
    const device = newDevice();
    const spec = await ioidMintJob(client, { ...ctxFor(owner.address), demoDeviceNFT: null }, { device: device.address, deviceNFT: f.deviceNFT }, { signer: deviceSigner(device) });
    expect(spec.steps.map((s) => s.id)).toEqual(['approve', 'register']);
    const refusal = await runJob(client, owner, createMemoryJobStore(), spec, { pollingIntervalMs: 5 }).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'ioid.no_device_nft' });
    expect(decoded(owner.sent)).toEqual(['setApprovalForAll']);
  });

  it('the demo NFT mints to anyone only while open minting is on', async () => {
    const receipt = await f.chain.write(f.deviceNFT, deviceNFTAbi, 'mintOpen', [], { from: f.chain.accounts[6]! });
    const [minted] = parseEventLogs({ abi: deviceNFTAbi, logs: receipt.logs, eventName: 'Transfer' });
    expect(minted!.args.to).toBe(f.chain.accounts[6]);
    expect(await f.chain.read<boolean>(f.deviceNFT, deviceNFTAbi, 'openMint')).toBe(true);
    await f.chain.write(f.deviceNFT, deviceNFTAbi, 'setOpenMint', [false]);
    await expectRevert(f.chain.write(f.deviceNFT, deviceNFTAbi, 'mintOpen', [], { from: f.chain.accounts[6]! }), 'OpenMintClosed');
    // Only the admin may open it.
    await expectRevert(f.chain.write(f.deviceNFT, deviceNFTAbi, 'setOpenMint', [true], { from: f.chain.accounts[6]! }), 'AccessControlUnauthorizedAccount');
  });

  /** A second project of `type` (0 hardware, 1 virtual) owned by account 8, with its own device NFT holding one token for `holder`. */
  async function projectWithNft(type: number, holder: Address): Promise<{ nft: Address; tokenId: bigint; projectId: bigint }> {
    const projectOwner = f.chain.accounts[8]!;
    await f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', [`journey-${type}`, type], { from: projectOwner });
    const projectId = await f.chain.read<bigint>(f.c.project, projectAbi, 'count');
    const nft = await f.chain.deploy('contracts/ioid/DeviceNFT.sol:DeviceNFT', ['Journey Device', 'JDEV', projectOwner]);
    await f.chain.write(f.c.ioIDStore, ioIDStoreAbi, 'setDeviceContract', [projectId, nft], { from: projectOwner });
    await f.chain.write(nft, deviceNFTAbi, 'mint', [holder], { from: projectOwner });
    return { nft, tokenId: 1n, projectId };
  }

  it('pays price() for a virtual project, and names too little IOTX for it before anything is sent', async () => {
    const owner = await freshOwner();
    const { nft, tokenId, projectId } = await projectWithNft(1, owner.address);
    const device = newDevice();
    const hooks = { signer: deviceSigner(device) };
    const price = await f.chain.read<bigint>(f.c.ioIDStore, ioIDStoreAbi, 'price');
    expect(await readIoidProject(client, contracts, nft)).toMatchObject({ projectId, kind: 'virtual', price });

    // The price above the account's IOTX: refused at register, after the approval, before the device is asked.
    await f.chain.write(f.c.ioIDStore, ioIDStoreAbi, 'changePrice', [parseEther('50')]);
    const spec = await ioidMintJob(client, ctxFor(owner.address), { device: device.address, deviceNFT: nft }, hooks);
    expect(spec.steps.map((s) => s.id)).toEqual(['approve', 'register']); // not the demo NFT: no mint step
    const store = createMemoryJobStore();
    await expect(runJob(client, owner, store, spec, { pollingIntervalMs: 5 })).rejects.toMatchObject({ code: 'ioid.insufficient_funds' });
    expect(hooks.signer.asked).toEqual([]);
    expect(decoded(owner.sent, nft)).toEqual(['setApprovalForAll']);

    await f.chain.write(f.c.ioIDStore, ioIDStoreAbi, 'changePrice', [price]);
    const stored = (await store.list({ account: owner.address, chainId: 31337 }))[0]!;
    expect((await runJob(client, owner, store, rebuildIoidJob(stored, hooks), { pollingIntervalMs: 5 })).status).toBe('done');
    expect(decoded(owner.sent, nft)).toEqual(['setApprovalForAll', 'register']);
    expect(owner.sent.at(-1)!.value).toBe(price);
    const onChain = await chainIoid(device.address);
    expect(onChain.owner).toBe(owner.address);
    expect(await f.chain.read<Address>(nft, erc721Abi, 'ownerOf', [tokenId])).toBe(onChain.wallet);
  });

  it('names a hardware project without prepaid ioIDs, and a wallet on another network', async () => {
    const owner = await freshOwner();
    const { nft } = await projectWithNft(0, owner.address);
    const device = newDevice();
    const spec = await ioidMintJob(client, ctxFor(owner.address), { device: device.address, deviceNFT: nft }, { signer: deviceSigner(device) });
    await expect(runJob(client, owner, createMemoryJobStore(), spec, { pollingIntervalMs: 5 })).rejects.toMatchObject({ code: 'ioid.quota_exhausted' });
    expect(decoded(owner.sent, nft)).toEqual(['setApprovalForAll']);

    // A job for IoTeX mainnet while the client is on the devnet.
    const refusal = await ioidMintJob(client, { ...ctxFor(owner.address), chainId: 4689 }, { device: device.address, deviceNFT: nft }, { signer: deviceSigner(device) }).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'ioid.wrong_network' });
  });
});
