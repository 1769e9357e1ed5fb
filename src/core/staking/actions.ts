import { encodeFunctionData, getAbiItem, getAddress, maxUint256, zeroAddress, type Address, type PublicClient } from 'viem';
import { systemStakingAbi } from '../abis/index.js';
import { OutpostError } from '../errors.js';
import { formatDateTime } from '../humanTime.js';
import type { JobCall, JobRecord, JobSpec, StepSpec } from '../jobs/index.js';
import { findRevert } from '../reverts/index.js';
import { formatIotx } from '../wallet/amount.js';
import { mergeCheck, type BlockedBy, type BucketAction, type BucketFields, type BucketView } from './bucketState.js';

export { votingPower } from './votingPower.js';

/**
 * The staking actions (issue 16) as transaction jobs (docs/jobs.md, docs/staking.md "Actions"):
 * one user action is one job, and every step is decided from the chain. A step covering several
 * buckets is ONE call with V3's array overload (`unlock(uint256[])`, `unstake(uint256[])`,
 * `withdraw(uint256[],address)`, `lock(uint256[],uint256)`, `changeDelegates(uint256[],address)`)
 * built from what is still to do, so a resume sends only the rest; its `landed` is "all done".
 * Every call and read uses IoTeX's part of the ABI (`systemStakingAbi`) only.
 */

export type StakingJobContext = { account: Address; chainId: number; systemStaking: Address };

export type StakingAction =
  | { kind: 'stake'; amount: bigint; durationDays: number; delegate: Address; locked: boolean }
  | { kind: 'unlock'; ids: bigint[] }
  | { kind: 'lock'; ids: bigint[]; durationDays: number }
  | { kind: 'unstake'; ids: bigint[] }
  | { kind: 'withdraw'; ids: bigint[]; recipient: Address }
  | { kind: 'merge'; ids: bigint[]; durationDays: number; addAmount: bigint }
  | { kind: 'expand'; id: bigint; durationDays: number; addAmount: bigint }
  | { kind: 'changeDelegate'; ids: bigint[]; delegate: Address }
  | { kind: 'transfer'; id: bigint; to: Address };

export const STAKING_JOB_KIND = 'staking';

const DAY = 86_400n;
/** V3's MAX_DURATION: 3 × 365 days. */
const MAX_DURATION_DAYS = 1_095;
/** IoTeX's API nodes answer log queries of at most 1,000 blocks by default (docs/staking.md). */
const LOG_PAGE_BLOCKS = 1_000n;

// ─── params: the action as plain data ──────────────────────────────────────

/** Each action's fields and how they are stored (bigints as decimal strings, addresses checksummed). */
const FIELDS = {
  stake: { amount: 'wei', durationDays: 'days', delegate: 'address', locked: 'boolean' },
  unlock: { ids: 'ids' },
  lock: { ids: 'ids', durationDays: 'days' },
  unstake: { ids: 'ids' },
  withdraw: { ids: 'ids', recipient: 'address' },
  merge: { ids: 'ids', durationDays: 'days', addAmount: 'wei' },
  expand: { id: 'id', durationDays: 'days', addAmount: 'wei' },
  changeDelegate: { ids: 'ids', delegate: 'address' },
  transfer: { id: 'id', to: 'address' },
} as const satisfies Record<StakingAction['kind'], Record<string, FieldType>>;
type FieldType = 'wei' | 'id' | 'ids' | 'days' | 'address' | 'boolean';

type PlainValue = string | string[] | number | boolean;
/** The action as stored in the job record: no bigint. */
type PlainStakingAction = { kind: StakingAction['kind'] } & Record<string, PlainValue>;
export type StakingJobParams = { systemStaking: Address; startBlock: string; action: PlainStakingAction };

function toPlainValue(type: FieldType, value: unknown): PlainValue {
  switch (type) {
    case 'wei':
    case 'id':
      return (value as bigint).toString();
    case 'ids':
      return (value as bigint[]).map(String);
    case 'address':
      return getAddress(value as string);
    default:
      return value as number | boolean;
  }
}

const DECIMAL = /^\d{1,78}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

