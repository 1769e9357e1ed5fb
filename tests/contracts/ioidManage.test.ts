/**
 * Managing an ioID (src/core/ioid/manageJobs.ts) on the devnet contracts (Hardhat's EVM, deployed by
 * the devnet plan): a device is registered for one of the node's accounts through the real ioID flow
 * (tests/contracts/helpers/ioid.ts), then each action runs as a job through the real runner, a memory
 * store and a wallet that counts what it is asked to send. The device is a local key signing the
 * digests it is given (65 bytes, v 27/28), standing in for the device link.
 *
 * Expected values come from the chain (documentHash/URI, exists, ownerOf, the registry's nonces and
 * events) and from the test's own inputs; permits for the wrong nonce or owner are signed here with
 * EIP-712 typed data (helpers/device.ts), not with the code under test.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  concat,
  createPublicClient,
  custom,
  decodeFunctionData,
  erc721Abi,
  keccak256,
  parseEventLogs,
  toFunctionSignature,
  toHex,
  zeroAddress,
  type AbiFunction,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem';
import { erc6551AccountAbi, ioIDAbi, ioIDRegistryAbi } from '../../src/core/abis/index.js';
import { erc6551AccountStandardAbi } from '../../src/core/abis/ERC6551AccountStandard.js';
import {
  ioidManageJob,
  ioidManageNeedsDevice,
  rebuildIoidManageJob,
  type DecodedIoidPermit,
  type DevicePermitSigner,
  type IoidContracts,
  type IoidDeviceHooks,
  type IoidManageAction,
} from '../../src/core/ioid/index.js';
import { createMemoryJobStore, runJob, type JobCall, type JobRecord, type JobStore, type JobWallet } from '../../src/core/jobs/index.js';
import { NETWORKS, toViemChain } from '../../src/core/networks.js';
import { countingWallet } from './helpers/countingWallet.js';
import { newDevice, signPermit, type SimDevice } from './helpers/device.js';
import { deployFixture, type Fixture } from './helpers/fixture.js';
import { registerNewDevice } from './helpers/ioid.js';

let f: Fixture;
let snap: Hex;
let client: PublicClient;
let contracts: IoidContracts;

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

type Counting = JobWallet & { address: Address; sent: JobCall[] };

/** A device registered for the node's account #3, whose wallet counts what it sends. */
async function owned(): Promise<{ owner: Counting; device: SimDevice; ioID: bigint; nftId: bigint; wallet: Address }> {
  const ownerAddress = f.chain.accounts[3]!;
  const { device, ioID, tokenId } = await registerNewDevice(f, ownerAddress);
  const [wallet] = await f.chain.read<readonly [Address, string]>(f.c.ioID, ioIDAbi, 'wallet', [ioID]);
  return { owner: countingWallet(f.chain.provider, ownerAddress), device, ioID, nftId: tokenId, wallet };
}

/** The device's key signing the digest it is given (65 bytes, v 27/28), noting each digest. */
function deviceSigner(device: SimDevice): DevicePermitSigner & { asked: Hex[] } {
  const asked: Hex[] = [];
  return {
    address: device.address,
    asked,
    async signDigest(digest) {
      asked.push(digest);
      return device.account.sign({ hash: digest });
    },
  };
}

/** A device that answers with its signature of another Permit than the one asked (wrong owner or nonce). */
function signsPermit(device: SimDevice, owner: Address, nonce: bigint): DevicePermitSigner {
  return {
    address: device.address,
    async signDigest() {
      const { v, r, s } = await signPermit(device, f.c.ioIDRegistry, owner, nonce);
      return concat([r, s, toHex(v, { size: 1 })]);
    },
  };
}

const ctxFor = (account: Address) => ({ account, chainId: 31337, contracts });
const nonceOf = (device: SimDevice) => f.chain.read<bigint>(f.c.ioIDRegistry, ioIDRegistryAbi, 'nonces', [device.address]);
const ioidOwner = (id: bigint) => f.chain.read<Address>(f.c.ioID, ioIDAbi, 'ownerOf', [id]);

async function run(owner: Counting, action: IoidManageAction, hooks: IoidDeviceHooks | null, store: JobStore = createMemoryJobStore()) {
  const spec = await ioidManageJob(client, ctxFor(owner.address), action, hooks);
  return runJob(client, owner, store, spec, { pollingIntervalMs: 5 });
}

/** The receipt of the job's one sent step. */
async function receiptOf(record: JobRecord) {
  const status = record.steps[0]!.status;
  if (status.kind !== 'confirmed' || !status.hash) throw new Error(`step not confirmed with a hash: ${status.kind}`);
  return client.getTransactionReceipt({ hash: status.hash });
}

