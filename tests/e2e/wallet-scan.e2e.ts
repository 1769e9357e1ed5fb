/**
 * Scanning a recipient's QR code on the Send screen (issue 14), through Chromium's fake camera:
 * the test draws the QR code itself (the `qr` package's encoder, as a bitmap with a white quiet
 * zone) into a YUV4MPEG2 video that Chromium plays as the camera. What is mocked is the camera
 * hardware only; getUserMedia, the frames and the app's decoder are real.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import encodeQR from 'qr';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { launchChromium, newAppContext, trackPageErrors } from './harness/browser.js';
import { createWallet, openWalletScreen, textMatching } from './support/appFlows.js';
import { expectScreenOk } from './support/screenChecks.js';

const appUrl = inject('appUrl');
const PASSWORD = 'e2e scan password';
const VIDEO_DIR = resolve('tests/.tmp/scan');
// Hardhat dev account #0 in both forms (the pair is checked in tests/unit/core/address.test.ts).
const HEX = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const IO = 'io17w0adeg64ky0daxwd2ugyuneellmjgnxa07fhr';

const WIDTH = 640;
const HEIGHT = 480;

/**
 * A YUV4MPEG2 (4:2:0) video of `frames` identical frames: `content`'s QR code, black on white,
 * centred and scaled to whole pixels per module with a quiet zone; null draws a blank white frame.
 */
function writeQrVideo(name: string, content: string | null, frames = 4): string {
  const modules = content === null ? [] : encodeQR(content, 'raw', { ecc: 'medium', border: 1 });
  const scale = modules.length ? Math.floor((HEIGHT - 80) / modules.length) : 1;
  const left = Math.floor((WIDTH - modules.length * scale) / 2);
  const top = Math.floor((HEIGHT - modules.length * scale) / 2);
  const luma = Buffer.alloc(WIDTH * HEIGHT, 235); // video-range white
  for (let y = 0; y < modules.length * scale; y++) {
    for (let x = 0; x < modules.length * scale; x++) {
      if (modules[Math.floor(y / scale)]![Math.floor(x / scale)]) luma[(top + y) * WIDTH + left + x] = 16; // video-range black
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128); // no colour: U and V planes at neutral
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  mkdirSync(VIDEO_DIR, { recursive: true });
  const path = resolve(VIDEO_DIR, `${name}.y4m`);
  writeFileSync(path, Buffer.concat([Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: frames }, () => frame)]));
  return path;
}

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

/**
 * Chromium whose camera plays `video`, the app on the Send screen with a wallet, and a record of
 * every camera track the page opened. `allowCamera: false` leaves the permission to a prompt
 * nobody answers, which headless Chromium refuses, as a person pressing Block would.
 */
