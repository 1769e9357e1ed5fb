import type { Hex } from 'viem';
import { RELAY_EPOCH_SECONDS } from '../../../src/core/outbox/batch.js';
import { SimDevice } from '../../../src/device/simulator/model.js';

/** A device whose 64 readings (10 s apart) all sit in the middle of the previous relay epoch. */
export function simInPreviousEpoch(name: string, key: Hex): SimDevice {
  const epochStart = (Math.floor(Date.now() / 1000 / RELAY_EPOCH_SECONDS) - 1) * RELAY_EPOCH_SECONDS;
  return new SimDevice({
    name,
    secretKey: Uint8Array.from(Buffer.from(key.slice(2), 'hex')),
    initialReadings: 64,
    intervalSec: 10,
    now: () => (epochStart + 1800) * 1000,
  });
}
