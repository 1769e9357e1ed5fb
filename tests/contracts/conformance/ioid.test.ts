/**
 * Conformance of our ioID contracts with IoTeX's (iotexproject/ioID-contracts): for each shared
 * function, the revert conditions (IoTeX's require strings, in IoTeX's order) and events, written from
 * IoTeX's sources (the files and commits named in reference/*.json), never read from our contracts.
 * Tests marked "diff:" cover a difference listed in shared/spec/iotex-abi-diff.md and fail on the
 * contracts before issue 12 (the comment says which old behaviour they catch).
 *
 * Where IoTeX (OpenZeppelin 4) reverts with "ERC721: invalid token ID" or "Ownable: caller is not
 * the owner", ours (OpenZeppelin 5) revert with ERC721NonexistentToken / OwnableUnauthorizedAccount:
 * the app decodes both, and these tests expect the OpenZeppelin 5 error at those places.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  encodeAbiParameters,
  getAddress,
  hashStruct,
  keccak256,
  parseEther,
  parseEventLogs,
  toHex,
  zeroAddress,
  type Address,
  type Hex,
  type TransactionReceipt,
} from 'viem';
import { deviceNFTAbi, ioIDAbi, ioIDRegistryAbi, ioIDStoreAbi, projectAbi, projectRegistryAbi } from '../../../src/core/abis/index.js';
import { expectRevert } from '../helpers/chain.js';
import { newDevice, signPermit, type SimDevice } from '../helpers/device.js';
import { deployFixture, type Fixture } from '../helpers/fixture.js';

let f: Fixture;
let snap: Hex;
let owner: Address;
let other: Address;
let relayer: Address;
const HASH = keccak256(toHex('did document'));
const URI = 'ipfs://did-document';
const ZERO_HASH = `0x${'00'.repeat(32)}` as Hex;
const SENTINEL = '0x0000000000000000000000000000000000000001' as Address;
/** Order of secp256k1's group. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

beforeAll(async () => {
  f = await deployFixture();
  [owner, other, relayer] = [f.chain.accounts[2]!, f.chain.accounts[3]!, f.chain.accounts[5]!];
  snap = await f.chain.snapshot();
});
beforeEach(async () => {
  await f.chain.revert(snap);
  snap = await f.chain.snapshot();
});

/** Expects a revert with IoTeX's require string `reason` (Error(string)). */
const expectReason = (promise: Promise<unknown>, reason: string) => expectRevert(promise, 'Error', [reason]);

const registry = (fn: string, args: readonly unknown[], from = owner, value = 0n) =>
  f.chain.write(f.c.ioIDRegistry, ioIDRegistryAbi, fn, args, { from, value });
const store = (fn: string, args: readonly unknown[], from = f.deployer, value = 0n) => f.chain.write(f.c.ioIDStore, ioIDStoreAbi, fn, args, { from, value });
const project = (fn: string, args: readonly unknown[], from = owner) => f.chain.write(f.c.project, projectAbi, fn, args, { from });

async function mintDeviceNFT(to: Address, nft = f.deviceNFT, minter = f.deployer): Promise<bigint> {
  await f.chain.write(nft, deviceNFTAbi, 'mint', [to], { from: minter });
  const tokenId = await f.chain.read<bigint>(nft, deviceNFTAbi, 'count');
  await f.chain.write(nft, deviceNFTAbi, 'approve', [f.c.ioIDRegistry, tokenId], { from: to });
  return tokenId;
}

const nonceOf = (device: SimDevice) => f.chain.read<bigint>(f.c.ioIDRegistry, ioIDRegistryAbi, 'nonces', [device.address]);

/** The device's Permit for `permitOwner` at its current nonce. */
async function permit(device: SimDevice, permitOwner: Address) {
  return signPermit(device, f.c.ioIDRegistry, permitOwner, await nonceOf(device));
}

/** Registers `device` for `user` (by default through the fixture's demo project); returns the receipt and ids. */
async function register(device = newDevice(), user = owner, nft = f.deviceNFT) {
  const tokenId = await mintDeviceNFT(user, nft, nft === f.deviceNFT ? f.deployer : other);
  const { v, r, s } = await permit(device, user);
  const receipt = await registry('register', [nft, tokenId, device.address, HASH, URI, v, r, s], user);
  const id = await f.chain.read<bigint>(f.c.ioIDRegistry, ioIDRegistryAbi, 'deviceTokenId', [device.address]);
  return { device, tokenId, receipt, id };
}

