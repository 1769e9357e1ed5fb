/**
 * Every code the relay answers a refused request with, and its HTTP status. Part of the protocol:
 * clients (the app's outbox, devices, tests) switch on `error.code` in the JSON body; the status
 * says whether retrying can help.
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

/** The code of the relay's own failure (HTTP 500): a bug, never a verdict on the request. */
export const INTERNAL_ERROR_CODE = 'internal';

export const REJECTION_CODE_LIST = Object.keys(REJECTION_CODES) as RejectionCode[];
