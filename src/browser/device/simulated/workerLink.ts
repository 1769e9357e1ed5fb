import { DeviceError, LinkError } from '../../../device/errors.js';
import { ByteQueue, newLinkStats, type DeviceLink, type LinkStats } from '../../../device/link.js';
import type { PageToSimulator, SimulatorStart, SimulatorToPage } from './serveSimulator.js';

/** What WorkerLink needs of a worker: a DOM Worker fits, and so does a test double over a MessageChannel. */
export type SimulatorWorker = {
  postMessage(message: PageToSimulator, transfer: Transferable[]): void;
  addEventListener(type: 'message' | 'error', listener: (event: Event) => void): void;
  terminate(): void;
};

/** How long a fresh worker may take to load and say it is ready (a cold dev server compiles it first). */
const START_TIMEOUT_MS = 15_000;

/**
 * The page's end of the in-page simulator: a byte pipe to the simulated device in a worker, shaped
 * like a serial cable. Closing terminates the worker, so a disconnected simulated device stops
 * like an unplugged one.
 */
export class WorkerLink implements DeviceLink {
  readonly kind = 'worker' as const;
  readonly stats: LinkStats = newLinkStats();
  private readonly queue = new ByteQueue();
  private closed = false;

  private constructor(private readonly worker: SimulatorWorker) {
    worker.addEventListener('message', (event) => {
      const data = (event as MessageEvent<SimulatorToPage>).data;
      if (data instanceof Uint8Array) this.queue.push(data);
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.queue.fail(
        new LinkError('device.link_lost', 'The simulated device stopped.', {
          details: (event as ErrorEvent).message,
          hint: 'Connect it again; if it keeps happening, reload the app.',
        }),
      );
    });
  }

  /** Starts the simulated device in `worker` and resolves once it serves; an abort terminates the worker. */
  static start(worker: SimulatorWorker, start: SimulatorStart, signal?: AbortSignal): Promise<WorkerLink> {
    return new Promise<WorkerLink>((resolve, reject) => {
      let settled = false;
      const finish = (error: unknown, link?: WorkerLink) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (link) resolve(link);
        else {
          worker.terminate();
          reject(error);
        }
      };
      const onAbort = () => finish(signal?.reason);
      const timer = setTimeout(() => finish(workerError(`It did not start within ${START_TIMEOUT_MS / 1000} s.`)), START_TIMEOUT_MS);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const link = new WorkerLink(worker);
      worker.addEventListener('message', (event) => {
        const data = (event as MessageEvent<SimulatorToPage>).data;
        if (data instanceof Uint8Array) return;
        if (data.type === 'ready') finish(null, link);
        else finish(workerError(data.message));
      });
      // A worker script that fails to load or throws at the top reports an error event, not a message.
      worker.addEventListener('error', (event) => finish(workerError((event as ErrorEvent).message || 'The worker script failed to load.')));
      worker.postMessage(start, []);
    });
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw closedError();
    // Transfer a copy: the caller keeps its buffer, and a view into a larger buffer sends only its bytes.
    const copy = bytes.slice();
    this.worker.postMessage(copy, [copy.buffer]);
    this.stats.operations++;
    this.stats.bytesWritten += bytes.length;
  }

  async read(signal: AbortSignal): Promise<Uint8Array> {
    const bytes = await this.queue.read(signal);
    this.stats.operations++;
    this.stats.bytesRead += bytes.length;
    return bytes;
  }

  /** Starts afresh on the same device: both ends forget half-sent bytes. */
  async reconnect(): Promise<void> {
    if (this.closed) throw closedError();
    this.queue.clear();
    this.worker.postMessage({ type: 'reset' }, []);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.worker.terminate();
    this.queue.fail(closedError());
  }
}

function closedError(): LinkError {
  return new LinkError('device.link_closed', 'The simulated device is disconnected.', { hint: 'Connect it again from the Devices screen.' });
}

function workerError(details: string): DeviceError {
  return new DeviceError('device.simulated_worker', 'The simulated device could not start.', {
    details,
    hint: 'Reload the app and try again. Simulated devices need a browser with module workers (current Chrome, Edge, Firefox or Safari).',
  });
}
