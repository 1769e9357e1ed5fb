import { OutpostError, type OutpostErrorOptions } from '../core/errors.js';
import { REJECTION_CODES, type RejectionCode } from '../core/relayWire/refusals.js';
import type { ErrorBody } from '../core/relayWire/schemas.js';

/**
 * A request the relay refuses, with the HTTP status that goes with it. The wire carries the bare
 * protocol code (`bad_proof`, `wireCode`); as an OutpostError its code is the one the app reads
 * the same refusal back as (`relay.bad_proof`), so logs and reports on both sides agree.
 */
export class RelayRejection extends OutpostError {
  override name = 'RelayRejection';
  override readonly code: `relay.${RejectionCode}`;
  readonly wireCode: RejectionCode;
  readonly status: number;

  constructor(wireCode: RejectionCode, shortMessage: string, options: OutpostErrorOptions = {}) {
    super(`relay.${wireCode}`, shortMessage, options);
    this.code = `relay.${wireCode}`;
    this.wireCode = wireCode;
    this.status = REJECTION_CODES[wireCode];
  }

  /** The refusal's body on the wire (ErrorBodySchema). */
  toJSON(): ErrorBody {
    return {
      error: {
        code: this.wireCode,
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
