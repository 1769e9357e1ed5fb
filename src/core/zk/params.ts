/**
 * Shape of the batch circuit (circuits/outpost_batch.circom). These numbers are part of the
 * commitment's definition: a device, the prover and the relay must agree on them, and changing
 * any of them means a new circuit, new keys and a new verifier. See circuits/README.md.
 */

/** Readings per proof (the circuit's N). Shorter batches are padded (see PADDING in the README). */
export const ZK_BATCH_SIZE = 64;

/** Added to a temperature (centi-°C, int16) so the circuit only sees non-negative numbers. */
export const TEMPERATURE_OFFSET = 32_768;

/** Two readings share one field element (2 × 104 bits < 254). */
export const READINGS_PER_ELEMENT = 2;
/** Bits of one packed reading: timestamp 32 | temperature 16 | humidity 16 | flags 8 | seq 32. */
export const READING_BITS = 104;
/** Field elements hashed by one Poseidon(16) chunk. */
export const ELEMENTS_PER_CHUNK = 16;

/** Largest values of each reading field the encoding can hold. */
export const READING_LIMITS = {
  timestamp: 0xffff_ffff,
  temperatureMin: -32_768,
  temperatureMax: 32_767,
  humidity: 0xffff,
  flags: 0xff,
  seq: 0xffff_ffff,
} as const;
