/**
 * Guarding against loss: ask for persistent storage, and warn where the browser may drop the
 * wallet anyway (private windows, Safari's 7-day eviction of script-written storage).
 */
export type StorageGuard = {
  persisted: boolean | null;
  quotaBytes: number | null;
  warnings: string[];
};

export async function guardStorage(nav: Navigator = navigator, standalone = isStandalone()): Promise<StorageGuard> {
  const warnings: string[] = [];
  let persisted: boolean | null = null;
  let quotaBytes: number | null = null;
  if (nav.storage?.persist) {
    try {
      persisted = (await nav.storage.persisted()) || (await nav.storage.persist());
    } catch {
      persisted = null;
    }
  }
  if (nav.storage?.estimate) {
    quotaBytes = (await nav.storage.estimate().catch(() => ({ quota: undefined }))).quota ?? null;
  }
  if (persisted === false) {
    warnings.push('The browser did not grant persistent storage: it may clear this wallet when space runs low. Keep your backup safe.');
  }
  if (persisted === null) warnings.push('This browser cannot promise to keep the wallet: keep your backup safe.');
  // Chromium gives incognito windows a small fixed quota (about 100 MiB or less).
  if (quotaBytes !== null && quotaBytes < 150 * 1024 * 1024) {
    warnings.push('This looks like a private window: everything here, the wallet included, is deleted when the window closes.');
  }
  const ua = nav.userAgent;
  if (/Safari\//.test(ua) && !/Chrome\/|Chromium\/|Edg\//.test(ua) && !standalone) {
    warnings.push('Safari deletes this site’s storage after 7 days without a visit. Add Outpost to your Home Screen, and keep your backup.');
  }
  return { persisted, quotaBytes, warnings };
}

function isStandalone(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(display-mode: standalone)').matches;
}
