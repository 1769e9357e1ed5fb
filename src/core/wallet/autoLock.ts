/** Locks after a period without user activity; the period is the user's choice, in minutes. */
export const AUTO_LOCK_CHOICES = [1, 5, 15, 30, 60] as const;
export const DEFAULT_AUTO_LOCK_MINUTES = 15;

export class IdleLock {
  #timer: ReturnType<typeof setTimeout> | null = null;
  #minutes: number;
  readonly #onIdle: () => void;

  constructor(minutes: number, onIdle: () => void) {
    this.#minutes = minutes;
    this.#onIdle = onIdle;
  }

  get minutes(): number {
    return this.#minutes;
  }

  setMinutes(minutes: number): void {
    if (!Number.isFinite(minutes) || minutes <= 0) throw new RangeError('Auto-lock needs a positive number of minutes');
    this.#minutes = minutes;
    if (this.#timer) this.touch();
  }

  /** Call on activity while unlocked: restarts the countdown. */
  touch(): void {
    this.stop();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#onIdle();
    }, this.#minutes * 60_000);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
