import type { Address, Hex } from 'viem';
import { createContext } from 'svelte';
import type { Config } from '@wagmi/core';
import { OutpostError } from '../../core/errors.js';
import { readSetting, writeSetting } from '../../browser/storage/db.js';
import { DEFAULT_AUTO_LOCK_MINUTES } from '../../core/wallet/autoLock.js';
import type { EmbeddedWallet, ImportSource } from '../../browser/wallet/embedded.js';
import type { StorageGuard } from '../../browser/wallet/guard.js';
import type { ActiveWallet, WalletOption } from '../../browser/wallet/wagmi.js';
import { networkState } from './network.svelte.js';

/** The wallet code (wagmi, viem accounts, BIP-39, QR), loaded on first use only. */
export type WalletRuntime = typeof import('../../browser/wallet/runtime.js');
/** The wallet that signs right now, with the wagmi config bound to the app's network. */
export type WalletConnection = { rt: WalletRuntime; config: Config; active: NonNullable<ActiveWallet> };

const AUTO_LOCK_KEY = 'wallet.autoLockMinutes';
const backupKey = (vaultId: string) => `wallet.backedUp.${vaultId}`;

/**
 * Which wallet is active and whether the embedded one is locked: it creates, imports, unlocks and
 * locks the embedded wallet, connects and disconnects the others (through wagmi), and keeps the
 * wagmi config bound to the network the app is on.
 */
export class WalletSession {
  status = $state<'loading' | 'none' | 'locked' | 'unlocked'>('loading');
  embeddedAddress = $state<Address | null>(null);
  active = $state<ActiveWallet>(null);
  wallets = $state<WalletOption[]>([]);
  backedUp = $state(false);
  autoLockMinutes = $state(DEFAULT_AUTO_LOCK_MINUTES);
  guard = $state<StorageGuard | null>(null);
  walletConnectConfigured = $state(false);
  /** The phrase of a wallet created in this session, kept only until its backup is confirmed. */
  freshMnemonic = $state<string | null>(null);
  passkeyCount = $state(0);
  /** Why the wallet used before a network change could not be connected again on the new one, as thrown. */
  reconnectError = $state<unknown>(null);

  #runtime: WalletRuntime | null = null;
  #embedded: EmbeddedWallet | null = null;
  #config: Config | null = null;
  #configKey = '';
  #idle: InstanceType<WalletRuntime['IdleLock']> | null = null;
  #unsubscribers: (() => void)[] = [];
  // Plain bookkeeping of subscribers, never read by a template or effect: a SvelteSet would only add tracking.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #activeListeners = new Set<(active: ActiveWallet) => void>();

  get hasPasskey(): boolean {
    return this.passkeyCount > 0;
  }

  get usingEmbedded(): boolean {
    return this.active !== null && this.active.connectorId === this.#runtime?.EMBEDDED_CONNECTOR_ID;
  }

  async runtime(): Promise<WalletRuntime> {
    this.#runtime ??= await import('../../browser/wallet/runtime.js');
    return this.#runtime;
  }

  /** Called whenever the active wallet changes (connected, switched, disconnected); returns the unsubscribe. */
  onActiveChange(listener: (active: ActiveWallet) => void): () => void {
    this.#activeListeners.add(listener);
    return () => this.#activeListeners.delete(listener);
  }

