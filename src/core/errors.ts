import type { OutpostErrorCode } from './errorCodes.js';

export type { OutpostErrorCode } from './errorCodes.js';

/**
 * Every error Outpost raises on purpose is an `OutpostError`: a short message a person can read
 * (`shortMessage`), what they can do about it (`hint`), the underlying cause in one line
 * (`details`, taken from the root of `cause` when not given) and a registered `code` that tests,
 * stored records and the UI switch on. Modelled on viem's BaseError, including `walk()`.
 */
export type OutpostErrorOptions = {
  /** What went wrong underneath (a library message, the offending value). Defaults to the root cause's first line. */
  details?: string;
  /** What the user can do about it. */
  hint?: string;
  cause?: unknown;
};

export class OutpostError extends Error {
  override name = 'OutpostError';
  readonly code: OutpostErrorCode;
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly hint: string | undefined;

  constructor(code: OutpostErrorCode, shortMessage: string, options: OutpostErrorOptions = {}) {
    const details = options.details ?? detailsFromCause(options.cause);
    const lines = [shortMessage];
    if (options.hint) lines.push(options.hint);
    if (details) lines.push(`Details: ${details}`);
    super(lines.join('\n'), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = details;
    this.hint = options.hint;
  }

  /**
   * Follows `cause` from this error down. Without `fn`, returns the root cause (the deepest
   * value); with `fn`, the first error in the chain (this one included) that matches, or null.
   */
  walk(): unknown;
  walk(fn: (error: unknown) => boolean): unknown;
  walk(fn?: (error: unknown) => boolean): unknown {
    return walkCauses(this, fn);
  }
}

/** The cause chain of any thrown value, outermost first; stops at cycles and after 32 links. */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let cursor: unknown = error;
  while (cursor !== undefined && cursor !== null && !chain.includes(cursor) && chain.length < 32) {
    chain.push(cursor);
    cursor = typeof cursor === 'object' ? (cursor as { cause?: unknown }).cause : undefined;
  }
  return chain;
}

/** `walk` for any thrown value (viem's errors, DOMExceptions, ours): the root, or the first match, or null. */
export function walkCauses(error: unknown, fn?: (error: unknown) => boolean): unknown {
  const chain = causeChain(error);
  if (!fn) return chain.at(-1) ?? error;
  return chain.find(fn) ?? null;
}

/**
 * The first line of any thrown value's message, for one-line details: viem and others put the
 * whole request dump below the first line. Prefers a `shortMessage` when the value has one.
 */
export function firstLine(error: unknown): string {
  const short = (error as { shortMessage?: unknown } | null)?.shortMessage;
  if (typeof short === 'string' && short) return short;
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : String(error);
  return message.split('\n')[0]?.trim() ?? '';
}

function detailsFromCause(cause: unknown): string | undefined {
  if (cause === undefined || cause === null) return undefined;
  const root = walkCauses(cause);
  // Our own errors already have a reader-facing message; keep their details if they have one.
  if (root instanceof OutpostError) return root.details ?? root.shortMessage;
  return firstLine(root) || undefined;
}

/** A readable message for any thrown value, for places that show errors to people. */
export function describeError(error: unknown): string {
  if (error instanceof OutpostError) return error.hint ? `${error.shortMessage} ${error.hint}` : error.shortMessage;
  if (error instanceof Error) return firstLine(error);
  return String(error);
}
