import * as v from 'valibot';
import { getAddress, isAddress, parseEther, type Address } from 'viem';
import { OutpostError } from '../errors.js';
import { formatIotx } from '../wallet/amount.js';

/**
 * Reminders (issue 17, Rewards): what brings a person back to the app, each one switchable.
 * Pure: the app and the service worker hand in the settings, the last facts read from the chain
 * and the devices, and the time; they get back what is due now. Time-based conditions need no
 * network, so the service worker can evaluate them from the stored facts alone.
 */
export type ReminderSettings = {
  /** Rewards claimable at or above `thresholdWei`. */
  claimable: { on: boolean; thresholdWei: bigint };
  /** A staking bucket can be withdrawn, or a restaking freeze is over. */
  withdrawable: { on: boolean };
  /** A device's readings have not been synced for `hours` hours. */
  silentDevice: { on: boolean; hours: number };
};

export type ReminderFacts = {
  account: Address;
  chainId: number;
  /** Wall-clock unix seconds when the facts were gathered. */
  at: number;
  /**
   * The chain's time (latest block, unix s) when the facts were gathered, when it was read. A devnet's
   * clock can run ahead of the wall clock (evm_increaseTime); `withdrawableAt` is chain time, so it is
   * compared with `now` moved by the same difference. Absent: chain time is taken as wall time.
   */
  chainAt?: number;
  /** What can be claimed now (reported by the Rewards screen); null when not known. */
  claimableWei: bigint | null;
  /** When each unstaked bucket (or bucket unstaking from restaking) can be withdrawn, in chain time (unix s). */
  withdrawableAt: { label: string; at: number }[];
  /** My devices; `lastSyncedAt` in unix seconds, null for a device never synced. */
  devices: { address: Address; name: string; lastSyncedAt: number | null }[];
};

export type ReminderKind = 'claimable' | 'withdrawable' | 'silentDevice';

export type Reminder = {
  kind: ReminderKind;
  /** Stable for one condition, so it is notified once (also the notification's tag). */
  key: string;
  title: string;
  body: string;
  /** Hash route the notification opens. */
  url: string;
};

export const ONE_IOTX = 10n ** 18n;
export const DEFAULT_SILENT_HOURS = 24;
/** Longest silence one can ask about: 30 days. */
const MAX_SILENT_HOURS = 720;

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = {
  claimable: { on: false, thresholdWei: ONE_IOTX },
  withdrawable: { on: false },
  silentDevice: { on: false, hours: DEFAULT_SILENT_HOURS },
};

export class ReminderError extends OutpostError {
  override name = 'ReminderError';
}

/** Every reminder due at `now` (wall-clock unix seconds), in a fixed order: claimable, withdrawable, silent devices. */
export function dueReminders(settings: ReminderSettings, facts: ReminderFacts, now: number): Reminder[] {
  const scope = `${facts.chainId}:${facts.account.toLowerCase()}`;
  const due: Reminder[] = [];
  if (settings.claimable.on && facts.claimableWei !== null && facts.claimableWei >= settings.claimable.thresholdWei) {
    due.push({
      kind: 'claimable',
      key: `claimable:${scope}`,
      title: 'Rewards to claim',
      body: `${formatIotx(facts.claimableWei)} IOTX can be claimed (your reminder is set at ${formatIotx(settings.claimable.thresholdWei)} IOTX).`,
      url: '#/rewards',
    });
  }
  if (settings.withdrawable.on) {
    const chainNow = now + (facts.chainAt === undefined ? 0 : facts.chainAt - facts.at);
    for (const entry of facts.withdrawableAt) {
      if (entry.at > chainNow) continue;
      due.push({
        kind: 'withdrawable',
        key: `withdrawable:${scope}:${entry.label}:${entry.at}`,
        title: 'Ready to withdraw',
        body: `${entry.label} can be withdrawn now.`,
        url: '#/staking',
      });
    }
  }
  if (settings.silentDevice.on) {
    const silence = settings.silentDevice.hours * 3600;
    for (const device of facts.devices) {
      // A device never synced has nothing to fall silent from.
      if (device.lastSyncedAt === null || now - device.lastSyncedAt < silence) continue;
      const hours = Math.floor((now - device.lastSyncedAt) / 3600);
      due.push({
        kind: 'silentDevice',
        key: `silent:${scope}:${device.address.toLowerCase()}:${device.lastSyncedAt}`,
        title: 'A device is silent',
        body: `${device.name}: no readings synced for ${hours} hours.`,
        url: `#/devices/device/${device.address}`,
      });
    }
  }
  return due;
}

