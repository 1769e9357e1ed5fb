import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { LinkError } from '../../device/errors.js';
import { ByteQueue, newLinkStats, type DeviceLink, type LinkStats } from '../../device/link.js';
import { SimEndpoint } from '../../device/simulator/endpoint.js';
import type { SimDevice } from '../../device/simulator/model.js';

/**
 * The simulator as a serial-like byte stream on TCP localhost (one host at a time, like a UART).
 * `logEveryMs` prints firmware-style log lines between frames, as real boards do on their port.
 */
export async function serveTcp(device: SimDevice, options: { port?: number; host?: string; logEveryMs?: number } = {}): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  let current: Socket | null = null;
  const server = createServer((socket) => {
    current?.destroy();
    current = socket;
    socket.setNoDelay(true);
    const endpoint = new SimEndpoint(device, { send: (bytes) => socket.write(bytes), drop: () => socket.destroy() });
    const logTimer = options.logEveryMs && device.mode === 'outpost'
      ? setInterval(() => socket.write(`I (${Date.now() % 100000}) sensor: ${device.readings.length} readings stored\r\n`), options.logEveryMs)
      : null;
    socket.on('data', (data) => endpoint.receive(new Uint8Array(data)));
    socket.on('close', () => {
      if (logTimer) clearInterval(logTimer);
      endpoint.reset();
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        current?.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The host side of the TCP byte stream: what tests and the bench use in place of a serial port. */
export class TcpLink implements DeviceLink {
  readonly kind = 'tcp' as const;
  readonly stats: LinkStats = newLinkStats();
  private readonly queue = new ByteQueue();
  private socket: Socket | null = null;

  private constructor(
    readonly port: number,
    readonly host: string,
  ) {}

  static async open(port: number, host = '127.0.0.1'): Promise<TcpLink> {
    const link = new TcpLink(port, host);
    await link.reconnect();
    return link;
  }

  async reconnect(): Promise<void> {
    this.socket?.destroy();
    this.queue.clear();
    const socket = createConnection({ port: this.port, host: this.host });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', (error) => reject(new LinkError('device.tcp_connect', `Could not reach the simulator on ${this.host}:${this.port}.`, { cause: error, hint: 'Start it with npm run device:sim.' })));
    });
    socket.on('data', (data) => this.queue.push(new Uint8Array(data)));
    socket.on('close', () => {
      if (this.socket === socket) this.queue.fail(new LinkError('device.link_lost', 'The simulator closed the connection.'));
    });
    socket.on('error', () => undefined);
    this.socket = socket;
  }

  async write(bytes: Uint8Array): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.destroyed) throw new LinkError('device.link_lost', 'The simulator connection is closed.');
    this.stats.operations++;
    this.stats.bytesWritten += bytes.length;
    await new Promise<void>((resolve, reject) => socket.write(bytes, (error) => (error ? reject(new LinkError('device.link_lost', 'Writing to the simulator failed.', { cause: error })) : resolve())));
  }

  async read(signal: AbortSignal): Promise<Uint8Array> {
    const bytes = await this.queue.read(signal);
    this.stats.operations++;
    this.stats.bytesRead += bytes.length;
    return bytes;
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
  }
}
