/**
 * Device protocol throughput and framing overhead: the simulator over the serial-like TCP stream,
 * and over Chromium's emulated BLE through the real Web Bluetooth stack at 20- and 185-byte
 * chunks. Overhead = 1 − payload bytes / bytes on the wire (both directions; BLE "with ATT"
 * also counts 3 bytes of ATT header per GATT operation, including empty polling reads).
 */
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import { OutpostDeviceClient } from '../src/device/client.js';
import { COMMITMENT_SCHEME } from '../src/device/protocol/constants.js';
import { DeviceSession } from '../src/device/session.js';
import { BleCdpBridge } from '../src/node/deviceSim/bleCdpBridge.js';
import { SimDevice } from '../src/device/simulator/model.js';
import { serveTcp, TcpLink } from '../src/node/deviceSim/tcp.js';
import { CHROMIUM_PATH } from '../tests/e2e/harness/browser.js';
import { autoChoose } from '../tests/e2e/support/bleEmulation.js';
import { deviceApiBundle } from '../tests/e2e/support/deviceApi.js';
import { writeBenchResults, type BenchRow } from './lib/results.js';

// DEV ONLY bench key.
const KEY = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const pct = (x: number) => Math.round(x * 10_000) / 100;

type Measure = { readings: number; seconds: number; payload: number; wire: number; ops: number };

async function serial(readings: number, scheme: number): Promise<Measure> {
  const device = new SimDevice({ name: 'bench-serial', secretKey: KEY, initialReadings: readings });
  const tcp = await serveTcp(device);
  const link = await TcpLink.open(tcp.port);
  const session = new DeviceSession(link);
  const client = new OutpostDeviceClient(session);
  await client.info();
  const before = { ...session.stats };
  const linkBefore = { ...link.stats };
  const start = performance.now();
  const result = await client.pullReadings({ scheme });
  const seconds = (performance.now() - start) / 1000;
  await link.close();
  await tcp.close();
  return {
    readings: result.readings.length,
    seconds,
    payload: session.stats.payloadBytes - before.payloadBytes,
    wire: link.stats.bytesWritten + link.stats.bytesRead - linkBefore.bytesWritten - linkBefore.bytesRead,
    ops: link.stats.operations - linkBefore.operations,
  };
}

async function ble(readings: number, chunk: number, scheme: number): Promise<Measure> {
  const server = createServer((_, res) => {
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><title>bench</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu', '--enable-features=WebBluetooth'] });
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`http://localhost:${port}/`);
    await page.addScriptTag({ content: await deviceApiBundle() });
    const cdp = await browser.newBrowserCDPSession();
    await BleCdpBridge.enable(cdp);
    const device = new SimDevice({ name: 'bench-ble', secretKey: KEY, initialReadings: readings, maxChunk: chunk });
    const bridge = await BleCdpBridge.attach(cdp, device, { chunkSize: chunk });
    await autoChoose(await page.context().newCDPSession(page), bridge.address);
    return await page.evaluate(async (scheme) => {
      const api = (window as unknown as { outpostDevice: typeof import('../tests/e2e/support/deviceApiEntry.js') }).outpostDevice;
      const bluetooth = (navigator as unknown as { bluetooth: Parameters<typeof api.WebBluetoothLink.request>[0] }).bluetooth;
      const link = await api.WebBluetoothLink.request(bluetooth);
      const connected = await api.detectDevice(link, { allowIoConnect: false, probeTimeoutMs: 5000 });
      if (connected.protocol !== 'outpost') throw new Error('not an Outpost device');
      const session = connected.client.session;
      const before = { ...session.stats };
      const linkBefore = { ...link.stats };
      const start = performance.now();
      const result = await connected.client.pullReadings({ scheme });
      const seconds = (performance.now() - start) / 1000;
      await link.close();
      return {
        readings: result.readings.length,
        seconds,
        payload: session.stats.payloadBytes - before.payloadBytes,
        wire: link.stats.bytesWritten + link.stats.bytesRead - linkBefore.bytesWritten - linkBefore.bytesRead,
        ops: link.stats.operations - linkBefore.operations,
      };
    }, scheme);
  } finally {
    await browser.close();
    server.close();
  }
}

function rows(label: string, m: Measure, att: boolean): BenchRow[] {
  const out: BenchRow[] = [
    { figure: `${label}: readings per second`, value: Math.round(m.readings / m.seconds), unit: 'readings/s', note: `${m.readings} readings in ${m.seconds.toFixed(2)} s` },
    { figure: `${label}: framing overhead`, value: pct(1 - m.payload / m.wire), unit: '%', note: `payload ${m.payload} B / wire ${m.wire} B = ${(m.payload / m.wire).toFixed(4)}` },
  ];
  if (att) out.push({ figure: `${label}: overhead incl. ATT headers`, value: pct(1 - m.payload / (m.wire + 3 * m.ops)), unit: '%', note: `${m.ops} GATT operations (writes + reads incl. empty polls)` });
  return out;
}

export async function run(): Promise<void> {
  const signed = COMMITMENT_SCHEME.poseidonV1;
  const serialSigned = await serial(5_000, signed);
  const serialRaw = await serial(5_000, COMMITMENT_SCHEME.none);
  const ble20 = await ble(1_000, 20, signed);
  const ble185 = await ble(1_000, 185, signed);
  writeBenchResults({
    area: 'device',
    title: 'Device protocol: readings throughput and framing overhead (simulator)',
    rows: [
      ...rows('serial (TCP), signed batches', serialSigned, false),
      ...rows('serial (TCP), unsigned', serialRaw, false),
      ...rows('BLE emulated, 20-byte chunks, signed', ble20, true),
      ...rows('BLE emulated, 185-byte chunks, signed', ble185, true),
    ],
    notes: [
      'Batches of 64 readings (13 B each); a signed batch adds a 32-byte Poseidon commitment and a 65-byte signature, both counted as payload.',
      'Signed throughput is bounded by the simulator computing the Poseidon commitment and secp256k1 signature per batch and the host recomputing and verifying them.',
      'BLE runs through headless Chromium\'s Web Bluetooth with the CDP-emulated peripheral: every GATT op is a CDP round trip, so readings/s reflects the emulator, not a radio.',
      'Requirement: framing overhead at 185-byte chunks < 15%.',
    ],
  });
  if (1 - ble185.payload / ble185.wire >= 0.15) throw new Error('framing overhead at 185-byte chunks is not under 15%');
}
