import { bytesToHex, getAddress, type Address, type Hex } from 'viem';
import type { Reading } from '../readings.js';
import { epochOf } from '../relayWire/epoch.js';
import type { BatchSubmission } from '../relayWire/schemas.js';
import { ZK_BATCH_SIZE } from '../zk/params.js';
import type { BatchClaim } from '../zk/witness.js';

/**
 * Relay epochs (docs/relay.md): epoch e covers unix seconds [e·len, (e+1)·len − 1]. The relay's
 * default length; the app proves for the length its relay serves at GET /v1/info (relayEpoch.ts).
 */
export const RELAY_EPOCH_SECONDS = 3600;

/**
 * The temperature range the app claims for a batch, centi-°C: what an outdoor sensor can
 * physically report, so only a broken sensor (or a tampered batch) falls outside it.
 */
const CLAIM_TEMPERATURE_RANGE = { min: -4_000, max: 8_500 } as const;

/** What a readings pull hands over for one batch: the readings and the device's signed commitment. */
export type SignedBatchInput = {
  readings: readonly Reading[];
  commitmentValue: bigint | null;
  signature: Uint8Array | null;
  signer: Address | null;
};

/** A device batch ready for the prover and, once proved, for the relay. */
export type ProvableBatch = {
  device: Address;
  epoch: number;
  readings: readonly Reading[];
  claim: BatchClaim;
  commitment: bigint;
  /** The device's raw 65-byte signature over batchSigningDigest(commitment). */
  signature: Hex;
};

/** The body of the relay's POST /v1/batches (the wire contract's type, named here for the app's callers). */
export type { BatchSubmission };

/**
 * The newest batch the prover and the relay can take: signed by `device`, exactly ZK_BATCH_SIZE
 * readings, all inside one relay epoch. Null when the pull has none (e.g. fewer readings).
 */
export function latestProvableBatch(batches: readonly SignedBatchInput[], device: Address, epochSeconds = RELAY_EPOCH_SECONDS): ProvableBatch | null {
  for (let i = batches.length - 1; i >= 0; i--) {
    const batch = batches[i]!;
    if (batch.readings.length !== ZK_BATCH_SIZE || batch.commitmentValue === null || !batch.signature || batch.signer !== device) continue;
    const epoch = epochOf(batch.readings[0]!.timestamp, epochSeconds);
    if (epochOf(batch.readings.at(-1)!.timestamp, epochSeconds) !== epoch) continue;
    const windowStart = epoch * epochSeconds;
    // The window ends at the newest reading, not at the epoch's end: a window that has not ended yet
    // is refused by the relay (window_in_future) and by BatchInbox.submitBatch (InvalidWindow).
    const windowEnd = Math.max(...batch.readings.map((reading) => reading.timestamp));
    return {
      device: getAddress(device),
      epoch,
      readings: batch.readings,
      commitment: batch.commitmentValue,
      signature: bytesToHex(batch.signature),
      claim: {
        device: getAddress(device),
        window: { windowStart, windowEnd },
        minTemperature: CLAIM_TEMPERATURE_RANGE.min,
        maxTemperature: CLAIM_TEMPERATURE_RANGE.max,
        expectedCommitment: batch.commitmentValue,
      },
    };
  }
  return null;
}

