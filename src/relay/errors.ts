import { OutpostError, type OutpostErrorOptions } from '../core/errors.js';
import { REJECTION_CODES, type RejectionCode } from '../core/relayWire/refusals.js';
import type { ErrorBody } from '../core/relayWire/schemas.js';

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

  /** The refusal's body on the wire (ErrorBodySchema). */
  toJSON(): ErrorBody {
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
