/**
 * Reverts decode the same way whichever side raised them: IoTeX's SystemStaking V3 custom errors,
 * OpenZeppelin 4 revert strings (IoTeX's contracts), OpenZeppelin 5 custom errors (ours), panics,
 * and revert data buried in a library's error chain. Revert data is encoded here from the error
 * signatures as written in IoTeX's and OpenZeppelin's sources, not taken from the app's tables.
 */
import { describe, expect, it } from 'vitest';
import { BaseError, encodeErrorResult, parseAbi, type Hex } from 'viem';
import { ContractRevertError, asContractRevert, decodeRevertData, findRevert, formatRevert } from '../../../src/core/reverts/index.js';

const v3 = parseAbi(['error ErrNotReady()', 'error ErrInvalidDuration()', 'error ErrNotOwner()']);
const oz5 = parseAbi(['error ERC721NonexistentToken(uint256 tokenId)']);
const solidity = parseAbi(['error Error(string)', 'error Panic(uint256)']);

const errNotReady = encodeErrorResult({ abi: v3, errorName: 'ErrNotReady' });
const oz4Missing = encodeErrorResult({ abi: solidity, errorName: 'Error', args: ['ERC721: invalid token ID'] });
const oz5Missing = encodeErrorResult({ abi: oz5, errorName: 'ERC721NonexistentToken', args: [42n] });

describe('decodeRevertData', () => {
  it('decodes IoTeX V3 custom errors by name', () => {
    expect(decodeRevertData(errNotReady)).toMatchObject({ kind: 'error', name: 'ErrNotReady', args: [] });
    expect(decodeRevertData(encodeErrorResult({ abi: v3, errorName: 'ErrInvalidDuration' }))).toMatchObject({ kind: 'error', name: 'ErrInvalidDuration' });
  });

  it('decodes OpenZeppelin 4 revert strings and OpenZeppelin 5 errors', () => {
    expect(decodeRevertData(oz4Missing)).toEqual({ kind: 'reason', reason: 'ERC721: invalid token ID', data: oz4Missing });
    expect(decodeRevertData(oz5Missing)).toMatchObject({ kind: 'error', name: 'ERC721NonexistentToken', args: [42n] });
  });

  it('decodes panics and leaves unknown selectors unknown', () => {
    expect(decodeRevertData(encodeErrorResult({ abi: solidity, errorName: 'Panic', args: [0x11n] }))).toMatchObject({ kind: 'panic', code: 0x11n });
    expect(decodeRevertData('0xdeadbeef')).toEqual({ kind: 'unknown', data: '0xdeadbeef' });
    expect(decodeRevertData('0x')).toEqual({ kind: 'unknown', data: null });
  });
});

describe('findRevert', () => {
  it('finds revert data deep in a viem error chain and in JSON-RPC error objects', () => {
    const rpc = { code: 3, message: 'execution reverted', data: errNotReady };
    const wrapped = new BaseError('The contract function "unstake" reverted.', { cause: new BaseError('Execution reverted', { cause: rpc as unknown as Error }) });
    expect(findRevert(wrapped)).toMatchObject({ kind: 'error', name: 'ErrNotReady' });
    expect(findRevert({ message: 'x', cause: { data: { data: oz4Missing } } })).toMatchObject({ kind: 'reason', reason: 'ERC721: invalid token ID' });
  });

  it('reads a reason a node only put in its message', () => {
    expect(findRevert(new Error("VM Exception while processing transaction: reverted with reason string 'device not exists'"))).toEqual({
      kind: 'reason',
      reason: 'device not exists',
      data: null,
    });
  });

  it('knows Hardhat\'s own words for a revert without data (a contract with no receive function)', () => {
    // What Hardhat's node answers eth_estimateGas for IOTX sent to BatchInbox, as viem wraps it.
    const refused = { message: 'RPC Request failed.', cause: { message: "Error: Transaction reverted: function selector was not recognized and there's no fallback nor receive function", data: '0x' } };
    expect(findRevert(refused)).toEqual({ kind: 'unknown', data: null });
  });

  it('returns null for failures that are not reverts', () => {
    expect(findRevert(new Error('fetch failed'))).toBeNull();
    expect(findRevert(new BaseError('User rejected the request.'))).toBeNull();
  });
});

describe('ContractRevertError', () => {
  it('explains a missing token the same way for OpenZeppelin 4 (IoTeX) and 5 (ours)', () => {
    const theirs = new ContractRevertError(decodeRevertData(oz4Missing));
    const ours = new ContractRevertError(decodeRevertData(oz5Missing));
    expect(theirs.shortMessage).toMatch(/does not exist/);
    expect(ours.shortMessage).toBe(theirs.shortMessage);
    expect(theirs.details).toBe('"ERC721: invalid token ID"');
    expect(ours.details).toBe('ERC721NonexistentToken(42)');
    expect(theirs.code).toBe('chain.reverted');
  });

  it('names the action and says what to do for V3 errors', () => {
    const error = asContractRevert(new BaseError('reverted', { cause: { data: errNotReady } as unknown as Error }), 'Unstake bucket 3');
    expect(error).toBeInstanceOf(ContractRevertError);
    expect((error as ContractRevertError).shortMessage).toMatch(/^Unstake bucket 3: It is too early/);
    expect((error as ContractRevertError).hint).toMatch(/time left/);
  });

  it('still names the contract’s own words for reverts it has no wording for', () => {
    const data: Hex = encodeErrorResult({ abi: solidity, errorName: 'Error', args: ['some new rule'] });
    const error = new ContractRevertError(decodeRevertData(data));
    expect(error.shortMessage).toContain('"some new rule"');
    expect(formatRevert(error.revert)).toBe('"some new rule"');
  });

  it('leaves non-reverts alone', () => {
    const network = new Error('fetch failed');
    expect(asContractRevert(network)).toBe(network);
  });
});
