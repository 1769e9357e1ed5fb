/**
 * The in-page simulator's device side over a real message channel (Node's MessageChannel, as a
 * worker's port would be), driven by the app's own protocol stack: DeviceSession +
 * OutpostDeviceClient, and IoConnectClient for an ioConnect-mode device. The expected signer is
 * derived here from the key with viem, independently of the simulator's identity code.
 */
import { bytesToHex, keccak256, recoverAddress, stringToHex, type Hex } from 'viem';
import { privateKeyToAccount, privateKeyToAddress } from 'viem/accounts';
import { afterEach, describe, expect, it } from 'vitest';
import { serveSimulator, type ServedSimulator } from '../../../src/browser/device/simulated/serveSimulator.js';
import { latestProvableBatch } from '../../../src/core/outbox/batch.js';
import { OutpostDeviceClient } from '../../../src/device/client.js';
import { LinkError } from '../../../src/device/errors.js';
import { IoConnectClient } from '../../../src/device/ioconnect.js';
import { ByteQueue, newLinkStats, type DeviceLink } from '../../../src/device/link.js';
import { MSG } from '../../../src/device/protocol/constants.js';
import { encodeFrame } from '../../../src/device/protocol/frame.js';
import { DeviceSession } from '../../../src/device/session.js';

// DEV ONLY test keys.
const KEY_A = `0x${'3a'.repeat(32)}` as Hex;
const KEY_B = `0x${'4b'.repeat(32)}` as Hex;
/** A fixed clock in the middle of an hour, so the newest readings sit well inside one relay epoch. */
const NOW_MS = (1_750_000_000 - (1_750_000_000 % 3600) + 1_800) * 1000;

/** The page's end of the channel, written here so the test does not lean on WorkerLink. */
class PortLink implements DeviceLink {
  readonly kind = 'memory' as const;
  readonly stats = newLinkStats();
  private readonly queue = new ByteQueue();

  constructor(readonly port: MessagePort) {
    port.addEventListener('message', (event) => {
      if (event.data instanceof Uint8Array) this.queue.push(event.data);
    });
    port.start();
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.port.postMessage(bytes.slice());
  }

  read(signal: AbortSignal): Promise<Uint8Array> {
    return this.queue.read(signal);
  }

  async reconnect(): Promise<void> {
    this.queue.clear();
    this.port.postMessage({ type: 'reset' });
  }

  async close(): Promise<void> {
    this.queue.fail(new LinkError('device.link_closed', 'closed'));
    this.port.close();
  }
}

const open: Array<{ served: ServedSimulator; channel: MessageChannel }> = [];

function serve(key: Hex, mode: 'outpost' | 'ioconnect', createdAt = NOW_MS - 60_000) {
  const channel = new MessageChannel();
  const served = serveSimulator(channel.port2, { secretKey: key, mode, name: 'unit sim', createdAt, now: () => NOW_MS });
  open.push({ served, channel });
  return { link: new PortLink(channel.port1), served };
}

afterEach(() => {
  for (const { served, channel } of open.splice(0)) {
    served.stop();
    channel.port1.close();
    channel.port2.close();
  }
});