/** A new project owned by `by`, of type `type_`, bound to a fresh device NFT contract that `by` mints. */
async function newProject(name: string, type_: number, by = other): Promise<{ projectId: bigint; nft: Address }> {
  await f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', [name, type_], { from: by });
  const projectId = await f.chain.read<bigint>(f.c.project, projectAbi, 'count');
  const nft = await f.chain.deploy('contracts/ioid/DeviceNFT.sol:DeviceNFT', [name, 'DEV', by]);
  await store('setDeviceContract', [projectId, nft], by);
  return { projectId, nft };
}

async function impersonate(address: Address): Promise<void> {
  await f.chain.provider.request({ method: 'hardhat_impersonateAccount', params: [address] } as never);
  await f.chain.provider.request({ method: 'hardhat_setBalance', params: [address, toHex(parseEther('10'))] } as never);
}

function topicsOf(receipt: TransactionReceipt, address: Address, signature: string) {
  const topic0 = keccak256(toHex(signature));
  return receipt.logs.filter((log) => getAddress(log.address) === getAddress(address) && log.topics[0] === topic0);
}

describe('ioIDRegistry (iotexproject/ioID-contracts contracts/ioIDRegistry.sol)', () => {
  it('exposes EIP712DOMAIN_TYPEHASH, METHOD, DOMAIN_SEPARATOR and permitHash(owner, device) as IoTeX computes them', async () => {
    const typeHash = keccak256(toHex('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'));
    // diff: EIP712DOMAIN_TYPEHASH, METHOD and permitHash did not exist.
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'EIP712DOMAIN_TYPEHASH')).toBe(typeHash);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'METHOD')).toBe('did:io:');
    const separator = keccak256(
      encodeAbiParameters(
        [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }],
        [typeHash, keccak256(toHex('ioIDRegistry')), keccak256(toHex('1')), 31337n, f.c.ioIDRegistry],
      ),
    );
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'DOMAIN_SEPARATOR')).toBe(separator);
    const { device } = await register();
    const types = { Permit: [{ name: 'owner', type: 'address' }, { name: 'nonce', type: 'uint256' }] } as const;
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'permitHash', [other, device.address])).toBe(
      hashStruct({ data: { owner: other, nonce: 1n }, primaryType: 'Permit', types }),
    );
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'documentID', [device.address])).toBe(`did:io:${device.address.toLowerCase()}`);
  });

  it('register: checks in IoTeX order with its strings; the hash is checked after the signature', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner);
    const sig = await permit(device, owner);
    const call = (args: readonly unknown[]) => registry('register', args);
    await expectReason(call([f.deviceNFT, tokenId, zeroAddress, HASH, URI, sig.v, sig.r, sig.s]), 'device is the zero address');
    await expectReason(call([other, tokenId, device.address, HASH, URI, sig.v, sig.r, sig.s]), 'invalid project');
    const wrong = await signPermit(newDevice(), f.c.ioIDRegistry, owner, 0n);
    await expectReason(call([f.deviceNFT, tokenId, device.address, HASH, URI, wrong.v, wrong.r, wrong.s]), 'invalid signature');
    // A bad signature is reported before an empty hash.
    await expectReason(call([f.deviceNFT, tokenId, device.address, ZERO_HASH, URI, wrong.v, wrong.r, wrong.s]), 'invalid signature');
    await expectReason(call([f.deviceNFT, tokenId, device.address, ZERO_HASH, URI, sig.v, sig.r, sig.s]), 'empty hash');
    // v outside {27, 28}: plain ecrecover finds no signer.
    await expectReason(call([f.deviceNFT, tokenId, device.address, HASH, URI, sig.v - 27, sig.r, sig.s]), 'invalid signature');
    await call([f.deviceNFT, tokenId, device.address, HASH, URI, sig.v, sig.r, sig.s]);
    // The NFT is checked before the device.
    const again = await permit(device, owner);
    await expectReason(call([f.deviceNFT, tokenId, device.address, HASH, URI, again.v, again.r, again.s]), 'nft already used');
    const tokenId2 = await mintDeviceNFT(owner);
    await expectReason(call([f.deviceNFT, tokenId2, device.address, HASH, URI, again.v, again.r, again.s]), 'device exists');
  });

  it('register: emits NewDevice(device indexed, user, hash, uri) and ioID CreateIoID; the Permit names the user, not the sender', async () => {
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner);
    const { v, r, s } = await permit(device, owner);
    const receipt = await registry('register', [f.deviceNFT, tokenId, owner, device.address, HASH, URI, v, r, s], relayer);
    const [event] = parseEventLogs({ abi: ioIDRegistryAbi, logs: receipt.logs, eventName: 'NewDevice' });
    expect(event?.args).toEqual({ device: device.address, owner, hash: HASH, uri: URI });
    expect(topicsOf(receipt, f.c.ioIDRegistry, 'NewDevice(address,address,bytes32,string)')[0]?.topics[1]).toBe(
      encodeAbiParameters([{ type: 'address' }], [device.address]),
    );
    const [created] = parseEventLogs({ abi: ioIDAbi, logs: receipt.logs, eventName: 'CreateIoID' });
    expect(created?.args.owner).toBe(owner);
    expect(created?.args.did).toBe(`did:io:${device.address.toLowerCase()}`);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'nonces', [device.address])).toBe(1n);
  });

  it('diff: a device Permit with a high-s signature is accepted (plain ecrecover)', async () => {
    // Old behaviour caught: OpenZeppelin's ECDSA rejected s > n/2 (InvalidDevicePermit).
    const device = newDevice();
    const tokenId = await mintDeviceNFT(owner);
    const { v, r, s } = await permit(device, owner);
    const highS = toHex(SECP256K1_N - BigInt(s), { size: 32 });
    const flippedV = v === 27 ? 28 : 27;
    await registry('register', [f.deviceNFT, tokenId, device.address, HASH, URI, flippedV, r, highS]);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'exists', [device.address])).toBe(true);
  });

  it('diff: documentHash, documentURI and deviceTokenId of an unknown device revert "device not exists"', async () => {
    // Old behaviour caught: they returned zero values.
    const unknown = newDevice().address;
    for (const fn of ['documentHash', 'documentURI', 'deviceTokenId']) {
      await expectReason(f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, fn, [unknown]), 'device not exists');
    }
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'exists', [unknown])).toBe(false);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'nonces', [unknown])).toBe(0n);
  });

  it('diff: update is accepted from any caller whose address the device Permit names (a relayer)', async () => {
    // Old behaviour caught: update required the ioID owner as caller (NotIoIDOwner).
    const { device } = await register();
    const newHash = keccak256(toHex('v2'));
    const forOwner = await permit(device, owner);
    await expectReason(registry('update', [device.address, newHash, 'ipfs://v2', forOwner.v, forOwner.r, forOwner.s], relayer), 'invalid signature');
    await expectReason(registry('update', [newDevice().address, newHash, 'u', forOwner.v, forOwner.r, forOwner.s], relayer), 'device not exists');
    const forRelayer = await permit(device, relayer);
    await expectReason(registry('update', [device.address, ZERO_HASH, 'u', forRelayer.v, forRelayer.r, forRelayer.s], relayer), 'empty hash');
    const receipt = await registry('update', [device.address, newHash, 'ipfs://v2', forRelayer.v, forRelayer.r, forRelayer.s], relayer);
    const [event] = parseEventLogs({ abi: ioIDRegistryAbi, logs: receipt.logs, eventName: 'UpdateDevice' });
    expect(event?.args).toEqual({ device: device.address, owner: relayer, hash: newHash, uri: 'ipfs://v2' });
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'documentHash', [device.address])).toBe(newHash);
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'nonces', [device.address])).toBe(2n);
  });

  it('diff: remove is accepted from a relayer; the ioID stays, the DID is unlinked, the NFT stays used', async () => {
    // Old behaviour caught: remove required the ioID owner (NotIoIDOwner) and freed the device NFT.
    const { device, tokenId, id } = await register();
    const [wallet] = await f.chain.read<[Address, string]>(f.c.ioID, ioIDAbi, 'wallet', [id]);
    await expectReason(registry('remove', [newDevice().address, 27, ZERO_HASH, ZERO_HASH], relayer), 'device not exists');
    const forOwner = await permit(device, owner);
    await expectReason(registry('remove', [device.address, forOwner.v, forOwner.r, forOwner.s], relayer), 'invalid signature');
    const { v, r, s } = await permit(device, relayer);
    const receipt = await registry('remove', [device.address, v, r, s], relayer);
    expect(parseEventLogs({ abi: ioIDRegistryAbi, logs: receipt.logs, eventName: 'RemoveDevice' })[0]?.args).toEqual({ device: device.address, owner: relayer });
    const did = `did:io:${device.address.toLowerCase()}`;
    expect(parseEventLogs({ abi: ioIDAbi, logs: receipt.logs, eventName: 'RemoveDIDWallet' })[0]?.args).toEqual({ wallet, did });
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'exists', [device.address])).toBe(false);
    await expectReason(f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'deviceTokenId', [device.address]), 'device not exists');
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'registeredNFT', [f.deviceNFT, tokenId])).toBe(true);
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'ownerOf', [id])).toBe(owner);
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'wallet', [id])).toEqual([wallet, '']);
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'wallet', [did])).toBe(zeroAddress);
    // The device may register again with another NFT; its nonce went on.
    expect(await nonceOf(device)).toBe(2n);
    const again = await register(device);
    expect(again.id).toBe(id + 1n);
  });

  it('diff: migrate is accepted from a relayer with the device Permit for the new user; emits Migrate on both contracts', async () => {
    // Old behaviour caught: migrate required the ioID owner (NotIoIDOwner); its event was MigrateDevice.
    const { device, tokenId, id } = await register();
    const [wallet] = await f.chain.read<[Address, string]>(f.c.ioID, ioIDAbi, 'wallet', [id]);
    await expectReason(registry('migrate', [newDevice().address, other, 27, ZERO_HASH, ZERO_HASH], relayer), 'device not exists');
    const forOwner = await permit(device, owner);
    await expectReason(registry('migrate', [device.address, other, forOwner.v, forOwner.r, forOwner.s], relayer), 'invalid signature');
    const { v, r, s } = await permit(device, other);
    const receipt = await registry('migrate', [device.address, other, v, r, s], relayer);
    expect(parseEventLogs({ abi: ioIDRegistryAbi, logs: receipt.logs, eventName: 'Migrate' })[0]?.args).toEqual({ device: device.address, user: other });
    expect(parseEventLogs({ abi: ioIDAbi, logs: receipt.logs, eventName: 'Migrate' })[0]?.args).toEqual({ from: owner, to: other, id });
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'ownerOf', [id])).toBe(other);
    expect(await f.chain.read(f.deviceNFT, deviceNFTAbi, 'ownerOf', [tokenId])).toBe(wallet);
    expect(await nonceOf(device)).toBe(2n);
  });

  it('setIoIDStore: only the current ioIDStore, never zero; emits SetIoIdStore(store indexed)', async () => {
    // diff: setIoIDStore and SetIoIdStore did not exist.
    await expectReason(registry('setIoIDStore', [zeroAddress], f.deployer), 'zero address');
    await expectReason(registry('setIoIDStore', [other], f.deployer), 'invalid factory');
    await impersonate(f.c.ioIDStore);
    const receipt = await registry('setIoIDStore', [other], f.c.ioIDStore);
    expect(parseEventLogs({ abi: ioIDRegistryAbi, logs: receipt.logs, eventName: 'SetIoIdStore' })[0]?.args).toEqual({ store: other });
    expect(topicsOf(receipt, f.c.ioIDRegistry, 'SetIoIdStore(address)')[0]?.topics[1]).toBe(encodeAbiParameters([{ type: 'address' }], [other]));
    expect(await f.chain.read(f.c.ioIDRegistry, ioIDRegistryAbi, 'ioIDStore')).toBe(other);
  });
});

