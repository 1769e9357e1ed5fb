/**
 * Copy and share of one piece of text (an address, a hash): the clipboard, or the system share
 * sheet where the browser has the Web Share API (phones). What happened is kept for a short
 * spoken/visible note ("Copied"), since a copy otherwise gives no sign it worked.
 */
export class CopyShareState {
  status = $state<'idle' | 'copied' | 'blocked' | 'shared'>('idle');
  #clear: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly read: () => { text: string; title: string }) {}

  /** Whether this browser can hand the text to the system share sheet. */
  get canShare(): boolean {
    return typeof navigator !== 'undefined' && typeof navigator.share === 'function';
  }

  async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.read().text);
      this.#show('copied');
    } catch {
      // Clipboard refused (permissions policy, an insecure page): say so, the text stays selectable.
      this.#show('blocked');
    }
  }

  /** The share sheet where there is one, otherwise the clipboard. */
  async share(): Promise<void> {
    if (!this.canShare) return this.copy();
    const { text, title } = this.read();
    try {
      await navigator.share({ title, text });
      this.#show('shared');
    } catch (error) {
      // Closing the share sheet is a choice, not a failure; anything else falls back to copying.
      if ((error as { name?: string } | null)?.name !== 'AbortError') await this.copy();
    }
  }

  #show(status: 'copied' | 'blocked' | 'shared'): void {
    this.status = status;
    clearTimeout(this.#clear);
    this.#clear = setTimeout(() => (this.status = 'idle'), 4000);
  }
}
