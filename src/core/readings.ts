/**
 * A sensor reading as a device stores it and as every part of Outpost (device protocol, prover,
 * relay) passes it around. Integers only, so every party encodes and hashes it the same way.
 */
export type Reading = {
  /** The device's sequence number for the reading: the sync cursor. Rises by one per reading. */
  seq: number;
  /** Unix time in seconds (uint32). */
  timestamp: number;
  /** Temperature in hundredths of a degree Celsius (int16 range: -32768…32767). */
  temperature: number;
  /** Relative humidity in tenths of a percent (0…1000). */
  humidity: number;
  /** Device status bits for the reading (uint8); 0 = normal. */
  flags: number;
};
