/** What the rest of the app may use of the Devices section. */

/**
 * Retries the batches left in the outbox from an earlier visit. The outbox code loads here, on
 * call, so the shell can start it after the first screen without carrying it.
 */
export async function resumeOutbox(): Promise<void> {
  const { outboxState } = await import('./outboxState.svelte.js');
  outboxState.start();
}
