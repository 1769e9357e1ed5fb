/**
 * Every error Outpost raises on purpose is an `OutpostError`: a short message a person can read,
 * an optional `details` line with the underlying cause, and a stable `code` that tests, the relay
 * and the UI can switch on. Modelled on viem's BaseError.
 */
export type OutpostErrorOptions = {
  /** What went wrong underneath (a library message, the offending value). */
  details?: string;
  /** What the user can do about it. */
  hint?: string;
  cause?: unknown;
};

export class OutpostError extends Error {
  override name = 'OutpostError';
  readonly code: string;
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly hint: string | undefined;

  constructor(code: string, shortMessage: string, options: OutpostErrorOptions = {}) {
    const lines = [shortMessage];
    if (options.hint) lines.push(options.hint);
    if (options.details) lines.push(`Details: ${options.details}`);
    super(lines.join('\n'), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = options.details;
    this.hint = options.hint;
  }
}

/** A readable message for any thrown value, for places that show errors to people. */
export function describeError(error: unknown): string {
  if (error instanceof OutpostError) return error.hint ? `${error.shortMessage} ${error.hint}` : error.shortMessage;
  if (error instanceof Error) return error.message;
  return String(error);
}
