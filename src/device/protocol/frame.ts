import { FrameError } from '../errors.js';
import { FRAME_HEADER_SIZE, FRAME_MAGIC, FRAME_OVERHEAD, LIMITS, PROTOCOL_VERSION } from './constants.js';

/** One message on the wire. */
export type Frame = { type: number; id: number; payload: Uint8Array };

/** What the decoder finds in a byte stream, in order. */
export type DecodeEvent =
  | { kind: 'frame'; frame: Frame }
  /** A frame-shaped run of bytes that failed a check; the decoder skipped past its first byte. */
  | { kind: 'error'; error: FrameError }
  /** Bytes between frames (serial log lines, garbage). */
  | { kind: 'noise'; bytes: Uint8Array };

const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF): check("123456789") = 0x29B1. */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ bytes[i]!) & 0xff]!;
  return crc;
}

/** CRC-8 (poly 0x07, init 0) of the header fields, so a corrupt length is rejected before waiting for it. */
function crc8(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc ^= bytes[i]!;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

export function encodeFrame({ type, id, payload }: Frame): Uint8Array {
  if (!Number.isInteger(type) || type < 0 || type > 0xff) throw new FrameError('device.frame_type', `Frame type ${type} is not a byte.`);
  if (!Number.isInteger(id) || id < 0 || id > 0xffff) throw new FrameError('device.frame_id', `Frame id ${id} is not a uint16.`);
  if (payload.length > LIMITS.maxPayload) {
    throw new FrameError('device.frame_too_large', `A message of ${payload.length} bytes is over the ${LIMITS.maxPayload}-byte limit.`, {
      hint: 'Split the request (for readings, pull fewer at a time).',
    });
  }
  const frame = new Uint8Array(payload.length + FRAME_OVERHEAD);
  frame[0] = FRAME_MAGIC[0];
  frame[1] = FRAME_MAGIC[1];
  frame[2] = PROTOCOL_VERSION;
  frame[3] = type;
  frame[4] = id & 0xff;
  frame[5] = id >> 8;
  frame[6] = payload.length & 0xff;
  frame[7] = payload.length >> 8;
  frame[8] = crc8(frame, 2, 8);
  frame.set(payload, FRAME_HEADER_SIZE);
  const crc = crc16(frame, 2, FRAME_HEADER_SIZE + payload.length);
  frame[FRAME_HEADER_SIZE + payload.length] = crc & 0xff;
  frame[FRAME_HEADER_SIZE + payload.length + 1] = crc >> 8;
  return frame;
}

/**
 * Finds frames in a byte stream that may be cut anywhere, mixed with log lines or garbage, or
 * corrupted. It never holds more than one maximum frame of bytes, never throws on input, and
 * after a bad frame it rescans from the next byte, so the next good frame is always found.
 */
export class FrameDecoder {
  private buffer = new Uint8Array(LIMITS.maxFrame);
  private length = 0;

  /** Bytes held waiting for the rest of a frame (never more than LIMITS.maxFrame). */
  get bufferedBytes(): number {
    return this.length;
  }

  reset(): void {
    this.length = 0;
  }

  push(chunk: Uint8Array): DecodeEvent[] {
    const events: DecodeEvent[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(chunk.length - offset, this.buffer.length - this.length);
      this.buffer.set(chunk.subarray(offset, offset + take), this.length);
      this.length += take;
      offset += take;
      this.scan(events);
    }
    return events;
  }

  private drop(count: number): void {
    this.buffer.copyWithin(0, count, this.length);
    this.length -= count;
  }

  private scan(events: DecodeEvent[]): void {
    for (;;) {
      const start = this.findMagic();
      if (start > 0) {
        events.push({ kind: 'noise', bytes: this.buffer.slice(0, start) });
        this.drop(start);
      }
      if (this.length < FRAME_HEADER_SIZE) return;
      const b = this.buffer;
      const payloadLength = b[6]! | (b[7]! << 8);
      const headerProblem =
        b[8] !== crc8(b, 2, 8)
          ? 'header check failed'
          : b[2] !== PROTOCOL_VERSION
            ? `protocol version ${b[2]} (expected ${PROTOCOL_VERSION})`
            : payloadLength > LIMITS.maxPayload
              ? `declared length ${payloadLength} over ${LIMITS.maxPayload}`
              : null;
      if (headerProblem) {
        events.push({ kind: 'error', error: new FrameError('device.frame_header', `Skipped a bad frame header: ${headerProblem}.`) });
        this.drop(1);
        continue;
      }
      const total = payloadLength + FRAME_OVERHEAD;
      if (this.length < total) return;
      const crc = b[FRAME_HEADER_SIZE + payloadLength]! | (b[FRAME_HEADER_SIZE + payloadLength + 1]! << 8);
      if (crc !== crc16(b, 2, FRAME_HEADER_SIZE + payloadLength)) {
        events.push({ kind: 'error', error: new FrameError('device.frame_crc', 'Skipped a frame whose CRC does not match (corrupted on the way).') });
        this.drop(1);
        continue;
      }
      events.push({
        kind: 'frame',
        frame: { type: b[3]!, id: b[4]! | (b[5]! << 8), payload: b.slice(FRAME_HEADER_SIZE, FRAME_HEADER_SIZE + payloadLength) },
      });
      this.drop(total);
    }
  }

  /** Index of the first possible frame start; a lone trailing 0xA5 is kept as a possible start. */
  private findMagic(): number {
    for (let i = 0; i < this.length; i++) {
      if (this.buffer[i] !== FRAME_MAGIC[0]) continue;
      if (i + 1 === this.length || this.buffer[i + 1] === FRAME_MAGIC[1]) return i;
    }
    return this.length;
  }
}
