import type { Abi, Address, Hash, Hex, TypedDataDefinition } from 'viem';
import type { Config } from '@wagmi/core';
import { describeError } from '../../core/errors.js';
import { readSetting, writeSetting } from '../../browser/storage/db.js';
import type { PreparedSend } from '../../browser/wallet/chain.js';
import type { EmbeddedWallet, ImportSource } from '../../browser/wallet/embedded.js';
import type { StorageGuard } from '../../browser/wallet/guard.js';
import type { TxRecord } from '../../browser/wallet/store.js';
import type { ActiveWallet, WalletOption } from '../../browser/wallet/wagmi.js';
import { DEFAULT_AUTO_LOCK_MINUTES } from '../../core/wallet/autoLock.js';
import { UserRejectedError } from '../../core/wallet/errors.js';
import type { Network } from '../../core/networks.js';
import { networkState } from './network.svelte.js';

/**
 * The wallet as every section sees it: the embedded wallet's status, the active wallet (any
 * kind, through wagmi), balance, history, and the one confirmation queue other features use via
 * `requestTransaction` / `requestTypedSignature`. Heavy code loads on first use only.
 */
type Runtime = typeof import('../../browser/wallet/runtime.js');

export type ConfirmRequest =
  | { kind: 'transaction'; title: string; network: Network; from: Address; to: Address; value: bigint; data?: Hex; abi?: Abi; fee?: bigint; gas?: bigint }
  | { kind: 'typedData'; title: string; network: Network; from: Address; typedData: TypedDataDefinition };

type Pending = ConfirmRequest & { approve: () => void; reject: () => void };

const AUTO_LOCK_KEY = 'wallet.autoLockMinutes';
const backupKey = (vaultId: string) => `wallet.backedUp.${vaultId}`;

class WalletState {
  status = $state<'loading' | 'none' | 'locked' | 'unlocked'>('loading');
  embeddedAddress = $state<Address | null>(null);
  active = $state<ActiveWallet>(null);
  wallets = $state<WalletOption[]>([]);
  balance = $state<bigint | null>(null);
  balanceError = $state<string | null>(null);
  history = $state<TxRecord[]>([]);
  backedUp = $state(false);
  autoLockMinutes = $state(DEFAULT_AUTO_LOCK_MINUTES);
  guard = $state<StorageGuard | null>(null);
  pending = $state<Pending | null>(null);
  walletConnectConfigured = $state(false);
  error = $state<string | null>(null);
  /** The phrase of a wallet created in this session, kept only until its backup is confirmed. */
  freshMnemonic = $state<string | null>(null);
  passkeyCount = $state(0);

  #runtime: Runtime | null = null;
  #embedded: EmbeddedWallet | null = null;
  #config: Config | null = null;
  #configKey = '';
  #idle: InstanceType<Runtime['IdleLock']> | null = null;
  #unsubscribers: (() => void)[] = [];

  async runtime(): Promise<Runtime> {
    this.#runtime ??= await import('../../browser/wallet/runtime.js');
    return this.#runtime;
  }

