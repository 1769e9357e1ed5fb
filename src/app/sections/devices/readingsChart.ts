import type { Reading } from '../../../core/readings.js';

/** One measured quantity of a pull, as the chart draws it: a polyline scaled between its extremes. */
export type ChartLine = {
  label: string;
  unit: string;
  /** `x,y` pairs for an SVG polyline in a `width`×`height` box (y grows downward). */
  points: string;
  min: number;
  max: number;
  latest: number;
};

/** A chart is a few hundred pixels wide: more points than that only make the SVG heavier. */
const MAX_POINTS = 200;

/**
 * Scales `values` into a box: x by position (readings are evenly spaced in time), y between the
 * lowest and the highest value, with a flat series drawn across the middle. Long series keep
 * evenly spaced samples, always the first and the last.
 */
export function scaleLine(values: readonly number[], width: number, height: number): { points: string; min: number; max: number } {
  if (values.length === 0) return { points: '', min: 0, max: 0 };
  const min = Math.min(...values);
  const max = Math.max(...values);
  const count = Math.min(values.length, MAX_POINTS);
  const points: string[] = [];
  for (let i = 0; i < count; i++) {
    const index = count === 1 ? 0 : Math.round((i * (values.length - 1)) / (count - 1));
    const x = count === 1 ? width / 2 : (i * width) / (count - 1);
    const y = max === min ? height / 2 : height - ((values[index]! - min) * height) / (max - min);
    points.push(`${round(x)},${round(y)}`);
  }
  return { points: points.join(' '), min, max };
}

/** Temperature (°C) and relative humidity (%) of a pull, in the units a person reads. */
export function readingLines(readings: readonly Reading[], width: number, height: number): ChartLine[] {
  const quantities = [
    { label: 'Temperature', unit: '°C', values: readings.map((r) => r.temperature / 100) },
    { label: 'Humidity', unit: '%', values: readings.map((r) => r.humidity / 10) },
  ];
  return quantities.map(({ label, unit, values }) => ({ label, unit, ...scaleLine(values, width, height), latest: values.at(-1) ?? 0 }));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
