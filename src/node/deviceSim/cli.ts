/**
 * `npm run device:sim -- [options]`: a simulated Outpost (or ioConnect-only) device.
 *
 *   --name NAME          device name; its DEV ONLY key lives in <data-dir>/NAME.json (default sim-1)
 *   --mode outpost|ioconnect
 *   --port N             serial-like byte stream on TCP 127.0.0.1:N (default 4810; 0 = any)
 *   --ble-cdp URL        also appear as a BLE peripheral in a Chromium started with
 *                        --remote-debugging-port (URL like http://127.0.0.1:9222) via its Bluetooth emulation
 *   --readings N         readings stored at start (default 500), then one every --interval s (default 60)
 *   --chunk N            BLE chunk size the radio accepts (ATT_MTU − 3; default 20)
 *   --log-every MS       print firmware-style log lines between frames on the TCP port
 *   --refuse-sign --slow MS --drop N --corrupt N    fault injection
 *   --data-dir DIR       default .outpost/devices
 * Keys while running: b = press the button, d = drop mid-message, c = corrupt next answer,
 * r = toggle refuse-sign, q = quit.
 */
import { parseArgs } from 'node:util';
import { addressFromDid } from '../../device/identity.js';
import { BleCdpBridge } from './bleCdpBridge.js';
import { DEFAULT_SIM_DIR, loadOrCreateSimIdentity } from './identityStore.js';
import { SimDevice, type SimMode } from '../../device/simulator/model.js';
import { serveTcp } from './tcp.js';

const { values } = parseArgs({
  options: {
    name: { type: 'string', default: 'sim-1' },
    mode: { type: 'string', default: 'outpost' },
    port: { type: 'string', default: '4810' },
    'ble-cdp': { type: 'string' },
    readings: { type: 'string', default: '500' },
    interval: { type: 'string', default: '60' },
    chunk: { type: 'string', default: '20' },
    'log-every': { type: 'string' },
    'refuse-sign': { type: 'boolean', default: false },
    slow: { type: 'string', default: '0' },
    drop: { type: 'string', default: '0' },
    corrupt: { type: 'string', default: '0' },
    'data-dir': { type: 'string', default: DEFAULT_SIM_DIR },
  },
});

const mode = values.mode as SimMode;
if (mode !== 'outpost' && mode !== 'ioconnect') {
  console.error(`--mode must be outpost or ioconnect, not ${values.mode}`);
  process.exit(2);
}
const int = (text: string | undefined, flag: string): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${flag} needs a whole number, not ${text}`);
    process.exit(2);
  }
  return value;
};

const identity = loadOrCreateSimIdentity(values.name!, values['data-dir']);
const intervalSec = Math.max(1, int(values.interval, 'interval'));
const device = new SimDevice({
  name: values.name!,
  secretKey: identity.secretKey,
  mode,
  maxChunk: int(values.chunk, 'chunk'),
  initialReadings: int(values.readings, 'readings'),
  intervalSec,
  faults: { refuseSign: values['refuse-sign'], slowMs: int(values.slow, 'slow'), dropMidMessage: int(values.drop, 'drop'), corruptNext: int(values.corrupt, 'corrupt') },
  log: (line) => console.log(`[${values.name}] ${line}`),
});
const recorder = setInterval(() => device.record(), intervalSec * 1000);

const tcp = await serveTcp(device, { port: int(values.port, 'port'), logEveryMs: values['log-every'] ? int(values['log-every'], 'log-every') : undefined });
console.log(`Simulated ${mode === 'ioconnect' ? 'ioConnect-only' : 'Outpost'} device "${device.name}" (${device.model}, firmware ${device.firmware})`);
console.log(`  did:      ${device.did}`);
console.log(`  address:  ${addressFromDid(device.did)}`);
console.log(`  key:      ${identity.path} (DEV ONLY${identity.created ? ', new' : ''})`);
console.log(`  serial:   tcp://127.0.0.1:${tcp.port} (115200 8N1 semantics: a plain byte stream)`);
console.log(`  readings: ${device.readings.length} stored, one more every ${intervalSec} s`);

let closeBle: (() => Promise<void>) | null = null;
if (values['ble-cdp']) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.connectOverCDP(values['ble-cdp']);
  const cdp = await browser.newBrowserCDPSession();
  await BleCdpBridge.enable(cdp);
  const bridge = await BleCdpBridge.attach(cdp, device, { chunkSize: device.maxChunk });
  console.log(`  ble:      emulated peripheral ${bridge.address} in the Chromium at ${values['ble-cdp']}`);
  closeBle = async () => {
    bridge.detach();
    await browser.close();
  };
}

async function quit(): Promise<void> {
  clearInterval(recorder);
  await closeBle?.();
  await tcp.close();
  process.exit(0);
}

if (process.stdin.isTTY) {
  process.stdin.setRawMode(true);
  process.stdin.on('data', (data) => {
    const key = data.toString();
    if (key === 'b') {
      device.pressButton();
      console.log('button pressed: Wi-Fi changes authorized for 60 s');
    } else if (key === 'd') {
      device.faults.dropMidMessage++;
      console.log('will drop the link in the middle of the next answer');
    } else if (key === 'c') {
      device.faults.corruptNext++;
      console.log('will corrupt the next answer');
    } else if (key === 'r') {
      device.faults.refuseSign = !device.faults.refuseSign;
      console.log(`refuse-sign ${device.faults.refuseSign ? 'on' : 'off'}`);
    } else if (key === 'q' || key === '\u0003') void quit();
  });
}
process.on('SIGINT', () => void quit());
process.on('SIGTERM', () => void quit());
