import type { Address, Hex } from 'viem';
import type { ConnectedDevice } from '../../../browser/device/connect.js';
import { browserSupport } from '../../../browser/device/webApis.js';
import type { ProvableBatch } from '../../../core/outbox/batch.js';
import type { Reading } from '../../../core/readings.js';
import { networkState } from '../../state/network.svelte.js';
import type { WifiDescription } from '../../../device/wifi.js';

/** The device code (transports, protocol, signature checks, Poseidon): loaded on the first "Connect". */
type DeviceRuntime = typeof import('../../../browser/device/runtime.js');

type Authenticity =
  | { state: 'unchecked' }
  | { state: 'checking' }
  | { state: 'genuine'; detail: string }
  | { state: 'failed'; error: unknown };

type WifiView =
  | { state: 'unknown' }
  | { state: 'busy'; text: string }
  | { state: 'known'; description: WifiDescription }
  | { state: 'failed'; error: unknown };

type ResetView = { state: 'idle' } | { state: 'resetting' } | { state: 'done' } | { state: 'failed'; error: unknown };

type SyncState =
  | { state: 'idle' }
  | { state: 'pulling'; pulled: number; target: number }
  | {
      state: 'done';
      count: number;
      first: number;
      last: number;
      batches: number;
      signedBatches: number;
      duplicates: number;
      gaps: number;
      retries: number;
      fingerprint: Hex;
      /** The pulled readings themselves, for the chart. */
      readings: readonly Reading[];
    }
  | { state: 'failed'; error: unknown };

/** The Devices section's state: one connected device at a time, and what we learnt about it. */
class DeviceState {
  support = $state(browserSupport());
  device = $state.raw<ConnectedDevice | null>(null);
  connecting = $state<null | 'ble' | 'serial' | 'simulated'>(null);
  /** The last attempt was cancelled by the user: a neutral note, not an error. */
  cancelled = $state(false);
  error = $state<unknown>(null);
  authenticity = $state<Authenticity>({ state: 'unchecked' });
  // Raw: replaced whole on every change, and a pull's readings need no deep proxy.
  sync = $state.raw<SyncState>({ state: 'idle' });
  /** The newest batch of the last pull that can be proved and sent to the relay. */
  provable = $state.raw<ProvableBatch | null>(null);
  wifi = $state<WifiView>({ state: 'unknown' });
  reset = $state<ResetView>({ state: 'idle' });

  #runtime: DeviceRuntime | null = null;
  #attempt: AbortController | null = null;
  /** My devices listens here: a connected device is remembered, a pull marks it synced. */
  readonly #onConnected = new Set<(device: ConnectedDevice) => void>();
  readonly #onSynced = new Set<(device: ConnectedDevice) => void>();

  onConnected(listener: (device: ConnectedDevice) => void): () => void {
    this.#onConnected.add(listener);
    return () => this.#onConnected.delete(listener);
  }

  onSynced(listener: (device: ConnectedDevice) => void): () => void {
    this.#onSynced.add(listener);
    return () => this.#onSynced.delete(listener);
  }

  get missing(): string[] {
    return this.device && this.#runtime ? this.#runtime.missingFeatures(this.device.features) : [];
  }

