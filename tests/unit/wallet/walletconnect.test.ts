import { createConfig, http, type Config } from '@wagmi/core';
import { describe, expect, it } from 'vitest';
import { NETWORKS, toViemChain, type Network } from '../../../src/core/networks.js';
import type { EIP1193Provider } from 'viem';
import { EMBEDDED_CONNECTOR_ID, embeddedConnector } from '../../../src/browser/wallet/connectors/embedded.js';
import { WALLETCONNECT_CONNECTOR_ID, walletConnectConnector, type SessionMarker, type WalletConnectProvider } from '../../../src/browser/wallet/connectors/walletConnect.js';
import { activeWallet, connectWallet, disconnectWallet, listWallets, reconnectWallets, walletConnectProjectId } from '../../../src/browser/wallet/wagmi.js';

describe('WalletConnect configuration', () => {
  it('reads a 32-hex project id and reports none otherwise', () => {
    expect(walletConnectProjectId({ VITE_WALLETCONNECT_PROJECT_ID: ' 0123456789abcdef0123456789ABCDEF ' })).toBe('0123456789abcdef0123456789ABCDEF');
    expect(walletConnectProjectId({})).toBeNull();
    expect(walletConnectProjectId({ VITE_WALLETCONNECT_PROJECT_ID: '' })).toBeNull();
    expect(walletConnectProjectId({ VITE_WALLETCONNECT_PROJECT_ID: 'not-an-id' })).toBeNull();
  });
});

/*
 * WalletConnect's cloud relay cannot be reached from the tests, so the provider is faked at the
 * interface the connector uses. The fake keeps what @walletconnect/ethereum-provider keeps in its
 * own storage (the paired session) in `device`, which outlives a "reload": each reload is a new
 * wagmi config, a new connector and a new provider restored from that storage.
 */
const NETWORK: Network = NETWORKS.testnet;
const PROJECT_ID = '0123456789abcdef0123456789abcdef';
const NOW = Date.UTC(2026, 11, 2, 8, 0, 0);
// A lower-case address, as a wallet may send it; wagmi hands out the checksummed form.
const ACCOUNT_RAW = '0x8ba1f109551bd432803012645ac136ddd64dba72';
const ACCOUNT = '0x8ba1f109551bD432803012645Ac136ddd64DBA72';

type StoredSession = { expiry: number; accounts: string[]; chainId: number };
type Device = {
  /** WalletConnect's persisted session (its storage), or none. */
  session: StoredSession | null;
  /** What the connector leaves in localStorage. */
  marker: boolean;
  providersCreated: number;
  qrPairings: number;
  disconnects: number;
};

const newDevice = (session: StoredSession | null, marker: boolean): Device => ({ session, marker, providersCreated: 0, qrPairings: 0, disconnects: 0 });

class FakeWalletConnectProvider implements WalletConnectProvider {
  constructor(private readonly device: Device) {}
  get session() {
    return this.device.session ? { expiry: this.device.session.expiry } : undefined;
  }
  get accounts() {
    return this.device.session?.accounts ?? [];
  }
  get chainId() {
    return this.device.session?.chainId ?? NETWORK.chainId;
  }
  async connect() {
    // The user scans the QR code and approves in their wallet: a week-long session is stored.
    this.device.qrPairings++;
    this.device.session = { expiry: NOW / 1000 + 7 * 24 * 3600, accounts: [ACCOUNT_RAW], chainId: NETWORK.chainId };
  }
  async disconnect() {
    this.device.disconnects++;
    this.device.session = null;
  }
  async request(): Promise<unknown> {
    throw new Error('not used by the connector');
  }
  on() {}
  removeListener() {}
}

/** One page load: a fresh wagmi config whose WalletConnect provider is restored from `device`. */
function load(device: Device, alsoEmbedded?: EIP1193Provider): Config {
  const chain = toViemChain(NETWORK);
  const marker: SessionMarker = { has: () => device.marker, set: (present) => (device.marker = present) };
  return createConfig({
    chains: [chain],
    transports: { [chain.id]: http('http://127.0.0.1:9') },
    connectors: [
      ...(alsoEmbedded ? [embeddedConnector(() => alsoEmbedded)] : []),
      walletConnectConnector({
        network: NETWORK,
        rpcUrl: 'http://127.0.0.1:9',
        projectId: PROJECT_ID,
        marker,
        now: () => NOW,
        loadProvider: async () => {
          device.providersCreated++;
          return new FakeWalletConnectProvider(device);
        },
      }),
    ],
    multiInjectedProviderDiscovery: false,
    storage: null,
  });
}