describe('ioID (contracts/ioID.sol)', () => {
  it('diff: projectIDs pages the project devices newest first, from address(1), with IoTeX paging', async () => {
    // Old behaviour caught: projectIDs did not exist.
    const devices = [];
    for (let i = 0; i < 3; i++) devices.push((await register()).device.address);
    const [d1, d2, d3] = devices as [Address, Address, Address];
    const page = (start: Address, size: bigint) => f.chain.read<[Address[], Address]>(f.c.ioID, ioIDAbi, 'projectIDs', [f.projectId, start, size]);
    expect(await page(SENTINEL, 10n)).toEqual([[d3, d2, d1], zeroAddress]);
    expect(await page(SENTINEL, 2n)).toEqual([[d3, d2], d1]);
    expect(await page(d2, 2n)).toEqual([[d1], zeroAddress]);
    // IoTeX's list starts after `start`: passing `next` as start skips that entry.
    expect(await page(d1, 2n)).toEqual([[], zeroAddress]);
    expect(await page(zeroAddress, 2n)).toEqual([[], zeroAddress]);
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'projectIDs', [99n, SENTINEL, 5n])).toEqual([[], zeroAddress]);
  });

  it('diff: mint returns only the id (uint256)', async () => {
    // Old behaviour caught: mint returned (uint256 id, address wallet).
    const fresh = await f.chain.deploy('contracts/ioid/IoID.sol:IoID', [f.c.erc6551Registry, f.accountImplementation]);
    const { result } = await f.chain.publicClient.simulateContract({ address: fresh, abi: ioIDAbi, functionName: 'mint', args: [1n, other, owner], account: f.deployer });
    expect(result).toBe(1n);
  });

  it('minter rules: mint, removeDID, migrate by the minter only; setMinter by the current minter, never zero', async () => {
    await expectReason(f.chain.write(f.c.ioID, ioIDAbi, 'mint', [1n, other, owner]), 'invalid minter');
    await expectReason(f.chain.write(f.c.ioID, ioIDAbi, 'removeDID', [other]), 'invalid minter');
    await expectReason(f.chain.write(f.c.ioID, ioIDAbi, 'migrate', [1n, other]), 'invalid minter');
    await expectReason(f.chain.write(f.c.ioID, ioIDAbi, 'setMinter', [other], { from: f.deployer }), 'invalid minter');
    const fresh = await f.chain.deploy('contracts/ioid/IoID.sol:IoID', [f.c.erc6551Registry, f.accountImplementation]);
    expect(await f.chain.read(fresh, ioIDAbi, 'minter')).toBe(f.deployer);
    await expectReason(f.chain.write(fresh, ioIDAbi, 'removeDID', [other]), 'wallet not exist');
    await expectReason(f.chain.write(fresh, ioIDAbi, 'setMinter', [zeroAddress]), 'zero minter');
    const receipt = await f.chain.write(fresh, ioIDAbi, 'setMinter', [other]);
    expect(parseEventLogs({ abi: ioIDAbi, logs: receipt.logs, eventName: 'SetMinter' })[0]?.args).toEqual({ minter: other });
    await expectReason(f.chain.write(fresh, ioIDAbi, 'setMinter', [owner]), 'invalid minter');
    expect(await f.chain.read(fresh, ioIDAbi, 'walletRegistry')).toBe(f.c.erc6551Registry);
    expect(await f.chain.read(fresh, ioIDAbi, 'walletImplementation')).toBe(f.accountImplementation);
  });

  it('setResolver: the ioID owner only; emits SetResolver(id, resolver indexed)', async () => {
    // diff: resolver/setResolver did not exist.
    const { id } = await register();
    await expectReason(f.chain.write(f.c.ioID, ioIDAbi, 'setResolver', [id, other], { from: other }), 'not ioID owner');
    await expectRevert(f.chain.write(f.c.ioID, ioIDAbi, 'setResolver', [99n, other], { from: other }), 'ERC721NonexistentToken', [99n]);
    const receipt = await f.chain.write(f.c.ioID, ioIDAbi, 'setResolver', [id, other], { from: owner });
    expect(parseEventLogs({ abi: ioIDAbi, logs: receipt.logs, eventName: 'SetResolver' })[0]?.args).toEqual({ id, resolver: other });
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'resolver', [id])).toBe(other);
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'resolver', [99n])).toBe(zeroAddress);
  });

  it('wallet(id) answers for any id; wallet(did) is zero for unknown or differently written DIDs', async () => {
    // Old behaviour caught: wallet(id) of an unminted id and wallet(did) of an unknown DID reverted.
    const [computed, did] = await f.chain.read<[Address, string]>(f.c.ioID, ioIDAbi, 'wallet', [42n]);
    expect(did).toBe('');
    expect(computed).not.toBe(zeroAddress);
    const { device, id } = await register();
    const lower = `did:io:${device.address.toLowerCase()}`;
    const [wallet] = await f.chain.read<[Address, string]>(f.c.ioID, ioIDAbi, 'wallet', [id]);
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'wallet', [lower])).toBe(wallet);
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'wallet', [`did:io:${device.address}`])).toBe(zeroAddress); // checksummed: another string
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'wallet', ['did:io:nope'])).toBe(zeroAddress);
  });

  it('projectDeviceCount and deviceProject are not lowered by remove', async () => {
    // Old behaviour caught: remove decremented projectDeviceCount and cleared deviceProject.
    const { device } = await register();
    const { v, r, s } = await permit(device, owner);
    await registry('remove', [device.address, v, r, s]);
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'projectDeviceCount', [f.projectId])).toBe(1n);
    expect(await f.chain.read(f.c.ioID, ioIDAbi, 'deviceProject', [device.address])).toBe(f.projectId);
  });
});

