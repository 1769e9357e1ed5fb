import { firstLine, walkCauses } from '../errors.js';
import {
  connect,
  createConfig,
  createConnector,
  disconnect,
  getConnection,
  getConnectors,
  http,
  sendTransaction,
  signTypedData,
  switchChain,
  watchConnection,
  watchConnectors,
  type Config,
  type Connector,
} from '@wagmi/core';
import type { Address, EIP1193Provider, Hash, Hex, TypedDataDefinition } from 'viem';
import { runCritical } from '../criticalFlows.js';
import { toViemChain, type Network } from '../networks.js';
import { SwitchChainRefusedError, UserRejectedError, WalletConnectNotConfiguredError, WalletError } from './errors.js';

/**
 * Every wallet behind one interface, @wagmi/core's: the embedded wallet is a connector of its
 * own, EIP-6963 browser wallets are discovered (each by name), WalletConnect is loaded only
 * when chosen. This module is imported dynamically by the Wallet section only.
 */
export const EMBEDDED_CONNECTOR_ID = 'outpost-embedded';
export const WALLETCONNECT_CONNECTOR_ID = 'walletConnect';

export type WalletConfigOptions = {
  network: Network;
  rpcUrl: string;
  embeddedProvider: () => EIP1193Provider;
  walletConnectProjectId: string | null;
};

export function createWalletConfig(options: WalletConfigOptions): Config {
  const chain = toViemChain(options.network, options.rpcUrl);
  return createConfig({
    chains: [chain],
    transports: { [chain.id]: http(options.rpcUrl, { timeout: 10_000, retryCount: 1 }) },
    connectors: [embeddedConnector(options.embeddedProvider), walletConnectConnector(options)],
    multiInjectedProviderDiscovery: true,
    storage: null,
  });
}

