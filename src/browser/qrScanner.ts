import { CameraError } from '../core/wallet/errors.js';

/** What decodes a video frame: the browser's BarcodeDetector or the `qr` package's, same shape. */
type Detector = { detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]> };

/** A running scan: `result` is the first QR code's text; `stop` releases the camera (also after a result). */
export type QrScan = { result: Promise<string>; stop: () => void };

/** Time between two decoding attempts: frames in between add little and cost a phone's battery. */
const FRAME_INTERVAL_MS = 150;

/**
 * Opens the camera into `video` (the back camera where there is one) and decodes frames until
 * one holds a QR code. Only called when the person presses Scan, so the permission prompt comes
 * from that press. Uses the browser's BarcodeDetector where it reads QR codes (Android, macOS),
 * otherwise the `qr` package's decoder, loaded only then. Camera failures are CameraErrors.
 */
export async function startQrScan(video: HTMLVideoElement): Promise<QrScan> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new CameraError('unavailable', 'navigator.mediaDevices.getUserMedia is missing (the page is not https, or the browser has no camera access)');
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
  } catch (error) {
    throw cameraError(error);
  }
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  try {
    video.srcObject = stream;
    video.muted = true;
    video.playsInline = true;
    await video.play();
  } catch (error) {
    stop();
    throw cameraError(error);
  }
  const detector = await createDetector().catch((error: unknown) => {
    stop();
    throw error;
  });
  const result = new Promise<string>((resolve, reject) => {
    const attempt = async () => {
      if (stopped) return reject(new CameraError('unavailable', 'the scan was closed before a QR code was read'));
      try {
        const [found] = video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA ? await detector.detect(video) : [];
        if (found && !stopped) {
          stop();
          return resolve(found.rawValue);
        }
      } catch {
        // One unreadable frame (blurred, mid-resize) is not a failure: the next one may read.
      }
      timer = setTimeout(() => void attempt(), FRAME_INTERVAL_MS);
    };
    void attempt();
  });
  return { result, stop };
}

async function createDetector(): Promise<Detector> {
  const native = (globalThis as { BarcodeDetector?: { new (options: { formats: string[] }): Detector; getSupportedFormats(): Promise<string[]> } }).BarcodeDetector;
  if (native && (await native.getSupportedFormats().catch((): string[] => [])).includes('qr_code')) return new native({ formats: ['qr_code'] });
  const { BarcodeDetector } = await import('qr/decode.js');
  return new BarcodeDetector({ formats: ['qr_code'] });
}

/** getUserMedia's DOMException names, as the three things a person can act on. */
function cameraError(error: unknown): CameraError {
  const name = (error as { name?: string } | null)?.name ?? '';
  const details = `${name}: ${(error as { message?: string } | null)?.message ?? String(error)}`;
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return new CameraError('denied', details);
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return new CameraError('not-found', details);
  return new CameraError('unavailable', details);
}