  /** Loads the stored wallet (always locked after a reload) and the wallet list; rebinds to the current network. */
  async init(): Promise<void> {
    const rt = await this.runtime();
    if (!this.#embedded) {
      this.#embedded = new rt.EmbeddedWallet();
      this.#embedded.subscribe((state) => {
        this.status = state.status;
        this.embeddedAddress = state.status === 'none' ? null : state.address;
        this.passkeyCount = state.status === 'none' ? 0 : state.vault.passkeys.length;
      });
      this.#idle = new rt.IdleLock(DEFAULT_AUTO_LOCK_MINUTES, () => this.lock());
      for (const event of ['pointerdown', 'keydown']) window.addEventListener(event, () => this.#touch(), { passive: true });
      this.autoLockMinutes = (await readSetting(AUTO_LOCK_KEY, (v): v is number => typeof v === 'number' && v > 0).catch(() => undefined)) ?? DEFAULT_AUTO_LOCK_MINUTES;
      this.#idle.setMinutes(this.autoLockMinutes);
      const state = await this.#embedded.load();
      if (state.status !== 'none') {
        this.backedUp = (await readSetting(backupKey(state.vault.id), (v): v is boolean => typeof v === 'boolean').catch(() => undefined)) ?? false;
      }
      void rt.guardStorage().then((guard) => (this.guard = guard));
    }
    this.#bind(rt);
  }

  /** The active wallet and its config, or a named error when none is connected. */
  async connection(): Promise<WalletConnection> {
    const rt = await this.runtime();
    const config = this.#bind(rt);
    if (!this.active) throw new OutpostError('wallet.not_connected', 'Connect or unlock a wallet first.', { hint: 'Open the Wallet tab to unlock or connect one.' });
    return { rt, config, active: this.active };
  }

  /**
   * The wagmi config for the network the app is on: a new network or RPC gets a new config. The
   * account in use stays the active one across the change (issue 14, bug 1: the unlocked wallet
   * vanished on a network whose RPC was down): its address needs no RPC, and it is connected
   * again on the new config in the background.
   */
  #bind(rt: WalletRuntime): Config {
    const { network, rpcUrl } = networkState.context;
    const key = `${network.id}|${rpcUrl}`;
    if (this.#config && this.#configKey === key) return this.#config;
    for (const off of this.#unsubscribers.splice(0)) off();
    const embedded = this.#wallet();
    const projectId = rt.walletConnectProjectId();
    this.walletConnectConfigured = projectId !== null;
    this.#config = rt.createWalletConfig({
      network,
      rpcUrl,
      embeddedProvider: () => rt.createEmbeddedProvider({ getAccount: () => embedded.account, network, rpcUrl }),
      walletConnectProjectId: projectId,
    });
    this.#configKey = key;
    this.wallets = rt.listWallets(this.#config);
    // The locked Outpost wallet is not kept: it has no account to show until it is unlocked.
    const previous = this.active && (this.active.connectorId !== rt.EMBEDDED_CONNECTOR_ID || this.status === 'unlocked') ? this.active : null;
    this.#setActive(previous && { ...previous, chainId: network.chainId });
    this.#unsubscribers.push(
      rt.onWalletsChange(this.#config, (wallets) => (this.wallets = wallets)),
      rt.onActiveWalletChange(this.#config, (active) => this.#setActive(active)),
    );
    if (previous) void this.#reconnect(rt, this.#config, previous);
    // A WalletConnect session left from before the reload (or the network change) comes back without
    // asking the user again; not awaited: its relay may be slow or unreachable, and nothing waits for it.
    else void rt.reconnectWallets(this.#config).catch(() => undefined);
    return this.#config;
  }

  /** Connects the wallet used before a network change on the new config; a failure is said, not silent. */
  async #reconnect(rt: WalletRuntime, config: Config, previous: NonNullable<ActiveWallet>): Promise<void> {
    try {
      const active = await rt.connectAgain(config, previous.connectorId, networkState.context.network);
      if (config === this.#config) this.#setActive(active);
    } catch (error) {
      if (config !== this.#config) return;
      this.reconnectError = error;
      this.#setActive(null);
    }
  }

  #setActive(active: ActiveWallet): void {
    const same = active?.address === this.active?.address && active?.chainId === this.active?.chainId && active?.connectorId === this.active?.connectorId;
    this.active = active;
    // A wallet connected again (by the user or after a network change) ends the story of the one lost.
    if (active) this.reconnectError = null;
    // wagmi reports a connection this class also set itself: listeners hear of each change once.
    if (same) return;
    for (const listener of this.#activeListeners) listener(active);
  }

  #wallet(): EmbeddedWallet {
    if (!this.#embedded) throw new OutpostError('wallet.not_loaded', 'The wallet has not finished loading.', { hint: 'Wait a moment and try again.' });
    return this.#embedded;
  }

  #touch(): void {
    if (this.status === 'unlocked') this.#idle?.touch();
  }

  async #connectEmbedded(): Promise<void> {
    const rt = await this.runtime();
    const config = this.#bind(rt);
    const embedded = this.wallets.find((w) => w.id === rt.EMBEDDED_CONNECTOR_ID);
    if (embedded) this.#setActive(await rt.connectWallet(config, embedded.uid, networkState.context.network));
    this.#idle?.touch();
  }

  async create(password: string): Promise<string> {
    const { mnemonic } = await this.#wallet().create(password);
    this.backedUp = false;
    this.freshMnemonic = mnemonic;
    await this.#connectEmbedded();
    return mnemonic;
  }

  async importWallet(source: ImportSource, password: string): Promise<void> {
    await this.#wallet().import(source, password);
    // Whoever imports already holds the phrase, key or file: that is their backup.
    await this.confirmBackup();
    await this.#connectEmbedded();
  }

  async confirmBackup(): Promise<void> {
    const state = this.#wallet().state;
    if (state.status === 'none') return;
    await writeSetting(backupKey(state.vault.id), true);
    this.backedUp = true;
    this.freshMnemonic = null;
  }

  async unlock(password: string): Promise<void> {
    await this.#wallet().unlock(password);
    await this.#connectEmbedded();
  }

  async unlockWithPasskey(): Promise<void> {
    const rt = await this.runtime();
    const wallet = this.#wallet();
    const state = wallet.state;
    if (state.status === 'none') return;
    const wrap = state.vault.passkeys[0];
    if (!wrap) throw new OutpostError('wallet.no_passkey', 'No passkey is set up for this wallet.', { hint: 'Unlock with your password; you can add a passkey under Security.' });
    const output = await rt.evaluatePrf(wrap.credentialId, wrap.prfSalt);
    await wallet.unlockWithPrf(wrap.credentialId, output);
    await this.#connectEmbedded();
  }

  async addPasskey(password: string): Promise<void> {
    const rt = await this.runtime();
    const wallet = this.#wallet();
    // Check the password before the authenticator makes a credential: a typo must not leave an orphan passkey.
    await wallet.verifyPassword(password);
    const { credentialId, prfSalt, prfOutput } = await rt.registerPasskey(this.embeddedAddress ?? '');
    await wallet.addPasskey(password, credentialId, prfSalt, prfOutput);
  }

  lock(): void {
    this.#idle?.stop();
    this.freshMnemonic = null;
    this.#embedded?.lock();
    if (this.usingEmbedded && this.#config && this.#runtime) void this.#runtime.disconnectWallet(this.#config);
  }

  async setAutoLock(minutes: number): Promise<void> {
    this.#idle?.setMinutes(minutes);
    this.autoLockMinutes = minutes;
    await writeSetting(AUTO_LOCK_KEY, minutes);
  }

  revealMnemonic(password: string): Promise<string | null> {
    return this.#wallet().revealMnemonic(password);
  }

  exportPrivateKey(password: string): Promise<Hex> {
    return this.#wallet().exportPrivateKey(password);
  }

  async exportKeystore(password: string, keystorePassword: string): Promise<string> {
    return JSON.stringify(await this.#wallet().exportKeystore(password, keystorePassword));
  }

  async forget(): Promise<void> {
    this.lock();
    await this.#wallet().forget();
  }

  async connectExternal(uid: string): Promise<void> {
    const rt = await this.runtime();
    this.#setActive(await rt.connectWallet(this.#bind(rt), uid, networkState.context.network));
  }

  async disconnect(): Promise<void> {
    const rt = await this.runtime();
    if (this.#config) await rt.disconnectWallet(this.#config);
    this.#setActive(null);
  }
}

export const [getWalletSession, setWalletSession] = createContext<WalletSession>();
