import { LIMITS } from '../protocol/constants.js';
import { encodeFrame, FrameDecoder, type Frame } from '../protocol/frame.js';
import type { SimDevice } from './model.js';

export type EndpointWire = {
  /** Bytes from the device to the host. */
  send(bytes: Uint8Array): void;
  /** Tear the link down (fault injection: drop mid-message). */
  drop(): void;
};

/**
 * The device's side of one link: decodes frames (or, in ioConnect mode, text commands) from the
 * host's bytes, runs them through the SimDevice in order, and applies the link-level faults.
 * After a drop, answers still being prepared for the old connection are discarded.
 */
export class SimEndpoint {
  private readonly decoder = new FrameDecoder();
  private text = '';
  private chain: Promise<void> = Promise.resolve();
  private epoch = 0;

  constructor(
    readonly device: SimDevice,
    private readonly wire: EndpointWire,
  ) {}

  /** The link went down or came back: forget half-received input and pending answers. */
  reset(): void {
    this.epoch++;
    this.decoder.reset();
    this.text = '';
  }

  receive(bytes: Uint8Array): void {
    if (this.device.mode === 'ioconnect') {
      this.receiveText(bytes);
      return;
    }
    for (const event of this.decoder.push(bytes)) {
      if (event.kind === 'frame') this.enqueue(event.frame);
    }
  }

  private receiveText(bytes: Uint8Array): void {
    this.text += new TextDecoder().decode(bytes);
    for (;;) {
      const newline = this.text.search(/[\r\n]/);
      const jsonEnd = this.text.trimStart().startsWith('{') ? this.text.indexOf('}') : -1;
      const end = newline >= 0 ? newline : jsonEnd >= 0 ? jsonEnd + 1 : -1;
      if (end < 0) break;
      const command = this.text.slice(0, end);
      this.text = this.text.slice(end).replace(/^[\r\n]+/, '');
      const answer = this.device.handleIoConnectCommand(command);
      if (answer !== null) this.reply(new TextEncoder().encode(`${answer}\n`));
    }
    // Boards read at most 128 bytes at a time; never hoard more than that.
    if (this.text.length > 128) this.text = this.text.slice(-128);
  }

  private reply(bytes: Uint8Array): void {
    const epoch = this.epoch;
    this.chain = this.chain.then(async () => {
      if (this.device.faults.slowMs > 0) await sleep(this.device.faults.slowMs);
      if (epoch === this.epoch) this.wire.send(bytes);
    });
  }

  private enqueue(frame: Frame): void {
    const epoch = this.epoch;
    this.chain = this.chain.then(async () => {
      if (this.device.faults.slowMs > 0) await sleep(this.device.faults.slowMs);
      if (epoch !== this.epoch) return;
      const response = encodeFrame(this.device.handleFrame(frame));
      if (this.device.faults.corruptNext > 0) {
        this.device.faults.corruptNext--;
        response[Math.floor(response.length / 2)]! ^= 0x5a;
      }
      if (this.device.faults.dropMidMessage > 0) {
        this.device.faults.dropMidMessage--;
        this.wire.send(response.slice(0, Math.floor(response.length / 2)));
        this.reset();
        this.wire.drop();
        return;
      }
      this.wire.send(response);
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A GATT-like peripheral around an endpoint: writes to `rx` feed the device; reads of `tx`
 * return the next chunk of its answer (at most the chunk size), or nothing when no answer is
 * ready. Used by the Chromium CDP bridge and by in-process tests.
 */
export class SimGattPeripheral {
  private tx: Uint8Array[] = [];
  readonly endpoint: SimEndpoint;
  /** Bytes moved over the air in each direction and GATT operations, for the bench. */
  readonly stats = { written: 0, read: 0, writes: 0, reads: 0, emptyReads: 0 };

  constructor(
    device: SimDevice,
    private readonly onDrop: () => void,
    readonly chunkSize: number = device.maxChunk,
  ) {
    this.endpoint = new SimEndpoint(device, {
      send: (bytes) => this.tx.push(bytes),
      drop: () => {
        this.tx = [];
        this.onDrop();
      },
    });
  }

  write(data: Uint8Array): void {
    this.stats.writes++;
    this.stats.written += data.length;
    this.endpoint.receive(data);
  }

  read(): Uint8Array {
    this.stats.reads++;
    const size = Math.min(this.chunkSize, LIMITS.maxChunk);
    const out = new Uint8Array(size);
    let filled = 0;
    while (filled < size && this.tx.length > 0) {
      const head = this.tx[0]!;
      const take = Math.min(size - filled, head.length);
      out.set(head.subarray(0, take), filled);
      filled += take;
      if (take === head.length) this.tx.shift();
      else this.tx[0] = head.subarray(take);
    }
    if (filled === 0) this.stats.emptyReads++;
    this.stats.read += filled;
    return out.subarray(0, filled);
  }

  /** The central disconnected (or we dropped it): a fresh connection starts clean. */
  disconnected(): void {
    this.tx = [];
    this.endpoint.reset();
  }
}
