/**
 * Simulated devices (devnet only): the store of their DEV-ONLY keys in IndexedDB (fake-indexeddb,
 * the spec in JS), and connectSimulated through the same connect path as real devices. Node has no
 * Web Worker, so a stand-in with the worker's behaviour (simulator.worker.ts: first message
 * "start", then bytes) runs serveSimulator on a MessageChannel.
 */
import 'fake-indexeddb/auto';
import { keccak256, recoverAddress, stringToHex, type Address, type Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { serveSimulator, type PageToSimulator, type ServedSimulator } from '../../../src/browser/device/simulated/serveSimulator.js';
import { connectSimulated, createSimulatedDevice, forgetSimulatedDevice, listSimulatedDevices, type SimulatedDeviceInfo } from '../../../src/browser/device/simulated/simulatedDevices.js';
import { openOutpostDb } from '../../../src/browser/storage/db.js';
import { OutpostError } from '../../../src/core/errors.js';

/** Does what simulator.worker.ts does, on a MessageChannel instead of a worker thread. */
class FakeSimulatorWorker {
  static started: FakeSimulatorWorker[] = [];
  /** Runs as each worker is created (a test cancels its attempt right then). */
  static onCreate: (() => void) | null = null;
  readonly channel = new MessageChannel();
  readonly url: string;
  terminated = false;
  served: ServedSimulator | null = null;

  constructor(url: URL, readonly options: { type?: string; name?: string }) {
    this.url = url.href;
    FakeSimulatorWorker.started.push(this);
    FakeSimulatorWorker.onCreate?.();
    const inside = this.channel.port2;
    const onStart = (event: MessageEvent<PageToSimulator>) => {
      const message = event.data;
      if (message instanceof Uint8Array || message.type !== 'start') return;
      inside.removeEventListener('message', onStart);
      this.served = serveSimulator(inside, { secretKey: message.secretKey, mode: message.mode, name: message.name, createdAt: message.createdAt });
    };
    inside.addEventListener('message', onStart);
    inside.start();
    this.channel.port1.start();
  }

  postMessage(message: unknown, transfer: Transferable[]): void {
    this.channel.port1.postMessage(message, transfer);
  }

  addEventListener(type: string, listener: (event: Event) => void): void {
    if (type === 'message') this.channel.port1.addEventListener('message', listener);
  }

  terminate(): void {
    this.terminated = true;
    this.served?.stop();
    this.channel.port1.close();
    this.channel.port2.close();
  }
}

beforeAll(() => {
  vi.stubGlobal('Worker', FakeSimulatorWorker);
});

afterEach(() => {
  for (const worker of FakeSimulatorWorker.started.splice(0)) worker.terminate();
});

async function storedRecord(address: Address): Promise<Record<string, unknown>> {
  const db = await openOutpostDb();
  return (await db.get('simulatedDevices', address.toLowerCase())) as Record<string, unknown>;
}

describe('simulated devices store', () => {
  it('creates a device whose address and did are those of its stored key', async () => {
    const created = await createSimulatedDevice({ name: '  Garden sensor ' });
    const record = await storedRecord(created.address);
    const keyAddress = privateKeyToAddress(record.secretKey as Hex);
    expect(created.address).toBe(keyAddress);
    expect(created.did).toBe(`did:io:${keyAddress.toLowerCase()}`);
    expect(created.name).toBe('Garden sensor');
    expect(created.mode).toBe('outpost');
    expect(Math.abs(created.createdAt - Date.now())).toBeLessThan(5_000);
    // The info handed to the UI carries no key.
    expect(Object.keys(created).sort()).toEqual(['address', 'createdAt', 'did', 'mode', 'name']);
  });

  it('gives every device its own key and a default name', async () => {
    const a = await createSimulatedDevice({ mode: 'ioconnect' });
    const b = await createSimulatedDevice();
    expect(a.address).not.toBe(b.address);
    expect(a.mode).toBe('ioconnect');
    expect(a.name).toMatch(/\S/);
  });

  it('lists the devices oldest first, and forgets one (by any spelling of its address)', async () => {
    const before = (await listSimulatedDevices()).length;
    const first = await createSimulatedDevice({ name: 'first' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await createSimulatedDevice({ name: 'second' });
    const listed = await listSimulatedDevices();
    expect(listed).toHaveLength(before + 2);
    expect(listed.slice(-2).map((d: SimulatedDeviceInfo) => d.name)).toEqual(['first', 'second']);
    await forgetSimulatedDevice(first.address.toLowerCase() as Address);
    const after = await listSimulatedDevices();
    expect(after.map((d) => d.address)).not.toContain(first.address);
    expect(after.map((d) => d.address)).toContain(second.address);
  });

  it('reads damaged records, and a key that does not give its address, as absent', async () => {
    const good = await createSimulatedDevice({ name: 'good' });
    const stolenKey = (await storedRecord(good.address)).secretKey as Hex;
    const otherKey = `0x${'77'.repeat(32)}` as Hex; // DEV ONLY test key
    const otherAddress = privateKeyToAddress(otherKey);
    const db = await openOutpostDb();
    const damaged: Array<[string, unknown]> = [
      ['garbage', 'not a record'],
      [otherAddress.toLowerCase(), { address: otherAddress, name: 'mismatch', mode: 'outpost', secretKey: stolenKey, createdAt: 1 }],
      ['0x0000000000000000000000000000000000000001', { address: '0x0000000000000000000000000000000000000001', name: 'no key', mode: 'outpost', createdAt: 1 }],
      ['bad-mode', { address: otherAddress, name: 'bad mode', mode: 'zigbee', secretKey: otherKey, createdAt: 1 }],
      ['bad-key', { address: otherAddress, name: 'bad key', mode: 'outpost', secretKey: `0x${'00'.repeat(32)}`, createdAt: 1 }],
    ];
    for (const [key, value] of damaged) await db.put('simulatedDevices', value, key);
    const names = (await listSimulatedDevices()).map((d) => d.name);
    expect(names).toContain('good');
    for (const name of ['mismatch', 'no key', 'bad mode', 'bad key']) expect(names).not.toContain(name);
    const error = await connectSimulated(otherAddress).catch((e: unknown) => e);
    expect((error as OutpostError).code).toBe('device.simulated_unknown');
  });
});

describe('connectSimulated', () => {
  it('connects to an Outpost-mode device in a module worker, as to a real one', async () => {
    const created = await createSimulatedDevice({ name: 'outpost sim' });
    const device = await connectSimulated(created.address);
    const worker = FakeSimulatorWorker.started.at(-1)!;
    expect(worker.options.type).toBe('module');
    expect(worker.url).toMatch(/simulator\.worker\.ts$/);
    expect(device.transport).toBe('simulated');
    expect(device.protocol).toBe('outpost');
    expect(device.address).toBe(created.address);
    expect(device.features.permitSigning).toBe(true);
    expect(device.features.readings).toBe(true);
    const digest = keccak256(stringToHex('permit'));
    const signature = await device.client.signDigest(digest);
    const keyAddress = privateKeyToAddress((await storedRecord(created.address)).secretKey as Hex);
    await expect(recoverAddress({ hash: digest, signature: signature.serialized })).resolves.toBe(keyAddress);
    expect(device.link.stats.bytesWritten).toBeGreaterThan(0);
    expect(device.link.stats.bytesRead).toBeGreaterThan(0);
    await device.link.close();
    expect(worker.terminated).toBe(true);
  });

  it('connects to an ioConnect-mode device through the ioConnect probe', async () => {
    const created = await createSimulatedDevice({ name: 'ioconnect sim', mode: 'ioconnect' });
    const device = await connectSimulated(created.address);
    expect(device.transport).toBe('simulated');
    expect(device.protocol).toBe('ioconnect');
    expect(device.address).toBe(created.address);
    const digest = keccak256(stringToHex('permit'));
    const signature = await device.client.signDigest(digest);
    await expect(recoverAddress({ hash: digest, signature: signature.serialized })).resolves.toBe(created.address);
    await device.link.close();
  });

  it('says which device is unknown, with a hint', async () => {
    const error = await connectSimulated('0x00000000000000000000000000000000000000aa').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutpostError);
    expect((error as OutpostError).code).toBe('device.simulated_unknown');
    expect((error as OutpostError).hint).toMatch(/Devices screen/);
  });

  it('stops the worker when the attempt is cancelled while it starts', async () => {
    const created = await createSimulatedDevice({ name: 'cancelled sim' });
    const controller = new AbortController();
    FakeSimulatorWorker.onCreate = () => controller.abort();
    try {
      const error = await connectSimulated(created.address, { signal: controller.signal }).catch((e: unknown) => e);
      expect((error as OutpostError).code).toBe('device.connect_cancelled');
    } finally {
      FakeSimulatorWorker.onCreate = null;
    }
    const worker = FakeSimulatorWorker.started.at(-1)!;
    expect(worker.terminated).toBe(true);
    expect(worker.served).toBeNull();
  });
});
