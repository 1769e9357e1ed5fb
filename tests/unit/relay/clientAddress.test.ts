import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../../src/relay/http/clientAddress.js';

describe('clientAddress (the per-client rate-limit key)', () => {
  it('is the connection address when no proxy is trusted, whatever the header says', () => {
    expect(clientAddress('192.0.2.7', '203.0.113.1', [])).toBe('192.0.2.7');
    expect(clientAddress('192.0.2.7', '203.0.113.1', ['10.0.0.1'])).toBe('192.0.2.7');
  });

  it('behind a trusted proxy is the rightmost forwarded address no trusted proxy added', () => {
    expect(clientAddress('10.0.0.1', '203.0.113.1', ['10.0.0.1'])).toBe('203.0.113.1');
    // A client can prepend anything; only what the proxies appended counts.
    expect(clientAddress('10.0.0.1', 'spoofed, 203.0.113.1', ['10.0.0.1'])).toBe('203.0.113.1');
    expect(clientAddress('10.0.0.1', '203.0.113.1, 10.0.0.2', ['10.0.0.1', '10.0.0.2'])).toBe('203.0.113.1');
  });

  it('treats IPv4-mapped IPv6 as the IPv4 address, and falls back sensibly', () => {
    expect(clientAddress('::ffff:10.0.0.1', '::FFFF:203.0.113.1', ['10.0.0.1'])).toBe('203.0.113.1');
    expect(clientAddress('10.0.0.1', undefined, ['10.0.0.1'])).toBe('10.0.0.1');
    expect(clientAddress('10.0.0.1', '10.0.0.1', ['10.0.0.1'])).toBe('10.0.0.1');
    expect(clientAddress(undefined, '203.0.113.1', ['10.0.0.1'])).toBe('unknown');
  });
});
