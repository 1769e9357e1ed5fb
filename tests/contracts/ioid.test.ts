import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashDomain, keccak256, parseEther, parseEventLogs, toHex, zeroAddress, type Address, type Hex } from 'viem';
import {
  deviceNFTAbi,
  erc6551AccountAbi,
  erc6551RegistryAbi,
  ioIDAbi,
  ioIDRegistryAbi,
  ioIDStoreAbi,
  projectAbi,
  projectRegistryAbi,
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
  const nonce = await f.chain.read<bigint>(f.c.ioIDRegistry, ioIDRegistryAbi, 'nonces', [device.address]);
  const { v, r, s } = await signPermit(device, f.c.ioIDRegistry, from, nonce);
  return f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'register', [f.deviceNFT, tokenId, device.address, HASH, URI, v, r, s], { from, value });
}

describe('ioIDRegistry: device registration with a key-holding device', () => {
  it('exposes the EIP-712 domain ("ioIDRegistry", "1") and the Permit type hash', async () => {
    const expected = hashDomain({
      domain: { name: 'ioIDRegistry', version: '1', chainId: 31337n, verifyingContract: f.c.ioIDRegistry },
      types: { EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'version', type: 'string' }, { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' }] },
    });
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'DOMAIN_SEPARATOR')).toBe(expected);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'PERMIT_TYPEHASH')).toBe(keccak256(toHex('Permit(address owner,uint256 nonce)')));
  });

  it('registers: ioID minted, device NFT in the ERC-6551 wallet, did:io document', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner);
    const receipt = await register(device, tokenId, owner);

    const did = `did:io:0x${device.address.slice(2).toLowerCase()}`;
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'documentID', [device.address])).toBe(did);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'exists', [device.address])).toBe(true);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'documentHash', [device.address])).toBe(HASH);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'documentURI', [device.address])).toBe(URI);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'nonces', [device.address])).toBe(1n);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'registeredNFT', [f.deviceNFT, tokenId])).toBe(true);
    const id = await f.chain.read<bigint>(f.c.ioIDRegistry, ioIDRegistryAbi, 'deviceTokenId', [device.address]);
    expect(id).toBe(1n);

    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'ownerOf', [id])).toBe(owner);
    const [wallet, walletDid] = await f.chain.read<[Address, string]>(f.c.ioID, ioIDAbi, 'wallet', [id]);
    expect(walletDid).toBe(did);
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'wallet', [did])).toBe(wallet);
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'did', [device.address])).toBe(did);
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'deviceProject', [device.address])).toBe(f.projectId);
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'projectDeviceCount', [f.projectId])).toBe(1n);
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'tokenOfOwnerByIndex', [owner, 0n])).toBe(id);

    // The wallet is the ERC-6551 account the registry computes, and holds the device NFT.
    const predicted = await f.chain.read(f.c.erc6551Registry, erc6551RegistryAbi, 'account', [f.accountImplementation, `0x${'00'.repeat(32)}`, 31337n, f.c.ioID, id]);
    expect(wallet).toBe(predicted);
    expect(await f.chain.read(f.deviceNFT, deviceNFTAbi, 'ownerOf', [tokenId])).toBe(wallet);
    expect(await f.chain.read(wallet, erc6551AccountAbi, 'owner')).toBe(owner);
    expect(await f.chain.read(wallet, erc6551AccountAbi, 'token')).toEqual([31337n, f.c.ioID, id]);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreAbi, 'projectActivedAmount', [f.projectId])).toBe(1n);

    const events = parseEventLogs({ abi: [...ioIDRegistryAbi, ...ioIDAbi], logs: receipt.logs });
    const newDevice_ = events.find((e) => e.eventName === 'NewDevice');
    expect(newDevice_?.args).toEqual({ device: device.address, owner, hash: HASH, uri: URI });
    const created = events.find((e) => e.eventName === 'CreateIoID');
    expect(created?.args).toEqual({ owner, id, wallet, did });
  });

  it('the ioID owner controls the wallet: executes a call that takes the device NFT out; others cannot', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner);
    await register(device, tokenId, owner);
    const [wallet] = await f.chain.read<[Address, string]>(f.c.ioID, ioIDAbi, 'wallet', [1n]);
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
    await f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'register', [f.deviceNFT, tokenId, owner, device.address, HASH, URI, v, r, s], { from: other });
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'ownerOf', [1n])).toBe(owner);
  });

  it('rejects a signature made for another owner', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(other);
    const { v, r, s } = await signPermit(device, f.c.ioIDRegistry, owner, 0n); // device consented to `owner`
    await expectRevert(
      f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'register', [f.deviceNFT, tokenId, device.address, HASH, URI, v, r, s], { from: other }),
      'InvalidDevicePermit',
    );
  });

  it('rejects a replayed signature (update replay, and a register signature after removal)', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner);
    const first = await signPermit(device, f.c.ioIDRegistry, owner, 0n);
    await f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'register', [f.deviceNFT, tokenId, device.address, HASH, URI, first.v, first.r, first.s], { from: owner });

    const upd = await signPermit(device, f.c.ioIDRegistry, owner, 1n);
    const newHash = keccak256(toHex('v2'));
    await f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'update', [device.address, newHash, 'ipfs://v2', upd.v, upd.r, upd.s], { from: owner });
    await expectRevert(
      f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'update', [device.address, newHash, 'ipfs://v2', upd.v, upd.r, upd.s], { from: owner }),
      'DevicePermitReplayed',
      [device.address, 1n],
    );

    const rm = await signPermit(device, f.c.ioIDRegistry, owner, 2n);
    await f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'remove', [device.address, rm.v, rm.r, rm.s], { from: owner });
    // A fresh device NFT, the old register signature: the nonce has moved on.
    const tokenId2 = await mintDeviceNFT(owner);
    await expectRevert(
      f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'register', [f.deviceNFT, tokenId2, device.address, HASH, URI, first.v, first.r, first.s], { from: owner }),
      'InvalidDevicePermit',
    );
  });

  it('rejects a device NFT the owner has not approved to the registry', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner, false);
    await expectRevert(register(device, tokenId, owner), 'DeviceNFTNotApproved', [f.deviceNFT, tokenId, owner]);
    // setApprovalForAll works as well as a per-token approval.
    await f.chain.write(f.deviceNFT, deviceNFTAbi, 'setApprovalForAll', [f.c.ioIDRegistry, true], { from: owner });
    await register(device, tokenId, owner);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'exists', [device.address])).toBe(true);
  });

  it('rejects bad inputs in the documented order', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner);
    const sig = await signPermit(device, f.c.ioIDRegistry, owner, 0n);
    const call = (args: readonly unknown[]) => f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'register', args, { from: owner });
    await expectRevert(call([f.deviceNFT, tokenId, zeroAddress, HASH, URI, sig.v, sig.r, sig.s]), 'ZeroAddress');
    await expectRevert(call([f.deviceNFT, tokenId, device.address, `0x${'00'.repeat(32)}`, URI, sig.v, sig.r, sig.s]), 'ZeroHash');
    await expectRevert(call([f.c.ioID, tokenId, device.address, HASH, URI, sig.v, sig.r, sig.s]), 'DeviceContractNotInProject', [f.c.ioID]);
    await call([f.deviceNFT, tokenId, device.address, HASH, URI, sig.v, sig.r, sig.s]);
    await expectRevert(call([f.deviceNFT, tokenId, newDevice().address, HASH, URI, sig.v, sig.r, sig.s]), 'DeviceNFTAlreadyRegistered', [f.deviceNFT, tokenId]);
    const tokenId2 = await mintDeviceNFT(owner);
    await expectRevert(call([f.deviceNFT, tokenId2, device.address, HASH, URI, sig.v, sig.r, sig.s]), 'DeviceAlreadyRegistered', [device.address]);
  });

  it('charges price() once the prepaid quota is used up', async () => {
    // A fresh project with a quota of one.
    await f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', ['tiny', 0], { from: other });
    const projectId = await f.chain.read<bigint>(f.c.project, projectAbi, 'count');
    const nft = await f.chain.deploy('contracts/ioid/DeviceNFT.sol:DeviceNFT', ['Tiny', 'TNY', other]);
    await f.chain.write(f.c.ioIDStore, ioIDStoreAbi, 'setDeviceContract', [projectId, nft], { from: other });
    const price = await f.chain.read<bigint>(f.c.ioIDStore, ioIDStoreAbi, 'price');
    expect(price).toBe(parseEther('1'));
    await f.chain.write(f.c.ioIDStore, ioIDStoreAbi, 'applyIoIDs', [projectId, 1n], { from: other, value: price });
    for (let i = 0; i < 2; i++) {
      await f.chain.write(nft, deviceNFTAbi, 'mint', [owner], { from: other });
      await f.chain.write(nft, deviceNFTAbi, 'approve', [f.c.ioIDRegistry, BigInt(i + 1)], { from: owner });
    }
    const regOn = async (device: SimDevice, tokenId: bigint, value: bigint) => {
      const sig = await signPermit(device, f.c.ioIDRegistry, owner, 0n);
      return f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'register', [nft, tokenId, device.address, HASH, URI, sig.v, sig.r, sig.s], { from: owner, value });
    };
    await expectRevert(regOn(newDevice(), 1n, price), 'WrongPayment', [0n, price]); // still within quota: no fee
    await regOn(newDevice(), 1n, 0n);
    const storeBefore = await f.chain.balance(f.c.ioIDStore);
    await expectRevert(regOn(newDevice(), 2n, 0n), 'WrongPayment', [price, 0n]);
    await regOn(newDevice(), 2n, price);
    expect((await f.chain.balance(f.c.ioIDStore)) - storeBefore).toBe(price);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreAbi, 'projectAppliedAmount', [projectId])).toBe(1n);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreAbi, 'projectActivedAmount', [projectId])).toBe(2n);
  });

  it('update: owner-only with a fresh device Permit; emits UpdateDevice', async () => {
    const device = newDevice();
    await register(device, await mintDeviceNFT(owner), owner);
    const sig = await signPermit(device, f.c.ioIDRegistry, owner, 1n);
    const newHash = keccak256(toHex('v2'));
    await expectRevert(f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'update', [device.address, newHash, 'u', sig.v, sig.r, sig.s], { from: other }), 'NotIoIDOwner', [device.address, other]);
    await expectRevert(f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'update', [device.address, `0x${'00'.repeat(32)}`, 'u', sig.v, sig.r, sig.s], { from: owner }), 'ZeroHash');
    await expectRevert(f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'update', [newDevice().address, newHash, 'u', sig.v, sig.r, sig.s], { from: owner }), 'DeviceNotRegistered');
    const receipt = await f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'update', [device.address, newHash, 'ipfs://v2', sig.v, sig.r, sig.s], { from: owner });
    const [event] = parseEventLogs({ abi: ioIDRegistryAbi, logs: receipt.logs, eventName: 'UpdateDevice' });
    expect(event?.args).toEqual({ device: device.address, owner, hash: newHash, uri: 'ipfs://v2' });
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'documentURI', [device.address])).toBe('ipfs://v2');
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'nonces', [device.address])).toBe(2n);
  });

  it('migrate: moves the ioID (and its wallet) to the user the device signed for', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner);
    await register(device, tokenId, owner);
    const wrong = await signPermit(device, f.c.ioIDRegistry, owner, 1n);
    await expectRevert(f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'migrate', [device.address, other, wrong.v, wrong.r, wrong.s], { from: owner }), 'InvalidDevicePermit');
    const sig = await signPermit(device, f.c.ioIDRegistry, other, 1n);
    await expectRevert(f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'migrate', [device.address, zeroAddress, sig.v, sig.r, sig.s], { from: owner }), 'ZeroAddress');
    const receipt = await f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'migrate', [device.address, other, sig.v, sig.r, sig.s], { from: owner });
    const [event] = parseEventLogs({ abi: ioIDRegistryAbi, logs: receipt.logs, eventName: 'MigrateDevice' });
    expect(event?.args).toEqual({ device: device.address, from: owner, to: other });
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'ownerOf', [1n])).toBe(other);
    const [wallet] = await f.chain.read<[Address, string]>(f.c.ioID, ioIDAbi, 'wallet', [1n]);
    expect(await f.chain.read(wallet, erc6551AccountAbi, 'owner')).toBe(other);
    expect(await f.chain.read(f.deviceNFT, deviceNFTAbi, 'ownerOf', [tokenId])).toBe(wallet);
  });

  it('remove: unlinks the device; ioID and device NFT stay with the owner; the NFT can back a new ioID later', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner);
    await register(device, tokenId, owner);
    const sig = await signPermit(device, f.c.ioIDRegistry, owner, 1n);
    await expectRevert(f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'remove', [device.address, sig.v, sig.r, sig.s], { from: other }), 'NotIoIDOwner');
    const receipt = await f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, 'remove', [device.address, sig.v, sig.r, sig.s], { from: owner });
    const [event] = parseEventLogs({ abi: ioIDRegistryAbi, logs: receipt.logs, eventName: 'RemoveDevice' });
    expect(event?.args).toEqual({ device: device.address, owner });
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'exists', [device.address])).toBe(false);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'registeredNFT', [f.deviceNFT, tokenId])).toBe(false);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'documentHash', [device.address])).toBe(`0x${'00'.repeat(32)}`);
    const [wallet, did] = await f.chain.read<[Address, string]>(f.c.ioID, ioIDAbi, 'wallet', [1n]);
    expect(did).toBe('');
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'ownerOf', [1n])).toBe(owner);
    expect(await f.chain.read(f.deviceNFT, deviceNFTAbi, 'ownerOf', [tokenId])).toBe(wallet);
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'projectDeviceCount', [f.projectId])).toBe(0n);
    await expectRevert(f.chain.read(f.c.ioID, ioIDAbi, 'wallet', [`did:io:0x${device.address.slice(2).toLowerCase()}`]), 'UnknownDID');
  });
});

