import { describe, expect, it } from 'vitest';
import { WebSerialLink } from '../../../src/browser/device/webSerial.js';
import { LinkError } from '../../../src/device/errors.js';
import type { SerialPortLike } from '../../../src/browser/device/webApis.js';

/** A port with Web Serial's shape and rules (open twice is an InvalidStateError), counting opens. */
function fakePort() {
  let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  const port = {
    opens: 0,
    readable: null as ReadableStream<Uint8Array> | null,
    writable: null as WritableStream<Uint8Array> | null,
    async open() {
      if (port.readable) throw new DOMException('The port is already open.', 'InvalidStateError');
      port.opens++;
      port.readable = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
      port.writable = new WritableStream<Uint8Array>();
    },
    async close() {
      try {
        controller?.close();
      } catch {
        // already closed
      }
      port.readable = null;
      port.writable = null;
    },
    push(bytes: number[]) {
      controller!.enqueue(Uint8Array.from(bytes));
    },
  };
  return port;
}

const asPort = (port: ReturnType<typeof fakePort>) => port as unknown as SerialPortLike;

describe('WebSerialLink', () => {
  it('reconnects after a drop on the same port, reading again', async () => {
    const port = fakePort();
    const link = await WebSerialLink.open(asPort(port));
    await link.reconnect();
    expect(port.opens).toBe(2);
    port.push([1, 2, 3]);
    await expect(link.read(new AbortController().signal)).resolves.toEqual(Uint8Array.from([1, 2, 3]));
    await link.close();
  });

  it('stays closed once closed: a probe still retrying after a cancel cannot reopen the port', async () => {
    const port = fakePort();
    const link = await WebSerialLink.open(asPort(port));
    await link.close();
    expect(port.readable).toBeNull();
    const error = await link.reconnect().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(LinkError);
    expect((error as LinkError).code).toBe('device.link_closed');
    expect(port.opens).toBe(1);
    expect(port.readable).toBeNull();
    // The next connection opens the port afresh and owns its stream.
    const next = await WebSerialLink.open(asPort(port));
    expect(port.opens).toBe(2);
    port.push([9]);
    await expect(next.read(new AbortController().signal)).resolves.toEqual(Uint8Array.from([9]));
    await next.close();
  });

  it('names a port whose stream another link in this tab still holds, instead of a DOM error', async () => {
    const port = fakePort();
    const first = await WebSerialLink.open(asPort(port));
    const error = await WebSerialLink.open(asPort(port)).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(LinkError);
    expect((error as LinkError).code).toBe('device.serial_open');
    expect((error as LinkError).shortMessage).toBe('The serial port is still held by an earlier connection in this tab.');
    await first.close();
  });
});
