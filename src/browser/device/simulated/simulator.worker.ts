/// <reference lib="webworker" />
/**
 * The in-page simulated device's worker: the first message says which device to be (its DEV-ONLY
 * key, mode and name); then bytes flow both ways as over a serial cable. Disconnecting = the page
 * terminates this worker. Devnet only (see simulatedDevices.ts).
 */
import { serveSimulator, type PageToSimulator, type SimulatorPort } from './serveSimulator.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const onStart = (event: MessageEvent<PageToSimulator>) => {
  const message = event.data;
  if (message instanceof Uint8Array || message.type !== 'start') return;
  scope.removeEventListener('message', onStart);
  try {
    serveSimulator(scope as unknown as SimulatorPort, { secretKey: message.secretKey, mode: message.mode, name: message.name, createdAt: message.createdAt });
  } catch (error) {
    scope.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
};
scope.addEventListener('message', onStart);