describe('ioIDStore (contracts/ioIDStore.sol)', () => {
  it('diff: ActiveIoID has one argument, the project id (indexed)', async () => {
    // Old behaviour caught: ActiveIoID(uint256 indexed projectId, uint256 fee) had another topic.
    const { receipt } = await register();
    const [log] = topicsOf(receipt, f.c.ioIDStore, 'ActiveIoID(uint256)');
    expect(log?.topics).toEqual([keccak256(toHex('ActiveIoID(uint256)')), toHex(f.projectId, { size: 32 })]);
    expect(log?.data).toBe('0x');
  });

  it('activeIoID: only the ioIDRegistry; a hardware project needs an unused prepaid ioID, paying does not help', async () => {
    // Old behaviour caught: past the quota ours charged price() instead of refusing.
    await expectReason(store('activeIoID', [f.projectId], other), 'only ioIDRegistry');
    const { projectId, nft } = await newProject('hw', 0);
    const price = await f.chain.read<bigint>(f.c.ioIDStore, ioIDStoreAbi, 'price');
    await expectReason(register(newDevice(), owner, nft).then(() => undefined), 'insufficient ioID');
    await store('applyIoIDs', [projectId, 1n], other, price);
    await register(newDevice(), owner, nft);
    const tokenId = await mintDeviceNFT(owner, nft, other);
    const device = newDevice();
    const { v, r, s } = await permit(device, owner);
    await expectReason(registry('register', [nft, tokenId, device.address, HASH, URI, v, r, s], owner, price), 'insufficient ioID');
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreAbi, 'projectActivedAmount', [projectId])).toBe(1n);
  });

  it('activeIoID: a virtual project pays at least price() per device; the fee goes to feeReceiver when set', async () => {
    const { projectId, nft } = await newProject('virt', 1);
    const price = await f.chain.read<bigint>(f.c.ioIDStore, ioIDStoreAbi, 'price');
    const reg = async (value: bigint) => {
      const device = newDevice();
      const tokenId = await mintDeviceNFT(owner, nft, other);
      const { v, r, s } = await permit(device, owner);
      return registry('register', [nft, tokenId, device.address, HASH, URI, v, r, s], owner, value);
    };
    await expectReason(reg(price - 1n), 'insufficient fund');
    const kept = await f.chain.balance(f.c.ioIDStore);
    await reg(price + 5n); // more than price() is accepted, all of it kept
    expect((await f.chain.balance(f.c.ioIDStore)) - kept).toBe(price + 5n);
    await store('changeFeeReceiver', [relayer]);
    const before = await f.chain.balance(relayer);
    await reg(price);
    expect((await f.chain.balance(relayer)) - before).toBe(price);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreAbi, 'projectAppliedAmount', [projectId])).toBe(2n);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreAbi, 'projectActivedAmount', [projectId])).toBe(2n);
  });

  it('applyIoIDs: hardware projects only, at least amount * price(), by anyone; fee to feeReceiver when set', async () => {
    // Old behaviour caught: ours demanded the exact amount (WrongPayment) and refused amount 0 (ZeroValue).
    const price = await f.chain.read<bigint>(f.c.ioIDStore, ioIDStoreAbi, 'price');
    await expectReason(store('applyIoIDs', [f.projectId, 2n], other, price), 'insufficient fund');
    const { projectId: virtualId } = await newProject('virt', 1);
    await expectReason(store('applyIoIDs', [virtualId, 1n], other, price), 'only hardware project');
    await expectRevert(store('applyIoIDs', [99n, 1n], other, price), 'ERC721NonexistentToken', [99n]);
    const receipt = await store('applyIoIDs', [f.projectId, 2n], other, 3n * price);
    expect(parseEventLogs({ abi: ioIDStoreAbi, logs: receipt.logs, eventName: 'ApplyIoIDs' })[0]?.args).toEqual({ projectId: f.projectId, amount: 2n });
    await store('applyIoIDs', [f.projectId, 0n], other);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreAbi, 'projectAppliedAmount', [f.projectId])).toBe(102n);
    await store('changeFeeReceiver', [relayer]);
    const before = await f.chain.balance(relayer);
    await store('applyIoIDs', [f.projectId, 1n], other, price);
    expect((await f.chain.balance(relayer)) - before).toBe(price);
    // A receiver that refuses payments makes the payment fail.
    await store('changeFeeReceiver', [f.c.project]);
    await expectReason(store('applyIoIDs', [f.projectId, 1n], other, price), 'collect fee fail');
  });

  it('setDeviceContract and changeDeviceContract: IoTeX strings; the owner may rebind a project', async () => {
    // diff: changeDeviceContract did not exist.
    await expectReason(store('setDeviceContract', [f.projectId, other], other), 'invald project owner');
    await expectReason(store('setDeviceContract', [f.projectId, other]), 'project setted');
    await f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', ['second', 0]);
    await expectReason(store('setDeviceContract', [2n, f.deviceNFT]), 'contract setted');
    const set = await store('setDeviceContract', [2n, other]);
    expect(parseEventLogs({ abi: ioIDStoreAbi, logs: set.logs, eventName: 'SetDeviceContract' })[0]?.args).toEqual({ projectId: 2n, deviceContract: other });
    await expectRevert(store('changeDeviceContract', [2n, relayer], other), 'OwnableUnauthorizedAccount', [other]);
    await expectReason(store('changeDeviceContract', [2n, f.deviceNFT]), 'contract setted');
    const changed = await store('changeDeviceContract', [2n, relayer]);
    expect(parseEventLogs({ abi: ioIDStoreAbi, logs: changed.logs, eventName: 'SetDeviceContract' })[0]?.args).toEqual({ projectId: 2n, deviceContract: relayer });
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreAbi, 'projectDeviceContract', [2n])).toBe(relayer);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreAbi, 'deviceContractProject', [relayer])).toBe(2n);
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreAbi, 'deviceContractProject', [other])).toBe(2n); // the old entry stays
  });

  it('owner settings: changePrice, changeFeeReceiver, setIoIDRegistry, withdraw(address[],uint256[]) with their strings and events', async () => {
    // diff: feeReceiver, changeFeeReceiver, ChangeFeeReceiver and withdraw(address[],uint256[]) did not exist.
    expect(await f.chain.read(f.c.ioIDStore, ioIDStoreAbi, 'feeReceiver')).toBe(zeroAddress);
    await expectRevert(store('changeFeeReceiver', [other], other), 'OwnableUnauthorizedAccount', [other]);
    await expectReason(store('changeFeeReceiver', [zeroAddress]), 'zero address');
    const fee = await store('changeFeeReceiver', [other]);
    expect(parseEventLogs({ abi: ioIDStoreAbi, logs: fee.logs, eventName: 'ChangeFeeReceiver' })[0]?.args).toEqual({ feeReceiver: other });
    expect(topicsOf(fee, f.c.ioIDStore, 'ChangeFeeReceiver(address)')[0]?.topics[1]).toBe(encodeAbiParameters([{ type: 'address' }], [other]));
    const price = await store('changePrice', [7n]);
    expect(parseEventLogs({ abi: ioIDStoreAbi, logs: price.logs, eventName: 'ChangePrice' })[0]?.args).toEqual({ price: 7n });
    await expectReason(store('setIoIDRegistry', [zeroAddress]), 'zero address');
    const reg = await store('setIoIDRegistry', [f.c.ioIDRegistry]);
    expect(topicsOf(reg, f.c.ioIDStore, 'SetIoIDRegistry(address)')[0]?.topics[1]).toBe(encodeAbiParameters([{ type: 'address' }], [f.c.ioIDRegistry]));

    await expectRevert(store('withdraw', [[other], [1n]], other), 'OwnableUnauthorizedAccount', [other]);
    await expectReason(store('withdraw', [[other, relayer], [1n]]), 'invalid request');
    await expectReason(store('withdraw', [[f.c.project], [1n]]), 'transfer fail');
    const [a, b] = [await f.chain.balance(other), await f.chain.balance(relayer)];
    await store('withdraw', [[other, relayer], [parseEther('1'), parseEther('2')]]);
    expect([(await f.chain.balance(other)) - a, (await f.chain.balance(relayer)) - b]).toEqual([parseEther('1'), parseEther('2')]);
  });

  it('emits Initialize(project indexed, price) when deployed', async () => {
    const events = await f.chain.publicClient.getContractEvents({ address: f.c.ioIDStore, abi: ioIDStoreAbi, eventName: 'Initialize', fromBlock: 0n });
    expect(events.map((e) => e.args)).toEqual([{ project: f.c.project, price: parseEther('1') }]);
  });
});

