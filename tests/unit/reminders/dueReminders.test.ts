/**
 * The reminder rules (src/core/reminders): each fires only when its condition holds ("not before"),
 * keys are stable per condition, settings and facts read back from storage are validated, and the
 * inputs people type are checked with named errors.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REMINDER_SETTINGS,
  deviceFacts,
  dueReminders,
  parseReminderFacts,
  parseReminderSettings,
  parseSilentHours,
  parseThreshold,
  withdrawableTimes,
  type ReminderFacts,
  type ReminderSettings,
} from '../../../src/core/reminders/reminders.js';

const ACCOUNT = '0x1111111111111111111111111111111111111111';
const DEVICE = '0x2222222222222222222222222222222222222222';
const NOW = 1_800_000_000;
const IOTX = 1_000_000_000_000_000_000n;

const allOn: ReminderSettings = { claimable: { on: true, thresholdWei: 5n * IOTX }, withdrawable: { on: true }, silentDevice: { on: true, hours: 4 } };

function facts(overrides: Partial<ReminderFacts> = {}): ReminderFacts {
  return { account: ACCOUNT, chainId: 31337, at: NOW - 60, claimableWei: null, withdrawableAt: [], devices: [], ...overrides };
}

describe('dueReminders', () => {
  it('defaults are all off, 1 IOTX and 24 hours, and nothing is due with them', () => {
    expect(DEFAULT_REMINDER_SETTINGS).toEqual({ claimable: { on: false, thresholdWei: IOTX }, withdrawable: { on: false }, silentDevice: { on: false, hours: 24 } });
    const everything = facts({ claimableWei: 100n * IOTX, withdrawableAt: [{ label: 'Bucket #1', at: NOW - 10 }], devices: [{ address: DEVICE, name: 'Roof', lastSyncedAt: NOW - 100 * 3600 }] });
    expect(dueReminders(DEFAULT_REMINDER_SETTINGS, everything, NOW)).toEqual([]);
  });

  it('claimable fires at the threshold and above, not below, not when unknown', () => {
    expect(dueReminders(allOn, facts({ claimableWei: 5n * IOTX - 1n }), NOW)).toEqual([]);
    expect(dueReminders(allOn, facts({ claimableWei: null }), NOW)).toEqual([]);
    expect(dueReminders(allOn, facts({ claimableWei: 5n * IOTX }), NOW)).toEqual([
      { kind: 'claimable', key: 'claimable:31337:0x1111111111111111111111111111111111111111', title: 'Rewards to claim', body: '5 IOTX can be claimed (your reminder is set at 5 IOTX).', url: '#/rewards' },
    ]);
  });

  it('withdrawable fires from its time on, not a second before', () => {
    const entry = { label: 'Bucket #7', at: NOW };
    expect(dueReminders(allOn, facts({ withdrawableAt: [entry] }), NOW - 1)).toEqual([]);
    expect(dueReminders(allOn, facts({ withdrawableAt: [entry] }), NOW)).toEqual([
      { kind: 'withdrawable', key: `withdrawable:31337:0x1111111111111111111111111111111111111111:Bucket #7:${NOW}`, title: 'Ready to withdraw', body: 'Bucket #7 can be withdrawn now.', url: '#/staking' },
    ]);
  });

  it('withdrawable compares chain time: a chain clock 1000 s ahead makes a time 1000 s away due now', () => {
    const ahead = facts({ at: NOW - 60, chainAt: NOW - 60 + 1000, withdrawableAt: [{ label: 'Bucket #2', at: NOW + 1000 }] });
    expect(dueReminders(allOn, ahead, NOW).map((reminder) => reminder.kind)).toEqual(['withdrawable']);
    expect(dueReminders(allOn, { ...ahead, chainAt: NOW - 60 }, NOW)).toEqual([]);
  });

  it('a device is silent after N hours without a sync, not before, and never if never synced', () => {
    const fiveHoursAgo = NOW - 5 * 3600;
    const device = { address: DEVICE, name: 'Roof sensor', lastSyncedAt: fiveHoursAgo } as const;
    expect(dueReminders({ ...allOn, silentDevice: { on: true, hours: 6 } }, facts({ devices: [device] }), NOW)).toEqual([]);
    expect(dueReminders({ ...allOn, silentDevice: { on: true, hours: 4 } }, facts({ devices: [device] }), NOW)).toEqual([
      {
        kind: 'silentDevice',
        key: `silent:31337:0x1111111111111111111111111111111111111111:0x2222222222222222222222222222222222222222:${fiveHoursAgo}`,
        title: 'A device is silent',
        body: 'Roof sensor: no readings synced for 5 hours.',
        url: '#/devices/device/0x2222222222222222222222222222222222222222',
      },
    ]);
    expect(dueReminders({ ...allOn, silentDevice: { on: true, hours: 5 } }, facts({ devices: [device] }), NOW)).toHaveLength(1);
    expect(dueReminders(allOn, facts({ devices: [{ ...device, lastSyncedAt: null }] }), NOW)).toEqual([]);
  });

  it('a switch that is off silences its condition only', () => {
    const all = facts({ claimableWei: 9n * IOTX, withdrawableAt: [{ label: 'Bucket #1', at: NOW - 1 }], devices: [{ address: DEVICE, name: 'd', lastSyncedAt: NOW - 9 * 3600 }] });
    expect(dueReminders(allOn, all, NOW).map((reminder) => reminder.kind)).toEqual(['claimable', 'withdrawable', 'silentDevice']);
    expect(dueReminders({ ...allOn, withdrawable: { on: false } }, all, NOW).map((reminder) => reminder.kind)).toEqual(['claimable', 'silentDevice']);
  });
});

describe('facts from the app’s reads', () => {
  it('takes withdraw times from bucket views and restaked buckets, skipping those without one', () => {
    const buckets = [
      { id: 1n, view: { withdrawAt: null } },
      { id: 2n, view: { withdrawAt: 1_700_000_000n } },
    ];
    const restaked = [
      { id: 3n, restake: { withdrawAt: 1_700_000_500n } },
      { id: 4n, restake: { withdrawAt: null } },
    ];
    expect(withdrawableTimes(buckets, restaked)).toEqual([
      { label: 'Bucket #2', at: 1_700_000_000 },
      { label: 'Restaked bucket #3', at: 1_700_000_500 },
    ]);
  });

  it('turns My devices’ milliseconds into seconds', () => {
    expect(deviceFacts([{ address: DEVICE, name: 'a', lastSyncedAt: 1_700_000_000_999 }, { address: DEVICE, name: 'b', lastSyncedAt: null }])).toEqual([
      { address: DEVICE, name: 'a', lastSyncedAt: 1_700_000_000 },
      { address: DEVICE, name: 'b', lastSyncedAt: null },
    ]);
  });
});

describe('inputs', () => {
  it('reads a threshold in IOTX', () => {
    expect(parseThreshold(' 2.5 ')).toBe(2_500_000_000_000_000_000n);
    expect(parseThreshold('0.000000000000000001')).toBe(1n);
    expect(parseThreshold('10')).toBe(10n * IOTX);
  });

  it.each([
    ['', 'reminders.threshold_empty'],
    ['abc', 'reminders.threshold_invalid'],
    ['-1', 'reminders.threshold_invalid'],
    ['1.2.3', 'reminders.threshold_invalid'],
    ['0', 'reminders.threshold_invalid'],
    ['0.0000000000000000001', 'reminders.threshold_invalid'],
  ])('refuses the threshold %j with %s', (input, code) => {
    expect(() => parseThreshold(input)).toThrow(expect.objectContaining({ code }));
  });

  it('reads whole hours from 1 to 720', () => {
    expect(parseSilentHours('4')).toBe(4);
    expect(parseSilentHours(' 720 ')).toBe(720);
    for (const bad of ['0', '721', '1.5', '', 'x', '-3']) expect(() => parseSilentHours(bad)).toThrow(expect.objectContaining({ code: 'reminders.hours_invalid' }));
  });
});

describe('records read back', () => {
  it('accepts valid settings and refuses damaged ones by name', () => {
    expect(parseReminderSettings(allOn)).toEqual(allOn);
    expect(() => parseReminderSettings({ ...allOn, claimable: { on: true, thresholdWei: '5' } })).toThrow(expect.objectContaining({ code: 'reminders.settings_invalid' }));
    expect(() => parseReminderSettings({ ...allOn, silentDevice: { on: true, hours: 0 } })).toThrow(expect.objectContaining({ code: 'reminders.settings_invalid' }));
    expect(() => parseReminderSettings(null)).toThrow(expect.objectContaining({ code: 'reminders.settings_invalid' }));
  });

  it('accepts valid facts (addresses checksummed) and refuses damaged ones by name', () => {
    const stored = facts({ account: '0xabcdefabcdefabcdefabcdefabcdefabcdefabcd', claimableWei: 3n });
    expect(parseReminderFacts(stored)).toEqual({ ...stored, account: '0xABcdEFABcdEFabcdEfAbCdefabcdeFABcDEFabCD' });
    expect(() => parseReminderFacts({ ...stored, account: '0x12' })).toThrow(expect.objectContaining({ code: 'reminders.facts_invalid' }));
    expect(() => parseReminderFacts({ ...stored, devices: [{ address: DEVICE, name: 'x', lastSyncedAt: -1 }] })).toThrow(expect.objectContaining({ code: 'reminders.facts_invalid' }));
  });
});
