import type { QrScan } from '../../../browser/qrScanner.js';
import { parseScannedRecipient } from '../../../core/wallet/scannedRecipient.js';

/**
 * Scanning a recipient's QR code on the Send screen. The camera code and the decoder load only
 * when Scan is pressed, and the camera is released when a code is read, the scan is closed, or
 * the screen is left. A code that is not an address is refused with a named error.
 */
export class RecipientScan {
  open = $state(false);
  /** The camera is running and frames are being decoded. */
  scanning = $state(false);
  error = $state<unknown>(null);
  #scan: QrScan | null = null;

  constructor(private readonly onRecipient: (text: string) => void) {}

  openScanner(): void {
    this.error = null;
    this.open = true;
  }

  /** Runs one scan into `video`: from the camera prompt to an address in the recipient field. */
  async start(video: HTMLVideoElement): Promise<void> {
    try {
      const { startQrScan } = await import('../../../browser/qrScanner.js');
      if (!this.open) return;
      this.#scan = await startQrScan(video);
      if (!this.open) return this.#scan.stop();
      this.scanning = true;
      const scanned = await this.#scan.result;
      this.onRecipient(parseScannedRecipient(scanned).text);
      this.open = false;
    } catch (error) {
      // Closing the scanner ends the scan on purpose: not an error to show.
      if (this.open) {
        this.error = error;
        this.open = false;
      }
    } finally {
      this.scanning = false;
      this.#scan = null;
    }
  }

  close(): void {
    this.open = false;
    this.#scan?.stop();
  }
}
