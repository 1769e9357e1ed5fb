import type { ActionAvailability, BucketStatus, BucketView } from '../../../core/staking/bucketState.js';
import { formatDateTime, type TimeFormatOptions } from '../../../core/humanTime.js';

/**
 * What the staking screens say about times and states, worked out of the chain time and a bucket's
 * view (src/core/staking/bucketState.ts). Pure, so the words are tested without a screen.
 */

const DAY = 86_400n;

/** A chain timestamp (seconds) as people read it: "12 Dec 2026, 14:03". */
export function chainDate(seconds: bigint, options: TimeFormatOptions = {}): string {
  return formatDateTime(Number(seconds) * 1000, options) ?? '';
}

/** "30 days", "1 day", or days and hours for a duration that is not whole days. */
export function durationWords(seconds: bigint): string {
  if (seconds % DAY === 0n) {
    const days = seconds / DAY;
    return `${days.toLocaleString('en-US')} day${days === 1n ? '' : 's'}`;
  }
  return countdownWords(seconds);
}

/** "2 d 03 h 04 min 05 s", down to "5 s"; for the live countdowns. */
export function countdownWords(seconds: bigint): string {
  if (seconds <= 0n) return '0 s';
  const days = seconds / DAY;
  const hours = (seconds % DAY) / 3600n;
  const minutes = (seconds % 3600n) / 60n;
  const secs = seconds % 60n;
  const pad = (value: bigint) => value.toString().padStart(2, '0');
  if (days > 0n) return `${days} d ${pad(hours)} h ${pad(minutes)} min ${pad(secs)} s`;
  if (hours > 0n) return `${hours} h ${pad(minutes)} min ${pad(secs)} s`;
  if (minutes > 0n) return `${minutes} min ${pad(secs)} s`;
  return `${secs} s`;
}

/** A time relative to the chain's now: "in 2 d 03 h …", or "now" once it has come. */
export function untilWords(at: bigint, now: bigint): string {
  return at > now ? `in ${countdownWords(at - now)}` : 'now';
}

const STATUS_WORDS: Record<BucketStatus, string> = {
  locked: 'Locked',
  unlocking: 'Unlocking',
  unstakeable: 'Unstakeable',
  unstaked: 'Unstaked (in the freeze)',
  withdrawable: 'Withdrawable',
};

export function statusWords(status: BucketStatus): string {
  return STATUS_WORDS[status];
}

/** The next exact time that matters for a bucket, with its live countdown; null when nothing waits on time. */
export function nextTime(view: BucketView, now: bigint): { label: string; at: bigint; date: string; until: string } | null {
  const make = (label: string, at: bigint) => ({ label, at, date: chainDate(at), until: untilWords(at, now) });
  switch (view.status) {
    case 'unlocking':
      return view.unstakeAt === null ? null : make('Can be unstaked', view.unstakeAt);
    case 'unstaked':
      return view.withdrawAt === null ? null : make('Can be withdrawn', view.withdrawAt);
    default:
      return null;
  }
}

/** For a locked bucket: the duration only starts counting once unlocked. */
export function lockedNote(view: BucketView, duration: bigint): string | null {
  return view.status === 'locked' ? `Its ${durationWords(duration)} start counting once you unlock it.` : null;
}

/** Why an action is greyed out and when it becomes possible: "… Possible from 12 Dec 2026, 14:03 (in 2 d …), after you unlock it." */
export function refusalWords(availability: ActionAvailability, now: bigint, options: TimeFormatOptions = {}): { reason: string; when: string | null } | null {
  if (availability.allowed) return null;
  if (availability.possibleAt === null) return { reason: availability.reason, when: null };
  const after = availability.after ? `, if you ${actionVerb(availability.after)} it now` : '';
  return { reason: availability.reason, when: `Possible from ${chainDate(availability.possibleAt, options)} (${untilWords(availability.possibleAt, now)})${after}.` };
}

/** The verb for "…, if you <verb> it now": every action's own name but changeDelegate's. */
const actionVerb = (action: string) => (action === 'changeDelegate' ? 'change the delegate of' : action);

/** "Scanning blocks 12,000 of 48,000" from the scan's progress. */
export function scanWords(progress: { blocksDone: bigint; blocksTotal: bigint }): string {
  return `Scanning blocks ${progress.blocksDone.toLocaleString('en-US')} of ${progress.blocksTotal.toLocaleString('en-US')}`;
}
