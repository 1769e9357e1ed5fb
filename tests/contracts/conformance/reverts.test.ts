/**
 * The app's revert decoder (src/core/reverts) on real reverts from our contracts on Hardhat's EVM,
 * thrown by viem the way the app meets them (simulate / eth_call): IoTeX V3's custom errors,
 * ioID's revert strings, OpenZeppelin 5's errors. The expected meaning is written here from IoTeX's
 * rules; the OpenZeppelin 4 strings IoTeX's own deployments give are covered in
 * tests/unit/core/reverts.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeFunctionData, keccak256, parseEther, toHex, type Hex } from 'viem';
import { ioIDRegistryAbi, systemStakingAbi } from '../../../src/core/abis/index.js';
import { asContractRevert, ContractRevertError, findRevert } from '../../../src/core/reverts/index.js';
import { newDevice } from '../helpers/device.js';
import { deployFixture, type Fixture } from '../helpers/fixture.js';

let f: Fixture;
const DAY = 86_400n;

beforeAll(async () => {
  f = await deployFixture();
});

/** What the app sees: an eth_call that reverts, thrown by viem. */
async function callError(to: Hex, data: Hex, value = 0n): Promise<unknown> {
  try {
    await f.chain.publicClient.call({ account: f.chain.accounts[2]!, to, data, value });
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to revert');
}

describe('reverts as the app decodes them', () => {
  it('stake for 1.5 days: V3’s ErrInvalidDuration, explained as whole days', async () => {
    const data = encodeFunctionData({ abi: systemStakingAbi, functionName: 'stake', args: [DAY + DAY / 2n, f.delegates[0]!] });
    const error = asContractRevert(await callError(f.c.systemStaking, data, parseEther('1')), 'Stake');
    expect(error).toBeInstanceOf(ContractRevertError);
    expect((error as ContractRevertError).revert).toMatchObject({ kind: 'error', name: 'ErrInvalidDuration' });
    expect((error as ContractRevertError).shortMessage).toMatch(/^Stake: .*whole number of days/);
  });

  it('bucketOf a bucket that does not exist: OpenZeppelin 5’s error, the same words as IoTeX’s "ERC721: invalid token ID"', async () => {
    const data = encodeFunctionData({ abi: systemStakingAbi, functionName: 'bucketOf', args: [999n] });
    const revert = findRevert(await callError(f.c.systemStaking, data));
    expect(revert).toMatchObject({ kind: 'error', name: 'ERC721NonexistentToken', args: [999n] });
    const ours = new ContractRevertError(revert!);
    const theirs = new ContractRevertError({ kind: 'reason', reason: 'ERC721: invalid token ID', data: null });
    expect(ours.shortMessage).toBe(theirs.shortMessage);
  });

  it('documentHash of a device without an ioID: ioID’s "device not exists" string', async () => {
    const data = encodeFunctionData({ abi: ioIDRegistryAbi, functionName: 'documentHash', args: [newDevice().address] });
    const error = asContractRevert(await callError(f.c.ioIDRegistry, data)) as ContractRevertError;
    expect(error.revert).toEqual({ kind: 'reason', reason: 'device not exists', data: expect.stringMatching(/^0x08c379a0/) });
    expect(error.shortMessage).toMatch(/has no ioID/);
    expect(error.details).toBe('"device not exists"');
  });

  it('register with a forged device signature: "invalid signature", with what to do', async () => {
    const device = newDevice();
    const data = encodeFunctionData({
      abi: ioIDRegistryAbi,
      functionName: 'register',
      args: [f.deviceNFT, 1n, device.address, keccak256(toHex('doc')), 'ipfs://doc', 27, keccak256(toHex('r')), keccak256(toHex('s'))],
    });
    const error = asContractRevert(await callError(f.c.ioIDRegistry, data)) as ContractRevertError;
    expect(error).toBeInstanceOf(ContractRevertError);
    expect(error.revert).toMatchObject({ kind: 'reason', reason: 'invalid signature' });
    expect(error.shortMessage).toMatch(/signature does not match/);
    expect(error.hint).toMatch(/sign the permit again/);
  });
});
