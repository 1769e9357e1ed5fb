import { bytesToHex, keccak256, recoverAddress, stringToHex, concat, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { detectDevice } from '../../../src/browser/device/connect.js';
import { AuthenticityError, DeviceRejectedError, FrameError } from '../../../src/device/errors.js';
import { normaliseSignature } from '../../../src/device/identity.js';
import { WIFI_ERROR, WIFI_STATE } from '../../../src/device/protocol/constants.js';
import { SimDevice } from '../../../src/device/simulator/model.js';
import { MemoryLink } from '../../../src/device/simulator/memoryLink.js';

// DEV ONLY test keys.
const KEY_A = `0x${'11'.repeat(32)}` as Hex;
const KEY_B = `0x${'22'.repeat(32)}` as Hex;
const keyBytes = (hex: Hex) => Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
const accountA = privateKeyToAccount(KEY_A);

async function outpostDevice(options: Partial<ConstructorParameters<typeof SimDevice>[0]> = {}) {
  const device = new SimDevice({ name: 'unit-a', secretKey: keyBytes(KEY_A), initialReadings: 500, wifiConnectMs: 50, ...options });
  const link = new MemoryLink(device);
  const connected = await detectDevice(link);
  if (connected.protocol !== 'outpost') throw new Error('expected an Outpost device');
  return { device, link, connected, client: connected.client };
}

describe('Outpost protocol over a simulated cable', () => {
  it('reads device info whose did is the key\'s address', async () => {
    const { connected } = await outpostDevice();
    expect(connected.did).toBe(`did:io:${accountA.address.toLowerCase()}`);
    expect(connected.info.model).toBe('Outpost SimSensor TH-1');
    expect(connected.features.readings).toBe(true);
  });

  it('verifies the authenticity challenge; viem recovers the same signer from the digest', async () => {
    const { client } = await outpostDevice();
    const nonce = new Uint8Array(32).fill(5);
    const result = await client.verifyAuthenticity(nonce);
    const digest = keccak256(concat([stringToHex('outpost:challenge:v1:'), bytesToHex(nonce)]));
    await expect(recoverAddress({ hash: digest, signature: result.signature.serialized })).resolves.toBe(accountA.address);
  });

  it('signs a given digest exactly as viem signs it with the same key', async () => {
    const { client } = await outpostDevice();
    const digest = keccak256(stringToHex('permit'));
    const signature = await client.signDigest(digest);
    expect(signature.serialized).toBe(await accountA.sign({ hash: digest }));
  });

  it('pulls 500 readings across two dropped links, without duplicates or gaps', async () => {
    const { client, device, link } = await outpostDevice();
    device.faults.dropMidMessage = 2;
    const result = await client.pullReadings();
    expect(result.readings.map((r) => r.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(result.readings).toEqual(device.readings);
    expect(result.batches).toHaveLength(8);
    expect(result.batches.every((b) => b.signer === accountA.address)).toBe(true);
    expect(link.reconnects).toBe(2);
    expect(result.retries).toBe(2);
  });

  it('asks again at once when an answer arrives corrupted', async () => {
    const { client, device, connected } = await outpostDevice();
    device.faults.corruptNext = 1;
    const batch = await client.pullBatch(100, 10);
    expect(batch.readings).toEqual(device.readings.slice(100, 110));
    expect(connected.client.session.stats.frameErrors).toBe(1);
    expect(connected.client.session.stats.retries).toBe(1);
  });

  it('gives up on answers that keep arriving corrupted with one error that says what to do and keeps the CRC failure as its cause', async () => {
    const { client, device } = await outpostDevice();
    device.faults.corruptNext = 1_000;
    const error = await client.pullBatch(0, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FrameError);
    expect((error as FrameError).code).toBe('device.frame_crc');
    expect((error as FrameError).shortMessage).toMatch(/^The device's answer arrived damaged on all \d+ tries\.$/);
    expect((error as FrameError).hint).toMatch(/cable/);
    expect((error as FrameError).cause).toBeInstanceOf(FrameError);
    expect(((error as FrameError).cause as FrameError).shortMessage).toBe('Skipped a frame whose CRC does not match (corrupted on the way).');
  });

  it('names a refused signature, and does not retry it', async () => {
    const { client, device } = await outpostDevice();
    device.faults.refuseSign = true;
    const error = await client.signDigest(keccak256('0x01')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceRejectedError);
    expect((error as DeviceRejectedError).shortMessage).toBe('The device refused to sign.');
  });

  it('answers slowly but still within the timeout', async () => {
    const { client, device } = await outpostDevice();
    device.faults.slowMs = 300;
    // Measured from before the call, so a busy machine cannot turn the 2 s identify into a failure.
    const asked = Date.now();
    await expect(client.identify(2)).resolves.toBeUndefined();
    expect(device.identifyUntil).toBeGreaterThanOrEqual(asked + 2000);
  });

  it('provisions Wi-Fi through Improv-style states and reports a wrong password', async () => {
    const { client } = await outpostDevice();
    const wrong = await client.provisionWifi({ ssid: 'Outpost-Lab', password: 'nope' }, 20);
    expect(wrong).toMatchObject({ state: WIFI_STATE.authorized, error: WIFI_ERROR.unableToConnect });
    const right = await client.provisionWifi({ ssid: 'Outpost-Lab', password: 'correct horse battery' }, 20);
    expect(right).toMatchObject({ state: WIFI_STATE.provisioned, error: WIFI_ERROR.none, url: 'http://unit-a.local/' });
  });

  it('needs the button when the device requires authorization', async () => {
    const { client, device } = await outpostDevice({ requireAuthorization: true });
    expect(await client.provisionWifi({ ssid: 'Outpost-Lab', password: 'x' }, 20)).toMatchObject({ error: WIFI_ERROR.notAuthorized });
    device.pressButton();
    expect((await client.provisionWifi({ ssid: 'Outpost-Lab', password: 'correct horse battery' }, 20)).state).toBe(WIFI_STATE.provisioned);
  });

  it('factory reset erases readings but keeps the identity', async () => {
    const { client, device } = await outpostDevice();
    await client.factoryReset();
    const status = await client.readingsStatus();
    expect(status.firstSeq).toBe(status.nextSeq);
    expect((await client.info()).did).toBe(device.did);
  });
});

describe('ioConnect-only devices', () => {
  it('is detected, and its raw r‖s over a digest becomes a valid low-s signature with v', async () => {
    const device = new SimDevice({ name: 'io-b', secretKey: keyBytes(KEY_B), mode: 'ioconnect' });
    const connected = await detectDevice(new MemoryLink(device), { probeTimeoutMs: 300 });
    expect(connected.protocol).toBe('ioconnect');
    if (connected.protocol !== 'ioconnect') return;
    const accountB = privateKeyToAccount(KEY_B);
    expect(connected.did).toBe(`did:io:${accountB.address.toLowerCase()}`);
    expect(connected.identity.didSignatureValid).toBe(true);
    expect(connected.features).toMatchObject({ permitSigning: true, readings: false, wifi: false });
    // Several digests, so both high-s (normalised) and low-s raw signatures occur.
    for (let i = 0; i < 8; i++) {
      const digest = keccak256(stringToHex(`permit ${i}`));
      const signature = await connected.client.signDigest(digest);
      expect(signature.serialized).toBe(await accountB.sign({ hash: digest }));
    }
  });

  it('reports "Failed to Signature" as a refusal', async () => {
    const device = new SimDevice({ name: 'io-c', secretKey: keyBytes(KEY_B), mode: 'ioconnect', faults: { refuseSign: true } });
    const connected = await detectDevice(new MemoryLink(device), { probeTimeoutMs: 300 });
    if (connected.protocol !== 'ioconnect') throw new Error('expected ioConnect');
    await expect(connected.client.signDigest(keccak256('0x02'))).rejects.toThrow(/could not sign/);
  });

  it('rejects a signature from another key', () => {
    const digest = keccak256('0x03');
    const rs = Uint8Array.from(Buffer.from('ab'.repeat(64), 'hex'));
    expect(() => normaliseSignature(digest, rs, accountA.address)).toThrow(AuthenticityError);
  });
});
