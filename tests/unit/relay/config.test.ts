/**
 * What GET /v1/info promises about anchoring (anchorWithinSeconds) and where it comes from:
 * RELAY_ANCHOR_WITHIN_SECONDS, else the anchoring interval plus a 15-minute confirmation margin.
 */
import { describe, expect, it } from 'vitest';
import { anchorWithinSeconds, checkConfig } from '../../../src/relay/config.js';
import { relayConfigFromEnv } from '../../../src/relay/env.js';
import { RelayConfigError, RelayRejection } from '../../../src/relay/errors.js';

const ENV = {
  RELAY_RPC_URL: 'http://127.0.0.1:8545',
  RELAY_IOID_REGISTRY: '0x0000000000000000000000000000000000000001',
  RELAY_BATCH_INBOX: '0x0000000000000000000000000000000000000002',
  RELAY_OPERATOR_KEY: `0x${'11'.repeat(32)}`,
  RELAY_MODULE_ID: '7',
};

describe('anchorWithinSeconds', () => {
  it('defaults to the anchoring interval (rounded up) plus 900 s', () => {
    expect(anchorWithinSeconds(relayConfigFromEnv(ENV, null))).toBe(10 + 900);
    expect(anchorWithinSeconds(relayConfigFromEnv({ ...ENV, RELAY_ANCHOR_INTERVAL_MS: '61500' }, null))).toBe(62 + 900);
  });

  it('takes RELAY_ANCHOR_WITHIN_SECONDS', () => {
    const config = relayConfigFromEnv({ ...ENV, RELAY_ANCHOR_WITHIN_SECONDS: '3600' }, null);
    expect(anchorWithinSeconds(config)).toBe(3600);
    expect(config.moduleId).toBe(7);
  });

  it('refuses a promise shorter than the anchoring interval, and a value that is not a number of seconds', () => {
    expect(() => checkConfig(relayConfigFromEnv({ ...ENV, RELAY_ANCHOR_WITHIN_SECONDS: '5' }, null))).toThrow(RelayConfigError);
    expect(() => relayConfigFromEnv({ ...ENV, RELAY_ANCHOR_WITHIN_SECONDS: 'soon' }, null)).toThrow(RelayConfigError);
    expect(() => checkConfig(relayConfigFromEnv({ ...ENV, RELAY_ANCHOR_WITHIN_SECONDS: '5' }, null))).toThrow(expect.objectContaining({ code: 'relay.config_invalid' }));
    expect(() => relayConfigFromEnv({ ...ENV, RELAY_ANCHOR_WITHIN_SECONDS: 'soon' }, null)).toThrow(expect.objectContaining({ code: 'relay.config_invalid' }));
  });

  it('names a missing setting relay.config_missing', () => {
    const { RELAY_RPC_URL: _omitted, ...withoutRpc } = ENV;
    expect(() => relayConfigFromEnv(withoutRpc, null)).toThrow(expect.objectContaining({ code: 'relay.config_missing' }));
  });
});

describe('RelayRejection', () => {
  it('is relay.<wire code> as an error and the bare wire code on the wire', () => {
    const rejection = new RelayRejection('bad_proof', 'The Groth16 proof does not verify.', { hint: 'Prove the batch again.' });
    expect(rejection.code).toBe('relay.bad_proof');
    expect(rejection.wireCode).toBe('bad_proof');
    expect(rejection.status).toBe(422);
    expect(rejection.toJSON()).toEqual({ error: { code: 'bad_proof', message: 'The Groth16 proof does not verify.', hint: 'Prove the batch again.' } });
  });
});
