import { describe, expect, it } from 'vitest';
import { walletConnectProjectId } from '../../../src/browser/wallet/wagmi.js';

describe('WalletConnect configuration', () => {
  it('reads a 32-hex project id and reports none otherwise', () => {
    expect(walletConnectProjectId({ VITE_WALLETCONNECT_PROJECT_ID: ' 0123456789abcdef0123456789ABCDEF ' })).toBe('0123456789abcdef0123456789ABCDEF');
    expect(walletConnectProjectId({})).toBeNull();
    expect(walletConnectProjectId({ VITE_WALLETCONNECT_PROJECT_ID: '' })).toBeNull();
    expect(walletConnectProjectId({ VITE_WALLETCONNECT_PROJECT_ID: 'not-an-id' })).toBeNull();
  });
});
