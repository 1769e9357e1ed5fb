import type { JobStore, JobWallet } from '../../src/core/jobs/index.js';

/** A page of the app closing mid-job, as the job tests stage it. */
export class Crash extends Error {
  override name = 'Crash';
}

/**
 * A view of a job store for one runner that "dies" at a chosen point: the write that matches
 * `crashAfter` is stored, then it and every later write throw, as when the tab is closed right
 * after that write. Another view on the same base store (or the base itself) is the next page load.
 */
export function crashingView(base: JobStore, crashAfter: (record: Parameters<JobStore['put']>[0]) => boolean): JobStore & { crashed: () => boolean } {
  let dead = false;
  return {
    ...base,
    async put(record) {
      if (dead) throw new Crash('the tab is gone');
      await base.put(record);
      if (crashAfter(record)) {
        dead = true;
        throw new Crash('the tab closed');
      }
    },
    crashed: () => dead,
  };
}

/** A wallet whose page closes after it sent the transaction, before the hash reached the runner. */
export function diesAfterSending(wallet: JobWallet): JobWallet {
  return {
    address: wallet.address,
    async sendTransaction(call) {
      await wallet.sendTransaction(call);
      throw new Crash('closed while the wallet answered');
    },
  };
}
