import { serialOpenError } from '../../device/browserErrors.js';
import { LinkError } from '../../device/errors.js';
import { ByteQueue, newLinkStats, type DeviceLink, type LinkStats } from '../../device/link.js';
import type { SerialPortLike } from './webApis.js';

export const DEFAULT_BAUD_RATE = 115_200;

/**
 * A Web Serial port (or anything with its shape: readable/writable streams) as a device link,
 * 8N1 at the given baud rate. A background pump moves incoming bytes into a queue, so a read can
 * time out without tearing the stream. Log lines between frames pass through as noise, which the
 * decoder skips.
 */
export class WebSerialLink implements DeviceLink {
  readonly kind = 'serial' as const;
  readonly stats: LinkStats = newLinkStats();
  private readonly queue = new ByteQueue();
  private reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  private pump: Promise<void> | null = null;
  /**
   * Set by close(): the owner let go for good. A probe still retrying after a cancel must not
   * reopen the port behind the user's back (it would hold it, and the next connect would find
   * it locked).
   */
  private released = false;

  private constructor(
    readonly port: SerialPortLike,
    readonly baudRate: number,
  ) {}

  static async open(port: SerialPortLike, baudRate = DEFAULT_BAUD_RATE): Promise<WebSerialLink> {
    const link = new WebSerialLink(port, baudRate);
    await link.start();
    return link;
  }

  private async start(): Promise<void> {
    if (this.released) throw released();
    try {
      if (!this.port.readable) await this.port.open({ baudRate: this.baudRate, dataBits: 8, stopBits: 1, parity: 'none', bufferSize: 8192 });
    } catch (error) {
      throw serialOpenError(error);
    }
    if (!this.port.readable) throw new LinkError('device.serial_open', 'The serial port opened without a readable stream.');
    if (this.port.readable.locked) {
      throw new LinkError('device.serial_open', 'The serial port is still held by an earlier connection in this tab.', {
        hint: 'Wait a few seconds and connect again; if it persists, reload the page.',
      });
    }
    this.queue.clear();
    const reader = this.port.readable.getReader();
    this.reader = reader;
    this.pump = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          if (value) this.queue.push(value);
        }
        this.queue.fail(new LinkError('device.link_closed', 'The serial port closed.', { hint: 'Check the cable, then connect again.' }));
      } catch (error) {
        this.queue.fail(new LinkError('device.link_lost', 'The serial connection was lost.', { hint: 'Check the cable, then connect again.', cause: error }));
      } finally {
        reader.releaseLock();
      }
    })();
  }

  async write(bytes: Uint8Array): Promise<void> {
    const writable = this.port.writable;
    if (!writable) throw new LinkError('device.link_closed', 'The serial port is closed.');
    const writer = writable.getWriter();
    try {
      await writer.write(bytes);
      this.stats.operations++;
      this.stats.bytesWritten += bytes.length;
    } catch (error) {
      throw new LinkError('device.link_lost', 'Writing to the serial port failed.', { cause: error, hint: 'Check the cable, then connect again.' });
    } finally {
      writer.releaseLock();
    }
  }

  async read(signal: AbortSignal): Promise<Uint8Array> {
    const bytes = await this.queue.read(signal);
    this.stats.operations++;
    this.stats.bytesRead += bytes.length;
    return bytes;
  }

  async reconnect(): Promise<void> {
    if (this.released) throw released();
    await this.stop();
    await this.start();
  }

  /** Lets go of the port for good: a later reconnect() fails with device.link_closed. */
  async close(): Promise<void> {
    this.released = true;
    await this.stop();
  }

  private async stop(): Promise<void> {
    try {
      await this.reader?.cancel();
    } catch {
      // Already closed.
    }
    await this.pump;
    this.reader = null;
    try {
      await this.port.close();
    } catch {
      // Already closed.
    }
  }
}

function released(): LinkError {
  return new LinkError('device.link_closed', 'This serial connection was closed.', { hint: 'Connect the device again.' });
}