function embeddedConnector(getProvider: () => EIP1193Provider) {
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

/** The build's WalletConnect project id, or null when none was configured. */
export function walletConnectProjectId(env: Record<string, unknown> = import.meta.env): string | null {
  const value = env.VITE_WALLETCONNECT_PROJECT_ID;
  return typeof value === 'string' && /^[0-9a-f]{32}$/i.test(value.trim()) ? value.trim() : null;
}

type WalletConnectProvider = EIP1193Provider & { connect(): Promise<void>; disconnect(): Promise<void>; accounts: string[] };

function walletConnectConnector(options: WalletConfigOptions) {
  let providerPromise: Promise<WalletConnectProvider> | null = null;
  const load = (): Promise<WalletConnectProvider> => {
    const projectId = options.walletConnectProjectId;
    if (!projectId) return Promise.reject(new WalletConnectNotConfiguredError());
    // Loaded only when someone chooses WalletConnect: its code (and modal) stays out of the app until then.
    providerPromise ??= import('@walletconnect/ethereum-provider').then(
      async ({ EthereumProvider }) =>
        (await EthereumProvider.init({
          projectId,
          chains: [options.network.chainId],
          rpcMap: { [options.network.chainId]: options.rpcUrl },
          showQrModal: true,
          metadata: { name: 'Outpost', description: 'IoTeX devices & staking', url: location.origin, icons: [] },
        })) as unknown as WalletConnectProvider,
    );
    return providerPromise;
  };
  return createConnector<WalletConnectProvider>((config) => ({
    id: WALLETCONNECT_CONNECTOR_ID,
    name: 'WalletConnect',
    type: 'walletConnect',
    async connect() {
      const provider = await load();
      await provider.connect();
      const accounts = (await provider.request({ method: 'eth_accounts' })) as Address[];
      return { accounts, chainId: options.network.chainId } as never;
    },
    async disconnect() {
      if (providerPromise) await (await providerPromise).disconnect();
    },
    async getAccounts() {
      if (!providerPromise) return [];
      return (await (await providerPromise).request({ method: 'eth_accounts' })) as Address[];
    },
    async getChainId() {
      return options.network.chainId;
    },
    getProvider: load,
    async isAuthorized() {
      return false;
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

export type WalletOption = { id: string; uid: string; name: string; type: string; icon: string | null };

export function listWallets(config: Config): WalletOption[] {
  return getConnectors(config).map(toOption);
}

export function onWalletsChange(config: Config, listener: (wallets: WalletOption[]) => void): () => void {
  return watchConnectors(config, { onChange: (connectors) => listener(connectors.map(toOption)) });
}

function toOption(connector: Connector): WalletOption {
  return { id: connector.id, uid: connector.uid, name: connector.name, type: connector.type, icon: connector.icon ?? null };
}

export type ActiveWallet = { address: Address; chainId: number; connectorName: string; connectorId: string } | null;

export function activeWallet(config: Config): ActiveWallet {
  const connection = getConnection(config);
  if (connection.status !== 'connected' || !connection.address || !connection.connector) return null;
  return { address: connection.address, chainId: connection.chainId, connectorName: connection.connector.name, connectorId: connection.connector.id };
}

export function onActiveWalletChange(config: Config, listener: (wallet: ActiveWallet) => void): () => void {
  return watchConnection(config, { onChange: () => listener(activeWallet(config)) });
}

/** Connects a wallet by connector uid; then makes sure it is on the app's network. */
export async function connectWallet(config: Config, uid: string, network: Network): Promise<ActiveWallet> {
  const connector = getConnectors(config).find((candidate) => candidate.uid === uid);
  if (!connector) throw new WalletError('wallet.unknown_connector', 'That wallet is no longer available.', { hint: 'Reload the page and choose again.' });
  const current = getConnection(config);
  if (current.status === 'connected' && current.connector?.uid !== uid) await disconnect(config);
  try {
    await connect(config, { connector });
  } catch (error) {
    throw asWalletError(error, `the connection request in ${connector.name}`);
  }
  try {
    await ensureChain(config, network);
  } catch (error) {
    // A wallet left on another chain would sign for the wrong network: it is not connected here.
    await disconnect(config).catch(() => undefined);
    throw error;
  }
  return activeWallet(config);
}

/** Asks the wallet to switch to the app's network; a refusal becomes a named error. */
export async function ensureChain(config: Config, network: Network): Promise<void> {
  const connection = getConnection(config);
  if (connection.status !== 'connected' || connection.chainId === network.chainId) return;
  try {
    await switchChain(config, { chainId: network.chainId as never });
  } catch (error) {
    throw new SwitchChainRefusedError(connection.connector?.name ?? 'The wallet', network.name, firstLine(error));
  }
}

export async function disconnectWallet(config: Config): Promise<void> {
  await disconnect(config);
}

export type TxRequest = { to: Address; value?: bigint; data?: Hex; gas?: bigint; maxFeePerGas?: bigint; maxPriorityFeePerGas?: bigint };

/** Sends through whichever wallet is active; the service worker waits while this runs. */
export async function sendWithActiveWallet(config: Config, network: Network, request: TxRequest): Promise<Hash> {
  return runCritical('signing a transaction', async () => {
    await ensureChain(config, network);
    try {
      return await sendTransaction(config, { ...request, chainId: network.chainId } as never);
    } catch (error) {
      throw asWalletError(error, 'the transaction');
    }
  });
}

export async function signTypedDataWithActiveWallet(config: Config, typedData: TypedDataDefinition): Promise<Hex> {
  return runCritical('signing typed data', async () => {
    try {
      return await signTypedData(config, typedData as never);
    } catch (error) {
      throw asWalletError(error, 'the signature request');
    }
  });
}

function asWalletError(error: unknown, what: string): Error {
  if (error instanceof WalletError) return error;
  const codeOf = (value: unknown): number | undefined => (value as { code?: number } | null)?.code;
  // EIP-1193's 4001 (the user said no) or our own error, wherever the connector wrapped it.
  const found = walkCauses(error, (cause) => codeOf(cause) === 4001 || cause instanceof WalletError);
  if (found instanceof WalletError) return found;
  if (found) return new UserRejectedError(what);
  return error instanceof Error ? error : new Error(String(error));
}
