import type { Reading } from '../../core/readings.js';

/** Small seeded PRNG (mulberry32): the same device name gives the same readings everywhere. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedFromText(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/** Flag bits a simulated sensor sets on a reading. */
const READING_FLAGS = {
  /** The sensor did not answer; the values repeat the previous reading. */
  sensorTimeout: 1 << 0,
  /** A spike the firmware marks as implausible. */
  outOfRange: 1 << 1,
} as const;

/**
 * A temperature/humidity sensor: a daily sine cycle (coolest around 05:00, warmest around 17:00),
 * Gaussian-ish noise, humidity moving against temperature, and about one fault in 200 readings.
 */
export class SensorModel {
  private readonly random: () => number;
  private last: { temperature: number; humidity: number } | null = null;

  constructor(seed: number) {
    this.random = prng(seed);
  }

  private noise(scale: number): number {
    return (this.random() + this.random() + this.random() - 1.5) * scale;
  }

  read(seq: number, timestamp: number): Reading {
    const dayPhase = ((timestamp % 86_400) / 86_400) * 2 * Math.PI;
    const cycle = Math.sin(dayPhase - (11 / 24) * 2 * Math.PI); // peaks at 17:00 UTC
    const roll = this.random();
    if (this.last && roll < 0.003) return { seq, timestamp, ...this.last, flags: READING_FLAGS.sensorTimeout };
    let temperature = Math.round(1_800 + 550 * cycle + this.noise(40));
    let humidity = Math.round(Math.min(1_000, Math.max(0, 560 - 180 * cycle + this.noise(25))));
    let flags = 0;
    if (roll > 0.998) {
      temperature = Math.min(32_767, temperature + 6_000);
      flags = READING_FLAGS.outOfRange;
    } else {
      this.last = { temperature, humidity };
    }
    humidity = Math.max(0, humidity);
    return { seq, timestamp, temperature, humidity, flags };
  }
}