/** The times a bucket list shows as "withdraw at", as reminder facts (chain time, unix s). */
export function withdrawableTimes(
  buckets: readonly { id: bigint; view: { withdrawAt: bigint | null } }[],
  restaked: readonly { id: bigint; restake: { withdrawAt: bigint | null } }[],
): ReminderFacts['withdrawableAt'] {
  return [
    ...buckets.filter((bucket) => bucket.view.withdrawAt !== null).map((bucket) => ({ label: `Bucket #${bucket.id}`, at: Number(bucket.view.withdrawAt) })),
    ...restaked.filter((bucket) => bucket.restake.withdrawAt !== null).map((bucket) => ({ label: `Restaked bucket #${bucket.id}`, at: Number(bucket.restake.withdrawAt) })),
  ];
}

/** My devices as reminder facts: `lastSyncedAt` is kept in milliseconds there, seconds here. */
export function deviceFacts(devices: readonly { address: Address; name: string; lastSyncedAt: number | null }[]): ReminderFacts['devices'] {
  return devices.map((device) => ({
    address: device.address,
    name: device.name,
    lastSyncedAt: device.lastSyncedAt === null ? null : Math.floor(device.lastSyncedAt / 1000),
  }));
}

/** The threshold as the form shows it, every decimal kept (a threshold of 0.0000001 IOTX must not read as 0). */
export function thresholdText(wei: bigint): string {
  return formatIotx(wei, 18);
}

/** The threshold as typed, in IOTX ("2.5"), to wei: a named error for anything that is not a positive amount. */
export function parseThreshold(input: string): bigint {
  const text = input.trim();
  if (text === '') throw new ReminderError('reminders.threshold_empty', 'Enter an amount in IOTX.', { hint: 'For example 1 or 0.5.' });
  if (!/^\d*\.?\d+$|^\d+\.$/.test(text)) {
    throw new ReminderError('reminders.threshold_invalid', `"${text}" is not an amount of IOTX.`, { hint: 'Use digits and at most one decimal point, for example 2.5.' });
  }
  if ((text.split('.')[1] ?? '').length > 18) {
    throw new ReminderError('reminders.threshold_invalid', 'IOTX has 18 decimal places; this amount has more.', { hint: 'Use fewer decimals.' });
  }
  const wei = parseEther(text);
  if (wei === 0n) throw new ReminderError('reminders.threshold_invalid', 'The amount must be more than zero.', { hint: 'A reminder at 0 IOTX would fire for any reward; use at least a little, for example 0.1.' });
  return wei;
}

/** Hours of silence as typed: a whole number from 1 to 720 (30 days). */
export function parseSilentHours(input: string): number {
  const text = input.trim();
  const hours = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_SILENT_HOURS) {
    throw new ReminderError('reminders.hours_invalid', `"${text}" is not a number of hours from 1 to ${MAX_SILENT_HOURS}.`, { hint: 'Use whole hours, for example 24 for a day.' });
  }
  return hours;
}

const AddressSchema = v.pipe(
  v.string(),
  v.check((value) => isAddress(value, { strict: false })),
  v.transform((value) => getAddress(value)),
);
const UnixSeconds = v.pipe(v.number(), v.integer(), v.minValue(0));

const SettingsSchema = v.object({
  claimable: v.object({ on: v.boolean(), thresholdWei: v.pipe(v.bigint(), v.minValue(1n)) }),
  withdrawable: v.object({ on: v.boolean() }),
  silentDevice: v.object({ on: v.boolean(), hours: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_SILENT_HOURS)) }),
});

const FactsSchema = v.object({
  account: AddressSchema,
  chainId: v.pipe(v.number(), v.integer(), v.minValue(1)),
  at: UnixSeconds,
  chainAt: v.optional(UnixSeconds),
  claimableWei: v.nullable(v.pipe(v.bigint(), v.minValue(0n))),
  withdrawableAt: v.array(v.object({ label: v.pipe(v.string(), v.maxLength(80)), at: UnixSeconds })),
  devices: v.array(v.object({ address: AddressSchema, name: v.pipe(v.string(), v.maxLength(80)), lastSyncedAt: v.nullable(UnixSeconds) })),
});

/** Settings read back from storage, validated; a damaged record (or one from a future version) is a named error. */
export function parseReminderSettings(value: unknown): ReminderSettings {
  const result = v.safeParse(SettingsSchema, value);
  if (result.success) return result.output;
  throw new ReminderError('reminders.settings_invalid', 'The saved reminder settings could not be read.', {
    details: v.summarize(result.issues),
    hint: 'Switch your reminders on again: that saves fresh settings.',
  });
}

/** Facts read back from storage, validated, as parseReminderSettings. */
export function parseReminderFacts(value: unknown): ReminderFacts {
  const result = v.safeParse(FactsSchema, value);
  if (result.success) {
    const { chainAt, ...facts } = result.output;
    return chainAt === undefined ? facts : { ...facts, chainAt };
  }
  throw new ReminderError('reminders.facts_invalid', 'The saved facts for reminders could not be read.', {
    details: v.summarize(result.issues),
    hint: 'Open the app once online: it reads them again.',
  });
}
