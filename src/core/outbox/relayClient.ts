/**
 * The relay's batch API as the app's outbox uses it: submit a proven batch, read its receipt.
 * Everything the relay answers is validated with the relay's own wire schemas (core/relayWire)
 * before the outbox trusts it.
 */
import * as v from 'valibot';
import type { Hex } from 'viem';
import { isOutpostErrorCode } from '../errorCodes.js';
import { OutpostError, type OutpostErrorCode } from '../errors.js';
import {
  ErrorBodySchema,
  issuesText,
  ReceiptResponseSchema,
  RelayInfoSchema,
  SubmitResponseSchema,
  type BatchSubmission,
  type RelayInfo,
} from '../relayWire/schemas.js';

export type { RelayInfo };

export class RelayClientError extends OutpostError {
  override name = 'RelayClientError';
  /** Whether sending the same batch again later can succeed (network down, relay busy or failing). */
  readonly retryable: boolean;
  /** The relay's own refusal code (docs/relay.md, e.g. `replay`), when it answered with one. */
  readonly relayCode: string | null;
  constructor(code: OutpostErrorCode, shortMessage: string, retryable: boolean, options: ConstructorParameters<typeof OutpostError>[2] & { relayCode?: string | null } = {}) {
    const { relayCode, ...rest } = options;
    super(code, shortMessage, rest);
    this.retryable = retryable;
    this.relayCode = relayCode ?? null;
  }
}

/** What the relay claims about where a batch is anchored: checked by the app (src/core/anchoring/verify.ts), never trusted as is. */
export type RelayAnchorClaim = {
  merkleRoot: Hex;
  leafIndex: number | null;
  merkleProof: Hex[] | null;
  txHash: Hex | null;
  blockNumber: number | null;
};

export type RelayReceipt = {
  id: Hex;
  status: 'accepted' | 'anchoring' | 'anchored' | 'anchor_failed';
  commitment: string;
  txHash: Hex | null;
  blockNumber: number | null;
  /** The relay's anchor claim once it has one (any anchor status). */
  anchor: RelayAnchorClaim | null;
};

/** Refusals that a later retry can get past; every other 4xx is final for this batch. */
const RETRYABLE_STATUS = new Set([408, 425, 429]);

async function call(url: string, init: RequestInit, answer: typeof ReceiptResponseSchema | typeof SubmitResponseSchema, fetchFn: typeof fetch): Promise<RelayReceipt> {
  let response: Response;
  try {
    response = await fetchFn(url, init);
  } catch (error) {
    throw new RelayClientError('outbox.relay_unreachable', 'The relay could not be reached.', true, {
      details: error instanceof Error ? error.message : String(error),
      hint: 'The batch stays queued and is sent when the relay is back.',
      cause: error,
    });
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const parsed = v.safeParse(ErrorBodySchema, body);
    const retryable = response.status >= 500 || RETRYABLE_STATUS.has(response.status);
    const code = parsed.success ? parsed.output.error.code : `http_${response.status}`;
    const message = parsed.success ? parsed.output.error.message : `The relay answered HTTP ${response.status}.`;
    // An unknown wire code still surfaces as the HTTP status, so every stored code stays registered.
    const appCode: OutpostErrorCode = isOutpostErrorCode(`relay.${code}`) ? (`relay.${code}` as OutpostErrorCode) : `relay.http_${response.status}`;
    throw new RelayClientError(appCode, message, retryable, { details: `HTTP ${response.status} ${code}`, hint: parsed.success ? parsed.output.error.hint : undefined, relayCode: parsed.success ? code : null });
  }
  const parsed = v.safeParse(answer, body);
  if (!parsed.success) {
    throw new RelayClientError('outbox.relay_bad_receipt', 'The relay answered with something that is not a receipt.', true, {
      details: issuesText(parsed.issues),
      hint: 'The batch is sent again later; if this persists, the relay is not an Outpost relay.',
    });
  }
  const receipt = parsed.output.receipt;
  const anchor = receipt.anchor;
  return {
    id: receipt.id.toLowerCase() as Hex,
    status: receipt.status,
    commitment: receipt.commitment,
    txHash: anchor?.txHash ?? null,
    blockNumber: anchor?.blockNumber ?? null,
    anchor: anchor
      ? {
          merkleRoot: anchor.merkleRoot.toLowerCase() as Hex,
          leafIndex: anchor.leafIndex ?? null,
          merkleProof: anchor.merkleProof ? anchor.merkleProof.map((node) => node.toLowerCase() as Hex) : null,
          txHash: anchor.txHash,
          blockNumber: anchor.blockNumber,
        }
      : null,
  };
}

function base(relayUrl: string): string {
  return relayUrl.replace(/\/+$/, '');
}

/** POST /v1/batches. A retry of an accepted batch returns the same receipt (the relay is idempotent). */
export async function submitBatch(relayUrl: string, submission: BatchSubmission, fetchFn: typeof fetch = fetch): Promise<RelayReceipt> {
  const receipt = await call(`${base(relayUrl)}/v1/batches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(submission) }, SubmitResponseSchema, fetchFn);
  if (receipt.commitment !== submission.commitment) {
    throw new RelayClientError('outbox.relay_wrong_receipt', 'The relay’s receipt is for another batch.', true, { details: `sent ${submission.commitment}, receipt for ${receipt.commitment}` });
  }
  return receipt;
}

/** GET /v1/batches/:id: the receipt, with the anchoring transaction once there is one. */
export function fetchReceipt(relayUrl: string, id: Hex, fetchFn: typeof fetch = fetch): Promise<RelayReceipt> {
  return call(`${base(relayUrl)}/v1/batches/${id}`, { method: 'GET' }, ReceiptResponseSchema, fetchFn);
}

const INFO_TIMEOUT_MS = 5_000;

/** GET /v1/info. Throws RelayClientError when the relay is unreachable or answers something else. */
export async function fetchRelayInfo(relayUrl: string, fetchFn: typeof fetch = fetch): Promise<RelayInfo> {
  let body: unknown;
  try {
    // A relay behind a dead network can leave a request open for minutes; the caller has a fallback.
    const response = await fetchFn(`${base(relayUrl)}/v1/info`, { method: 'GET', signal: AbortSignal.timeout(INFO_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    throw new RelayClientError('outbox.relay_unreachable', 'The relay could not be reached.', true, { details: error instanceof Error ? error.message : String(error), cause: error });
  }
  const parsed = v.safeParse(RelayInfoSchema, body);
  if (!parsed.success) {
    throw new RelayClientError('outbox.relay_bad_info', 'The relay’s /v1/info is not what an Outpost relay serves.', true, {
      details: issuesText(parsed.issues),
    });
  }
  return parsed.output;
}
