import { MessageFormatError } from '../errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Little-endian byte writer for message payloads. */
export class ByteWriter {
  private parts: number[] = [];

  u8(value: number): this {
    this.parts.push(value & 0xff);
    return this;
  }
  u16(value: number): this {
    return this.u8(value).u8(value >>> 8);
  }
  i16(value: number): this {
    return this.u16(value & 0xffff);
  }
  u32(value: number): this {
    return this.u16(value & 0xffff).u16(value >>> 16);
  }
  bytes(value: Uint8Array): this {
    for (const byte of value) this.parts.push(byte);
    return this;
  }
  /** A UTF-8 string of at most 255 bytes, prefixed by its byte length. */
  str8(value: string, field: string): this {
    const bytes = encoder.encode(value);
    if (bytes.length > 255) throw new MessageFormatError('device.message_string_too_long', `${field} is longer than 255 bytes.`);
    return this.u8(bytes.length).bytes(bytes);
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** Reads a payload, throwing MessageFormatError (naming the message and field) when it is too short or malformed. */
export class ByteReader {
  private offset = 0;
  constructor(
    private readonly data: Uint8Array,
    private readonly message: string,
  ) {}

  private need(count: number, field: string): void {
    if (this.offset + count > this.data.length) {
      throw new MessageFormatError('device.message_truncated', `The device's ${this.message} message ends before its ${field}.`, {
        details: `needed ${count} byte(s) at offset ${this.offset}, have ${this.data.length - this.offset}`,
        hint: 'The device firmware may speak another protocol version; update it or the app.',
      });
    }
  }
  u8(field: string): number {
    this.need(1, field);
    return this.data[this.offset++]!;
  }
  u16(field: string): number {
    this.need(2, field);
    const value = this.data[this.offset]! | (this.data[this.offset + 1]! << 8);
    this.offset += 2;
    return value;
  }
  i16(field: string): number {
    const value = this.u16(field);
    return value >= 0x8000 ? value - 0x10000 : value;
  }
  u32(field: string): number {
    return this.u16(field) + this.u16(field) * 0x10000;
  }
  bytes(count: number, field: string): Uint8Array {
    this.need(count, field);
    const value = this.data.slice(this.offset, this.offset + count);
    this.offset += count;
    return value;
  }
  str8(field: string): string {
    const length = this.u8(field);
    const bytes = this.bytes(length, field);
    try {
      return decoder.decode(bytes);
    } catch {
      throw new MessageFormatError('device.message_bad_text', `The device's ${this.message} message has ${field} that is not UTF-8 text.`);
    }
  }
  get remaining(): number {
    return this.data.length - this.offset;
  }
  /** Rejects trailing bytes, which mean the two sides disagree on the layout. */
  end(): void {
    if (this.remaining !== 0) {
      throw new MessageFormatError('device.message_trailing', `The device's ${this.message} message has ${this.remaining} unexpected extra byte(s).`);
    }
  }
}
