import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeFunctionData, keccak256, parseEther, toHex, type Address, type Hex } from 'viem';
import {
  bucketStrategyDevnetAbi,
  dataRewardsAbi,
  delegateRegistryAbi,
  deviceNFTAbi,
  erc6551AccountAbi,
  ioIDDevnetAbi,
  ioIDStoreDevnetAbi,
  projectDevnetAbi,
  systemStakingDevnetAbi,
} from '../../src/core/abis/index.js';
import { devAccount } from '../../scripts/deploy/deployer.js';
import { expectRevert } from './helpers/chain.js';
import { deployFixture, type Fixture } from './helpers/fixture.js';
import { registerNewDevice } from './helpers/ioid.js';

let f: Fixture;
let snap: Hex;
let owner: Address;
let other: Address;
let wallet: Address;

beforeAll(async () => {
  f = await deployFixture();
  [owner, other] = [f.chain.accounts[2]!, f.chain.accounts[3]!];
  const { ioID } = await registerNewDevice(f, owner);
  [wallet] = await f.chain.read<[Address, string]>(f.c.ioID, ioIDDevnetAbi, 'wallet', [ioID]);
  snap = await f.chain.snapshot();
});
beforeEach(async () => {
  await f.chain.revert(snap);
  snap = await f.chain.snapshot();
});

describe('ERC-6551 account of an ioID', () => {
  it('names the ioID owner as its only valid signer (ERC-6551 and ERC-1271)', async () => {
    expect(await f.chain.read(wallet, erc6551AccountAbi, 'isValidSigner', [owner, '0x'])).toBe('0x523e3260');
    expect(await f.chain.read(wallet, erc6551AccountAbi, 'isValidSigner', [other, '0x'])).toBe('0x00000000');
    const hash = keccak256(toHex('message'));
    // Raw signatures over the hash by the owner's and someone else's DEV-ONLY keys.
    const ownerSig = await devAccount(2).sign({ hash });
    expect(await f.chain.read(wallet, erc6551AccountAbi, 'isValidSignature', [hash, ownerSig])).toBe('0x1626ba7e');
    const otherSig = await devAccount(3).sign({ hash });
    expect(await f.chain.read(wallet, erc6551AccountAbi, 'isValidSignature', [hash, otherSig])).toBe('0x00000000');
  });

  it('supports its interfaces, receives IOTX, and refuses to own its own ioID', async () => {
    for (const id of ['0x01ffc9a7', '0x6faff5f1', '0x51945447', '0x150b7a02', '0x1626ba7e'] as const) {
      expect(await f.chain.read(wallet, erc6551AccountAbi, 'supportsInterface', [id])).toBe(true);
    }
    expect(await f.chain.read(wallet, erc6551AccountAbi, 'supportsInterface', ['0xdeadbeef'])).toBe(false);
    const { request } = { request: { to: wallet, value: parseEther('1') } };
    const hash = await f.chain.publicClient.request({ method: 'eth_sendTransaction', params: [{ from: other, to: request.to, value: toHex(request.value) }] } as never) as Hex;
    await f.chain.publicClient.waitForTransactionReceipt({ hash });
    expect(await f.chain.balance(wallet)).toBe(parseEther('1'));
    // Sending value out through execute.
    const before = await f.chain.balance(other);
    await f.chain.write(wallet, erc6551AccountAbi, 'execute', [other, parseEther('0.5'), '0x', 0], { from: owner });
    expect((await f.chain.balance(other)) - before).toBe(parseEther('0.5'));
    await expectRevert(
      f.chain.write(f.c.ioID, ioIDDevnetAbi, 'safeTransferFrom', [owner, wallet, 1n], { from: owner }),
      'OwnershipCycle',
    );
    // A failing inner call bubbles its error.
    const data = encodeFunctionData({ abi: deviceNFTAbi, functionName: 'mint', args: [owner] });
    await expectRevert(f.chain.write(wallet, erc6551AccountAbi, 'execute', [f.deviceNFT, 0n, data, 0], { from: owner }), 'AccessControlUnauthorizedAccount');
  });
});