describe('serveSimulator over a MessageChannel (Outpost mode)', () => {
  const expected = privateKeyToAddress(KEY_A);

  async function client() {
    const { link } = serve(KEY_A, 'outpost');
    return new OutpostDeviceClient(new DeviceSession(link));
  }

  it('answers device info with the did of its key', async () => {
    const info = await (await client()).info();
    expect(info.did).toBe(`did:io:${expected.toLowerCase()}`);
    expect(info.address).toBe(expected);
  });

  it('passes the authenticity challenge with its own key', async () => {
    const result = await (await client()).verifyAuthenticity(new Uint8Array(32).fill(9));
    expect(result.signature.signer).toBe(expected);
  });

  it('signs a Permit digest: viem recovers the key\'s address, and the signature is the one viem makes', async () => {
    const device = await client();
    const digest = keccak256(stringToHex('ioID permit for the simulated device'));
    const signature = await device.signDigest(digest);
    await expect(recoverAddress({ hash: digest, signature: signature.serialized })).resolves.toBe(expected);
    expect(signature.serialized).toBe(await privateKeyToAccount(KEY_A).sign({ hash: digest }));
  });

  it('keeps two hours of readings, one every 10 s up to now, in signed batches of 64', async () => {
    const result = await (await client()).pullReadings();
    expect(result.readings).toHaveLength(720);
    const seqs = result.readings.map((r) => r.seq);
    expect(seqs).toEqual(Array.from({ length: 720 }, (_, i) => seqs[0]! + i));
    const newest = result.readings.at(-1)!.timestamp;
    expect(newest).toBeLessThanOrEqual(NOW_MS / 1000);
    expect(newest).toBeGreaterThan(NOW_MS / 1000 - 10);
    expect(result.readings.every((r, i) => i === 0 || r.timestamp - result.readings[i - 1]!.timestamp === 10)).toBe(true);
    expect(result.batches.length).toBeGreaterThanOrEqual(12);
    expect(result.batches.every((batch) => batch.signer === expected)).toBe(true);
    // Sync → proof: the newest full batch lies inside one hour-long relay epoch.
    expect(latestProvableBatch(result.batches, expected, 3600)).not.toBeNull();
  });

  it('shows the same readings on every connection, and another device shows others', async () => {
    const createdAt = NOW_MS - 3 * 86_400_000;
    const first = await new OutpostDeviceClient(new DeviceSession(serve(KEY_A, 'outpost', createdAt).link)).pullReadings();
    const again = await new OutpostDeviceClient(new DeviceSession(serve(KEY_A, 'outpost', createdAt).link)).pullReadings();
    const other = await new OutpostDeviceClient(new DeviceSession(serve(KEY_B, 'outpost', createdAt).link)).pullReadings();
    expect(again.readings).toEqual(first.readings);
    // Seq 0 lies two hours (720 readings) before creation, so seqs 0 … 26 640 are due by now
    // (three days = 25 920 readings, plus 720); the last 720 are kept: 25 921 … 26 640.
    expect(first.readings.map((r) => r.seq)).toEqual(Array.from({ length: 720 }, (_, i) => 25_921 + i));
    expect(first.readings.at(-1)!.timestamp).toBe(NOW_MS / 1000);
    expect(other.readings.map((r) => r.seq)).toEqual(first.readings.map((r) => r.seq));
    expect(other.readings.map((r) => r.temperature)).not.toEqual(first.readings.map((r) => r.temperature));
  });

  it('forgets half-sent bytes after a reset and keeps answering', async () => {
    const { link } = serve(KEY_A, 'outpost');
    await link.write(encodeFrame({ type: MSG.info, id: 7, payload: new Uint8Array() }).subarray(0, 5)); // a frame cut short
    await link.reconnect();
    const info = await new OutpostDeviceClient(new DeviceSession(link)).info();
    expect(info.address).toBe(expected);
  });
});

describe('serveSimulator over a MessageChannel (ioConnect mode)', () => {
  const expected = privateKeyToAddress(KEY_B);

  it('answers getdid with its did, public key and a valid did signature', async () => {
    const io = new IoConnectClient(serve(KEY_B, 'ioconnect').link);
    const identity = await io.getDid();
    expect(identity.did).toBe(`did:io:${expected.toLowerCase()}`);
    expect(identity.address).toBe(expected);
    expect(identity.didSignatureValid).toBe(true);
  });

  it('signs a Permit digest that viem recovers to the key\'s address', async () => {
    const io = new IoConnectClient(serve(KEY_B, 'ioconnect').link);
    const digest = keccak256(bytesToHex(new TextEncoder().encode('permit')));
    const signature = await io.signDigest(digest);
    await expect(recoverAddress({ hash: digest, signature: signature.serialized })).resolves.toBe(expected);
  });
});
