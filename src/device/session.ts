import { DeviceRejectedError, DeviceTimeoutError, FrameError, LinkError, MessageFormatError } from './errors.js';
import type { DeviceLink } from './link.js';
import { DEVICE_ERROR, LIMITS, MSG_ERROR, RESPONSE_BIT, SAFE_TO_REPEAT } from './protocol/constants.js';
import { encodeFrame, FrameDecoder } from './protocol/frame.js';
import { decodeError } from './protocol/messages.js';

export type RequestOptions = { timeoutMs?: number; retry?: boolean };

export type SessionStats = {
  requests: number;
  retries: number;
  /** Application payload bytes in both directions (requests + responses). */
  payloadBytes: number;
  frameErrors: number;
  noiseBytes: number;
};

const ERROR_TEXT: Record<number, [string, string]> = {
  [DEVICE_ERROR.badFrame]: ['The device could not read the request.', 'Try again; if it keeps happening, move closer or use another cable.'],
  [DEVICE_ERROR.unknownType]: ['The device does not know this request.', 'Its firmware may be older than this app; update it.'],
  [DEVICE_ERROR.badPayload]: ['The device rejected the request as malformed.', 'Update the app or the device firmware so they speak the same protocol.'],
  [DEVICE_ERROR.busy]: ['The device is busy.', 'Wait a moment and try again.'],
  [DEVICE_ERROR.refused]: ['The device refused to sign.', 'Confirm on the device (press its button) when asked, then try again.'],
  [DEVICE_ERROR.notAuthorized]: ['The device needs you to authorize this first.', 'Press the button on the device, then try again within a minute.'],
  [DEVICE_ERROR.unsupportedScheme]: ['The device does not support this readings commitment scheme.', 'Update the device firmware.'],
  [DEVICE_ERROR.cursorOutOfRange]: ['The device has no readings from that point.', 'Start the sync again from the device\'s first reading.'],
  [DEVICE_ERROR.wifiFailed]: ['The device could not join the Wi-Fi network.', 'Check the network name and password.'],
  [DEVICE_ERROR.tooLarge]: ['The request was too large for the device.', 'Ask for fewer readings at a time.'],
  [DEVICE_ERROR.internal]: ['The device hit an internal error.', 'Restart the device and try again.'],
};

/**
 * The request/response layer over one link: one request in flight at a time (others queue),
 * a timeout on every request, and retries (with a fresh message id, after reconnecting) only for
 * requests that are safe to repeat. Responses to earlier ids are ignored, so a late answer to a
 * timed-out attempt can never be taken for the current one.
 */
export class DeviceSession {
  private readonly decoder = new FrameDecoder();
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  readonly stats: SessionStats = { requests: 0, retries: 0, payloadBytes: 0, frameErrors: 0, noiseBytes: 0 };
  /** Text the device printed between frames (serial logs), last few lines, for diagnostics. */
  readonly log: string[] = [];

  constructor(
    readonly link: DeviceLink,
    /** Defaults for every request; a probe lowers them, then restores them. */
    public settings: { maxRetries?: number; timeoutMs?: number } = {},
  ) {}

  request(type: number, payload: Uint8Array, options: RequestOptions = {}): Promise<Uint8Array> {
    const run = this.queue.then(() => this.run(type, payload, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(type: number, payload: Uint8Array, options: RequestOptions): Promise<Uint8Array> {
    const retry = options.retry ?? SAFE_TO_REPEAT.has(type);
    const maxRetries = retry ? (this.settings.maxRetries ?? LIMITS.maxRetries) : 0;
    const timeoutMs = options.timeoutMs ?? this.settings.timeoutMs ?? LIMITS.requestTimeoutMs;
    this.stats.requests++;
    for (let attempt = 0; ; attempt++) {
      const id = this.nextId;
      this.nextId = (this.nextId % 0xffff) + 1;
      try {
        await this.link.write(encodeFrame({ type, id, payload }));
        const response = await this.awaitResponse(type, id, timeoutMs);
        this.stats.payloadBytes += payload.length + response.length;
        return response;
      } catch (error) {
        const transient = error instanceof LinkError || error instanceof DeviceTimeoutError || error instanceof FrameError;
        if (!transient || attempt >= maxRetries) throw error instanceof FrameError ? damagedAnswers(error, attempt + 1) : error;
        this.stats.retries++;
        this.decoder.reset();
        if (error instanceof LinkError) await this.link.reconnect();
      }
    }
  }

  private async awaitResponse(type: number, id: number, timeoutMs: number): Promise<Uint8Array> {
    const controller = new AbortController();
    const timeout = new DeviceTimeoutError('device.timeout', `The device did not answer within ${Math.round(timeoutMs / 1000)} s.`, {
      hint: 'Check it is powered and in range (or plugged in), then try again.',
    });
    const timer = setTimeout(() => controller.abort(timeout), timeoutMs);
    try {
      for (;;) {
        const bytes = await this.link.read(controller.signal);
        for (const event of this.decoder.push(bytes)) {
          if (event.kind === 'noise') {
            this.noteNoise(event.bytes);
          } else if (event.kind === 'error') {
            this.stats.frameErrors++;
            // A CRC failure while waiting is most likely our answer, damaged: ask again now
            // instead of waiting for the timeout. Header failures are usually log noise.
            if (event.error.code === 'device.frame_crc') throw event.error;
          } else if (event.frame.id === id) {
            if (event.frame.type === (type | RESPONSE_BIT)) return event.frame.payload;
            if (event.frame.type === MSG_ERROR) throw this.rejection(event.frame.payload);
            throw new MessageFormatError('device.message_wrong_type', `The device answered request ${type} with message type ${event.frame.type}.`);
          }
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private rejection(payload: Uint8Array): DeviceRejectedError {
    const { code, message } = decodeError(payload);
    const [text, hint] = ERROR_TEXT[code] ?? [`The device answered with error ${code}.`, 'Try again, or restart the device.'];
    return new DeviceRejectedError(code, 'device.rejected', text, { hint, details: message || undefined });
  }

  private noteNoise(bytes: Uint8Array): void {
    this.stats.noiseBytes += bytes.length;
    const text = new TextDecoder().decode(bytes).replace(/[^\x20-\x7e\n]/g, '').trim();
    if (!text) return;
    this.log.push(...text.split('\n').filter(Boolean));
    if (this.log.length > 50) this.log.splice(0, this.log.length - 50);
  }

  async close(): Promise<void> {
    await this.link.close();
  }
}

/** Every try's answer arrived damaged: said once, with what to do, keeping the last frame error as the cause. */
function damagedAnswers(last: FrameError, tries: number): FrameError {
  return new FrameError(last.code, `The device's answer arrived damaged ${tries === 1 ? 'and could not be asked again' : `on all ${tries} tries`}.`, {
    hint: 'Check the cable (over Bluetooth, move closer), then connect again. If it keeps happening, restart the device.',
    cause: last,
  });
}
