import type { Address } from 'viem';

/**
 * Remembers ioIDRegistry.exists answers: a registered device for `ttlMs`, a missing one for a
 * tenth of that (it may register any moment). Concurrent lookups of one device share one call.
 */
export class IoIdCache {
  private readonly entries = new Map<string, { exists: boolean; until: number }>();
  private readonly inflight = new Map<string, Promise<boolean>>();

  constructor(
    private readonly lookup: (device: Address) => Promise<boolean>,
    private readonly ttlMs: number,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  async exists(device: Address): Promise<boolean> {
    const key = device.toLowerCase();
    const cached = this.entries.get(key);
    if (cached && cached.until > this.clock()) return cached.exists;
    const running = this.inflight.get(key);
    if (running) return running;
    const call = this.lookup(device)
      .then((exists) => {
        this.entries.set(key, { exists, until: this.clock() + (exists ? this.ttlMs : this.ttlMs / 10) });
        return exists;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, call);
    return call;
  }
}