  /** Loads the stored wallet (always locked after a reload) and the wallet list. */
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
    this.#ensureConfig(rt);
  }

  #ensureConfig(rt: Runtime): Config {
    const { network, rpcUrl } = networkState.context;
    const key = `${network.id}|${rpcUrl}`;
    if (this.#config && this.#configKey === key) return this.#config;
    for (const off of this.#unsubscribers.splice(0)) off();
    const embedded = this.#embedded!;
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
    this.active = null;
    this.#unsubscribers.push(
      rt.onWalletsChange(this.#config, (wallets) => (this.wallets = wallets)),
      rt.onActiveWalletChange(this.#config, (active) => {
        this.active = active;
        void this.refresh();
      }),
    );
    return this.#config;
  }

  #touch(): void {
    if (this.status === 'unlocked') this.#idle?.touch();
  }

  async #connectEmbedded(): Promise<void> {
    const rt = await this.runtime();
    const config = this.#ensureConfig(rt);
    const embedded = this.wallets.find((w) => w.id === rt.EMBEDDED_CONNECTOR_ID);
    if (embedded) this.active = await rt.connectWallet(config, embedded.uid, networkState.context.network);
    this.#idle?.touch();
  }

  async create(password: string): Promise<string> {
    const { mnemonic } = await this.#embedded!.create(password);
    this.backedUp = false;
    this.freshMnemonic = mnemonic;
    await this.#connectEmbedded();
    return mnemonic;
  }

  async importWallet(source: ImportSource, password: string): Promise<void> {
    await this.#embedded!.import(source, password);
    // Whoever imports already holds the phrase, key or file: that is their backup.
    await this.confirmBackup();
    await this.#connectEmbedded();
  }

  async confirmBackup(): Promise<void> {
    const state = this.#embedded!.state;
    if (state.status === 'none') return;
    await writeSetting(backupKey(state.vault.id), true);
    this.backedUp = true;
    this.freshMnemonic = null;
  }

  async unlock(password: string): Promise<void> {
    await this.#embedded!.unlock(password);
    await this.#connectEmbedded();
  }

  async unlockWithPasskey(): Promise<void> {
    const rt = await this.runtime();
    const state = this.#embedded!.state;
    if (state.status === 'none') return;
    const wrap = state.vault.passkeys[0];
    if (!wrap) throw new Error('No passkey is set up for this wallet.');
    const output = await rt.evaluatePrf(wrap.credentialId, wrap.prfSalt);
    await this.#embedded!.unlockWithPrf(wrap.credentialId, output);
    await this.#connectEmbedded();
  }

  async addPasskey(password: string): Promise<void> {
    const rt = await this.runtime();
    // Check the password before the authenticator makes a credential: a typo must not leave an orphan passkey.
    await this.#embedded!.verifyPassword(password);
    const { credentialId, prfSalt, prfOutput } = await rt.registerPasskey(this.embeddedAddress ?? '');
    await this.#embedded!.addPasskey(password, credentialId, prfSalt, prfOutput);
  }

  get hasPasskey(): boolean {
    return this.passkeyCount > 0;
  }

  lock(): void {
    this.#idle?.stop();
    this.freshMnemonic = null;
    this.#embedded?.lock();
    if (this.active?.connectorId === this.#runtime?.EMBEDDED_CONNECTOR_ID && this.#config && this.#runtime) {
      void this.#runtime.disconnectWallet(this.#config);
    }
  }

  async setAutoLock(minutes: number): Promise<void> {
    this.#idle?.setMinutes(minutes);
    this.autoLockMinutes = minutes;
    await writeSetting(AUTO_LOCK_KEY, minutes);
  }

  revealMnemonic(password: string): Promise<string | null> {
    return this.#embedded!.revealMnemonic(password);
  }

  exportPrivateKey(password: string): Promise<Hex> {
    return this.#embedded!.exportPrivateKey(password);
  }

  async exportKeystore(password: string, keystorePassword: string): Promise<string> {
    return JSON.stringify(await this.#embedded!.exportKeystore(password, keystorePassword));
  }

  async forget(): Promise<void> {
    this.lock();
    await this.#embedded!.forget();
  }

  async connectExternal(uid: string): Promise<void> {
    const rt = await this.runtime();
    this.active = await rt.connectWallet(this.#ensureConfig(rt), uid, networkState.context.network);
  }

  async disconnect(): Promise<void> {
    const rt = await this.runtime();
    if (this.#config) await rt.disconnectWallet(this.#config);
    this.active = null;
  }

  /** Balance and history of the active wallet; errors are named (RPC down, wrong chain). */
  async refresh(): Promise<void> {
    const address = this.active?.address;
    if (!address) {
      this.balance = null;
      this.history = [];
      return;
    }
    const rt = await this.runtime();
    const { network, rpcUrl } = networkState.context;
    const client = rt.walletClientFor(network, rpcUrl);
    try {
      this.balance = await rt.readBalance(client, network, rpcUrl, address);
      this.balanceError = null;
    } catch (error) {
      this.balanceError = describeError(error);
    }
    this.history = await rt.loadHistory(this.balanceError ? null : client, network, address).catch(() => this.history);
  }

  async prepareSend(to: string, amount: string): Promise<PreparedSend> {
    const rt = await this.runtime();
    const { network, rpcUrl } = networkState.context;
    if (!this.active) throw new Error('Connect or unlock a wallet first.');
    return rt.prepareSend(rt.walletClientFor(network, rpcUrl), network, rpcUrl, { from: this.active.address, to, amount });
  }

  /** Shows the confirmation; resolves once the user approves, rejects with UserRejectedError. */
  confirm(request: ConfirmRequest): Promise<void> {
    this.pending?.reject();
    return new Promise((resolve, reject) => {
      this.pending = {
        ...request,
        approve: () => {
          this.pending = null;
          resolve();
        },
        reject: () => {
          this.pending = null;
          reject(new UserRejectedError(request.kind === 'transaction' ? 'the transaction' : 'the signature request'));
        },
      };
    });
  }

  /** For any feature: confirm (decoded + simulated), send with the active wallet, track in history. */
  async requestTransaction(input: { title: string; to: Address; value?: bigint; data?: Hex; abi?: Abi; gas?: bigint; fee?: bigint; label?: string }): Promise<Hash> {
    const rt = await this.runtime();
    const config = this.#ensureConfig(rt);
    if (!this.active) throw new Error('Connect or unlock a wallet first.');
    const { network, rpcUrl } = networkState.context;
    const from = this.active.address;
    await this.confirm({ kind: 'transaction', title: input.title, network, from, to: input.to, value: input.value ?? 0n, ...(input.data ? { data: input.data } : {}), ...(input.abi ? { abi: input.abi } : {}), ...(input.fee !== undefined ? { fee: input.fee } : {}), ...(input.gas !== undefined ? { gas: input.gas } : {}) });
    const hash = await rt.sendWithActiveWallet(config, network, { to: input.to, value: input.value ?? 0n, ...(input.data ? { data: input.data } : {}), ...(input.gas ? { gas: input.gas } : {}) });
    const client = rt.walletClientFor(network, rpcUrl);
    const record = await rt.recordSent(client, network, { hash, from, to: input.to, value: input.value ?? 0n, label: input.label ?? input.title });
    this.history = [record, ...this.history.filter((tx) => tx.hash !== hash)];
    void rt.trackTx(client, record).then(() => this.refresh());
    return hash;
  }

  async requestTypedSignature(title: string, typedData: TypedDataDefinition): Promise<Hex> {
    const rt = await this.runtime();
    const config = this.#ensureConfig(rt);
    if (!this.active) throw new Error('Connect or unlock a wallet first.');
    await this.confirm({ kind: 'typedData', title, network: networkState.context.network, from: this.active.address, typedData });
    return rt.signTypedDataWithActiveWallet(config, typedData);
  }

  async send(prepared: PreparedSend): Promise<Hash> {
    return this.requestTransaction({ title: 'Send IOTX', to: prepared.to, value: prepared.value, gas: prepared.gas, fee: prepared.fee, label: 'Send' });
  }

  /** DEV ONLY devnet faucet. */
  async faucet(): Promise<void> {
    const rt = await this.runtime();
    const { network, rpcUrl } = networkState.context;
    if (!this.active) return;
    const client = rt.walletClientFor(network, rpcUrl);
    const hash = await rt.requestDevnetFunds(client, network, rpcUrl, this.active.address);
    await client.waitForTransactionReceipt({ hash, timeout: 30_000 });
    await this.refresh();
  }

  async simulate(request: ConfirmRequest & { kind: 'transaction' }): Promise<import('../../core/signing/decode.js').Simulation> {
    const rt = await this.runtime();
    const { network, rpcUrl } = networkState.context;
    return rt.simulateCall(rt.walletClientFor(network, rpcUrl), request);
  }
}

export const walletState = new WalletState();
