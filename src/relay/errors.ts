import { OutpostError, type OutpostErrorOptions } from '../core/errors.js';

/**
 * Every code the relay answers a refused request with. Clients (the app's outbox, devices, tests)
 * switch on `error.code` in the JSON body; the HTTP status says whether retrying can help.
 */
export const REJECTION_CODES = {
  malformed_json: 400,
  invalid_batch: 400,
  body_too_large: 413,
  unsupported_media_type: 415,
  epoch_out_of_window: 422,
  epoch_mismatch: 422,
  window_in_future: 422,
  no_ioid: 403,
  bad_signature: 401,
  bad_proof: 422,
  tampered_public_signal: 422,
  duplicate_conflict: 409,
  replay: 409,
  rate_limited: 429,
  cors_forbidden: 403,
  not_found: 404,
  unavailable: 503,
} as const;

export type RejectionCode = keyof typeof REJECTION_CODES;

/** A request the relay refuses, with the machine-readable code and the HTTP status that goes with it. */
export class RelayRejection extends OutpostError {
  override name = 'RelayRejection';
  override readonly code: RejectionCode;
  readonly status: number;

  constructor(code: RejectionCode, shortMessage: string, options: OutpostErrorOptions = {}) {
    super(code, shortMessage, options);
    this.code = code;
    this.status = REJECTION_CODES[code];
  }

  toJSON(): { error: { code: RejectionCode; message: string; details?: string; hint?: string } } {
    return {
      error: {
        code: this.code,
        message: this.shortMessage,
        ...(this.details ? { details: this.details } : {}),
        ...(this.hint ? { hint: this.hint } : {}),
      },
    };
  }
}

/** The relay cannot start or run as configured (missing contract address, bad key, store unusable). */
export class RelayConfigError extends OutpostError {
  override name = 'RelayConfigError';
}
