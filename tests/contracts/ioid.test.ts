import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashDomain, keccak256, parseEther, parseEventLogs, toHex, zeroAddress, type Address, type Hex } from 'viem';
import {
  deviceNFTAbi,
  erc6551AccountAbi,
  erc6551RegistryAbi,
  ioIDDevnetAbi,
  ioIDRegistryDevnetAbi,
  ioIDStoreDevnetAbi,
  projectDevnetAbi,
  projectRegistryDevnetAbi,
} from '../../src/core/abis/index.js';
import { expectRevert } from './helpers/chain.js';
import { newDevice, signPermit, type SimDevice } from './helpers/device.js';
import { deployFixture, type Fixture } from './helpers/fixture.js';

let f: Fixture;
let snap: Hex;
let owner: Address;
let other: Address;
const HASH = keccak256(toHex('did document'));
const URI = 'ipfs://did-document';

beforeAll(async () => {
  f = await deployFixture();
  owner = f.chain.accounts[2]!;
  other = f.chain.accounts[3]!;
  snap = await f.chain.snapshot();
});
beforeEach(async () => {
  await f.chain.revert(snap);
  snap = await f.chain.snapshot();
});

/** Mints a device NFT to `to` and approves the registry; returns its token id. */
async function mintDeviceNFT(to: Address, approve = true): Promise<bigint> {
  await f.chain.write(f.deviceNFT, deviceNFTAbi, 'mint', [to]);
  const tokenId = await f.chain.read<bigint>(f.deviceNFT, deviceNFTAbi, 'count');
  if (approve) await f.chain.write(f.deviceNFT, deviceNFTAbi, 'approve', [f.c.ioIDRegistry, tokenId], { from: to });
  return tokenId;
}

async function register(device: SimDevice, tokenId: bigint, from: Address, value = 0n) {
  const nonce = await f.chain.read<bigint>(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'nonces', [device.address]);
  const { v, r, s } = await signPermit(device, f.c.ioIDRegistry, from, nonce);
  return f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'register', [f.deviceNFT, tokenId, device.address, HASH, URI, v, r, s], { from, value });
}

