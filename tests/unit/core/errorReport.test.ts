import { wordlist } from '@scure/bip39/wordlists/english.js';
import { describe, expect, it } from 'vitest';
import { errorReport, errorView, readErrorRecord, redactSecrets, toErrorRecord } from '../../../src/core/errorReport.js';
import { OutpostError } from '../../../src/core/errors.js';
import { WrongPasswordError } from '../../../src/core/wallet/errors.js';

const words = new Set(wordlist);
const KEY = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
// The standard BIP-39 test vector phrase, not a real wallet.
const PHRASE = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

describe('redactSecrets', () => {
  it('hides private keys and any 32-byte hex, with or without 0x', () => {
    expect(redactSecrets(`key ${KEY} and ${KEY.slice(2)}`, words)).toBe('key [redacted 32-byte hex] and [redacted 32-byte hex]');
  });

  it('keeps a 20-byte address', () => {
    const address = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
    expect(redactSecrets(`to ${address}`, words)).toBe(`to ${address}`);
  });

  it('hides a recovery phrase of 12+ BIP-39 words, also comma separated, but not an ordinary sentence', () => {
    expect(redactSecrets(`phrase: ${PHRASE}.`, words)).toBe('phrase: [redacted word sequence].');
    expect(redactSecrets(`got ${PHRASE.replaceAll(' ', ', ')}`, words)).toBe('got [redacted word sequence]');
    const sentence = 'The device did not answer in time, so the app will try again when it reconnects.';
    expect(redactSecrets(sentence, words)).toBe(sentence);
  });

  it('hides the value of password and secret fields', () => {
    expect(redactSecrets('password=hunter2 user=alice', words)).toBe('password=[redacted] user=alice');
    expect(redactSecrets('{"passphrase": "correct horse"}', words)).toBe('{"passphrase": [redacted]}');
  });
});

describe('errorReport', () => {
  it('has the code, message, fix, cause chain and context, with secrets removed', () => {
    const root = new Error(`invalid private key ${KEY}`);
    const error = new OutpostError('wallet.private_key_invalid', 'This is not a valid private key.', { hint: 'Paste 64 hex digits.', cause: root });
    const report = errorReport(error, { screen: 'wallet/import', network: 'devnet', appVersion: '1.2.3' }, words, new Date('2026-01-02T03:04:05Z'));
    expect(report).toBe(
      [
        'Outpost error report',
        'code: wallet.private_key_invalid',
        'message: This is not a valid private key.',
        'fix: Paste 64 hex digits.',
        'details: invalid private key [redacted 32-byte hex]',
        'cause chain:',
        '  0. OutpostError [wallet.private_key_invalid]: This is not a valid private key.',
        '  1. Error: invalid private key [redacted 32-byte hex]',
        'screen: wallet/import',
        'network: devnet',
        'app version: 1.2.3',
        'time: 2026-01-02T03:04:05.000Z',
      ].join('\n'),
    );
    expect(report).not.toContain(KEY.slice(2));
  });
});

describe('stored error records', () => {
  it('keeps code, message and hint, and reads old plain-string records', () => {
    expect(toErrorRecord(new WrongPasswordError())).toEqual({ code: 'wallet.wrong_password', message: 'That password does not unlock this wallet.', hint: 'Check the password (it is case-sensitive) and try again.' });
    expect(readErrorRecord('The relay could not be reached.')).toEqual({ code: null, message: 'The relay could not be reached.', hint: null });
    expect(readErrorRecord(undefined)).toBeNull();
    expect(errorView({ code: 'relay.bad_proof', message: 'The proof does not verify.', hint: 'Prove again.' })).toMatchObject({ code: 'relay.bad_proof', shortMessage: 'The proof does not verify.', hint: 'Prove again.' });
  });
});
