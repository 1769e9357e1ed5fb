/** The support matrix in words (src/app/sections/rewards/reminders/supportLines.ts): what works, what does not, and why. */
import { describe, expect, it } from 'vitest';
import { supportLines } from '../../../src/app/sections/rewards/reminders/supportLines.js';

const everything = { serviceWorker: true, notifications: true, periodicSync: true, appBadge: true };

describe('supportLines', () => {
  it('says everything works when it does', () => {
    expect(supportLines(everything, 'granted', 'registered').map((line) => [line.feature, line.works])).toEqual([
      ['notifications', true],
      ['background', true],
      ['appBadge', true],
    ]);
  });

  it('names the reason for each thing that does not work', () => {
    const lines = supportLines({ ...everything, appBadge: false }, 'denied', 'not-permitted');
    expect(lines.map((line) => line.works)).toEqual([false, false, false]);
    expect(lines[0]!.text).toContain('blocked for this site');
    expect(lines[1]!.text).toContain('installed app');
    expect(lines[2]!.text).toBe('A count on the app icon: not in this browser.');
  });

  it('a browser without a service worker has neither notifications nor background checks', () => {
    const lines = supportLines({ ...everything, serviceWorker: false }, 'granted', 'unknown');
    expect(lines.slice(0, 2).map((line) => line.text)).toEqual([
      'System notifications: not in this browser.',
      'Checks with the app closed: not in this browser; reminders are checked while the app is open.',
    ]);
  });
});