describe('ioIDRegistry: device registration with a key-holding device', () => {
  it('exposes the EIP-712 domain ("ioIDRegistry", "1") and the Permit type hash', async () => {
    const expected = hashDomain({
      domain: { name: 'ioIDRegistry', version: '1', chainId: 31337n, verifyingContract: f.c.ioIDRegistry },
      types: { EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'version', type: 'string' }, { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' }] },
    });
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'DOMAIN_SEPARATOR')).toBe(expected);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'PERMIT_TYPEHASH')).toBe(keccak256(toHex('Permit(address owner,uint256 nonce)')));
  });

  it('registers: ioID minted, device NFT in the ERC-6551 wallet, did:io document', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner);
    const receipt = await register(device, tokenId, owner);

    const did = `did:io:0x${device.address.slice(2).toLowerCase()}`;
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'documentID', [device.address])).toBe(did);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'exists', [device.address])).toBe(true);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'documentHash', [device.address])).toBe(HASH);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'documentURI', [device.address])).toBe(URI);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'nonces', [device.address])).toBe(1n);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'registeredNFT', [f.deviceNFT, tokenId])).toBe(true);
    const id = await f.chain.read<bigint>(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'deviceTokenId', [device.address]);
    expect(id).toBe(1n);

    expect(await f.chain.read(f.c.ioID, ioIDDevnetAbi, 'ownerOf', [id])).toBe(owner);
    const [wallet, walletDid] = await f.chain.read<[Address, string]>(f.c.ioID, ioIDDevnetAbi, 'wallet', [id]);
    expect(walletDid).toBe(did);
    expect(await f.chain.read(f.c.ioID, ioIDDevnetAbi, 'wallet', [did])).toBe(wallet);
    expect(await f.chain.read(f.c.ioID, ioIDDevnetAbi, 'did', [device.address])).toBe(did);
    expect(await f.chain.read(f.c.ioID, ioIDDevnetAbi, 'deviceProject', [device.address])).toBe(f.projectId);
    expect(await f.chain.read(f.c.ioID, ioIDDevnetAbi, 'projectDeviceCount', [f.projectId])).toBe(1n);
    expect(await f.chain.read(f.c.ioID, ioIDDevnetAbi, 'tokenOfOwnerByIndex', [owner, 0n])).toBe(id);

    // The wallet is the ERC-6551 account the registry computes, and holds the device NFT.
    const predicted = await f.chain.read(f.c.erc6551Registry, erc6551RegistryAbi, 'account', [f.accountImplementation, `0x${'00'.repeat(32)}`, 31337n, f.c.ioID, id]);
    expect(wallet).toBe(predicted);
    expect(await f.chain.read(f.deviceNFT, deviceNFTAbi, 'ownerOf', [tokenId])).toBe(wallet);
    expect(await f.chain.read(wallet, erc6551AccountAbi, 'owner')).toBe(owner);
    expect(await f.chain.read(wallet, erc6551AccountAbi, 'token')).toEqual([31337n, f.c.ioID, id]);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreDevnetAbi, 'projectActivedAmount', [f.projectId])).toBe(1n);

    const events = parseEventLogs({ abi: [...ioIDRegistryDevnetAbi, ...ioIDDevnetAbi], logs: receipt.logs });
    const newDevice_ = events.find((e) => e.eventName === 'NewDevice');
    expect(newDevice_?.args).toEqual({ device: device.address, owner, hash: HASH, uri: URI });
    const created = events.find((e) => e.eventName === 'CreateIoID');
    expect(created?.args).toEqual({ owner, id, wallet, did });
  });

  it('the ioID owner controls the wallet: executes a call that takes the device NFT out; others cannot', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner);
    await register(device, tokenId, owner);
    const [wallet] = await f.chain.read<[Address, string]>(f.c.ioID, ioIDDevnetAbi, 'wallet', [1n]);
    const { encodeFunctionData } = await import('viem');
    const data = encodeFunctionData({ abi: deviceNFTAbi, functionName: 'transferFrom', args: [wallet, owner, tokenId] });
    await expectRevert(f.chain.write(wallet, erc6551AccountAbi, 'execute', [f.deviceNFT, 0n, data, 0], { from: other }), 'NotTokenOwner', [other]);
    await expectRevert(f.chain.write(wallet, erc6551AccountAbi, 'execute', [f.deviceNFT, 0n, data, 1], { from: owner }), 'UnsupportedOperation', [1]);
    await f.chain.write(wallet, erc6551AccountAbi, 'execute', [f.deviceNFT, 0n, data, 0], { from: owner });
    expect(await f.chain.read(f.deviceNFT, deviceNFTAbi, 'ownerOf', [tokenId])).toBe(owner);
    expect(await f.chain.read(wallet, erc6551AccountAbi, 'state')).toBe(1n);
  });

  it('the second overload registers for a user who approved the registry, sent by someone else', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner);
    const { v, r, s } = await signPermit(device, f.c.ioIDRegistry, owner, 0n);
    await f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'register', [f.deviceNFT, tokenId, owner, device.address, HASH, URI, v, r, s], { from: other });
    expect(await f.chain.read(f.c.ioID, ioIDDevnetAbi, 'ownerOf', [1n])).toBe(owner);
  });

  it('rejects a signature made for another owner ("invalid signature")', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(other);
    const { v, r, s } = await signPermit(device, f.c.ioIDRegistry, owner, 0n); // device consented to `owner`
    await expectRevert(
      f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'register', [f.deviceNFT, tokenId, device.address, HASH, URI, v, r, s], { from: other }),
      'Error',
      ['invalid signature'],
    );
  });

  it('rejects a replayed signature (update replay, and a register signature after removal)', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner);
    const first = await signPermit(device, f.c.ioIDRegistry, owner, 0n);
    await f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'register', [f.deviceNFT, tokenId, device.address, HASH, URI, first.v, first.r, first.s], { from: owner });

    const upd = await signPermit(device, f.c.ioIDRegistry, owner, 1n);
    const newHash = keccak256(toHex('v2'));
    await f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'update', [device.address, newHash, 'ipfs://v2', upd.v, upd.r, upd.s], { from: owner });
    await expectRevert(
      f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'update', [device.address, newHash, 'ipfs://v2', upd.v, upd.r, upd.s], { from: owner }),
      'Error',
      ['invalid signature'],
    );

    const rm = await signPermit(device, f.c.ioIDRegistry, owner, 2n);
    await f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'remove', [device.address, rm.v, rm.r, rm.s], { from: owner });
    // A fresh device NFT, the old register signature: the nonce has moved on.
    const tokenId2 = await mintDeviceNFT(owner);
    await expectRevert(
      f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'register', [f.deviceNFT, tokenId2, device.address, HASH, URI, first.v, first.r, first.s], { from: owner }),
      'Error',
      ['invalid signature'],
    );
  });

  it('a device NFT the owner has not approved makes the NFT transfer revert (as on IoTeX, no pre-check)', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner, false);
    await expectRevert(register(device, tokenId, owner), 'ERC721InsufficientApproval', [f.c.ioIDRegistry, tokenId]);
    // setApprovalForAll works as well as a per-token approval.
    await f.chain.write(f.deviceNFT, deviceNFTAbi, 'setApprovalForAll', [f.c.ioIDRegistry, true], { from: owner });
    await register(device, tokenId, owner);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'exists', [device.address])).toBe(true);
  });

  it("rejects bad inputs in IoTeX's order, with its revert strings", async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner);
    const sig = await signPermit(device, f.c.ioIDRegistry, owner, 0n);
    const call = (args: readonly unknown[]) => f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'register', args, { from: owner });
    await expectRevert(call([f.deviceNFT, tokenId, zeroAddress, HASH, URI, sig.v, sig.r, sig.s]), 'Error', ['device is the zero address']);
    await expectRevert(call([f.c.ioID, tokenId, device.address, HASH, URI, sig.v, sig.r, sig.s]), 'Error', ['invalid project']);
    // The hash is checked after the signature.
    await expectRevert(call([f.deviceNFT, tokenId, device.address, `0x${'00'.repeat(32)}`, URI, sig.v, sig.r, sig.s]), 'Error', ['empty hash']);
    await call([f.deviceNFT, tokenId, device.address, HASH, URI, sig.v, sig.r, sig.s]);
    await expectRevert(call([f.deviceNFT, tokenId, newDevice().address, HASH, URI, sig.v, sig.r, sig.s]), 'Error', ['nft already used']);
    const tokenId2 = await mintDeviceNFT(owner);
    await expectRevert(call([f.deviceNFT, tokenId2, device.address, HASH, URI, sig.v, sig.r, sig.s]), 'Error', ['device exists']);
  });

  it('a hardware project registers only within its prepaid quota; a virtual project pays price() per device', async () => {
    // A fresh hardware project with a quota of one.
    await f.chain.write(f.c.projectRegistry, projectRegistryDevnetAbi, 'register', ['tiny', 0], { from: other });
    const projectId = await f.chain.read<bigint>(f.c.project, projectDevnetAbi, 'count');
    const nft = await f.chain.deploy('contracts/ioid/DeviceNFT.sol:DeviceNFT', ['Tiny', 'TNY', other]);
    await f.chain.write(f.c.ioIDStore, ioIDStoreDevnetAbi, 'setDeviceContract', [projectId, nft], { from: other });
    const price = await f.chain.read<bigint>(f.c.ioIDStore, ioIDStoreDevnetAbi, 'price');
    expect(price).toBe(parseEther('1'));
    await f.chain.write(f.c.ioIDStore, ioIDStoreDevnetAbi, 'applyIoIDs', [projectId, 1n], { from: other, value: price });
    for (let i = 0; i < 2; i++) {
      await f.chain.write(nft, deviceNFTAbi, 'mint', [owner], { from: other });
      await f.chain.write(nft, deviceNFTAbi, 'approve', [f.c.ioIDRegistry, BigInt(i + 1)], { from: owner });
    }
    const regOn = async (device: SimDevice, tokenId: bigint, value: bigint) => {
      const sig = await signPermit(device, f.c.ioIDRegistry, owner, 0n);
      return f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'register', [nft, tokenId, device.address, HASH, URI, sig.v, sig.r, sig.s], { from: owner, value });
    };
    await regOn(newDevice(), 1n, 0n);
    await expectRevert(regOn(newDevice(), 2n, price), 'Error', ['insufficient ioID']); // paying does not help
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreDevnetAbi, 'projectAppliedAmount', [projectId])).toBe(1n);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreDevnetAbi, 'projectActivedAmount', [projectId])).toBe(1n);

    // A virtual project: no quota, price() per registration, kept by the store (no fee receiver set).
    await f.chain.write(f.c.projectRegistry, projectRegistryDevnetAbi, 'register', ['virtual', 1], { from: other });
    const virtualId = await f.chain.read<bigint>(f.c.project, projectDevnetAbi, 'count');
    const vnft = await f.chain.deploy('contracts/ioid/DeviceNFT.sol:DeviceNFT', ['Virtual', 'VRT', other]);
    await f.chain.write(f.c.ioIDStore, ioIDStoreDevnetAbi, 'setDeviceContract', [virtualId, vnft], { from: other });
    await f.chain.write(vnft, deviceNFTAbi, 'mint', [owner], { from: other });
    await f.chain.write(vnft, deviceNFTAbi, 'setApprovalForAll', [f.c.ioIDRegistry, true], { from: owner });
    const regVirtual = async (value: bigint) => {
      const device = newDevice();
      const sig = await signPermit(device, f.c.ioIDRegistry, owner, 0n);
      return f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'register', [vnft, 1n, device.address, HASH, URI, sig.v, sig.r, sig.s], { from: owner, value });
    };
    await expectRevert(regVirtual(price - 1n), 'Error', ['insufficient fund']);
    const storeBefore = await f.chain.balance(f.c.ioIDStore);
    await regVirtual(price);
    expect((await f.chain.balance(f.c.ioIDStore)) - storeBefore).toBe(price);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreDevnetAbi, 'projectAppliedAmount', [virtualId])).toBe(1n);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreDevnetAbi, 'projectActivedAmount', [virtualId])).toBe(1n);
  });

  it('update: any caller with a device Permit naming the caller; emits UpdateDevice', async () => {
    const device = newDevice();
    await register(device, await mintDeviceNFT(owner), owner);
    const forOwner = await signPermit(device, f.c.ioIDRegistry, owner, 1n);
    const newHash = keccak256(toHex('v2'));
    // The Permit names the submitter: a signature for `owner` sent by `other` fails.
    await expectRevert(f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'update', [device.address, newHash, 'u', forOwner.v, forOwner.r, forOwner.s], { from: other }), 'Error', ['invalid signature']);
    await expectRevert(f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'update', [device.address, `0x${'00'.repeat(32)}`, 'u', forOwner.v, forOwner.r, forOwner.s], { from: owner }), 'Error', ['empty hash']);
    await expectRevert(f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'update', [newDevice().address, newHash, 'u', forOwner.v, forOwner.r, forOwner.s], { from: owner }), 'Error', ['device not exists']);
    const relayed = await signPermit(device, f.c.ioIDRegistry, other, 1n);
    const receipt = await f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'update', [device.address, newHash, 'ipfs://v2', relayed.v, relayed.r, relayed.s], { from: other });
    const [event] = parseEventLogs({ abi: ioIDRegistryDevnetAbi, logs: receipt.logs, eventName: 'UpdateDevice' });
    expect(event?.args).toEqual({ device: device.address, owner: other, hash: newHash, uri: 'ipfs://v2' });
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'documentURI', [device.address])).toBe('ipfs://v2');
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'nonces', [device.address])).toBe(2n);
  });

  it('migrate: moves the ioID (and its wallet) to the user the device signed for; anyone may submit it', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner);
    await register(device, tokenId, owner);
    const wrong = await signPermit(device, f.c.ioIDRegistry, owner, 1n);
    await expectRevert(f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'migrate', [device.address, other, wrong.v, wrong.r, wrong.s], { from: owner }), 'Error', ['invalid signature']);
    const sig = await signPermit(device, f.c.ioIDRegistry, other, 1n);
    const relayer = f.chain.accounts[5]!;
    const receipt = await f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'migrate', [device.address, other, sig.v, sig.r, sig.s], { from: relayer });
    const [event] = parseEventLogs({ abi: ioIDRegistryDevnetAbi, logs: receipt.logs, eventName: 'Migrate' });
    expect(event?.args).toEqual({ device: device.address, user: other });
    const [moved] = parseEventLogs({ abi: ioIDDevnetAbi, logs: receipt.logs, eventName: 'Migrate' });
    expect(moved?.args).toEqual({ from: owner, to: other, id: 1n });
    expect(await f.chain.read(f.c.ioID, ioIDDevnetAbi, 'ownerOf', [1n])).toBe(other);
    const [wallet] = await f.chain.read<[Address, string]>(f.c.ioID, ioIDDevnetAbi, 'wallet', [1n]);
    expect(await f.chain.read(wallet, erc6551AccountAbi, 'owner')).toBe(other);
    expect(await f.chain.read(f.deviceNFT, deviceNFTAbi, 'ownerOf', [tokenId])).toBe(wallet);
  });

  it('remove: unlinks the device; ioID and device NFT stay with the owner; the NFT stays used', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner);
    await register(device, tokenId, owner);
    const did = `did:io:0x${device.address.slice(2).toLowerCase()}`;
    const [wallet] = await f.chain.read<[Address, string]>(f.c.ioID, ioIDDevnetAbi, 'wallet', [1n]);
    const sig = await signPermit(device, f.c.ioIDRegistry, owner, 1n);
    await expectRevert(f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'remove', [device.address, sig.v, sig.r, sig.s], { from: other }), 'Error', ['invalid signature']);
    const receipt = await f.chain.write(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'remove', [device.address, sig.v, sig.r, sig.s], { from: owner });
    const [event] = parseEventLogs({ abi: ioIDRegistryDevnetAbi, logs: receipt.logs, eventName: 'RemoveDevice' });
    expect(event?.args).toEqual({ device: device.address, owner });
    const [removed] = parseEventLogs({ abi: ioIDDevnetAbi, logs: receipt.logs, eventName: 'RemoveDIDWallet' });
    expect(removed?.args).toEqual({ wallet, did });
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'exists', [device.address])).toBe(false);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'registeredNFT', [f.deviceNFT, tokenId])).toBe(true);
    await expectRevert(f.chain.read(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'documentHash', [device.address]), 'Error', ['device not exists']);
    const [walletAfter, didAfter] = await f.chain.read<[Address, string]>(f.c.ioID, ioIDDevnetAbi, 'wallet', [1n]);
    expect([walletAfter, didAfter]).toEqual([wallet, '']);
    expect(await f.chain.read(f.c.ioID, ioIDDevnetAbi, 'ownerOf', [1n])).toBe(owner);
    expect(await f.chain.read(f.deviceNFT, deviceNFTAbi, 'ownerOf', [tokenId])).toBe(wallet);
    expect(await f.chain.read(f.c.ioID, ioIDDevnetAbi, 'projectDeviceCount', [f.projectId])).toBe(1n);
    expect(await f.chain.read(f.c.ioID, ioIDDevnetAbi, 'wallet', [did])).toBe(zeroAddress);
  });
});

