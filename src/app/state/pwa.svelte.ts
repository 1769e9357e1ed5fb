import { onCriticalFlowsChange } from '../../core/criticalFlows.js';

/**
 * Service worker life cycle as the shell shows it. A new version waits until the user agrees,
 * and the agree button is held back while a signature or pairing is in progress, so code is
 * never swapped under someone mid-flow.
 */
export const pwa = $state({
  registered: false,
  offlineReady: false,
  updateAvailable: false,
  busyWith: [] as readonly string[],
  error: null as string | null,
});

let applyUpdate: ((reload?: boolean) => Promise<void>) | null = null;

onCriticalFlowsChange((names) => {
  pwa.busyWith = names;
});

export async function startServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const { registerSW } = await import('virtual:pwa-register');
  applyUpdate = registerSW({
    immediate: true,
    onRegisteredSW() {
      pwa.registered = true;
    },
    onOfflineReady() {
      pwa.offlineReady = true;
    },
    onNeedRefresh() {
      pwa.updateAvailable = true;
    },
    onRegisterError(error: unknown) {
      pwa.error = error instanceof Error ? error.message : String(error);
    },
  });
}

export async function installUpdate(): Promise<void> {
  if (pwa.busyWith.length > 0 || !applyUpdate) return;
  await applyUpdate(true);
}
