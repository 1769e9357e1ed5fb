import { BUILD } from '../../core/build.js';
import { errorReport, errorView, type ErrorView } from '../../core/errorReport.js';

/**
 * The state behind one ErrorNotice: what it shows for the error, and "Copy details", which builds
 * the redacted report (loading the BIP-39 list only then, to keep it off the first screen) and
 * puts it on the clipboard. If the clipboard is refused, the report is shown to select by hand.
 */
export class ErrorNoticeState {
  copied = $state<'idle' | 'copied' | 'failed'>('idle');
  report = $state<string | null>(null);

  constructor(
    private readonly read: () => { error: unknown; screen: string; network: string | null },
  ) {}

  get view(): ErrorView {
    return errorView(this.read().error);
  }

  async copy(): Promise<void> {
    const { error, screen, network } = this.read();
    const { wordlist } = await import('@scure/bip39/wordlists/english.js');
    // A lookup table handed to errorReport and dropped, not state: a SvelteSet would only add tracking.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const report = errorReport(error, { screen, network, appVersion: `${BUILD.version} (${BUILD.commit})` }, new Set(wordlist));
    this.report = report;
    try {
      await navigator.clipboard.writeText(report);
      this.copied = 'copied';
    } catch {
      this.copied = 'failed';
    }
  }
}
