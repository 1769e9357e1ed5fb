import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutpostDeviceClient } from '../../../src/device/client.js';
import { DeviceError, FrameError } from '../../../src/device/errors.js';
import { LIMITS } from '../../../src/device/protocol/constants.js';
import { encodeFrame, FrameDecoder } from '../../../src/device/protocol/frame.js';
import { DeviceSession } from '../../../src/device/session.js';
import { SimDevice } from '../../../src/device/simulator/model.js';
import { MemoryLink } from '../../../src/device/simulator/memoryLink.js';
import { prng } from '../../../src/device/simulator/readingsGen.js';

const SECRET = new Uint8Array(32).fill(0x11);

describe('codec robustness', () => {
  it('takes 100,000+ random and mutated frames with only typed errors, bounded memory, and recovers', () => {
    const random = prng(0xc0ffee);
    const int = (n: number) => Math.floor(random() * n);
    const decoder = new FrameDecoder();
    const valid = Array.from({ length: 64 }, (_, i) =>
      encodeFrame({ type: int(256), id: int(0x10000), payload: Uint8Array.from({ length: i * 17 % 900 }, () => int(256)) }),
    );
    let frames = 0;
    let errors = 0;
    let maxBuffered = 0;
    const inputs = 120_000;
    for (let i = 0; i < inputs; i++) {
      const base = valid[int(valid.length)]!;
      let input: Uint8Array;
      switch (i % 5) {
        case 0: // pure garbage, sometimes starting with the magic
          input = Uint8Array.from({ length: int(64) }, () => int(256));
          if (random() < 0.5 && input.length > 2) input.set([0xa5, 0x4f]);
          break;
        case 1: {
          // bit flips
          input = base.slice();
          for (let f = 0; f <= int(4); f++) input[int(input.length)]! ^= 1 << int(8);
          break;
        }
        case 2: // truncated
          input = base.slice(0, int(base.length));
          break;
        case 3: {
          // header mutated (length, version, type)
          input = base.slice();
          input[2 + int(7)] = int(256);
          break;
        }
        default: // valid frame, cut into random chunks below
          input = base;
      }
      let offset = 0;
      while (offset < input.length) {
        const size = 1 + int(200);
        for (const event of decoder.push(input.subarray(offset, offset + size))) {
          if (event.kind === 'frame') frames++;
          else if (event.kind === 'error') {
            errors++;
            if (!(event.error instanceof FrameError)) throw new Error('untyped decoder error');
          }
        }
        offset += size;
        maxBuffered = Math.max(maxBuffered, decoder.bufferedBytes);
      }
    }
    expect(maxBuffered).toBeLessThanOrEqual(LIMITS.maxFrame);
    expect(errors).toBeGreaterThan(1000);
    expect(frames).toBeGreaterThan(20_000);
    // Whatever state the fuzzing left, a leftover partial frame can hold at most one frame's
    // worth; after flushing with a garbage-free valid frame stream, the next valid frame decodes.
    decoder.reset();
    const events = decoder.push(encodeFrame({ type: 0x81, id: 4242, payload: Uint8Array.of(1, 2, 3) }));
    expect(events).toEqual([{ kind: 'frame', frame: { type: 0x81, id: 4242, payload: Uint8Array.of(1, 2, 3) } }]);
  });

  it('property: any bytes followed by a valid frame never throw, and the frame is found once garbage is consumed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 1, max: 64 }), (garbage, payload, chunk) => {
        const decoder = new FrameDecoder();
        const frame = encodeFrame({ type: 0x83, id: 99, payload });
        // Enough valid frames to outlast any bogus header the garbage could declare.
        const repeats = Math.ceil(LIMITS.maxFrame / frame.length) + 2;
        const stream = Uint8Array.from([...garbage, ...Array.from({ length: repeats }, () => [...frame]).flat()]);
        const found: Uint8Array[] = [];
        for (let i = 0; i < stream.length; i += chunk) {
          for (const event of decoder.push(stream.subarray(i, i + chunk))) {
            if (event.kind === 'frame' && event.frame.id === 99) found.push(event.frame.payload);
            if (event.kind === 'error') expect(event.error).toBeInstanceOf(FrameError);
          }
          expect(decoder.bufferedBytes).toBeLessThanOrEqual(LIMITS.maxFrame);
        }
        expect(found.length).toBeGreaterThan(0);
        expect(found.at(-1)).toEqual(payload);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a session usable after garbage and corrupted answers from the device', async () => {
    const device = new SimDevice({ name: 'fuzz-session', secretKey: SECRET, initialReadings: 10 });
    const link = new MemoryLink(device);
    const session = new DeviceSession(link, { timeoutMs: 2_000 });
    const client = new OutpostDeviceClient(session);
    const random = prng(7);
    for (let round = 0; round < 50; round++) {
      link.inject(Uint8Array.from({ length: 1 + Math.floor(random() * 100) }, (_, i) => (i === 0 ? 0xa5 : Math.floor(random() * 256))));
      if (round % 5 === 0) device.faults.corruptNext = 1;
      const info = await client.info();
      expect(info.did).toBe(device.did);
    }
    expect(session.stats.frameErrors).toBeGreaterThan(0);
    expect(session.stats.retries).toBeGreaterThanOrEqual(10);
  });

  it('gives typed errors for malformed payloads inside valid frames', async () => {
    const device = new SimDevice({ name: 'fuzz-payload', secretKey: SECRET });
    const session = new DeviceSession(new MemoryLink(device), { timeoutMs: 2_000 });
    const random = prng(99);
    for (let i = 0; i < 300; i++) {
      const type = 1 + Math.floor(random() * 12);
      const payload = Uint8Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 256));
      try {
        await session.request(type, payload, { retry: false });
      } catch (error) {
        expect(error).toBeInstanceOf(DeviceError);
      }
    }
    // And a normal request still works afterwards.
    const client = new OutpostDeviceClient(session);
    await expect(client.info()).resolves.toMatchObject({ did: device.did });
  });
});
