import { describe, expect, it } from 'vitest';
import { FrameError } from '../../../src/device/errors.js';
import { crc16, encodeFrame, FrameDecoder } from '../../../src/device/protocol/frame.js';
import { decodeReadingsBatch, encodeReadingsBatch, decodeInfo, encodeInfo } from '../../../src/device/protocol/messages.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('frame codec', () => {
  it('uses CRC-16/CCITT-FALSE (catalogue check value of "123456789" is 0x29B1)', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x29b1);
  });

  it('lays out a frame as docs/protocol.md says', () => {
    const frame = encodeFrame({ type: 0x01, id: 0x0203, payload: Uint8Array.of(0xaa, 0xbb) });
    // magic a54f, version 01, type 01, id 0302 (LE), length 0200 (LE), header check, payload, crc LE
    expect(hex(frame.subarray(0, 8))).toBe('a54f010103020200');
    expect(frame.length).toBe(2 + 11);
    expect(hex(frame.subarray(9, 11))).toBe('aabb');
  });

  it('decodes frames cut at every byte and mixed with log lines', () => {
    const a = encodeFrame({ type: 0x81, id: 7, payload: new Uint8Array(300).fill(3) });
    const b = encodeFrame({ type: 0x82, id: 8, payload: new Uint8Array(0) });
    const stream = Buffer.concat([Buffer.from('boot: wifi off\r\n'), a, Buffer.from('I (123) sensor ok\n'), b]);
    const decoder = new FrameDecoder();
    const frames: number[] = [];
    let noise = '';
    for (const byte of stream) {
      for (const event of decoder.push(Uint8Array.of(byte))) {
        if (event.kind === 'frame') frames.push(event.frame.id);
        if (event.kind === 'noise') noise += Buffer.from(event.bytes).toString();
        if (event.kind === 'error') throw event.error;
      }
    }
    expect(frames).toEqual([7, 8]);
    expect(noise).toBe('boot: wifi off\r\nI (123) sensor ok\n');
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('reports a corrupted frame as a FrameError and still finds the next one', () => {
    const bad = encodeFrame({ type: 0x81, id: 1, payload: new Uint8Array(40).fill(9) });
    bad[20]! ^= 0xff;
    const good = encodeFrame({ type: 0x81, id: 2, payload: Uint8Array.of(1) });
    const events = new FrameDecoder().push(Uint8Array.from([...bad, ...good]));
    expect(events.some((e) => e.kind === 'error' && e.error instanceof FrameError && e.error.code === 'device.frame_crc')).toBe(true);
    expect(events.filter((e) => e.kind === 'frame').map((e) => (e.kind === 'frame' ? e.frame.id : -1))).toEqual([2]);
  });

  it('rejects a header that declares an oversized payload without waiting for it', () => {
    const frame = encodeFrame({ type: 1, id: 1, payload: new Uint8Array(0) });
    frame[7] = 0xff; // length 0xff00 > 4096; header check now fails too
    const events = new FrameDecoder().push(frame);
    expect(events[0]?.kind).toBe('error');
  });

  it('refuses to encode a payload over the limit', () => {
    expect(() => encodeFrame({ type: 1, id: 1, payload: new Uint8Array(4097) })).toThrow(FrameError);
  });
});

describe('messages', () => {
  it('round-trips a readings batch including negative temperatures', () => {
    const readings = [
      { seq: 10, timestamp: 1_700_000_000, temperature: -1234, humidity: 999, flags: 0 },
      { seq: 11, timestamp: 1_700_000_060, temperature: 32_767, humidity: 0, flags: 2 },
    ];
    const payload = encodeReadingsBatch({ scheme: 0, fromSeq: 10, nextSeq: 12, readings, commitment: null, signature: null });
    expect(payload.length).toBe(1 + 4 + 4 + 1 + 2 * 13);
    expect(decodeReadingsBatch(payload).readings).toEqual(readings);
  });

  it('rejects a batch whose readings skip a seq', () => {
    const readings = [
      { seq: 10, timestamp: 1, temperature: 0, humidity: 0, flags: 0 },
      { seq: 12, timestamp: 2, temperature: 0, humidity: 0, flags: 0 },
    ];
    const payload = encodeReadingsBatch({ scheme: 0, fromSeq: 10, nextSeq: 13, readings, commitment: null, signature: null });
    expect(() => decodeReadingsBatch(payload)).toThrow(/expected 11/);
  });

  it('rejects a truncated info message naming the missing field', () => {
    const payload = encodeInfo({ protocolVersion: 1, capabilities: 3, maxChunk: 185, publicKey: new Uint8Array(65), model: 'm', firmware: 'f', did: 'd' });
    expect(() => decodeInfo(payload.subarray(0, 40))).toThrow(/public key/);
  });
});
