import { describe, expect, it } from 'vitest';
import { readingLines, scaleLine } from '../../../src/app/sections/devices/readingsChart.js';

const pairs = (points: string) => points.split(' ').map((pair) => pair.split(',').map(Number));

describe('readings chart geometry', () => {
  it('puts the lowest value at the bottom, the highest at the top, evenly spaced across', () => {
    const line = scaleLine([10, 20, 15], 100, 50);
    expect(line.min).toBe(10);
    expect(line.max).toBe(20);
    expect(pairs(line.points)).toEqual([[0, 50], [50, 0], [100, 25]]);
  });

  it('draws a flat series and a single reading across the middle', () => {
    expect(pairs(scaleLine([7, 7], 100, 50).points)).toEqual([[0, 25], [100, 25]]);
    expect(pairs(scaleLine([7], 100, 50).points)).toEqual([[50, 25]]);
    expect(scaleLine([], 100, 50).points).toBe('');
  });

  it('keeps at most 200 points of a long pull, the first and the last among them', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    const points = pairs(scaleLine(values, 300, 60).points);
    expect(points).toHaveLength(200);
    expect(points[0]).toEqual([0, 60]);
    expect(points.at(-1)).toEqual([300, 0]);
  });

  it('reads temperature in °C and humidity in % from the integer units the device sends', () => {
    const readings = [
      { seq: 0, timestamp: 1_700_000_000, temperature: 2150, humidity: 455, flags: 0 },
      { seq: 1, timestamp: 1_700_000_060, temperature: -125, humidity: 1000, flags: 0 },
    ];
    const [temperature, humidity] = readingLines(readings, 100, 10);
    expect(temperature).toMatchObject({ label: 'Temperature', unit: '°C', min: -1.25, max: 21.5, latest: -1.25 });
    expect(humidity).toMatchObject({ label: 'Humidity', unit: '%', min: 45.5, max: 100, latest: 100 });
  });
});
