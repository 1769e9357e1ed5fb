import { untrack } from 'svelte';
import type { FeatureStatus } from '../../core/addressBook.js';
import { readDeployedCode, type DeployedCode } from '../../core/rpcProbe.js';
import { networkState } from '../state/network.svelte.js';
import { reachability } from '../state/reachability.svelte.js';

/** What a feature card says of its contracts, from what is known so far. */
export type PresenceView =
  | { kind: 'not-listed'; reason: string }
  | { kind: 'checking' }
  | { kind: 'unreachable' }
  | { kind: 'found'; blockNumber: bigint }
  | { kind: 'missing'; missing: string[] };

/**
 * Whether a feature's contracts are on the selected chain, read from it (eth_getCode) once the
 * shared probe says its RPC answers, and read again when the network or its reachability changes.
 * Until then the card says it does not know, never "found" (issue 14). A read that fails asks the
 * probe again, so the header and the card agree on what is reachable.
 */
export class ContractPresence {
  #read = $state<{ key: string; code: DeployedCode | null } | null>(null);

  readonly view: PresenceView = $derived.by(() => {
    const status = this.status();
    if (!status.available) return { kind: 'not-listed', reason: status.reason };
    if (reachability.state === 'unreachable') return { kind: 'unreachable' };
    const code = this.#read?.key === this.#key(status) ? this.#read.code : null;
    if (reachability.state === 'checking' || !code) return { kind: 'checking' };
    if (!code.ok) return { kind: 'unreachable' };
    return code.missing.length === 0 ? { kind: 'found', blockNumber: code.blockNumber } : { kind: 'missing', missing: code.missing };
  });

  constructor(private readonly status: () => FeatureStatus) {
    $effect(() => {
      const current = this.status();
      if (!current.available || reachability.state !== 'reachable') return;
      const key = this.#key(current);
      if (untrack(() => this.#read?.key) !== key) void this.#check(key, current.contracts);
    });
  }

  #key(status: FeatureStatus): string {
    return `${networkState.context.rpcUrl}|${status.available ? Object.values(status.contracts).join(',') : ''}`;
  }

  async #check(key: string, contracts: Record<string, string>): Promise<void> {
    this.#read = { key, code: null };
    const code = await readDeployedCode(networkState.context.rpcUrl, contracts);
    if (this.#read?.key !== key) return;
    this.#read = { key, code };
    if (!code.ok) void reachability.check();
  }
}
