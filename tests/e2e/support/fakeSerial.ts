import type { BrowserContext } from 'playwright-core';
import { SimEndpoint } from '../../../src/device/simulator/endpoint.js';
import type { SimDevice } from '../../../src/device/simulator/model.js';

/**
 * Test fixture, not app code: gives every page of `context` a `navigator.serial` whose one port
 * has the Web Serial shape (open/close, readable/writable byte streams) and is wired to a
 * simulated device in Node through an exposed binding. Chromium has no Web Serial emulation, so
 * this is how the real WebSerialLink and the app's serial path are exercised end to end.
 */
export async function installFakeSerial(context: BrowserContext, device: SimDevice): Promise<{ endpoint: SimEndpoint; bytesToDevice: () => number }> {
  let pushChain: Promise<unknown> = Promise.resolve();
  let currentPage: import('playwright-core').Page | null = null;
  let toDevice = 0;
  const endpoint = new SimEndpoint(device, {
    send: (bytes) => {
      const page = currentPage;
      if (!page) return;
      const b64 = Buffer.from(bytes).toString('base64');
      pushChain = pushChain.then(() => page.evaluate((data) => (window as unknown as { __simSerialPush(d: string): void }).__simSerialPush(data), b64)).catch(() => undefined);
    },
    drop: () => {
      const page = currentPage;
      pushChain = pushChain.then(() => page?.evaluate(() => (window as unknown as { __simSerialUnplug(): void }).__simSerialUnplug())).catch(() => undefined);
    },
  });
  await context.exposeBinding('__simSerialWrite', (source, data: string) => {
    currentPage = source.page;
    const bytes = Uint8Array.from(Buffer.from(data, 'base64'));
    toDevice += bytes.length;
    endpoint.receive(bytes);
  });
  await context.exposeBinding('__simSerialOpened', (source) => {
    currentPage = source.page;
    endpoint.reset();
  });
  await context.addInitScript(() => {
    type W = Window & { __simSerialWrite(d: string): Promise<void>; __simSerialOpened(): Promise<void>; __simSerialPush(d: string): void; __simSerialUnplug(): void };
    const w = window as unknown as W;
    let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
    const toB64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
    const port = {
      readable: null as ReadableStream<Uint8Array> | null,
      writable: null as WritableStream<Uint8Array> | null,
      async open(options: { baudRate: number }) {
        if (!options || !options.baudRate) throw new TypeError('baudRate is required');
        if (port.readable) throw new DOMException('The port is already open.', 'InvalidStateError');
        port.readable = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
        port.writable = new WritableStream<Uint8Array>({ write: (chunk) => w.__simSerialWrite(toB64(chunk)) });
        await w.__simSerialOpened();
      },
      async close() {
        try {
          controller?.close();
        } catch {
          // already closed
        }
        controller = null;
        port.readable = null;
        port.writable = null;
      },
      getInfo: () => ({ usbVendorId: 0x303a, usbProductId: 0x1001 }),
    };
    w.__simSerialPush = (data: string) => controller?.enqueue(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
    w.__simSerialUnplug = () => controller?.error(new DOMException('The device has been lost.', 'NetworkError'));
    Object.defineProperty(navigator, 'serial', { configurable: true, value: { requestPort: async () => port, getPorts: async () => [port] } });
  });
  return { endpoint, bytesToDevice: () => toDevice };
}
