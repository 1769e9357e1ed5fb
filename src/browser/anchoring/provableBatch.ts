/**
 * Which of a device's batches can be proved now, for the relay it will be sent to: a proof binds
 * its window to one epoch of that relay, so the relay's epoch length decides (remembered per relay
 * so that this works offline too).
 */
import type { Address } from 'viem';
import { latestProvableBatch, type ProvableBatch } from '../../core/outbox/batch.js';

/** The relay a batch goes to: its base URL (null when the network has none) and how to reach it. */
export type RelayTarget = { relayUrl: string | null; fetch?: typeof fetch };

export async function findProvableBatch(relay: RelayTarget, batches: Parameters<typeof latestProvableBatch>[0], device: Address): Promise<ProvableBatch | null> {
  // Loaded on use: the relay client carries the wire schemas (valibot), which the first screen does not need.
  const { relayEpochSeconds } = await import('../outbox/relayEpoch.js');
  const { epochSeconds } = await relayEpochSeconds(relay.relayUrl, relay.fetch);
  return latestProvableBatch(batches, device, epochSeconds);
}
