import type { DevnetLookup } from '../../browser/session.js';
import { loadDevnetConfig, loadSelectedNetwork, saveSelectedNetwork } from '../../browser/session.js';
import { resolveNetworkContext } from '../../core/networkContext.js';
import type { NetworkId } from '../../core/networks.js';

/** The chosen network and the running devnet, shared by every section. */
class NetworkState {
  selected = $state<NetworkId>('devnet');
  devnet = $state<DevnetLookup>({ config: null, source: 'none', warning: 'Looking for a local devnet…' });
  /** Why the choice could not be saved, as thrown: ErrorNotice shows it. */
  saveError = $state<unknown>(null);
  ready = $state(false);
  context = $derived(resolveNetworkContext(this.selected, this.devnet.config));

  private initialised: Promise<void> | null = null;

  /** Loads the saved choice and the devnet config once; every caller waits for the same load. */
  init(): Promise<void> {
    this.initialised ??= this.load();
    return this.initialised;
  }

  private async load(): Promise<void> {
    const [selected, devnet] = await Promise.all([
      loadSelectedNetwork().catch(() => 'devnet' as const),
      loadDevnetConfig(location.origin),
    ]);
    this.selected = selected;
    this.devnet = devnet;
    this.ready = true;
  }

  async select(id: NetworkId): Promise<void> {
    this.selected = id;
    try {
      await saveSelectedNetwork(id);
      this.saveError = null;
    } catch (error) {
      this.saveError = error;
    }
  }
}

export const networkState = new NetworkState();
