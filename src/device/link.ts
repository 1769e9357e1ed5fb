/**
 * A transport as the session sees it: a byte pipe to one device that can be reopened. Web
 * Bluetooth, Web Serial, a Node TCP socket, the in-page simulator's worker and in-memory test
 * pipes all implement it, so the session and everything above it are the same for every transport.
 */
type LinkKind = 'ble' | 'serial' | 'tcp' | 'memory' | 'worker';

export type LinkStats = {
  /** Bytes the host wrote (frames, including framing). */
  bytesWritten: number;
  /** Bytes the host received. */
  bytesRead: number;
  /** Transport operations (BLE: GATT writes + reads including empty polls; streams: writes + reads). */
  operations: number;
};

export interface DeviceLink {
  readonly kind: LinkKind;
  readonly stats: LinkStats;
  /** Write one whole frame; the link splits it to its chunk size. Throws LinkError when the link is down. */
  write(bytes: Uint8Array): Promise<void>;
  /**
   * The next bytes from the device. Waits until some arrive (a BLE link polls its read
   * characteristic), the signal aborts (rejects with the signal's reason), or the link drops
   * (LinkError).
   */
  read(signal: AbortSignal): Promise<Uint8Array>;
  /** BLE: use bigger writes once the device says it accepts them. */
  setChunkSize?(size: number): void;
  /** Reopen after a drop, without asking the user again where the platform allows it. */
  reconnect(): Promise<void>;
  /** Let go of the device. Browser links stay closed: a later reconnect() fails with device.link_closed. */
  close(): Promise<void>;
}

export function newLinkStats(): LinkStats {
  return { bytesWritten: 0, bytesRead: 0, operations: 0 };
}

/** A FIFO of received byte chunks with abortable waits: the shared core of stream-style links. */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private waiters: Array<{ resolve: (bytes: Uint8Array) => void; reject: (error: unknown) => void }> = [];
  private failure: unknown = null;

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(bytes);
    else this.chunks.push(bytes);
  }

  /** Fails every pending and future read until `clear()`. */
  fail(error: unknown): void {
    this.failure = error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  clear(): void {
    this.chunks = [];
    this.failure = null;
  }

  read(signal: AbortSignal): Promise<Uint8Array> {
    const next = this.chunks.shift();
    if (next) return Promise.resolve(next);
    if (this.failure) return Promise.reject(this.failure);
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (bytes: Uint8Array) => {
          signal.removeEventListener('abort', onAbort);
          resolve(bytes);
        },
        reject: (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }
}
