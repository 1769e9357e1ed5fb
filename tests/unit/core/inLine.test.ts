/**
 * inLine (src/core/inLine.ts): one run at a time; requests made during a run share one run queued
 * after it, which starts only when the first has ended; a failed run does not stop the queued one;
 * `busy` holds while a run is under way or queued.
 */
import { describe, expect, it } from 'vitest';
import { inLine } from '../../../src/core/inLine.js';

function recorder() {
  const events: string[] = [];
  const gates: (() => void)[] = [];
  let runs = 0;
  let fail = false;
  const task = async () => {
    const number = ++runs;
    events.push(`start ${number}`);
    await new Promise<void>((resolve) => gates.push(resolve));
    events.push(`end ${number}`);
    if (fail) throw new Error(`run ${number} failed`);
  };
  return { events, gates, task, failNext: () => (fail = true), succeed: () => (fail = false) };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('inLine', () => {
  it('queues one run for every request made during a run, and starts it after the run ends', async () => {
    const { events, gates, task } = recorder();
    const line = inLine(task);
    expect(line.busy).toBe(false);
    const first = line.run();
    const second = line.run();
    const third = line.run();
    expect(third).toBe(second);
    expect(second).not.toBe(first);
    expect(line.busy).toBe(true);
    await settle();
    expect(events).toEqual(['start 1']);
    gates[0]!();
    await first;
    await settle();
    expect(events).toEqual(['start 1', 'end 1', 'start 2']);
    expect(line.busy).toBe(true);
    gates[1]!();
    await second;
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
    expect(line.busy).toBe(false);
    // Idle again: the next request starts at once.
    void line.run();
    expect(events.at(-1)).toBe('start 3');
    gates[2]!();
  });

  it('a failed run rejects its own requests only; the queued run still runs', async () => {
    const { events, gates, task, failNext, succeed } = recorder();
    const line = inLine(task);
    failNext();
    const failing = line.run();
    const next = line.run();
    gates[0]!();
    await expect(failing).rejects.toThrow('run 1 failed');
    succeed();
    await settle();
    gates[1]!();
    await expect(next).resolves.toBeUndefined();
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
    expect(line.busy).toBe(false);
  });
});