/** A rerun after landing: the same job from a fresh store, rebuilt from its record without the device, sends nothing. */
async function expectRerunSkipped(owner: Counting, record: JobRecord) {
  const sentBefore = owner.sent.length;
  const rebuilt = rebuildIoidManageJob(record, null);
  const again = await runJob(client, owner, createMemoryJobStore(), rebuilt, { pollingIntervalMs: 5 });
  expect(again.status).toBe('done');
  expect(again.steps.map((s) => s.status.kind)).toEqual(['skipped-already-landed']);
  expect(owner.sent.length).toBe(sentBefore);
}

/** Each sent call's function, decoded with IoTeX's registry ABI, ERC-721 or the ERC-6551 account's standard ABI. */
function decoded(sent: readonly JobCall[]): string[] {
  return sent.map((call) => {
    if (call.to === f.c.ioIDRegistry) return decodeFunctionData({ abi: ioIDRegistryAbi, data: call.data! }).functionName;
    if (call.to === f.c.ioID) return decodeFunctionData({ abi: erc721Abi, data: call.data! }).functionName;
    return decodeFunctionData({ abi: erc6551AccountStandardAbi, data: call.data! }).functionName;
  });
}

describe('managing an ioID', () => {
  it('updates the DID document with a freshly signed permit, shown first; a rerun sends nothing', async () => {
    const { owner, device } = await owned();
    const signer = deviceSigner(device);
    const shown: DecodedIoidPermit[] = [];
    const hash = keccak256(toHex('DID document v2'));
    const action: IoidManageAction = { kind: 'update', device: device.address, documentHash: hash, documentURI: 'ipfs://v2' };
    expect(ioidManageNeedsDevice(action)).toBe(true);
    const nonce = await nonceOf(device);

    const spec = await ioidManageJob(client, ctxFor(owner.address), action, { signer, showPermit: (p) => void shown.push(p) });
    expect(spec.title).toBe(`Update the DID document of ${device.address.slice(0, 6)}…${device.address.slice(-4)}`);
    const record = await runJob(client, owner, createMemoryJobStore(), spec, { pollingIntervalMs: 5 });

    expect(record.status).toBe('done');
    expect(decoded(owner.sent)).toEqual(['update']);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'documentHash', [device.address])).toBe(hash);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'documentURI', [device.address])).toBe('ipfs://v2');
    const [event] = parseEventLogs({ abi: ioIDRegistryAbi, logs: (await receiptOf(record)).logs, eventName: 'UpdateDevice' });
    expect(event?.args).toEqual({ device: device.address, owner: owner.address, hash, uri: 'ipfs://v2' });
    // The permit shown is the one the device signed: owner = the caller, the chain's nonce at that moment.
    expect(shown.map((p) => [p.owner, p.nonce, p.action])).toEqual([[owner.address, nonce, 'update']]);
    expect(signer.asked).toEqual([shown[0]!.digest]);
    expect(await nonceOf(device)).toBe(nonce + 1n);

    await expectRerunSkipped(owner, record);
    // Asking for the same document again: a job whose step has landed, nothing to sign or send.
    const same = await ioidManageJob(client, ctxFor(owner.address), action, { signer });
    expect(await same.steps[0]!.landed(client)).toBe(true);
    expect((await runJob(client, owner, createMemoryJobStore(), same, { pollingIntervalMs: 5 })).status).toBe('done');
    expect(owner.sent.length).toBe(1);
    expect(signer.asked.length).toBe(1);
  });

  it('removes the ioID: the device is unlinked, the ioID and the device NFT in its wallet stay with the owner', async () => {
    const { owner, device, ioID, nftId, wallet } = await owned();
    const record = await run(owner, { kind: 'remove', device: device.address }, { signer: deviceSigner(device) });
    expect(record.status).toBe('done');
    expect(decoded(owner.sent)).toEqual(['remove']);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'exists', [device.address])).toBe(false);
    const [event] = parseEventLogs({ abi: ioIDRegistryAbi, logs: (await receiptOf(record)).logs, eventName: 'RemoveDevice' });
    expect(event?.args).toEqual({ device: device.address, owner: owner.address });
    expect(await ioidOwner(ioID)).toBe(owner.address);
    expect(await f.chain.read(f.deviceNFT, erc721Abi, 'ownerOf', [nftId])).toBe(wallet);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'registeredNFT', [f.deviceNFT, nftId])).toBe(true);
    await expectRerunSkipped(owner, record);
    // Started again: the device has no ioID any more.
    await expect(ioidManageJob(client, ctxFor(owner.address), { kind: 'remove', device: device.address }, { signer: deviceSigner(device) })).rejects.toMatchObject({
      code: 'ioid.not_registered',
    });
  });

  it('migrates the ioID to another owner with the device’s permit for the new owner', async () => {
    const { owner, device, ioID, nftId, wallet } = await owned();
    const to = f.chain.accounts[6]!;
    const shown: DecodedIoidPermit[] = [];
    const record = await run(owner, { kind: 'migrate', device: device.address, to }, { signer: deviceSigner(device), showPermit: (p) => void shown.push(p) });
    expect(record.status).toBe('done');
    expect(decoded(owner.sent)).toEqual(['migrate']);
    expect(shown.map((p) => p.owner)).toEqual([to]);
    expect(await ioidOwner(ioID)).toBe(to);
    expect(await f.chain.read(f.deviceNFT, erc721Abi, 'ownerOf', [nftId])).toBe(wallet);
    const [event] = parseEventLogs({ abi: ioIDRegistryAbi, logs: (await receiptOf(record)).logs, eventName: 'Migrate' });
    expect(event?.args).toEqual({ device: device.address, user: to });
    await expectRerunSkipped(owner, record);
  });

  it('transfers the ioID NFT: its wallet and the device NFT follow, the device stays registered', async () => {
    const { owner, device, ioID, nftId, wallet } = await owned();
    const to = f.chain.accounts[6]!;
    const nonce = await nonceOf(device);
    const action: IoidManageAction = { kind: 'transfer', device: device.address, to };
    expect(ioidManageNeedsDevice(action)).toBe(false);
    const record = await run(owner, action, null);
    expect(record.status).toBe('done');
    expect(decoded(owner.sent)).toEqual(['safeTransferFrom']);
    expect(await ioidOwner(ioID)).toBe(to);
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'wallet', [ioID])).toEqual([wallet, `did:io:${device.address.toLowerCase()}`]);
    expect(await f.chain.read(wallet, erc6551AccountStandardAbi, 'owner')).toBe(to);
    expect(await f.chain.read(f.deviceNFT, erc721Abi, 'ownerOf', [nftId])).toBe(wallet);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'exists', [device.address])).toBe(true);
    expect(await nonceOf(device)).toBe(nonce);
    await expectRerunSkipped(owner, record);
    // The old owner asking again: the ioID is already there, nothing to send.
    const again = await ioidManageJob(client, ctxFor(owner.address), action, null);
    expect(await again.steps[0]!.landed(client)).toBe(true);
  });

  it('takes the device NFT out of the ioID wallet through the account’s execute', async () => {
    const { owner, device, nftId, wallet } = await owned();
    const record = await run(owner, { kind: 'withdraw-nft', device: device.address, to: owner.address }, null);
    expect(record.status).toBe('done');
    expect(owner.sent.map((call) => call.to)).toEqual([wallet]);
    const { functionName, args } = decodeFunctionData({ abi: erc6551AccountStandardAbi, data: owner.sent[0]!.data! });
    expect(functionName).toBe('execute');
    expect(args.slice(0, 2)).toEqual([f.deviceNFT, 0n]);
    expect(args[3]).toBe(0); // CALL
    expect(decodeFunctionData({ abi: erc721Abi, data: args[2] as Hex })).toMatchObject({ functionName: 'transferFrom', args: [wallet, owner.address, nftId] });
    expect(await f.chain.read(f.deviceNFT, erc721Abi, 'ownerOf', [nftId])).toBe(owner.address);
    await expectRerunSkipped(owner, record);
    // The wallet is empty now: a new withdrawal is refused by name.
    await expect(ioidManageJob(client, ctxFor(owner.address), { kind: 'withdraw-nft', device: device.address, to: owner.address }, null)).rejects.toMatchObject({
      code: 'ioid.nft_not_in_wallet',
    });
  });

  it('names a permit signed for the wrong nonce or owner before anything is sent', async () => {
    const { owner, device, ioID } = await owned();
    const nonce = await nonceOf(device);
    const hash = keccak256(toHex('DID document v3'));
    const stale = await run(owner, { kind: 'update', device: device.address, documentHash: hash, documentURI: '' }, { signer: signsPermit(device, owner.address, nonce - 1n) }).catch((e: unknown) => e);
    expect(stale).toMatchObject({ code: 'ioid.permit_stale' });

    // Migrate needs Permit(new owner); a device that signs for the current owner is named.
    const to = f.chain.accounts[6]!;
    const foreign = await run(owner, { kind: 'migrate', device: device.address, to }, { signer: signsPermit(device, owner.address, nonce) }).catch((e: unknown) => e);
    expect(foreign).toMatchObject({ code: 'ioid.permit_other_owner' });

    expect(owner.sent).toEqual([]);
    expect(await nonceOf(device)).toBe(nonce);
    expect(await ioidOwner(ioID)).toBe(owner.address);
  });

  it('refuses, each by name, what cannot succeed', async () => {
    const { owner, device, wallet } = await owned();
    const hooks = { signer: deviceSigner(device) };
    const refusal = (action: IoidManageAction, h: IoidDeviceHooks | null = hooks, account: Address = owner.address, chainId = 31337) =>
      ioidManageJob(client, { account, chainId, contracts }, action, h).then(
        () => null,
        (error: unknown) => error,
      );

    const unknown = newDevice();
    expect(await refusal({ kind: 'transfer', device: unknown.address, to: f.chain.accounts[6]! })).toMatchObject({ code: 'ioid.not_registered', device: unknown.address });
    const stranger = f.chain.accounts[7]!;
    expect(await refusal({ kind: 'remove', device: device.address }, hooks, stranger)).toMatchObject({ code: 'ioid.not_owner', owner: owner.address });
    expect(await refusal({ kind: 'transfer', device: device.address, to: f.chain.accounts[6]! }, null, stranger)).toMatchObject({ code: 'ioid.not_owner', owner: owner.address });
    for (const kind of ['migrate', 'transfer'] as const) {
      expect(await refusal({ kind, device: device.address, to: zeroAddress })).toMatchObject({ code: 'ioid.bad_recipient', reason: 'zero-address' });
      expect(await refusal({ kind, device: device.address, to: owner.address })).toMatchObject({ code: 'ioid.bad_recipient', reason: 'self' });
      expect(await refusal({ kind, device: device.address, to: wallet })).toMatchObject({ code: 'ioid.bad_recipient', reason: 'own-wallet' });
    }
    expect(await refusal({ kind: 'withdraw-nft', device: device.address, to: zeroAddress }, null)).toMatchObject({ code: 'ioid.bad_recipient', reason: 'zero-address' });
    expect(await refusal({ kind: 'withdraw-nft', device: device.address, to: wallet }, null)).toMatchObject({ code: 'ioid.bad_recipient', reason: 'self' });
    for (const action of [
      { kind: 'update', device: device.address, documentHash: keccak256(toHex('x')), documentURI: '' },
      { kind: 'remove', device: device.address },
      { kind: 'migrate', device: device.address, to: f.chain.accounts[6]! },
    ] as const) {
      expect(await refusal(action, null)).toMatchObject({ code: 'ioid.device_hooks_missing' });
      expect(await refusal(action, { signer: deviceSigner(unknown) })).toMatchObject({ code: 'ioid.signer_not_device', signer: unknown.address });
    }
    // A job for IoTeX mainnet while the client is on the devnet.
    expect(await refusal({ kind: 'remove', device: device.address }, hooks, owner.address, 4689)).toMatchObject({ code: 'ioid.wrong_network' });
    expect(owner.sent).toEqual([]);
  });

  it('a job rebuilt without the device pauses, named, only when the device must sign', async () => {
    const { owner, device } = await owned();
    const store = createMemoryJobStore();
    const spec = await ioidManageJob(client, ctxFor(owner.address), { kind: 'remove', device: device.address }, { signer: deviceSigner(device) });
    const rebuilt = rebuildIoidManageJob({ ...spec, status: 'paused', steps: [], error: null, batch: null, createdAt: 0, updatedAt: 0 }, null);
    expect(rebuilt.id).toBe(spec.id);
    await expect(runJob(client, owner, store, rebuilt, { pollingIntervalMs: 5 })).rejects.toMatchObject({ code: 'ioid.device_hooks_missing' });
    expect(owner.sent).toEqual([]);
    const paused = (await store.get(spec.id))!;
    expect(paused.status).toBe('paused');
    const done = await runJob(client, owner, store, rebuildIoidManageJob(paused, { signer: deviceSigner(device) }), { pollingIntervalMs: 5 });
    expect(done.status).toBe('done');
    expect(decoded(owner.sent)).toEqual(['remove']);
  });

  it('the ERC-6551 account ABI the app calls is part of the devnet account’s compiled ABI', () => {
    const ours = new Set(erc6551AccountAbi.filter((item) => item.type === 'function').map((item) => toFunctionSignature(item as AbiFunction)));
    for (const item of erc6551AccountStandardAbi) expect(ours).toContain(toFunctionSignature(item as AbiFunction));
  });
});
