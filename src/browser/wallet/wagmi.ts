import { firstLine, walkCauses } from '../../core/errors.js';
import {
  connect,
  createConfig,
  disconnect,
  getConnection,
  getConnectors,
  http,
  reconnect,
  sendTransaction,
  signTypedData,
  switchChain,
  watchConnection,
  watchConnectors,
  type Config,
  type Connector,
} from '@wagmi/core';
import type { Address, EIP1193Provider, Hash, Hex, TypedDataDefinition } from 'viem';
import { runCritical } from '../../core/criticalFlows.js';
import { toViemChain, type Network } from '../../core/networks.js';
import { embeddedConnector } from './connectors/embedded.js';
import { WALLETCONNECT_CONNECTOR_ID, walletConnectConnector } from './connectors/walletConnect.js';
import { SwitchChainRefusedError, UserRejectedError, WalletError } from '../../core/wallet/errors.js';

/**
 * Every wallet behind one interface, @wagmi/core's: the embedded wallet is a connector of its
 * own, EIP-6963 browser wallets are discovered (each by name), WalletConnect is loaded only
 * when chosen or when a session of it is left to restore (one connector per file, under
 * ./connectors). This module is imported dynamically by the Wallet section only.
 */
export { EMBEDDED_CONNECTOR_ID } from './connectors/embedded.js';
export { WALLETCONNECT_CONNECTOR_ID } from './connectors/walletConnect.js';

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
    connectors: [embeddedConnector(options.embeddedProvider), walletConnectConnector({ network: options.network, rpcUrl: options.rpcUrl, projectId: options.walletConnectProjectId })],
    multiInjectedProviderDiscovery: true,
    storage: null,
  });
}

/** The build's WalletConnect project id, or null when none was configured. */
export function walletConnectProjectId(env: Record<string, unknown> = import.meta.env): string | null {
  const value = env.VITE_WALLETCONNECT_PROJECT_ID;
  return typeof value === 'string' && /^[0-9a-f]{32}$/i.test(value.trim()) ? value.trim() : null;
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

/** Hears of settled changes only: "connecting" is not "no wallet", and an account kept across a network change must not blink out. */
export function onActiveWalletChange(config: Config, listener: (wallet: ActiveWallet) => void): () => void {
  return watchConnection(config, {
    onChange: (connection) => {
      if (connection.status !== 'connecting' && connection.status !== 'reconnecting') listener(activeWallet(config));
    },
  });
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

/**
 * Restores a wallet connection that outlived a reload. Only WalletConnect's: its session is
 * persisted and was approved in the other wallet; the embedded wallet is locked after a reload,
 * and a browser wallet is connected again only when the user asks.
 */
export async function reconnectWallets(config: Config): Promise<ActiveWallet> {
  // wagmi's reconnect ends every connection it does not restore: a wallet already connected stays as it is.
  if (getConnection(config).status !== 'disconnected') return activeWallet(config);
  const walletConnect = getConnectors(config).filter((connector) => connector.id === WALLETCONNECT_CONNECTOR_ID);
  if (walletConnect.length > 0) await reconnect(config, { connectors: walletConnect });
  return activeWallet(config);
}

/**
 * Connects, on a new config (after a network change), the wallet that was in use on the old one,
 * found by connector id: the embedded wallet needs no RPC for it, a browser wallet is asked to
 * switch chains, a WalletConnect session is restored. Fails with a named error when it cannot.
 */
export async function connectAgain(config: Config, connectorId: string, network: Network): Promise<ActiveWallet> {
  const connector = getConnectors(config).find((candidate) => candidate.id === connectorId);
  if (!connector) throw new WalletError('wallet.unknown_connector', 'The wallet you used is no longer available.', { hint: 'Open Wallet → Other wallets and connect it again.' });
  if (connector.id === WALLETCONNECT_CONNECTOR_ID) return reconnectWallets(config);
  return connectWallet(config, connector.uid, network);
}

export async function disconnectWallet(config: Config): Promise<void> {
  await disconnect(config);
}

/** `nonce` and the fee caps are set only to replace a pending transaction (speed up, cancel); a wallet may still pick its own nonce. */
export type TxRequest = { to: Address; value?: bigint; data?: Hex; gas?: bigint; nonce?: number; maxFeePerGas?: bigint; maxPriorityFeePerGas?: bigint };

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
  // A wallet may reject with anything (a string, a bare object): it still reaches the screen as a named error.
  return error instanceof Error ? error : new WalletError('wallet.request_failed', `The wallet did not complete ${what}.`, { details: String(error), cause: error, hint: 'Try again; if it keeps failing, reconnect the wallet.' });
}