describe('WalletConnect after a reload', () => {
  it('restores a persisted session: the same account and chain, without a new QR pairing', async () => {
    const device = newDevice({ expiry: NOW / 1000 + 3600, accounts: [ACCOUNT_RAW], chainId: NETWORK.chainId }, true);
    const config = load(device);
    expect(activeWallet(config)).toBeNull();

    const restored = await reconnectWallets(config);

    expect(restored).toEqual({ address: ACCOUNT, chainId: 4690, connectorName: 'WalletConnect', connectorId: 'walletConnect' });
    expect(activeWallet(config)).toEqual(restored);
    expect(device.qrPairings).toBe(0);
  });

  it('with no session on this device is not authorized and does not even load WalletConnect', async () => {
    const device = newDevice(null, false);
    const config = load(device);
    const connector = config.connectors.find((c) => c.id === WALLETCONNECT_CONNECTOR_ID)!;

    expect(await connector.isAuthorized()).toBe(false);
    expect(await connector.getAccounts()).toEqual([]);
    expect(await reconnectWallets(config)).toBeNull();
    expect(device.providersCreated).toBe(0);
    expect(device.qrPairings).toBe(0);
  });

  it('an expired session is not authorized, is ended at WalletConnect and is not looked for again', async () => {
    const device = newDevice({ expiry: NOW / 1000 - 1, accounts: [ACCOUNT_RAW], chainId: NETWORK.chainId }, true);
    const config = load(device);

    expect(await reconnectWallets(config)).toBeNull();
    expect(device.disconnects).toBe(1);
    expect(device.session).toBeNull();
    expect(device.marker).toBe(false);
    expect(device.qrPairings).toBe(0);

    // The next reload has nothing to restore and leaves WalletConnect unloaded.
    const created = device.providersCreated;
    expect(await reconnectWallets(load(device))).toBeNull();
    expect(device.providersCreated).toBe(created);
  });

  it('a session ended from the wallet side is not authorized and its marker is cleared', async () => {
    const device = newDevice(null, true);
    const connector = load(device).connectors.find((c) => c.id === WALLETCONNECT_CONNECTOR_ID)!;

    expect(await connector.isAuthorized()).toBe(false);
    expect(device.marker).toBe(false);
    expect(device.qrPairings).toBe(0);
  });

  it('pairs once, survives a reload, and after Disconnect a reload restores nothing', async () => {
    const device = newDevice(null, false);
    const first = load(device);
    const uid = listWallets(first).find((wallet) => wallet.id === WALLETCONNECT_CONNECTOR_ID)!.uid;
    expect((await connectWallet(first, uid, NETWORK))?.address).toBe(ACCOUNT);
    expect(device.qrPairings).toBe(1);

    const second = load(device);
    expect((await reconnectWallets(second))?.address).toBe(ACCOUNT);
    expect(device.qrPairings).toBe(1);

    await disconnectWallet(second);
    expect(device.session).toBeNull();
    expect(await reconnectWallets(load(device))).toBeNull();
    expect(device.qrPairings).toBe(1);
  });

  it('leaves a wallet that is already connected as it is (wagmi would end it otherwise)', async () => {
    const EMBEDDED = '0x0000000000000000000000000000000000000Abc';
    const unlocked = { request: async ({ method }: { method: string }) => (method === 'eth_chainId' ? '0x1252' : [EMBEDDED]) } as unknown as EIP1193Provider;
    const device = newDevice(null, false);
    const config = load(device, unlocked);
    const uid = listWallets(config).find((wallet) => wallet.id === EMBEDDED_CONNECTOR_ID)!.uid;
    await connectWallet(config, uid, NETWORK);

    expect(await reconnectWallets(config)).toEqual({ address: EMBEDDED, chainId: 4690, connectorName: 'Outpost wallet', connectorId: 'outpost-embedded' });
    expect(activeWallet(config)?.connectorId).toBe('outpost-embedded');
  });
});