describe('ProjectRegistry and Project (contracts/ProjectRegistry.sol, contracts/Project.sol)', () => {
  it('diff: register() mints an unnamed hardware project; register(string) a named hardware project', async () => {
    // Old behaviour caught: only register(string,uint8) existed.
    const unnamed = await f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', [], { from: other });
    const unnamedId = await f.chain.read<bigint>(f.c.project, projectAbi, 'count');
    expect(await f.chain.read(f.c.project, projectAbi, 'name', [unnamedId])).toBe('');
    expect(await f.chain.read(f.c.project, projectAbi, 'projectType', [unnamedId])).toBe(0);
    expect(await f.chain.read(f.c.project, projectAbi, 'ownerOf', [unnamedId])).toBe(other);
    expect(parseEventLogs({ abi: projectAbi, logs: unnamed.logs, eventName: 'SetName' })).toHaveLength(0);
    const named = await f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', ['named'], { from: other });
    const namedId = unnamedId + 1n;
    expect(parseEventLogs({ abi: projectAbi, logs: named.logs, eventName: 'SetName' })[0]?.args).toEqual({ projectId: namedId, name: 'named' });
    expect(await f.chain.read(f.c.project, projectAbi, 'projectType', [namedId])).toBe(0);
    expect(await f.chain.read(f.c.project, projectAbi, 'count')).toBe(namedId);
  });

  it('naming rules: "empty name", "exist name" for every register overload; any project type is stored', async () => {
    // Old behaviour caught: custom errors EmptyProjectName/ProjectNameTaken, and types above 1 refused.
    for (const args of [[''], ['', 0]]) {
      await expectReason(f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', args), 'empty name');
    }
    for (const args of [['outpost-demo'], ['outpost-demo', 1]]) {
      await expectReason(f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', args), 'exist name');
    }
    await f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', ['type-two', 2]);
    expect(await f.chain.read(f.c.project, projectAbi, 'projectType', [2n])).toBe(2);
    await expectRevert(f.chain.read(f.c.project, projectAbi, 'name', [99n]), 'ERC721NonexistentToken', [99n]);
    await expectRevert(f.chain.read(f.c.project, projectAbi, 'projectType', [99n]), 'ERC721NonexistentToken', [99n]);
  });

  it('mint: the minter only ("not minter"), for each overload; setMinter is the contract owner\'s, emits SetMinter', async () => {
    await expectReason(project('mint', [owner]), 'not minter');
    await expectReason(project('mint', [owner, 'x']), 'not minter');
    await expectReason(project('mint', [owner, 'x', 0]), 'not minter');
    await expectRevert(project('setMinter', [owner], other), 'OwnableUnauthorizedAccount', [other]);
    const receipt = await project('setMinter', [owner], f.deployer);
    expect(parseEventLogs({ abi: projectAbi, logs: receipt.logs, eventName: 'SetMinter' })[0]?.args).toEqual({ minter: owner });
    await project('mint', [other, 'direct', 1], owner);
    expect(await f.chain.read(f.c.project, projectAbi, 'name', [2n])).toBe('direct');
  });

  it('setName: the project owner only; unique non-empty names; the old name becomes free', async () => {
    // diff: setName and SetName did not exist.
    await f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', ['first', 0], { from: owner });
    await expectReason(project('setName', [2n, 'renamed'], other), 'invalid owner');
    await expectRevert(project('setName', [99n, 'renamed'], other), 'ERC721NonexistentToken', [99n]);
    await expectReason(project('setName', [2n, '']), 'empty name');
    await expectReason(project('setName', [2n, 'first']), 'exist name');
    await expectReason(project('setName', [2n, 'outpost-demo']), 'exist name');
    const receipt = await project('setName', [2n, 'renamed']);
    expect(parseEventLogs({ abi: projectAbi, logs: receipt.logs, eventName: 'SetName' })[0]?.args).toEqual({ projectId: 2n, name: 'renamed' });
    expect(await f.chain.read(f.c.project, projectAbi, 'name', [2n])).toBe('renamed');
    await f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', ['first', 0], { from: other }); // freed
  });

  it('operators: the owner adds and removes them; owner and operators write metadata (AddMetadata)', async () => {
    // diff: addOperator/removeOperator, AddOperator/RemoveOperator/AddMetadata did not exist; metadata was owner-only.
    await f.chain.write(f.c.projectRegistry, projectRegistryAbi, 'register', ['ops', 0], { from: owner });
    await expectReason(project('addOperator', [2n, relayer], other), 'invalid owner');
    const added = await project('addOperator', [2n, relayer]);
    expect(parseEventLogs({ abi: projectAbi, logs: added.logs, eventName: 'AddOperator' })[0]?.args).toEqual({ projectId: 2n, operator: relayer });
    await expectReason(project('addOperator', [2n, relayer]), 'already operator');
    // Operators write metadata but do not rename or appoint.
    await expectReason(project('setName', [2n, 'x'], relayer), 'invalid owner');
    await expectReason(project('addOperator', [2n, other], relayer), 'invalid owner');
    await expectReason(project('setMetadata', [2n, 'k', '0x01'], other), 'invalid operator');
    const written = await project('setMetadata', [2n, 'k', '0xbeef'], relayer);
    expect(parseEventLogs({ abi: projectAbi, logs: written.logs, eventName: 'AddMetadata' })[0]?.args).toEqual({
      projectId: 2n, name: 'k', key: keccak256(toHex('k')), value: '0xbeef',
    });
    expect(await f.chain.read(f.c.project, projectAbi, 'metadata', [2n, 'k'])).toBe('0xbeef');
    await expectReason(project('removeOperator', [2n, other]), 'not operator');
    await expectReason(project('removeOperator', [2n, relayer], relayer), 'invalid owner');
    const removed = await project('removeOperator', [2n, relayer]);
    expect(parseEventLogs({ abi: projectAbi, logs: removed.logs, eventName: 'RemoveOperator' })[0]?.args).toEqual({ projectId: 2n, operator: relayer });
    await expectReason(project('setMetadata', [2n, 'k', '0x02'], relayer), 'invalid operator');
    await project('setMetadata', [2n, 'k', '0x02'], owner);
    await expectRevert(project('setMetadata', [99n, 'k', '0x02'], owner), 'ERC721NonexistentToken', [99n]);
    await expectRevert(f.chain.read(f.c.project, projectAbi, 'metadata', [99n, 'k']), 'ERC721NonexistentToken', [99n]);
  });
});
