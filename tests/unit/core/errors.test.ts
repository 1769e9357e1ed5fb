import { describe, expect, it } from 'vitest';
import { causeChain, describeError, firstLine, OutpostError, walkCauses } from '../../../src/core/errors.js';
import { isOutpostErrorCode, WALLET_ERRORS } from '../../../src/core/errorCodes.js';
import { WrongPasswordError } from '../../../src/core/wallet/errors.js';

describe('OutpostError', () => {
  it('takes details from the root cause’s first line when none are given', () => {
    const root = new Error('socket hang up\n    at Socket.emit (node:events:1)');
    const middle = new Error('fetch failed', { cause: root });
    const error = new OutpostError('rpc.unreachable', 'The RPC does not answer.', { cause: middle, hint: 'Check the connection.' });
    expect(error.details).toBe('socket hang up');
    expect(error.shortMessage).toBe('The RPC does not answer.');
    expect(error.message).toBe('The RPC does not answer.\nCheck the connection.\nDetails: socket hang up');
  });

  it('keeps explicit details over the cause', () => {
    const error = new OutpostError('rpc.unreachable', 'x', { cause: new Error('inner'), details: 'given' });
    expect(error.details).toBe('given');
  });

  it('walks to the root, or to the first match, across foreign errors', () => {
    const root = { code: 4001, message: 'User rejected' };
    const wrapped = new Error('connector failed', { cause: new Error('provider', { cause: root }) });
    const error = new OutpostError('wallet.rejected', 'You rejected it.', { cause: wrapped });
    expect(error.walk()).toBe(root);
    expect(error.walk((cause) => (cause as { code?: unknown }).code === 4001)).toBe(root);
    expect(error.walk((cause) => cause === 'absent')).toBeNull();
    expect(causeChain(error)).toHaveLength(4);
  });

  it('stops on a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(causeChain(b)).toEqual([b, a]);
    expect(walkCauses(b)).toBe(a);
  });
});

describe('firstLine', () => {
  it('reads any thrown value', () => {
    expect(firstLine(new Error('one\ntwo'))).toBe('one');
    expect(firstLine('plain\nmore')).toBe('plain');
    expect(firstLine(42)).toBe('42');
    expect(firstLine({ shortMessage: 'viem short', message: 'long\nlong' })).toBe('viem short');
  });

  it('is what describeError shows for a foreign error', () => {
    expect(describeError(new Error('first\nsecond'))).toBe('first');
    expect(describeError(new WrongPasswordError())).toBe('That password does not unlock this wallet. Check the password (it is case-sensitive) and try again.');
  });
});

describe('error codes', () => {
  it('are domain.snake_case and recognised as data', () => {
    expect(WALLET_ERRORS.wrong_password).toBe('wallet.wrong_password');
    expect(new WrongPasswordError().code).toBe('wallet.wrong_password');
    expect(isOutpostErrorCode('device.frame_crc')).toBe(true);
    expect(isOutpostErrorCode('relay.bad_proof')).toBe(true);
    expect(isOutpostErrorCode('relay.http_502')).toBe(true);
    expect(isOutpostErrorCode('device.frame.crc')).toBe(false);
    expect(isOutpostErrorCode('relay.made_up')).toBe(false);
  });
});