describe('admin paths and interfaces', () => {
  it('Project.setMinter, IoIDStore.withdraw and setIoIDRegistry are owner-only', async () => {
    await expectRevert(f.chain.write(f.c.project, projectDevnetAbi, 'setMinter', [other], { from: other }), 'OwnableUnauthorizedAccount', [other]);
    await expectRevert(f.chain.write(f.c.ioIDStore, ioIDStoreDevnetAbi, 'withdraw', [other, 1n], { from: other }), 'OwnableUnauthorizedAccount', [other]);
    await expectRevert(f.chain.write(f.c.ioIDStore, ioIDStoreDevnetAbi, 'setIoIDRegistry', [other], { from: other }), 'OwnableUnauthorizedAccount', [other]);
  });

  it('DeviceNFT reports ERC-721 and AccessControl interfaces', async () => {
    expect(await f.chain.read(f.deviceNFT, deviceNFTAbi, 'supportsInterface', ['0x80ac58cd'])).toBe(true);
    expect(await f.chain.read(f.deviceNFT, deviceNFTAbi, 'supportsInterface', ['0x7965db0b'])).toBe(true);
    expect(await f.chain.read(f.deviceNFT, deviceNFTAbi, 'supportsInterface', ['0xffffffff'])).toBe(false);
  });

  it('BucketStrategy restakes a bucket sent with plain safeTransferFrom (no module), has an owner-set treasury and refuses unknown modules', async () => {
    await f.chain.write(f.c.systemStaking, systemStakingDevnetAbi, 'stake', [0n, f.delegates[0]], { from: owner, value: parseEther('1') });
    // Bucket 1 is the devnet's module stake; this one is bucket 2.
    await f.chain.write(f.c.systemStaking, systemStakingDevnetAbi, 'safeTransferFrom', [owner, f.c.bucketStrategy, 2n], { from: owner });
    expect(await f.chain.read(f.c.systemStaking, systemStakingDevnetAbi, 'ownerOf', [2n])).toBe(f.c.bucketStrategy);
    // Restaked for its owner rather than parked (IoTeX's strategy would park it with no way out).
    expect(await f.chain.read(f.c.bucketStrategy, bucketStrategyDevnetAbi, 'restakeOf', [2n])).toEqual([owner, 0n, parseEther('1'), 0n]);
    await expectRevert(f.chain.write(f.c.bucketStrategy, bucketStrategyDevnetAbi, 'setTreasury', [other], { from: other }), 'OwnableUnauthorizedAccount');
    await f.chain.write(f.c.bucketStrategy, bucketStrategyDevnetAbi, 'setTreasury', [other]);
    expect(await f.chain.read(f.c.bucketStrategy, bucketStrategyDevnetAbi, 'treasury')).toBe(other);
    await expectRevert(f.chain.read(f.c.bucketStrategy, bucketStrategyDevnetAbi, 'moduleInfo', [5n]), 'UnknownModule', [5n]);
    expect(await f.chain.read(f.c.bucketStrategy, bucketStrategyDevnetAbi, 'slashBps')).toBe(500n);
    expect(await f.chain.read(f.c.bucketStrategy, bucketStrategyDevnetAbi, 'slasher')).toBe(f.c.batchInbox);
  });

  it('DataRewards takes plain transfers into the pool', async () => {
    const hash = await f.chain.publicClient.request({ method: 'eth_sendTransaction', params: [{ from: other, to: f.c.dataRewards, value: toHex(parseEther('2')) }] } as never) as Hex;
    await f.chain.publicClient.waitForTransactionReceipt({ hash });
    expect(await f.chain.read(f.c.dataRewards, dataRewardsAbi, 'unallocated')).toBe(parseEther('1002'));
  });

  it('DelegateRegistry refuses names over 32 bytes', async () => {
    await expectRevert(f.chain.write(f.c.delegateRegistry, delegateRegistryAbi, 'register', [other, 'x'.repeat(33)]), 'InvalidDelegateName');
  });
});