describe('projects, store, ioID and device NFT', () => {
  it('ProjectRegistry: unique non-empty names, any type; Project NFT metadata by owner or operator', async () => {
    await expectRevert(f.chain.write(f.c.projectRegistry, projectRegistryDevnetAbi, 'register', ['outpost-demo', 0]), 'Error', ['exist name']);
    await expectRevert(f.chain.write(f.c.projectRegistry, projectRegistryDevnetAbi, 'register', ['', 0]), 'Error', ['empty name']);
    await f.chain.write(f.c.projectRegistry, projectRegistryDevnetAbi, 'register', ['virtual-one', 1], { from: other });
    expect(await f.chain.read(f.c.project, projectDevnetAbi, 'name', [2n])).toBe('virtual-one');
    expect(await f.chain.read(f.c.project, projectDevnetAbi, 'projectType', [2n])).toBe(1);
    expect(await f.chain.read(f.c.project, projectDevnetAbi, 'ownerOf', [2n])).toBe(other);
    await expectRevert(f.chain.write(f.c.project, projectDevnetAbi, 'setMetadata', [2n, 'k', '0x01'], { from: owner }), 'Error', ['invalid operator']);
    await f.chain.write(f.c.project, projectDevnetAbi, 'setMetadata', [2n, 'k', '0xbeef'], { from: other });
    expect(await f.chain.read(f.c.project, projectDevnetAbi, 'metadata', [2n, 'k'])).toBe('0xbeef');
    await f.chain.write(f.c.project, projectDevnetAbi, 'addOperator', [2n, owner], { from: other });
    await f.chain.write(f.c.project, projectDevnetAbi, 'setMetadata', [2n, 'k', '0x02'], { from: owner });
    expect(await f.chain.read(f.c.project, projectDevnetAbi, 'metadata', [2n, 'k'])).toBe('0x02');
    await expectRevert(f.chain.write(f.c.project, projectDevnetAbi, 'mint', [owner, 'direct', 0]), 'Error', ['not minter']);
    await expectRevert(f.chain.read(f.c.project, projectDevnetAbi, 'name', [99n]), 'ERC721NonexistentToken', [99n]);
  });

  it('ioIDStore: hardware-only prepay, one device contract per project, registry-only activation, owner controls', async () => {
    await expectRevert(f.chain.write(f.c.ioIDStore, ioIDStoreDevnetAbi, 'applyIoIDs', [f.projectId, 2n], { value: parseEther('1') }), 'Error', ['insufficient fund']);
    await expectRevert(f.chain.write(f.c.ioIDStore, ioIDStoreDevnetAbi, 'setDeviceContract', [f.projectId, other], { from: other }), 'Error', ['invald project owner']);
    await expectRevert(f.chain.write(f.c.ioIDStore, ioIDStoreDevnetAbi, 'setDeviceContract', [f.projectId, other]), 'Error', ['project setted']);
    await f.chain.write(f.c.projectRegistry, projectRegistryDevnetAbi, 'register', ['second', 0]);
    await expectRevert(f.chain.write(f.c.ioIDStore, ioIDStoreDevnetAbi, 'setDeviceContract', [2n, f.deviceNFT]), 'Error', ['contract setted']);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreDevnetAbi, 'projectDeviceContract', [f.projectId])).toBe(f.deviceNFT);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreDevnetAbi, 'deviceContractProject', [f.deviceNFT])).toBe(f.projectId);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreDevnetAbi, 'projectAppliedAmount', [f.projectId])).toBe(100n);
    await expectRevert(f.chain.write(f.c.ioIDStore, ioIDStoreDevnetAbi, 'activeIoID', [f.projectId]), 'Error', ['only ioIDRegistry']);
    await expectRevert(f.chain.write(f.c.ioIDStore, ioIDStoreDevnetAbi, 'changePrice', [5n], { from: other }), 'OwnableUnauthorizedAccount', [other]);
    await f.chain.write(f.c.ioIDStore, ioIDStoreDevnetAbi, 'changePrice', [5n]);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreDevnetAbi, 'price')).toBe(5n);
    await expectRevert(f.chain.write(f.c.ioIDStore, ioIDStoreDevnetAbi, 'setIoIDRegistry', [zeroAddress]), 'Error', ['zero address']);
    const before = await f.chain.balance(other);
    await f.chain.write(f.c.ioIDStore, ioIDStoreDevnetAbi, 'withdraw', [other, parseEther('3')]);
    expect((await f.chain.balance(other)) - before).toBe(parseEther('3'));
  });

  it('ioID: only the minter mints, removes or migrates; unknown DIDs resolve to no wallet', async () => {
    await expectRevert(f.chain.write(f.c.ioID, ioIDDevnetAbi, 'mint', [1n, other, owner]), 'Error', ['invalid minter']);
    await expectRevert(f.chain.write(f.c.ioID, ioIDDevnetAbi, 'removeDID', [other]), 'Error', ['invalid minter']);
    await expectRevert(f.chain.write(f.c.ioID, ioIDDevnetAbi, 'migrate', [1n, other]), 'Error', ['invalid minter']);
    expect(await f.chain.read(f.c.ioID, ioIDDevnetAbi, 'wallet', ['did:io:nope'])).toBe(zeroAddress);
    expect(await f.chain.read(f.c.ioID, ioIDDevnetAbi, 'wallet', [`did:io:0x${'zz'.repeat(20)}`])).toBe(zeroAddress);
    await expectRevert(f.chain.write(f.c.ioID, ioIDDevnetAbi, 'setMinter', [other], { from: other }), 'Error', ['invalid minter']);
  });

  it('DeviceNFT: only MINTER_ROLE mints; mintBatch mints sequential ids', async () => {
    await expectRevert(f.chain.write(f.deviceNFT, deviceNFTAbi, 'mint', [other], { from: other }), 'AccessControlUnauthorizedAccount');
    await f.chain.write(f.deviceNFT, deviceNFTAbi, 'mintBatch', [other, 3n]);
    expect(await f.chain.read(f.deviceNFT, deviceNFTAbi, 'count')).toBe(3n);
    expect(await f.chain.read(f.deviceNFT, deviceNFTAbi, 'balanceOf', [other])).toBe(3n);
    expect(await f.chain.read(f.deviceNFT, deviceNFTAbi, 'ownerOf', [3n])).toBe(other);
    // The relay's key (DEV ONLY) was granted MINTER_ROLE by the deploy plan.
    await f.chain.write(f.deviceNFT, deviceNFTAbi, 'mint', [owner], { from: f.operator });
    expect(await f.chain.read(f.deviceNFT, deviceNFTAbi, 'ownerOf', [4n])).toBe(owner);
  });

  it('ERC6551Registry: createAccount is idempotent and matches account()', async () => {
    const salt = `0x${'11'.repeat(32)}` as Hex;
    const args = [f.accountImplementation, salt, 31337n, f.deviceNFT, 7n] as const;
    const predicted = await f.chain.read<Address>(f.c.erc6551Registry, erc6551RegistryAbi, 'account', args);
    const first = await f.chain.write(f.c.erc6551Registry, erc6551RegistryAbi, 'createAccount', args);
    expect(parseEventLogs({ abi: erc6551RegistryAbi, logs: first.logs })[0]?.args.account).toBe(predicted);
    const second = await f.chain.write(f.c.erc6551Registry, erc6551RegistryAbi, 'createAccount', args);
    expect(second.logs).toHaveLength(0);
    expect(await f.chain.read(predicted, erc6551AccountAbi, 'token')).toEqual([31337n, f.deviceNFT, 7n]);
    expect((await f.chain.publicClient.getCode({ address: predicted }))?.length).toBe(2 + 173 * 2);
  });
});