async function sendScreenWithCamera(video: string, { allowCamera = true } = {}): Promise<{ page: Page; errors: string[] }> {
  browser = await launchChromium([...(allowCamera ? ['--use-fake-ui-for-media-stream'] : []), '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
  const context = await newAppContext(browser);
  if (allowCamera) await context.grantPermissions(['camera'], { origin: new URL(appUrl).origin });
  // Keeps the tracks the app opens, so the test can see it released the camera.
  await context.addInitScript(() => {
    const tracks: MediaStreamTrack[] = [];
    (window as unknown as { __cameraTracks: MediaStreamTrack[] }).__cameraTracks = tracks;
    const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await original(constraints);
      tracks.push(...stream.getTracks());
      return stream;
    };
  });
  const page = await context.newPage();
  const errors = trackPageErrors(page);
  await page.goto(`${appUrl}#/wallet`);
  await createWallet(page, PASSWORD);
  await openWalletScreen(page, 'send');
  return { page, errors };
}

const cameraTracks = (page: Page) => page.evaluate(() => (window as unknown as { __cameraTracks: MediaStreamTrack[] }).__cameraTracks.map((track) => track.readyState));

async function recipientField(page: Page, expected: string): Promise<string> {
  const handle = await page.waitForFunction(
    (want) => {
      const value = (document.querySelector('[data-testid="send-to"]') as HTMLInputElement | null)?.value;
      return value === want ? value : null;
    },
    expected,
    { timeout: 60_000 },
  ).catch(async () => {
    throw new Error(`the recipient field never held ${expected}; it holds ${JSON.stringify(await page.getByTestId('send-to').inputValue())}`);
  });
  return (await handle.jsonValue()) as string;
}

describe('scanning a recipient', () => {
  it('reads an io1 address from the camera into the recipient field, asking for the camera only on Scan, and releases it', async () => {
    const { page, errors } = await sendScreenWithCamera(writeQrVideo('io-address', IO));
    await expectScreenOk(page, 'send before scanning');
    await expect(cameraTracks(page)).resolves.toEqual([]);

    await page.getByTestId('send-scan').click();
    await expect(recipientField(page, IO)).resolves.toBe(IO);
    await page.getByTestId('scan-panel').waitFor({ state: 'detached' });
    await expect(cameraTracks(page)).resolves.toEqual(['ended']);
    await expect(page.getByTestId('send-scan-error').count()).resolves.toBe(0);
    await expectScreenOk(page, 'send after scanning');
    expect(errors).toEqual([]);
  });

  it('takes the address of an EIP-681 ethereum: payment URI', async () => {
    const { page, errors } = await sendScreenWithCamera(writeQrVideo('eip681', `ethereum:${HEX.toLowerCase()}@4689?value=1e18`));
    await page.getByTestId('send-scan').click();
    await expect(recipientField(page, HEX)).resolves.toBe(HEX);
    expect(errors).toEqual([]);
  });

  it('refuses a QR code that holds no address, with a named error, and stops the camera', async () => {
    const { page, errors } = await sendScreenWithCamera(writeQrVideo('not-an-address', 'Meet at the pier at 6'));
    await page.getByTestId('send-scan').click();
    const notice = page.getByTestId('send-scan-error');
    await expect(textMatching(notice, 'does not hold an address')).resolves.toContain('This QR code does not hold an address.');
    await expect(notice.getAttribute('data-code')).resolves.toBe('wallet.scan_not_address');
    await expect(page.getByTestId('send-to').inputValue()).resolves.toBe('');
    await expect(cameraTracks(page)).resolves.toEqual(['ended']);
    await expectScreenOk(page, 'send with a scan error');
    expect(errors).toEqual([]);
  });

  it('shows the camera while nothing is read yet, and Close releases it', async () => {
    const { page, errors } = await sendScreenWithCamera(writeQrVideo('blank', null));
    await page.getByTestId('send-scan').click();
    await textMatching(page.getByTestId('scan-status'), 'Hold the QR code in view');
    await expect(cameraTracks(page)).resolves.toEqual(['live']);
    await expectScreenOk(page, 'send while scanning');
    await page.getByTestId('scan-close').click();
    await page.getByTestId('scan-panel').waitFor({ state: 'detached' });
    await expect(cameraTracks(page)).resolves.toEqual(['ended']);
    await expect(page.getByTestId('send-scan-error').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });

  it('names a refused camera permission and what to do', async () => {
    const { page, errors } = await sendScreenWithCamera(writeQrVideo('refused', IO), { allowCamera: false });
    await page.getByTestId('send-scan').click();
    const notice = page.getByTestId('send-scan-error');
    await expect(notice.getAttribute('data-code', { timeout: 30_000 })).resolves.toBe('wallet.camera_denied');
    await expect(textMatching(notice, 'Camera access was refused')).resolves.toContain('Allow the camera for this site');
    await expect(page.getByTestId('scan-panel').count()).resolves.toBe(0);
    await expect(page.getByTestId('send-to').inputValue()).resolves.toBe('');
    await expectScreenOk(page, 'send with the camera refused');
    expect(errors).toEqual([]);
  });
});
