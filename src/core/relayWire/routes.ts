/**
 * Every route the relay serves: its method and path, what it takes, and every answer it gives,
 * by status, with its schema. The relay registers its handlers from this table (relay/http/app.ts)
 * and /openapi.json is generated from it (openapi.ts), so neither can name a route the other lacks.
 */
import type * as v from 'valibot';
import { REJECTION_CODES, type RejectionCode } from './refusals.js';
import {
  AnchorDocumentSchema,
  BatchSubmissionSchema,
  HealthDownSchema,
  HealthSchema,
  MetricsTextSchema,
  OpenApiDocumentSchema,
  ReceiptResponseSchema,
  RelayInfoSchema,
  RewardsResponseSchema,
  SubmitResponseSchema,
} from './schemas.js';

type AnySchema = v.GenericSchema;

type RouteAnswer = { description: string; schema: AnySchema; contentType?: 'application/json' | 'text/plain' };

type RouteParam = { name: string; description: string; pattern?: string; type?: 'string' | 'integer' };

export type Route = {
  method: 'get' | 'post';
  /** OpenAPI-style path, `{name}` for a parameter. */
  path: string;
  summary: string;
  params?: readonly RouteParam[];
  body?: AnySchema;
  /** Successful and non-refusal answers, by status. */
  answers: Readonly<Record<number, RouteAnswer>>;
  /** The refusal codes this route answers with (each with its status from REJECTION_CODES). */
  refusals: readonly RejectionCode[];
};

/** Any route refuses a browser origin outside the relay's allowlist. */
const EVERY_ROUTE: readonly RejectionCode[] = ['cors_forbidden'];

export const ROUTES = {
  submitBatch: {
    method: 'post',
    path: '/v1/batches',
    summary: 'Submit one device batch. Idempotent on the batch: a retry answers 200 with the same receipt.',
    body: BatchSubmissionSchema,
    answers: {
      201: { description: 'Accepted and durably stored', schema: SubmitResponseSchema },
      200: { description: 'Already stored (a retry, or the same readings re-signed or re-proved): the stored receipt', schema: SubmitResponseSchema },
    },
    refusals: [
      ...EVERY_ROUTE,
      'rate_limited',
      'body_too_large',
      'unsupported_media_type',
      'malformed_json',
      'invalid_batch',
      'epoch_out_of_window',
      'no_ioid',
      'tampered_public_signal',
      'epoch_mismatch',
      'window_in_future',
      'bad_signature',
      'bad_proof',
      'duplicate_conflict',
      'replay',
      'unavailable',
    ],
  },
  receipt: {
    method: 'get',
    path: '/v1/batches/{id}',
    summary: 'A batch receipt, with its Merkle proof and anchoring transaction once anchored',
    params: [{ name: 'id', description: 'the batch id (its 32-byte leaf)', pattern: '^0x[0-9a-fA-F]{64}$' }],
    answers: { 200: { description: 'The receipt', schema: ReceiptResponseSchema } },
    refusals: [...EVERY_ROUTE, 'not_found'],
  },
  anchorDocument: {
    method: 'get',
    path: '/v1/anchors/{id}',
    summary: 'The published data of an anchor (the uri in BatchInbox); keccak256 of the body is the anchor’s dataHash',
    params: [{ name: 'id', description: 'the anchor id', type: 'integer' }],
    answers: { 200: { description: 'Anchor document: every batch with signature, proof and public signals', schema: AnchorDocumentSchema } },
    refusals: [...EVERY_ROUTE, 'not_found'],
  },
  rewards: {
    method: 'get',
    path: '/v1/rewards/{device}',
    summary: 'Data rewards of a device with the Merkle proofs DataRewards.claim takes',
    params: [{ name: 'device', description: 'the device address', pattern: '^0x[0-9a-fA-F]{40}$' }],
    answers: { 200: { description: 'Rewards by epoch', schema: RewardsResponseSchema } },
    refusals: [...EVERY_ROUTE, 'invalid_batch'],
  },
  info: {
    method: 'get',
    path: '/v1/info',
    summary: 'What a batch must match here (epoch length in s, accepted epoch lag, chain id, body limit in bytes) and what the relay promises (the module it anchors under; the longest time from a receipt to its anchor being mined, after which the batch may be submitted directly)',
    answers: { 200: { description: 'The relay’s terms', schema: RelayInfoSchema } },
    refusals: EVERY_ROUTE,
  },
  health: {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness and store reachability',
    answers: { 200: { description: 'Up, with the store reachable', schema: HealthSchema }, 503: { description: 'The store does not answer', schema: HealthDownSchema } },
    refusals: EVERY_ROUTE,
  },
  metrics: {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (text format 0.0.4)',
    answers: { 200: { description: 'Metrics', schema: MetricsTextSchema, contentType: 'text/plain' } },
    refusals: EVERY_ROUTE,
  },
  openApi: {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document (OpenAPI 3.1), generated from the relay’s wire schemas',
    answers: { 200: { description: 'The OpenAPI document', schema: OpenApiDocumentSchema } },
    refusals: EVERY_ROUTE,
  },
} as const satisfies Record<string, Route>;

/** The status of every refusal code a route answers with, grouped: status → codes. */
export function refusalsByStatus(route: Route): Map<number, RejectionCode[]> {
  const byStatus = new Map<number, RejectionCode[]>();
  for (const code of route.refusals) byStatus.set(REJECTION_CODES[code], [...(byStatus.get(REJECTION_CODES[code]) ?? []), code]);
  return byStatus;
}

/** `/v1/batches/{id}` → `/v1/batches/:id`, as a type, so a router infers the parameters. */
export type RouterPath<P extends string> = P extends `${infer Head}{${infer Name}}${infer Tail}` ? `${Head}:${Name}${RouterPath<Tail>}` : P;

/** The path in Hono's (and Express's) notation: `/v1/batches/{id}` → `/v1/batches/:id`. */
export function routerPath<P extends string>(path: P): RouterPath<P> {
  return path.replace(/\{(\w+)\}/g, ':$1') as RouterPath<P>;
}