describe('projects, store, ioID and device NFT', () => {
  it('ProjectRegistry: unique non-empty names, types 0/1; Project NFT metadata', async () => {
    await expectRevert(f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', ['outpost-demo', 0]), 'ProjectNameTaken', ['outpost-demo']);
    await expectRevert(f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', ['', 0]), 'EmptyProjectName');
    await expectRevert(f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', ['x', 2]), 'InvalidProjectType', [2]);
    await f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', ['virtual-one', 1], { from: other });
    expect(await f.chain.read(f.c.project, projectAbi, 'name', [2n])).toBe('virtual-one');
    expect(await f.chain.read(f.c.project, projectAbi, 'projectType', [2n])).toBe(1);
    expect(await f.chain.read(f.c.project, projectAbi, 'ownerOf', [2n])).toBe(other);
    await expectRevert(f.chain.write(f.c.project, projectAbi, 'setMetadata', [2n, 'k', '0x01'], { from: owner }), 'NotProjectOwner', [2n, owner]);
    await f.chain.write(f.c.project, projectAbi, 'setMetadata', [2n, 'k', '0xbeef'], { from: other });
    expect(await f.chain.read(f.c.project, projectAbi, 'metadata', [2n, 'k'])).toBe('0xbeef');
    await expectRevert(f.chain.write(f.c.project, projectAbi, 'mint', [owner, 'direct', 0]), 'NotMinter');
    await expectRevert(f.chain.read(f.c.project, projectAbi, 'name', [99n]), 'ERC721NonexistentToken', [99n]);
  });

  it('ioIDStore: payment, one device contract per project, registry-only activation, owner controls', async () => {
    await expectRevert(f.chain.write(f.c.ioIDStore, ioIDStoreAbi, 'applyIoIDs', [f.projectId, 2n], { value: parseEther('1') }), 'WrongPayment', [parseEther('2'), parseEther('1')]);
    await expectRevert(f.chain.write(f.c.ioIDStore, ioIDStoreAbi, 'applyIoIDs', [f.projectId, 0n]), 'ZeroValue');
    await expectRevert(f.chain.write(f.c.ioIDStore, ioIDStoreAbi, 'setDeviceContract', [f.projectId, other], { from: other }), 'NotProjectOwner');
    await expectRevert(f.chain.write(f.c.ioIDStore, ioIDStoreAbi, 'setDeviceContract', [f.projectId, other]), 'DeviceContractAlreadySet', [f.projectId, f.deviceNFT]);
    await f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', ['second', 0]);
    await expectRevert(f.chain.write(f.c.ioIDStore, ioIDStoreAbi, 'setDeviceContract', [2n, f.deviceNFT]), 'DeviceContractInUse', [f.deviceNFT, f.projectId]);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreAbi, 'projectDeviceContract', [f.projectId])).toBe(f.deviceNFT);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreAbi, 'deviceContractProject', [f.deviceNFT])).toBe(f.projectId);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreAbi, 'projectAppliedAmount', [f.projectId])).toBe(100n);
    await expectRevert(f.chain.write(f.c.ioIDStore, ioIDStoreAbi, 'activeIoID', [f.projectId]), 'NotIoIDRegistry');
    await expectRevert(f.chain.write(f.c.ioIDStore, ioIDStoreAbi, 'changePrice', [5n], { from: other }), 'OwnableUnauthorizedAccount', [other]);
    await f.chain.write(f.c.ioIDStore, ioIDStoreAbi, 'changePrice', [5n]);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreAbi, 'price')).toBe(5n);
    await expectRevert(f.chain.write(f.c.ioIDStore, ioIDStoreAbi, 'setIoIDRegistry', [zeroAddress]), 'ZeroValue');
    const before = await f.chain.balance(other);
    await f.chain.write(f.c.ioIDStore, ioIDStoreAbi, 'withdraw', [other, parseEther('3')]);
    expect((await f.chain.balance(other)) - before).toBe(parseEther('3'));
  });

  it('ioID: only the registry mints, removes or migrates; unknown DIDs are refused', async () => {
    await expectRevert(f.chain.write(f.c.ioID, ioIDAbi, 'mint', [1n, other, owner]), 'NotMinter');
    await expectRevert(f.chain.write(f.c.ioID, ioIDAbi, 'removeDID', [other]), 'NotMinter');
    await expectRevert(f.chain.write(f.c.ioID, ioIDAbi, 'migrateTo', [1n, other]), 'NotMinter');
    await expectRevert(f.chain.read(f.c.ioID, ioIDAbi, 'wallet', ['did:io:nope']), 'UnknownDID');
    await expectRevert(f.chain.read(f.c.ioID, ioIDAbi, 'wallet', [`did:io:0x${'zz'.repeat(20)}`]), 'UnknownDID');
    await expectRevert(f.chain.write(f.c.ioID, ioIDAbi, 'setMinter', [other], { from: other }), 'OwnableUnauthorizedAccount');
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