function fromPlainValue(type: FieldType, value: unknown): unknown {
  const decimal = (text: unknown) => {
    if (typeof text !== 'string' || !DECIMAL.test(text)) throw new Error(`not a decimal string: ${String(text)}`);
    return BigInt(text);
  };
  switch (type) {
    case 'wei':
    case 'id':
      return decimal(value);
    case 'ids':
      if (!Array.isArray(value)) throw new Error('ids is not a list');
      return value.map(decimal);
    case 'days':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error(`not a whole number of days: ${String(value)}`);
      return value;
    case 'address':
      if (typeof value !== 'string' || !ADDRESS.test(value)) throw new Error(`not an address: ${String(value)}`);
      return getAddress(value);
    case 'boolean':
      if (typeof value !== 'boolean') throw new Error(`not true/false: ${String(value)}`);
      return value;
  }
}

function toPlainAction(action: StakingAction): PlainStakingAction {
  const plain: PlainStakingAction = { kind: action.kind };
  for (const [name, type] of Object.entries(FIELDS[action.kind]) as [string, FieldType][]) plain[name] = toPlainValue(type, (action as Record<string, unknown>)[name]);
  return plain;
}

function fromPlainAction(plain: unknown): StakingAction {
  const kind = (plain as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string' || !(kind in FIELDS)) throw new Error(`unknown staking action ${String(kind)}`);
  const action: Record<string, unknown> = { kind };
  for (const [name, type] of Object.entries(FIELDS[kind as StakingAction['kind']]) as [string, FieldType][]) {
    action[name] = fromPlainValue(type, (plain as Record<string, unknown>)[name]);
  }
  return action as StakingAction;
}

// ─── words ─────────────────────────────────────────────────────────────────

const shortAddress = (address: Address) => {
  const checksummed = getAddress(address);
  return `${checksummed.slice(0, 6)}…${checksummed.slice(-4)}`;
};
const iotx = (wei: bigint) => `${formatIotx(wei)} IOTX`;
const daysText = (days: number) => (days === 1 ? '1 day' : `${days} days`);
const idList = (ids: readonly bigint[]) => ids.map((id) => `#${id}`).join(', ');
/** "bucket #3" / "buckets #3, #5". */
const bucketsText = (ids: readonly bigint[]) => `${ids.length === 1 ? 'bucket' : 'buckets'} ${idList(ids)}`;
const adding = (amount: bigint) => (amount > 0n ? `, adding ${iotx(amount)}` : '');

/** The job's title and its steps' labels, in plain words with the bucket ids. */
function stakingActionWords(action: StakingAction): { title: string; steps: string[] } {
  switch (action.kind) {
    case 'stake': {
      const title = `Stake ${iotx(action.amount)} for ${daysText(action.durationDays)} with ${shortAddress(action.delegate)}`;
      return { title, steps: action.locked ? ['Stake'] : ['Stake', 'Start the countdown (unlock)'] };
    }
    case 'unlock':
      return one(`Unlock ${bucketsText(action.ids)}`);
    case 'lock':
      return one(`Lock ${bucketsText(action.ids)} for ${daysText(action.durationDays)}`);
    case 'unstake':
      return one(`Unstake ${bucketsText(action.ids)}`);
    case 'withdraw': {
      const to = shortAddress(action.recipient);
      const title = action.ids.length === 1 ? `Withdraw bucket #${action.ids[0]} to ${to}` : `Withdraw ${action.ids.length} buckets to ${to}`;
      return { title, steps: [`Withdraw ${bucketsText(action.ids)} to ${to}`] };
    }
    case 'merge':
      return one(`Merge ${bucketsText(action.ids)} into #${action.ids[0]} for ${daysText(action.durationDays)}${adding(action.addAmount)}`);
    case 'expand':
      return one(`Expand bucket #${action.id} to ${daysText(action.durationDays)}${adding(action.addAmount)}`);
    case 'changeDelegate':
      return one(`Change the delegate of ${bucketsText(action.ids)} to ${shortAddress(action.delegate)}`);
    case 'transfer':
      return one(`Send bucket #${action.id} to ${shortAddress(action.to)}`);
  }
}
const one = (text: string) => ({ title: text, steps: [text] });

// ─── chain reads ───────────────────────────────────────────────────────────

type BucketRead = { fields: BucketFields | null; owner: Address | null };

/**
 * `bucketOf` and `ownerOf` of each id; null where the call reverts (the bucket was burned: withdrawn
 * or merged away). Through Multicall3 when the chain definition has it, one call for all; one read
 * per id otherwise. Errors that are not reverts (the network) are thrown.
 */
async function readBuckets(client: PublicClient, contract: Address, ids: readonly bigint[]): Promise<BucketRead[]> {
  const staking = { address: contract, abi: systemStakingAbi } as const;
  const multicallAddress = client.chain?.contracts?.multicall3?.address;
  if (multicallAddress && ids.length > 0) {
    const results = await client.multicall({
      contracts: ids.flatMap((id) => [{ ...staking, functionName: 'bucketOf', args: [id] } as const, { ...staking, functionName: 'ownerOf', args: [id] } as const]),
      allowFailure: true,
      multicallAddress,
    });
    return ids.map((_, index) => {
      const fields = results[index * 2];
      const owner = results[index * 2 + 1];
      return {
        fields: fields?.status === 'success' ? (fields.result as BucketFields) : null,
        owner: owner?.status === 'success' ? (owner.result as Address) : null,
      };
    });
  }
  const orNullOnRevert = async <T>(read: Promise<T>): Promise<T | null> => {
    try {
      return await read;
    } catch (error) {
      if (findRevert(error)) return null;
      throw error;
    }
  };
  return Promise.all(
    ids.map(async (id) => ({
      fields: await orNullOnRevert(client.readContract({ ...staking, functionName: 'bucketOf', args: [id] }) as Promise<BucketFields>),
      owner: await orNullOnRevert(client.readContract({ ...staking, functionName: 'ownerOf', args: [id] })),
    })),
  );
}

const same = (a: string | null | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

type LogPosition = { blockNumber: bigint; logIndex: number };
const inChainOrder = <T extends LogPosition>(a: T, b: T) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1);

/**
 * Walks the blocks from `fromBlock` to the latest in pages IoTeX's nodes accept, and returns the
 * first non-null answer `page` gives for a page (its logs in chain order).
 */
async function firstInPages<T>(client: PublicClient, fromBlock: bigint, page: (from: bigint, to: bigint) => Promise<T | null>): Promise<T | null> {
  const latest = await client.getBlockNumber({ cacheTime: 0 });
  for (let start = fromBlock; start <= latest; start += LOG_PAGE_BLOCKS) {
    const end = start + LOG_PAGE_BLOCKS - 1n < latest ? start + LOG_PAGE_BLOCKS - 1n : latest;
    const found = await page(start, end);
    if (found !== null) return found;
  }
  return null;
}

const TRANSFER = getAbiItem({ abi: systemStakingAbi, name: 'Transfer' });
const STAKED = getAbiItem({ abi: systemStakingAbi, name: 'Staked' });
const BUCKET_EXPANDED = getAbiItem({ abi: systemStakingAbi, name: 'BucketExpanded' });

/**
 * The bucket a stake job minted: the first bucket (chain order) minted to the account (Transfer
 * from zero) after `startBlock` (the latest block when the job was made: whatever is in it happened
 * before the job could send anything) whose Staked event, in the same transaction, has the job's
 * amount, duration and delegate. Read from events, so it stays found whatever happens to the
 * bucket later. Limit: a second identical stake by the same account in that window (in another
 * app, or a second identical stake job started before this one landed) is indistinguishable; the
 * first one found is taken.
 */
async function findStakedBucket(client: PublicClient, ctx: StakingJobContext, action: Extract<StakingAction, { kind: 'stake' }>, startBlock: bigint): Promise<bigint | null> {
  const duration = BigInt(action.durationDays) * DAY;
  return firstInPages(client, startBlock + 1n, async (fromBlock, toBlock) => {
    const mints = await client.getLogs({ address: ctx.systemStaking, event: TRANSFER, args: { from: zeroAddress, to: ctx.account }, fromBlock, toBlock, strict: true });
    if (mints.length === 0) return null;
    const staked = await client.getLogs({ address: ctx.systemStaking, event: STAKED, args: { id: mints.map((log) => log.args.tokenId) }, fromBlock, toBlock, strict: true });
    const match = mints
      .filter((mint) =>
        staked.some(
          (log) =>
            log.transactionHash === mint.transactionHash &&
            log.args.id === mint.args.tokenId &&
            log.args.amount === action.amount &&
            log.args.duration === duration &&
            same(log.args.delegate, action.delegate),
        ),
      )
      .sort(inChainOrder)[0];
    return match ? match.args.tokenId : null;
  });
}

// ─── steps ─────────────────────────────────────────────────────────────────

const call = (ctx: StakingJobContext, data: `0x${string}`, value?: bigint): JobCall => ({
  to: ctx.systemStaking,
  data,
  abi: systemStakingAbi,
  ...(value !== undefined && value > 0n ? { value } : {}),
});

/**
 * One step over several buckets: `done` says from a bucket's reads whether its part is on-chain;
 * `landed` is every bucket done, `request` covers only the rest.
 */
function arrayStep(ctx: StakingJobContext, id: string, label: string, ids: readonly bigint[], done: (read: BucketRead) => boolean, encode: (remaining: bigint[]) => `0x${string}`): StepSpec {
  const remaining = async (client: PublicClient) => {
    const reads = await readBuckets(client, ctx.systemStaking, ids);
    return ids.filter((_, index) => !done(reads[index]!));
  };
  return {
    id,
    label,
    landed: async (client) => (await remaining(client)).length === 0,
    request: async (client) => {
      const left = await remaining(client);
      return call(ctx, encode(left.length > 0 ? left : [...ids]));
    },
  };
}

const isUnlocked = (fields: BucketFields) => fields.unlockedAt !== maxUint256;
const isUnstaked = (fields: BucketFields) => fields.unstakedAt !== maxUint256;

function stakeSteps(ctx: StakingJobContext, action: Extract<StakingAction, { kind: 'stake' }>, startBlock: bigint, labels: string[]): StepSpec[] {
  const duration = BigInt(action.durationDays) * DAY;
  const minted = (client: PublicClient) => findStakedBucket(client, ctx, action, startBlock);
  const stake: StepSpec = {
    id: 'stake',
    label: labels[0]!,
    landed: async (client) => (await minted(client)) !== null,
    request: () => call(ctx, encodeFunctionData({ abi: systemStakingAbi, functionName: 'stake', args: [duration, action.delegate] }), action.amount),
  };
  if (action.locked) return [stake];
  const unlock: StepSpec = {
    id: 'unlock',
    label: labels[1]!,
    landed: async (client) => {
      const id = await minted(client);
      if (id === null) return false;
      const [read] = await readBuckets(client, ctx.systemStaking, [id]);
      return read!.fields !== null && isUnlocked(read!.fields);
    },
    request: async (client) => {
      const id = await minted(client);
      if (id === null) {
        throw new OutpostError('staking.stake_not_found', 'The new bucket from step 1 was not found on the chain, so it cannot be unlocked yet.', {
          hint: 'Try again in a moment; if the stake never went through, cancel this job and stake again.',
        });
      }
      return call(ctx, encodeFunctionData({ abi: systemStakingAbi, functionName: 'unlock', args: [[id]] }));
    },
  };
  return [stake, unlock];
}

function actionSteps(ctx: StakingJobContext, action: StakingAction, startBlock: bigint, labels: string[]): StepSpec[] {
  const label = labels[0]!;
  const abi = systemStakingAbi;
  switch (action.kind) {
    case 'stake':
      return stakeSteps(ctx, action, startBlock, labels);
    case 'unlock':
      // Done once unlocked (an unstaked bucket was unlocked too).
      return [arrayStep(ctx, 'unlock', label, action.ids, ({ fields }) => fields !== null && isUnlocked(fields), (ids) => encodeFunctionData({ abi, functionName: 'unlock', args: [ids] }))];
    case 'lock': {
      const duration = BigInt(action.durationDays) * DAY;
      return [
        arrayStep(ctx, 'lock', label, action.ids, ({ fields }) => fields !== null && !isUnlocked(fields) && !isUnstaked(fields), (ids) => encodeFunctionData({ abi, functionName: 'lock', args: [ids, duration] })),
      ];
    }
    case 'unstake':
      return [arrayStep(ctx, 'unstake', label, action.ids, ({ fields }) => fields !== null && isUnstaked(fields), (ids) => encodeFunctionData({ abi, functionName: 'unstake', args: [ids] }))];
    case 'withdraw':
      // Done once burned: a bucket only gets here unstaked, and an unstaked bucket cannot be merged,
      // so its burn is its withdrawal.
      return [
        arrayStep(ctx, 'withdraw', label, action.ids, ({ fields, owner }) => fields === null && owner === null, (ids) => encodeFunctionData({ abi, functionName: 'withdraw', args: [ids, action.recipient] })),
      ];
    case 'changeDelegate':
      return [
        arrayStep(ctx, 'changeDelegate', label, action.ids, ({ fields }) => fields !== null && same(fields.delegate, action.delegate), (ids) =>
          encodeFunctionData({ abi, functionName: 'changeDelegates', args: [ids, action.delegate] }),
        ),
      ];
    case 'merge': {
      const duration = BigInt(action.durationDays) * DAY;
      const [target, ...merged] = action.ids;
      return [
        {
          id: 'merge',
          label,
          // V3's merge is atomic: it burns every other bucket and sets the first's duration (and
          // locks it) in one go. Landed = all the others burned and the first still there with a
          // duration at least the new one (≥, so a later expand does not undo it). The amount is not
          // compared: the record keeps the action, not the amounts before it.
          landed: async (client) => {
            const reads = await readBuckets(client, ctx.systemStaking, action.ids);
            const first = reads[0]?.fields ?? null;
            return first !== null && first.duration >= duration && reads.slice(1).every((read) => read.fields === null && read.owner === null);
          },
          request: () => call(ctx, encodeFunctionData({ abi, functionName: 'merge', args: [[target!, ...merged], duration] }), action.addAmount),
        },
      ];
    }
    case 'expand': {
      const duration = BigInt(action.durationDays) * DAY;
      return [
        {
          id: 'expand',
          label,
          // The contract's own record of it: a BucketExpanded event for this bucket with the new
          // duration, after the block that was the latest when the job was made (its amount is the new total, which the
          // job cannot know ahead). An expand changes nothing a later read could tell apart otherwise.
          landed: async (client) =>
            (await firstInPages(client, startBlock + 1n, async (fromBlock, toBlock) => {
              const logs = await client.getLogs({ address: ctx.systemStaking, event: BUCKET_EXPANDED, args: { id: action.id }, fromBlock, toBlock, strict: true });
              return logs.some((log) => log.args.duration === duration) ? true : null;
            })) === true,
          request: () => call(ctx, encodeFunctionData({ abi, functionName: 'expandBucket', args: [action.id, duration] }), action.addAmount),
        },
      ];
    }
    case 'transfer':
      return [
        {
          id: 'transfer',
          label,
          // The recipient holds it, or (if it has moved it on since) the Transfer to it is in the logs.
          landed: async (client) => {
            const [read] = await readBuckets(client, ctx.systemStaking, [action.id]);
            if (same(read!.owner, action.to)) return true;
            const sent = await firstInPages(client, startBlock + 1n, async (fromBlock, toBlock) => {
              const logs = await client.getLogs({ address: ctx.systemStaking, event: TRANSFER, args: { from: ctx.account, to: action.to, tokenId: action.id }, fromBlock, toBlock, strict: true });
              return logs.length > 0 ? true : null;
            });
            return sent === true;
          },
          // safeTransferFrom, not transferFrom: a contract without onERC721Received would hold the
          // bucket (and its IOTX) for good; safeTransferFrom makes the simulation revert instead, so
          // nothing is sent. To an ordinary account both are the same.
          request: () => call(ctx, encodeFunctionData({ abi, functionName: 'safeTransferFrom', args: [ctx.account, action.to, action.id] })),
        },
      ];
  }
}

// ─── jobs ──────────────────────────────────────────────────────────────────

/** Ids in a stable order (merge keeps the user's: its first bucket is the one kept). */
function normalised(action: StakingAction): StakingAction {
  if ('ids' in action && action.kind !== 'merge') return { ...action, ids: [...new Set(action.ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
  return action;
}

/**
 * A job for one user action (one or many buckets). `options.startBlock` is the latest block number
 * when the user asked (`client.getBlockNumber()`, or use `prepareStakingJob`), stored in the params:
 * - it is part of the id, so the same request finds the same job after a reload, while the same
 *   action asked again later (unlock after a lock, a second identical stake) is a new job instead of
 *   the first one's `done` record;
 * - a stake looks for the bucket it minted in the blocks after it (events), and so do expand and
 *   transfer: anything in that block or before happened before the job could send.
 * Required: without it the job cannot tell its own stake from an older one, so this throws.
 */
export function stakingJob(ctx: StakingJobContext, action: StakingAction, options?: { startBlock?: bigint }): JobSpec<StakingJobParams> {
  const startBlock = options?.startBlock;
  if (startBlock === undefined) throw new TypeError('stakingJob needs options.startBlock (the current block number): see prepareStakingJob.');
  const normal = normalised(action);
  const words = stakingActionWords(normal);
  const plain = toPlainAction(normal);
  const key = Object.keys(FIELDS[normal.kind])
    .map((name) => {
      const value = plain[name];
      return (Array.isArray(value) ? value.join('.') : String(value)).toLowerCase();
    })
    .join(':');
  return {
    id: `${STAKING_JOB_KIND}:${ctx.chainId}:${ctx.systemStaking.toLowerCase()}:${ctx.account.toLowerCase()}:${startBlock}:${normal.kind}:${key}`,
    kind: STAKING_JOB_KIND,
    title: words.title,
    account: ctx.account,
    chainId: ctx.chainId,
    params: { systemStaking: getAddress(ctx.systemStaking), startBlock: startBlock.toString(), action: plain },
    steps: actionSteps(ctx, normal, startBlock, words.steps),
  };
}

/** `stakingJob` with `startBlock` read from the chain now. */
export async function prepareStakingJob(client: PublicClient, ctx: StakingJobContext, action: StakingAction): Promise<JobSpec<StakingJobParams>> {
  return stakingJob(ctx, action, { startBlock: await client.getBlockNumber({ cacheTime: 0 }) });
}

/** Rebuilds the spec from a stored record (kind STAKING_JOB_KIND, params plain data): for JobsState.register. */
export function rebuildStakingJob(record: JobRecord): JobSpec<StakingJobParams> {
  try {
    if (record.kind !== STAKING_JOB_KIND) throw new Error(`kind ${record.kind}`);
    const params = record.params as Partial<StakingJobParams> | null;
    if (typeof params?.systemStaking !== 'string' || !ADDRESS.test(params.systemStaking)) throw new Error('no staking contract');
    if (typeof params.startBlock !== 'string' || !DECIMAL.test(params.startBlock)) throw new Error('no start block');
    const action = fromPlainAction(params.action);
    return stakingJob({ account: record.account, chainId: record.chainId, systemStaking: params.systemStaking }, action, { startBlock: BigInt(params.startBlock) });
  } catch (error) {
    throw new OutpostError('staking.job_params_invalid', `The stored staking job “${record.title}” cannot be read back.`, {
      hint: 'Cancel it and start the action again: what already happened on the chain is kept.',
      cause: error,
    });
  }
}

// ─── checks before a job is made ───────────────────────────────────────────

/** Refusals from bucketState's `blockedBy`, as registered error codes. */
const REFUSAL_CODES = {
  paused: 'staking.paused',
  not_owner: 'staking.not_owner',
  locked: 'staking.bucket_locked',
  already_locked: 'staking.already_locked',
  already_unlocked: 'staking.already_unlocked',
  duration_running: 'staking.duration_running',
  not_unstaked: 'staking.not_unstaked',
  frozen: 'staking.frozen',
  unstaked: 'staking.unstaked',
} as const satisfies Record<BlockedBy, string>;

type StakingRefusalCode =
  | (typeof REFUSAL_CODES)[BlockedBy]
  | 'staking.no_buckets'
  | 'staking.unknown_bucket'
  | 'staking.duplicate_bucket'
  | 'staking.duration_invalid'
  | 'staking.duration_too_short'
  | 'staking.merge_refused'
  | 'staking.same_delegate'
  | 'staking.amount_zero'
  | 'staking.zero_address';

/** An action refused before any job is made: which bucket, why, and when it becomes possible. */
export class StakingActionRefusedError extends OutpostError {
  override name = 'StakingActionRefusedError';
  constructor(
    code: StakingRefusalCode,
    message: string,
    readonly bucket: bigint | null,
    /** Block timestamp (seconds) when it becomes possible; null when waiting does not make it so. */
    readonly possibleAt: bigint | null,
    /** The step to take first, if any. */
    readonly after: BucketAction | null,
    hint: string,
  ) {
    super(code, message, { hint });
  }
}

const whenText = (possibleAt: bigint | null, after: BucketAction | null) => {
  if (possibleAt === null) return '';
  const date = formatDateTime(Number(possibleAt) * 1000);
  return after ? ` Possible from ${date} if you ${afterWords[after]} now.` : ` Possible from ${date}.`;
};
const afterWords: Record<BucketAction, string> = {
  unlock: 'unlock it',
  lock: 'lock it again',
  unstake: 'unstake it',
  withdraw: 'withdraw it',
  merge: 'merge it',
  expand: 'expand it',
  changeDelegate: 'change its delegate',
  transfer: 'send it',
  restake: 'restake it',
};

function refuse(code: StakingRefusalCode, message: string, hint: string, bucket: bigint | null = null, possibleAt: bigint | null = null, after: BucketAction | null = null): never {
  throw new StakingActionRefusedError(code, `${message}${whenText(possibleAt, after)}`, bucket, possibleAt, after, hint);
}

const VIEW_ACTION: Record<Exclude<StakingAction['kind'], 'stake'>, BucketAction> = {
  unlock: 'unlock',
  lock: 'lock',
  unstake: 'unstake',
  withdraw: 'withdraw',
  merge: 'merge',
  expand: 'expand',
  changeDelegate: 'changeDelegate',
  transfer: 'transfer',
};

function checkDays(days: number): void {
  if (!Number.isInteger(days) || days < 0 || days > MAX_DURATION_DAYS) {
    refuse('staking.duration_invalid', `A staking duration must be a whole number of days from 0 to ${MAX_DURATION_DAYS}; ${days} is not.`, 'Choose a duration between 0 and 1,095 days.');
  }
}

function checkAddress(address: Address, what: string): void {
  if (same(address, zeroAddress)) refuse('staking.zero_address', `The ${what} is the zero address: nothing can be sent or voted there.`, `Enter the ${what}’s address.`);
}

/**
 * Checks an action against the buckets' current views (bucketView/mergeCheck) before a job is
 * made: throws a StakingActionRefusedError (an OutpostError with a staking.* code) naming the
 * refused bucket, the reason and the date it becomes possible. `buckets` are the account's listed
 * buckets (listAccountBuckets), `now` the chain time they were read at.
 */
export function checkStakingAction(action: StakingAction, buckets: { id: bigint; fields: BucketFields; view: BucketView }[], now: bigint): void {
  if (action.kind === 'stake') {
    if (action.amount <= 0n) refuse('staking.amount_zero', 'The amount to stake is zero.', 'Enter how much IOTX to stake.');
    checkDays(action.durationDays);
    checkAddress(action.delegate, 'delegate');
    return;
  }
  const ids = 'ids' in action ? action.ids : [action.id];
  if (ids.length === 0) refuse('staking.no_buckets', 'No bucket is selected.', 'Choose the buckets to act on.');
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated !== undefined) refuse('staking.duplicate_bucket', `Bucket #${repeated} is chosen twice.`, 'Choose each bucket once.', repeated);
  const chosen = ids.map((id) => {
    const bucket = buckets.find((candidate) => candidate.id === id);
    if (!bucket) refuse('staking.unknown_bucket', `Bucket #${id} is not among this account’s buckets.`, 'Refresh the bucket list: it may have been withdrawn, merged or sent away.', id);
    return bucket;
  });
  if ('durationDays' in action) checkDays(action.durationDays);
  if (action.kind === 'withdraw') checkAddress(action.recipient, 'recipient');
  if (action.kind === 'transfer') checkAddress(action.to, 'recipient');
  if (action.kind === 'changeDelegate') checkAddress(action.delegate, 'delegate');

  const what = VIEW_ACTION[action.kind];
  for (const bucket of chosen) {
    const availability = bucket.view.actions[what];
    if (!availability.allowed) {
      refuse(REFUSAL_CODES[availability.blockedBy], `Bucket #${bucket.id}: ${availability.reason}`, hintFor(availability.blockedBy), bucket.id, availability.possibleAt, availability.after);
    }
  }

  const duration = 'durationDays' in action ? BigInt(action.durationDays) * DAY : 0n;
  if (action.kind === 'lock' || action.kind === 'expand') {
    for (const bucket of chosen) {
      const availability = bucket.view.actions[what];
      const min = availability.allowed ? (availability.minDuration ?? 0n) : 0n;
      if (duration < min) tooShort(bucket, duration, min, action.kind);
    }
  }
  if (action.kind === 'merge') {
    const check = mergeCheck(chosen.map((bucket) => bucket.fields), now);
    if (!check.ok) refuse('staking.merge_refused', check.reason, 'Choose two or more buckets that are not unstaked.');
    if (duration < check.minDuration) {
      // Name the bucket that needs the longest duration.
      const longest = chosen.reduce((max, bucket) => (timeLeft(bucket, now) > timeLeft(max, now) ? bucket : max));
      tooShort(longest, duration, check.minDuration, 'merge');
    }
  }
  if (action.kind === 'changeDelegate') {
    const already = chosen.find((bucket) => same(bucket.fields.delegate, action.delegate));
    if (already) refuse('staking.same_delegate', `Bucket #${already.id} already votes for ${shortAddress(action.delegate)}.`, 'Leave it out, or choose another delegate.', already.id);
  }
}

/** Seconds until the bucket could be unstaked: its whole duration while locked. */
const timeLeft = (bucket: { fields: BucketFields; view: BucketView }, now: bigint) =>
  bucket.view.unstakeAt === null ? bucket.fields.duration : bucket.view.unstakeAt > now ? bucket.view.unstakeAt - now : 0n;

function tooShort(bucket: { id: bigint; view: BucketView }, duration: bigint, min: bigint, kind: 'lock' | 'merge' | 'expand'): never {
  const minDays = min / DAY;
  const because = kind === 'expand' ? 'its current duration' : 'the time it still has to run';
  // An unlocked bucket's time left shrinks: the chosen duration covers it from unstakeAt − duration on.
  const possibleAt = kind !== 'expand' && bucket.view.unstakeAt !== null ? bucket.view.unstakeAt - duration : null;
  refuse(
    'staking.duration_too_short',
    `Bucket #${bucket.id} needs a duration of at least ${minDays} ${minDays === 1n ? 'day' : 'days'} (${because}); ${duration / DAY} is shorter.`,
    `Choose ${minDays} days or more.`,
    bucket.id,
    possibleAt,
  );
}

function hintFor(blockedBy: BlockedBy): string {
  switch (blockedBy) {
    case 'paused':
      return 'Wait until the staking contract is resumed; transfers still work.';
    case 'not_owner':
      return 'Refresh the bucket list, or switch to the account that holds the bucket.';
    case 'locked':
      return 'Unlock the bucket first; its duration then starts to run.';
    case 'already_locked':
    case 'already_unlocked':
      return 'Leave this bucket out: it is already in that state.';
    case 'duration_running':
    case 'frozen':
      return 'Wait until the date shown, or leave this bucket out.';
    case 'not_unstaked':
      return 'Unstake the bucket first; it can be withdrawn after the 3-day freeze.';
    case 'unstaked':
      return 'Leave this bucket out: once unstaked, it can only be withdrawn or sent.';
  }
}
