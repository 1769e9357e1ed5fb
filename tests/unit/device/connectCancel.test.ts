import { describe, expect, it } from 'vitest';
import { connectOver } from '../../../src/browser/device/connect.js';
import { DeviceError } from '../../../src/device/errors.js';
import { SimDevice } from '../../../src/device/simulator/model.js';
import { MemoryLink } from '../../../src/device/simulator/memoryLink.js';

const SECRET = Uint8Array.from({ length: 32 }, (_, i) => i + 1);

/** A link that counts closes and reads: it stands for a serial port whose open takes a while. */
class CountingLink extends MemoryLink {
  closes = 0;
  reads = 0;
  override async read(signal: AbortSignal): Promise<Uint8Array> {
    this.reads++;
    return super.read(signal);
  }
  override async close(): Promise<void> {
    this.closes++;
    await super.close();
  }
}

describe('connectOver: cancelling', () => {
  it('lets go of a link that finished opening after the cancel, at once and without probing it', async () => {
    const link = new CountingLink(new SimDevice({ name: 'slow-open', secretKey: SECRET }));
    const controller = new AbortController();
    let finishOpening!: () => void;
    const opened = new Promise<void>((resolve) => (finishOpening = resolve));
    const attempt = connectOver('serial', controller.signal, async () => {
      await opened;
      return link;
    });
    const outcome = attempt.then(() => null, (error: unknown) => error);
    controller.abort();
    const error = await outcome;
    expect(error).toBeInstanceOf(DeviceError);
    expect((error as DeviceError).code).toBe('device.connect_cancelled');
    // The port finishes opening after the user cancelled: it is closed straight away, no probe.
    finishOpening();
    await expect.poll(() => link.closes, { timeout: 1_000 }).toBe(1);
    expect(link.reads).toBe(0);
    expect(link.stats.bytesWritten).toBe(0);
  });

  it('closes the link when the cancel comes during the probe', async () => {
    const device = new SimDevice({ name: 'silent', secretKey: SECRET });
    const link = new CountingLink(device);
    link.endpoint.receive = () => undefined;
    const controller = new AbortController();
    const outcome = connectOver('serial', controller.signal, async () => link, { probeTimeoutMs: 5_000 }).then(() => null, (error: unknown) => error);
    await expect.poll(() => link.reads, { timeout: 1_000 }).toBeGreaterThan(0);
    controller.abort();
    expect(((await outcome) as DeviceError).code).toBe('device.connect_cancelled');
    await expect.poll(() => link.closes, { timeout: 1_000 }).toBeGreaterThanOrEqual(1);
  });
});