  async #loadRuntime(): Promise<DeviceRuntime> {
    this.#runtime ??= await import('../../../browser/device/runtime.js');
    return this.#runtime;
  }

  /** `simulated`: the devnet's in-page simulator, by the simulated device's address (a new one when absent). */
  async connect(kind: 'ble' | 'serial' | 'simulated', simulated?: Address): Promise<void> {
    this.error = null;
    this.cancelled = false;
    this.connecting = kind;
    const attempt = new AbortController();
    this.#attempt = attempt;
    try {
      const rt = await this.#loadRuntime();
      await this.disconnect();
      const { signal } = attempt;
      if (kind === 'simulated') {
        const address = simulated ?? (await rt.createSimulatedDevice()).address;
        this.device = await rt.connectSimulated(address, { signal });
      } else {
        this.device = kind === 'ble' ? await rt.connectBluetooth({ signal }) : await rt.connectSerial({ signal });
      }
    } catch (error) {
      if (attempt.signal.aborted) this.cancelled = true;
      else this.error = error;
      return;
    } finally {
      // Connected or not, this attempt is over; the checks below show their own progress.
      if (this.#attempt === attempt) {
        this.#attempt = null;
        this.connecting = null;
      }
    }
    this.authenticity = { state: 'unchecked' };
    this.sync = { state: 'idle' };
    this.provable = null;
    this.wifi = { state: 'unknown' };
    this.reset = { state: 'idle' };
    const connected = this.device;
    if (connected) for (const listener of this.#onConnected) listener(connected);
    await this.checkAuthenticity();
    await this.refreshWifi();
  }

  /** Stops the connection in progress; the UI is back to idle at once, the device is let go of. */
  cancelConnect(): void {
    this.#attempt?.abort();
  }

  async checkAuthenticity(): Promise<void> {
    const device = this.device;
    if (!device) return;
    this.authenticity = { state: 'checking' };
    try {
      const result = await device.client.verifyAuthenticity();
      this.authenticity = { state: 'genuine', detail: `It signed a fresh challenge with the key of ${result.did}.` };
    } catch (error) {
      this.authenticity = { state: 'failed', error };
    }
  }

  async pullReadings(): Promise<void> {
    const device = this.device;
    if (!device || device.protocol !== 'outpost') return;
    this.sync = { state: 'pulling', pulled: 0, target: 0 };
    try {
      const { findProvableBatch, readingsFingerprint, sequenceProblems } = await this.#loadRuntime();
      const result = await device.client.pullReadings({
        onProgress: (progress) => (this.sync = { state: 'pulling', pulled: progress.pulled, target: progress.target }),
      });
      const problems = sequenceProblems(result.readings);
      this.sync = {
        state: 'done',
        count: result.readings.length,
        first: result.readings[0]?.seq ?? 0,
        last: result.readings.at(-1)?.seq ?? 0,
        batches: result.batches.length,
        signedBatches: result.batches.filter((batch) => batch.signer === device.address).length,
        ...problems,
        retries: result.retries,
        fingerprint: readingsFingerprint(result.readings),
        readings: result.readings,
      };
      for (const listener of this.#onSynced) listener(device);
      await networkState.init();
      this.provable = await findProvableBatch({ relayUrl: networkState.context.relayUrl }, result.batches, device.address);
    } catch (error) {
      this.sync = { state: 'failed', error };
    }
  }

  async refreshWifi(): Promise<void> {
    const device = this.device;
    if (!device || device.protocol !== 'outpost' || !device.features.wifi) return;
    try {
      const { describeWifi } = await this.#loadRuntime();
      this.wifi = { state: 'known', description: describeWifi(await device.client.wifiStatus()) };
    } catch (error) {
      this.wifi = { state: 'failed', error };
    }
  }

  /** Sends the credentials and follows the device until it joined or gave up; the password is not kept. */
  async provisionWifi(ssid: string, password: string): Promise<void> {
    const device = this.device;
    if (!device || device.protocol !== 'outpost') return;
    this.wifi = { state: 'busy', text: `Sending the settings for “${ssid}”…` };
    try {
      const { describeWifi } = await this.#loadRuntime();
      this.wifi = { state: 'known', description: describeWifi(await device.client.provisionWifi({ ssid, password })) };
    } catch (error) {
      this.wifi = { state: 'failed', error };
    }
  }

  /** Erases the device's readings and Wi-Fi (never its identity key); what we showed of them goes too. */
  async factoryReset(): Promise<void> {
    const device = this.device;
    if (!device || device.protocol !== 'outpost') return;
    this.reset = { state: 'resetting' };
    try {
      await device.client.factoryReset();
      this.sync = { state: 'idle' };
      this.provable = null;
      await this.refreshWifi();
      this.reset = { state: 'done' };
    } catch (error) {
      this.reset = { state: 'failed', error };
    }
  }

  async identify(): Promise<void> {
    const device = this.device;
    if (!device || device.protocol !== 'outpost') return;
    try {
      await device.client.identify(5);
    } catch (error) {
      this.error = error;
    }
  }

  async disconnect(): Promise<void> {
    const device = this.device;
    this.device = null;
    if (device) await device.link.close().catch(() => undefined);
  }
}

export const deviceState = new DeviceState();
