import { describe, expect, it } from 'vitest';
import { encodeFunctionData, parseAbi } from 'viem';
import { decodeCall, decodeTypedData, InvalidTypedDataError } from '../../../src/core/signing/decode.js';

const abi = parseAbi(['function transfer(address to, uint256 amount) returns (bool)']);
const TO = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

describe('confirmation decoding', () => {
  it('decodes a contract call with its ABI, argument by argument, with io1 forms for addresses', () => {
    const data = encodeFunctionData({ abi, functionName: 'transfer', args: [TO, 42n] });
    const decoded = decodeCall({ to: TO, data, abi });
    expect(decoded.kind).toBe('call');
    if (decoded.kind !== 'call') return;
    expect(decoded.functionName).toBe('transfer');
    expect(decoded.args).toEqual([
      { name: 'to', type: 'address', value: TO, ioAddress: 'io17w0adeg64ky0daxwd2ugyuneellmjgnxa07fhr' },
      { name: 'amount', type: 'uint256', value: '42' },
    ]);
  });

  it('labels an overloaded function’s arguments with the parameters of the overload that was called', () => {
    const staking = parseAbi([
      'function stake(uint256 amount, uint256 duration, address[] delegates) payable',
      'function stake(uint256 duration, address delegate) payable returns (uint256)',
    ]);
    const data = encodeFunctionData({ abi: staking, functionName: 'stake', args: [604_800n, TO] });
    const decoded = decodeCall({ to: TO, data, abi: staking });
    expect(decoded.kind).toBe('call');
    if (decoded.kind !== 'call') return;
    expect(decoded.args).toEqual([
      { name: 'duration', type: 'uint256', value: '604800' },
      { name: 'delegate', type: 'address', value: TO, ioAddress: 'io17w0adeg64ky0daxwd2ugyuneellmjgnxa07fhr' },
    ]);
  });

  it('says when data cannot be decoded, and treats empty data as a transfer', () => {
    expect(decodeCall({ to: TO, data: '0xdeadbeef', abi }).kind).toBe('unknown');
    expect(decodeCall({ to: TO, data: '0xdeadbeef' })).toMatchObject({ kind: 'unknown', reason: 'No ABI is known for this contract.' });
    expect(decodeCall({ to: TO, value: 5n })).toEqual({ kind: 'transfer', to: TO, value: 5n });
  });

  it('decodes EIP-712 typed data field by field, nested structs and arrays included', () => {
    const decoded = decodeTypedData({
      domain: { name: 'Outpost', version: '1', chainId: 31337, verifyingContract: TO },
      types: {
        Device: [{ name: 'id', type: 'bytes32' }, { name: 'owner', type: 'address' }],
        Pairing: [{ name: 'device', type: 'Device' }, { name: 'nonces', type: 'uint64[]' }],
      },
      primaryType: 'Pairing',
      message: { device: { id: `0x${'ab'.repeat(32)}`, owner: TO }, nonces: [1n, 2n] },
    });
    expect(decoded.primaryType).toBe('Pairing');
    expect(decoded.domain.map((f) => [f.name, f.value])).toEqual([['name', 'Outpost'], ['version', '1'], ['chainId', '31337'], ['verifyingContract', TO]]);
    expect(decoded.message[0]?.fields?.[1]).toEqual({ name: 'owner', type: 'address', value: TO, ioAddress: 'io17w0adeg64ky0daxwd2ugyuneellmjgnxa07fhr' });
    expect(decoded.message[1]?.fields?.map((f) => f.value)).toEqual(['1', '2']);
  });

  it('refuses malformed typed data with a named error', () => {
    expect(() =>
      decodeTypedData({ domain: {}, types: { A: [{ name: 'x', type: 'uint8' }] }, primaryType: 'A', message: { x: 300n } }),
    ).toThrow(InvalidTypedDataError);
  });
});
