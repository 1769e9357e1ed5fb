import type { BucketFields, BucketView } from '../../../core/staking/bucketState.js';

/** One bar of the timeline: the duration running, or the unstake freeze; `projected` if it only happens once the person acts. */
type TimelineSegment = { kind: 'duration' | 'freeze'; from: bigint; to: bigint; projected: boolean };
export type TimelineRow = { id: bigint; segments: TimelineSegment[]; ready: 'unstake' | 'withdraw' | null };

/**
 * Each bucket's path from now to withdrawable, in chain seconds: the duration (from the unlock, or
 * from now if unlocked now) and then the freeze (from the unstake, or from when it could be
 * unstaked). What waits on the person (unlock, unstake) is projected, drawn dashed.
 */
export function timelineRows(buckets: readonly { id: bigint; fields: BucketFields; view: BucketView }[], now: bigint): TimelineRow[] {
  return buckets.map(({ id, fields, view }) => {
    const withdraw = view.actions.withdraw;
    const withdrawAt = view.withdrawAt ?? (!withdraw.allowed ? withdraw.possibleAt : null);
    switch (view.status) {
      case 'locked': {
        const unstakeAt = now + fields.duration;
        return { id, ready: null, segments: [seg('duration', now, unstakeAt, true), ...(withdrawAt ? [seg('freeze', unstakeAt, withdrawAt, true)] : [])] };
      }
      case 'unlocking':
      case 'unstakeable': {
        const start = view.unlockedAt ?? now;
        const unstakeAt = view.unstakeAt ?? now;
        const freezeFrom = unstakeAt > now ? unstakeAt : now;
        return {
          id,
          ready: view.status === 'unstakeable' ? 'unstake' : null,
          segments: [seg('duration', start, unstakeAt, false), ...(withdrawAt ? [seg('freeze', freezeFrom, withdrawAt, true)] : [])],
        };
      }
      case 'unstaked':
      case 'withdrawable':
        return {
          id,
          ready: view.status === 'withdrawable' ? 'withdraw' : null,
          segments: view.unstakedAt !== null && view.withdrawAt !== null ? [seg('freeze', view.unstakedAt, view.withdrawAt, false)] : [],
        };
    }
  });
}

function seg(kind: TimelineSegment['kind'], from: bigint, to: bigint, projected: boolean): TimelineSegment {
  return { kind, from, to: to > from ? to : from, projected };
}

/** The span the chart shows: every segment and now, with a day of room after the last. */
export function timelineSpan(rows: readonly TimelineRow[], now: bigint): { start: bigint; end: bigint } {
  let start = now;
  let end = now;
  for (const row of rows) {
    for (const segment of row.segments) {
      if (segment.from < start) start = segment.from;
      if (segment.to > end) end = segment.to;
    }
  }
  return { start, end: end + 86_400n };
}
