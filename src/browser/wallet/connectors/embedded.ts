import { createConnector } from '@wagmi/core';
import type { Address, EIP1193Provider } from 'viem';

export const EMBEDDED_CONNECTOR_ID = 'outpost-embedded';

/**
 * The embedded wallet as a wagmi connector. It is authorized only while unlocked (its provider
 * answers eth_accounts with the unlocked account), so a reload never reconnects it: the wallet
 * is always locked after a reload.
 */
export function embeddedConnector(getProvider: () => EIP1193Provider) {
  return createConnector<EIP1193Provider>((config) => ({
    id: EMBEDDED_CONNECTOR_ID,
    name: 'Outpost wallet',
    type: 'embedded',
    async connect() {
      const provider = getProvider();
      const accounts = (await provider.request({ method: 'eth_requestAccounts' })) as Address[];
      const chainId = Number(await provider.request({ method: 'eth_chainId' }));
      // Wagmi's connect return type is generic over capabilities; the embedded wallet has none.
      return { accounts, chainId } as never;
    },
    async disconnect() {},
    async getAccounts() {
      return (await getProvider().request({ method: 'eth_accounts' })) as Address[];
    },
    async getChainId() {
      return Number(await getProvider().request({ method: 'eth_chainId' }));
    },
    async getProvider() {
      return getProvider();
    },
    async isAuthorized() {
      return ((await getProvider().request({ method: 'eth_accounts' })) as Address[]).length > 0;
    },
    onAccountsChanged(accounts) {
      config.emitter.emit('change', { accounts: accounts as Address[] });
    },
    onChainChanged(chainId) {
      config.emitter.emit('change', { chainId: Number(chainId) });
    },
    onDisconnect() {
      config.emitter.emit('disconnect');
    },
  }));
}
