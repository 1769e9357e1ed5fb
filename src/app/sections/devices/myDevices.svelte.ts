import { createContext } from 'svelte';
import type { Address, PublicClient } from 'viem';
import type { ConnectedDevice } from '../../../browser/device/connect.js';
import type { MyDevice, MyDeviceStore } from '../../../core/devices/myDevice.js';
import type { DeviceIoidStatus, IoidContracts } from '../../../core/ioid/reads.js';
import { networkState } from '../../state/network.svelte.js';
import type { WalletSession } from '../../state/walletSession.svelte.js';

/** What the chain says about a device's ioID, read each time My devices is shown. */
export type IoidView = { state: 'reading' } | { state: 'known'; status: DeviceIoidStatus } | { state: 'failed'; error: unknown } | { state: 'unavailable'; reason: string };

/**
 * My devices (issue 15): every device paired on this network under the active account (and those
 * paired with no wallet), kept in IndexedDB, with what the chain says about each one's ioID. The
 * store and the chain reads load on first use, not with the first screen.
 */
export class MyDevicesState {
  devices = $state<MyDevice[]>([]);
  /** By lowercase device address. */
  ioids = $state<Record<string, IoidView>>({});
  loaded = $state(false);
  /** Why the list could not be read or a change saved (storage full, private window), as thrown. */
  error = $state<unknown>(null);

  readonly #session: WalletSession;
  #store: Promise<MyDeviceStore> | null = null;
  /** Each read's number: only the latest applies, so a slower, older read never puts back a list without a device just remembered. */
  #reads = 0;

  constructor(session: WalletSession) {
    this.#session = session;
  }

  #loadStore(): Promise<MyDeviceStore> {
    this.#store ??= import('../../../browser/devices/store.js').then((module) => module.createIndexedDbDeviceStore());
    return this.#store;
  }

  get #filter(): { chainId: number; account: Address | null } {
    return { chainId: networkState.context.network.chainId, account: this.#session.active?.address ?? null };
  }

  find(address: string): MyDevice | undefined {
    const wanted = address.toLowerCase();
    // The account's own record first: a device paired with no wallet and again under the account is listed once.
    return this.devices.find((device) => device.address.toLowerCase() === wanted);
  }

  ioidOf(address: string): IoidView | undefined {
    return this.ioids[address.toLowerCase()];
  }

  /** Reads the list for the network and account on screen, then each device's ioID from the chain. */
  async load(): Promise<void> {
    const filter = this.#filter;
    const read = ++this.#reads;
    try {
      const listed = await (await this.#loadStore()).list(filter);
      if (read !== this.#reads) return;
      this.devices = dedupe(listed);
      this.error = null;
    } catch (error) {
      if (read === this.#reads) this.error = error;
      return;
    } finally {
      if (read === this.#reads) this.loaded = true;
    }
    await Promise.all(this.devices.map((device) => this.readIoid(device.address)));
  }

  /** Adds a freshly connected device, or marks a known one as seen now (its name stays). */
  async remember(connected: ConnectedDevice): Promise<MyDevice | null> {
    const { defaultDeviceName } = await import('../../../core/devices/myDevice.js');
    const filter = this.#filter;
    const now = Date.now();
    try {
      const store = await this.#loadStore();
      const known = (await store.get({ ...filter, address: connected.address })) ?? this.find(connected.address);
      const device: MyDevice = {
        chainId: filter.chainId,
        account: filter.account,
        address: connected.address,
        did: connected.did,
        name: known?.name ?? defaultDeviceName(connected.address, connected.transport),
        transport: connected.transport,
        protocol: connected.protocol,
        pairedAt: known?.pairedAt ?? now,
        lastSeenAt: now,
        lastSyncedAt: known?.lastSyncedAt ?? null,
      };
      await store.put(device);
      await this.load();
      return device;
    } catch (error) {
      this.error = error;
      return null;
    }
  }

  async rename(address: Address, input: string): Promise<void> {
    const { checkDeviceName } = await import('../../../core/devices/myDevice.js');
    const name = checkDeviceName(input);
    await this.#update(address, (device) => ({ ...device, name }));
  }

  async markSynced(address: Address): Promise<void> {
    const now = Date.now();
    await this.#update(address, (device) => ({ ...device, lastSyncedAt: now, lastSeenAt: now }));
  }

  /** Removes the device from this list (its ioID and everything on-chain stay). */
  async forget(address: Address): Promise<void> {
    const device = this.find(address);
    if (!device) return;
    await (await this.#loadStore()).delete(device);
    await this.load();
  }

  async #update(address: Address, change: (device: MyDevice) => MyDevice): Promise<void> {
    const device = this.find(address);
    if (!device) return;
    await (await this.#loadStore()).put(change(device));
    await this.load();
  }

  /** The ioID contracts of the network on screen, or why there are none. */
  ioidContracts(): IoidContracts | string {
    const { addressBook, features } = networkState.context;
    const status = features.ioid;
    if (!status.available || !addressBook.ioIDRegistry || !addressBook.ioID || !addressBook.ioIDStore) return status.available ? 'The ioID contracts are not known here.' : status.reason;
    return { ioIDRegistry: addressBook.ioIDRegistry, ioID: addressBook.ioID, ioIDStore: addressBook.ioIDStore };
  }

  async client(): Promise<PublicClient> {
    const { createNetworkClient } = await import('../../../core/rpc.js');
    const { network, rpcUrl } = networkState.context;
    return createNetworkClient(network, rpcUrl, 15_000);
  }

  /** Reads one device's ioID from the chain (registered, owner, ERC-6551 account, DID, device NFT). */
  async readIoid(address: Address): Promise<void> {
    const key = address.toLowerCase();
    const contracts = this.ioidContracts();
    if (typeof contracts === 'string') {
      this.ioids = { ...this.ioids, [key]: { state: 'unavailable', reason: contracts } };
      return;
    }
    if (this.ioids[key]?.state !== 'known') this.ioids = { ...this.ioids, [key]: { state: 'reading' } };
    try {
      const [{ readDeviceIoid }, client] = await Promise.all([import('../../../core/ioid/reads.js'), this.client()]);
      const status = await readDeviceIoid(client, contracts, address);
      this.ioids = { ...this.ioids, [key]: { state: 'known', status } };
    } catch (error) {
      this.ioids = { ...this.ioids, [key]: { state: 'failed', error } };
    }
  }
}

/** One entry per device: the account's record wins over the one paired with no wallet. */
function dedupe(devices: MyDevice[]): MyDevice[] {
  // A local index, not state: nothing renders from it.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const byAddress = new Map<string, MyDevice>();
  for (const device of devices) {
    const key = device.address.toLowerCase();
    const seen = byAddress.get(key);
    if (!seen || (seen.account === null && device.account !== null)) byAddress.set(key, device);
  }
  return [...byAddress.values()];
}

export const [getMyDevices, setMyDevices] = createContext<MyDevicesState>();
