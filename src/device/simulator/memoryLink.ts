import { LinkError } from '../errors.js';
import { ByteQueue, newLinkStats, type DeviceLink, type LinkStats } from '../link.js';
import { SimEndpoint } from './endpoint.js';
import type { SimDevice } from './model.js';

/**
 * A host link wired straight to a simulated device in the same process: a stand-in for a serial
 * cable in unit tests and the fuzz test. Drops (fault injection or `drop()`) behave like an
 * unplugged cable: reads fail with LinkError until `reconnect()`.
 */
export class MemoryLink implements DeviceLink {
  readonly kind = 'memory' as const;
  readonly stats: LinkStats = newLinkStats();
  readonly endpoint: SimEndpoint;
  private readonly queue = new ByteQueue();
  private up = true;
  reconnects = 0;

  constructor(device: SimDevice) {
    this.endpoint = new SimEndpoint(device, {
      send: (bytes) => {
        if (this.up) this.queue.push(bytes);
      },
      drop: () => this.drop(),
    });
  }

  /** Feeds raw bytes to the host side, as if the device had sent them (noise, garbage). */
  inject(bytes: Uint8Array): void {
    this.queue.push(bytes);
  }

  drop(): void {
    this.up = false;
    this.endpoint.reset();
    this.queue.fail(new LinkError('device.link_lost', 'The connection to the device was lost.'));
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.up) throw new LinkError('device.link_lost', 'The connection to the device was lost.');
    this.stats.operations++;
    this.stats.bytesWritten += bytes.length;
    this.endpoint.receive(bytes);
  }

  async read(signal: AbortSignal): Promise<Uint8Array> {
    const bytes = await this.queue.read(signal);
    this.stats.operations++;
    this.stats.bytesRead += bytes.length;
    return bytes;
  }

  async reconnect(): Promise<void> {
    this.reconnects++;
    this.queue.clear();
    this.endpoint.reset();
    this.up = true;
  }

  async close(): Promise<void> {
    this.drop();
  }
}
