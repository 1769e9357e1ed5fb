import { createConnector } from '@wagmi/core';
import { getAddress } from 'viem';
import type { Network } from '../../../core/networks.js';
import { WalletConnectNotConfiguredError, WalletError } from '../../../core/wallet/errors.js';

export const WALLETCONNECT_CONNECTOR_ID = 'walletConnect';

/** The part of @walletconnect/ethereum-provider this connector uses (tests fake exactly this). */
export type WalletConnectProvider = {
  /** The paired session, restored from WalletConnect's own storage on init; undefined once ended. */
  readonly session: { expiry: number } | undefined;
  /** The session's accounts on the current chain. */
  readonly accounts: string[];
  readonly chainId: number;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  request(args: { method: string; params?: unknown }): Promise<unknown>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
};

/**
 * Whether a WalletConnect session was left open on this device. It is checked before anything
 * is loaded: WalletConnect's code and its relay connection stay out of every start that has
 * no session to restore.
 */
export type SessionMarker = { has(): boolean; set(present: boolean): void };

export type WalletConnectOptions = {
  network: Network;
  rpcUrl: string;
  projectId: string | null;
  /** Creates the provider (it restores a persisted session itself); WalletConnect's by default. */
  loadProvider?: (projectId: string, network: Network, rpcUrl: string) => Promise<WalletConnectProvider>;
  marker?: SessionMarker;
  /** Unix ms; sessions whose expiry has passed are ended. */
  now?: () => number;
};

const MARKER_KEY = 'outpost.walletConnect.session';

const localStorageMarker: SessionMarker = {
  has: () => globalThis.localStorage?.getItem(MARKER_KEY) === '1',
  set: (present) => (present ? globalThis.localStorage?.setItem(MARKER_KEY, '1') : globalThis.localStorage?.removeItem(MARKER_KEY)),
};

async function loadWalletConnect(projectId: string, network: Network, rpcUrl: string): Promise<WalletConnectProvider> {
  // Loaded only when someone chooses WalletConnect (or has a session to restore): its code and modal stay out of the app until then.
  const { EthereumProvider } = await import('@walletconnect/ethereum-provider');
  const provider = await EthereumProvider.init({
    projectId,
    chains: [network.chainId],
    rpcMap: { [network.chainId]: rpcUrl },
    showQrModal: true,
    metadata: { name: 'Outpost', description: 'IoTeX devices & staking', url: location.origin, icons: [] },
  });
  return provider as unknown as WalletConnectProvider;
}

/**
 * WalletConnect as a wagmi connector. The session WalletConnect persists survives a reload:
 * `isAuthorized` and `getAccounts` answer from it, so wagmi's reconnect restores the account
 * without a new QR scan; an expired or ended session is cleaned up and not authorized.
 */
export function walletConnectConnector(options: WalletConnectOptions) {
  const marker = options.marker ?? localStorageMarker;
  const now = options.now ?? Date.now;
  const create = options.loadProvider ?? loadWalletConnect;
  let providerPromise: Promise<WalletConnectProvider> | null = null;
  let subscribed: WalletConnectProvider | null = null;

  const load = (): Promise<WalletConnectProvider> => {
    const projectId = options.projectId;
    if (!projectId) return Promise.reject(new WalletConnectNotConfiguredError());
    providerPromise ??= create(projectId, options.network, options.rpcUrl).catch((error: unknown) => {
      providerPromise = null;
      throw error;
    });
    return providerPromise;
  };
  /** Whether there can be a session at all, without loading WalletConnect to find out. */
  const mayHaveSession = (): boolean => providerPromise !== null || marker.has();
  const isLive = (provider: WalletConnectProvider): boolean => provider.session !== undefined && provider.session.expiry * 1000 > now();
  /** Ends a session that is over: WalletConnect forgets it, and the next start does not look for it. */
  const endSession = async (provider: WalletConnectProvider): Promise<void> => {
    marker.set(false);
    if (provider.session) await provider.disconnect().catch(() => undefined);
  };

  return createConnector<WalletConnectProvider>((config) => {
    const onAccountsChanged = (accounts: string[]) => {
      if (accounts.length === 0) config.emitter.emit('disconnect');
      else config.emitter.emit('change', { accounts: accounts.map((account) => getAddress(account)) });
    };
    const onChainChanged = (chainId: string | number) => config.emitter.emit('change', { chainId: Number(chainId) });
    const onDisconnect = () => {
      marker.set(false);
      config.emitter.emit('disconnect');
    };
    const subscribe = (provider: WalletConnectProvider) => {
      if (subscribed === provider) return;
      subscribed = provider;
      provider.on('accountsChanged', onAccountsChanged as never);
      provider.on('chainChanged', onChainChanged as never);
      provider.on('disconnect', onDisconnect as never);
    };

    return {
      id: WALLETCONNECT_CONNECTOR_ID,
      name: 'WalletConnect',
      type: 'walletConnect',
      async connect({ isReconnecting } = {}) {
        const provider = await load();
        if (!isLive(provider)) {
          // A reload restores a session or nothing: the QR code only ever opens because someone asked.
          if (isReconnecting) {
            await endSession(provider);
            throw new WalletError('wallet.walletconnect_no_session', 'There is no WalletConnect session to restore.', { hint: 'Choose WalletConnect to pair again.' });
          }
          await provider.connect();
        }
        const accounts = provider.accounts.map((account) => getAddress(account));
        marker.set(true);
        subscribe(provider);
        return { accounts, chainId: provider.chainId } as never;
      },
      async disconnect() {
        marker.set(false);
        if (!providerPromise) return;
        const provider = await providerPromise;
        if (subscribed === provider) {
          provider.removeListener('accountsChanged', onAccountsChanged as never);
          provider.removeListener('chainChanged', onChainChanged as never);
          provider.removeListener('disconnect', onDisconnect as never);
          subscribed = null;
        }
        if (provider.session) await provider.disconnect();
      },
      async getAccounts() {
        if (!mayHaveSession()) return [];
        const provider = await load();
        return isLive(provider) ? provider.accounts.map((account) => getAddress(account)) : [];
      },
      async getChainId() {
        return providerPromise ? (await providerPromise).chainId : options.network.chainId;
      },
      async getProvider() {
        // wagmi's reconnect asks for the provider first; with no session it must not load WalletConnect.
        if (!mayHaveSession()) throw new WalletError('wallet.walletconnect_no_session', 'There is no WalletConnect session to restore.', { hint: 'Choose WalletConnect to pair again.' });
        return load();
      },
      async isAuthorized() {
        if (!mayHaveSession()) return false;
        try {
          const provider = await load();
          if (!isLive(provider)) {
            await endSession(provider);
            return false;
          }
          return provider.accounts.length > 0;
        } catch {
          return false;
        }
      },
      onAccountsChanged(accounts) {
        onAccountsChanged(accounts);
      },
      onChainChanged(chainId) {
        onChainChanged(chainId);
      },
      onDisconnect() {
        onDisconnect();
      },
    };
  });
}
