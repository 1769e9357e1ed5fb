import { probeRpc, readDeployedCode, type DeployedCode, type RpcProbe } from '../../core/rpcProbe.js';
import { networkState } from './network.svelte.js';

/** How often the selected RPC is asked again while the page is visible. */
const RECHECK_MS = 30_000;

/** The selected RPC's last probe and when it answered. */
type ReachabilityResult = { probe: RpcProbe; checkedAt: number };

/**
 * Whether the selected network's RPC answers, for the header badge, Settings and the feature
 * cards alike. A result belongs to the RPC it was probed on (issue 14, bug 2): a late answer from a
 * network left behind is dropped, and only the selected RPC's result is ever shown. The RPC is
 * asked again every 30 s while the page is visible, when it becomes visible, and when the browser
 * comes back online; the last answer stays on screen while a new one is awaited.
 */
class Reachability {
  #last = $state<{ rpc: string; result: ReachabilityResult | null; checking: boolean } | null>(null);
  /** Contract-code reads by RPC and addresses: a card's "found" comes from the chain, never from the address book alone. */
  #codes = $state<Record<string, DeployedCode | undefined>>({});
  /** The RPC being probed now, if any (bookkeeping, not shown). */
  #probing: string | null = null;
  /** The browser's own idea of being online, for the offline banner. */
  online = $state(true);

  /** The selected RPC's last result, or null until its first probe has answered. */
  readonly result = $derived(this.#last?.rpc === networkState.context.rpcUrl ? this.#last.result : null);
  /** Whether a probe of the selected RPC is under way (a last answer may still be shown). */
  get checking(): boolean {
    return !this.result || !!this.#last?.checking;
  }
  readonly state = $derived(!this.result ? 'checking' : this.result.probe.ok ? 'reachable' : 'unreachable');
  /** The badge's words: the state said, never shown by colour alone. */
  get words(): string {
    return this.state === 'unreachable' ? 'not answering' : this.state;
  }

  /** Probes the selected RPC now; a result arriving after the user moved on is dropped. */
  async check(): Promise<void> {
    await networkState.init();
    const { network, rpcUrl: rpc } = networkState.context;
    // One probe at a time per RPC: the start, a tab coming back and the timer can coincide.
    if (this.#probing === rpc) return;
    this.#probing = rpc;
    this.#last = { rpc, result: this.#last?.rpc === rpc ? this.#last.result : null, checking: true };
    // Plain fetch, small enough for the first screen: no chain code loads for the badge (rpcProbe.ts).
    const result = { probe: await probeRpc(network, rpc), checkedAt: Date.now() };
    if (this.#probing === rpc) this.#probing = null;
    if (networkState.context.rpcUrl === rpc) this.#last = { rpc, result, checking: false };
    // Failed contract reads are tried again once the RPC has answered a probe.
    if (result.probe.ok) for (const [key, code] of Object.entries(this.#codes)) if (code?.ok === false) delete this.#codes[key];
  }

  #codeKey = (contracts: Record<string, string>) => `${networkState.context.rpcUrl}|${Object.values(contracts).join()}`;

  /** Whether the listed contracts have code on the selected chain, as last read; undefined until read. */
  codeOf(contracts: Record<string, string>): DeployedCode | undefined {
    return this.#codes[this.#codeKey(contracts)];
  }

  /**
   * Reads the listed contracts' code from the selected chain, once per RPC, and only while it
   * answers (call from an effect). A failed read asks the probe again, so every screen agrees.
   */
  readCode(contracts: Record<string, string>): void {
    const key = this.#codeKey(contracts);
    if (this.state !== 'reachable' || key in this.#codes) return;
    this.#codes[key] = undefined;
    void readDeployedCode(networkState.context.rpcUrl, contracts).then((code) => {
      if (key in this.#codes) this.#codes[key] = code;
      if (!code.ok) void this.check();
    });
  }

  /** Starts following the selected RPC (once, from the app's root). */
  start(): void {
    $effect.root(() => {
      $effect(() => {
        void networkState.context.rpcUrl;
        void this.check();
      });
    });
    const recheck = () => document.visibilityState === 'visible' && void this.check();
    const connectivity = () => {
      this.online = navigator.onLine;
      recheck();
    };
    connectivity();
    setInterval(recheck, RECHECK_MS);
    document.addEventListener('visibilitychange', recheck);
    addEventListener('online', connectivity);
    addEventListener('offline', connectivity);
  }
}

export const reachability = new Reachability();
