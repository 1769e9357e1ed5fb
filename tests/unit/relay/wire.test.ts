/**
 * The relay's wire contract (src/core/relayWire) against the relay's router and the app's client:
 * the generated document names exactly the routes the relay serves, every refusal code is
 * documented with its status, and a relay answer off the contract is a clear error in the app.
 */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../src/core/relayWire/openapi.js';
import { RewardsResponseSchema } from '../../../src/core/relayWire/schemas.js';
import type { ProvableBatch } from '../../../src/core/outbox/batch.js';
import { batchSubmission } from '../../../src/core/outbox/submission.js';
import { fetchReceipt, submitBatch } from '../../../src/core/outbox/relayClient.js';
import type { BatchProof } from '../../../src/core/zk/proof.js';
import { createApp, type AppDeps } from '../../../src/relay/http/app.js';
import { seededSubmission } from '../outbox/fixtures.js';

/** The refusal codes and statuses docs/relay.md lists (written out here, not taken from the code). */
const DOCUMENTED_STATUSES: Record<string, number> = {
  malformed_json: 400, invalid_batch: 400, body_too_large: 413, unsupported_media_type: 415, epoch_out_of_window: 422, epoch_mismatch: 422,
  window_in_future: 422, no_ioid: 403, bad_signature: 401, bad_proof: 422, tampered_public_signal: 422, duplicate_conflict: 409, replay: 409,
  rate_limited: 429, cors_forbidden: 403, not_found: 404, unavailable: 503,
};

type Operation = { responses: Record<string, { content: Record<string, { schema: { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } } }> }> };
const document = openApiDocument(65_536) as unknown as { paths: Record<string, Record<string, Operation>> };

/** Routes of the relay's router as `METHOD /path/{param}` (middleware, registered for every method, left out). */
function relayRoutes(): string[] {
  const app = createApp({ db: { kind: 'pglite' }, corsOrigins: [], trustedProxies: [], rateLimit: { perDevice: 1, perIp: 1 }, bodyLimitBytes: 65_536 } as unknown as AppDeps);
  return [...new Set(app.routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`))].sort();
}

describe('the generated OpenAPI document', () => {
  it('names exactly the routes the relay serves', () => {
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(relayRoutes()).toEqual(documented.sort());
    expect(relayRoutes()).toEqual(expect.arrayContaining(['POST /v1/batches', 'GET /v1/batches/{id}', 'GET /v1/anchors/{id}', 'GET /v1/rewards/{device}', 'GET /v1/info', 'GET /healthz', 'GET /metrics', 'GET /openapi.json']));
  });

  it('documents every refusal code under its status, and only there', () => {
    const seen = new Map<string, Set<number>>();
    for (const operations of Object.values(document.paths)) {
      for (const operation of Object.values(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          for (const code of response.content['application/json']?.schema.properties?.error?.properties?.code?.enum ?? []) {
            seen.set(code, new Set([...(seen.get(code) ?? []), Number(status)]));
          }
        }
      }
    }
    expect(Object.fromEntries([...seen].map(([code, statuses]) => [code, [...statuses]]))).toEqual({
      ...Object.fromEntries(Object.entries(DOCUMENTED_STATUSES).map(([code, status]) => [code, [status]])),
      internal: [500],
    });
  });

  it('carries the submission limits: 2^40 epochs, 4 public signals, 48 KiB of encrypted readings, no extra fields', () => {
    const body = (document.paths['/v1/batches']!.post as unknown as { requestBody: { content: { 'application/json': { schema: { additionalProperties: unknown; properties: Record<'epoch' | 'publicSignals' | 'encryptedReadings' | 'signature', { pattern?: string }> } } } } }).requestBody.content['application/json'].schema;
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.epoch).toMatchObject({ type: 'integer', minimum: 0, maximum: 2 ** 40 });
    expect(body.properties.publicSignals).toMatchObject({ minItems: 4, items: false });
    expect(body.properties.encryptedReadings).toMatchObject({ maxLength: 48 * 1024 });
    expect(body.properties.signature.pattern).toBe('^0x[0-9a-fA-F]{130}$');
  });
});

describe('rewards carry the figures their amount came from', () => {
  const hash = (byte: string) => `0x${byte.repeat(32)}`;
  const reward = { epoch: 7, device: '0x00000000000000000000000000000000000000D1', amount: '24', root: hash('aa'), leaf: hash('bb'), proof: [hash('cc')], status: 'confirmed', txHash: hash('dd') };
  const parse = (figures: unknown) => v.safeParse(RewardsResponseSchema, { device: reward.device, rewards: [{ ...reward, figures }] });

  it('the document requires figures on every reward: null, or weight, epochWeight and pool as decimal strings', () => {
    const rewards = (document.paths['/v1/rewards/{device}']!.get as unknown as { responses: Record<string, { content: Record<string, { schema: { properties: { rewards: { items: { required: string[]; properties: Record<string, unknown> } } } } }> }> })
      .responses['200']!.content['application/json']!.schema.properties.rewards.items;
    expect(rewards.required).toContain('figures');
    const decimal = { type: 'string', pattern: '^(0|[1-9]\\d*)$' };
    expect(rewards.properties.figures).toEqual({
      anyOf: [{ type: 'object', properties: { weight: decimal, epochWeight: decimal, pool: decimal }, required: ['weight', 'epochWeight', 'pool'] }, { type: 'null' }],
    });
  });

  it('the app takes figures or null, and refuses a reward without them or with a non-decimal figure', () => {
    expect(parse({ weight: '64000000', epochWeight: '106634920', pool: '40' }).success).toBe(true);
    expect(parse(null).success).toBe(true);
    expect(parse(undefined).success).toBe(false);
    expect(parse({ weight: '64000000', epochWeight: '106634920' }).success).toBe(false);
    for (const bad of ['-1', '1.5', '0x10', '01', '']) expect(parse({ weight: bad, epochWeight: '1', pool: '1' }).success, bad).toBe(false);
  });
});

describe('the app reads the relay with the same schemas', () => {
  const answering = (body: unknown, status = 201) => (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as unknown as typeof fetch;
  const receipt = { id: `0x${'ab'.repeat(32)}`, device: '0x00000000000000000000000000000000000000D1', epoch: 1, commitment: '5', readings: 64, receivedAt: '2026-11-22T00:00:00.000Z', status: 'accepted', anchor: null };

  it('a receipt off the contract is a clear, retryable error naming the field', async () => {
    const error = await fetchReceipt('http://relay.test', `0x${'ab'.repeat(32)}`, answering({ receipt: { ...receipt, anchor: { id: 1 } } }, 200)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'outbox.relay_bad_receipt', retryable: true });
    expect((error as { details: string }).details).toMatch(/^receipt\.anchor\./);
  });

  it('a submission answer must say whether it was a duplicate', async () => {
    const submission = seededSubmission('wire');
    const error = await submitBatch('http://relay.test', submission, answering({ receipt: { ...receipt, commitment: submission.commitment } })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'outbox.relay_bad_receipt' });
    expect((error as { details: string }).details).toContain('duplicate');
  });

  it('a refusal with a code outside the contract is reported by its HTTP status, not trusted', async () => {
    const error = await submitBatch('http://relay.test', seededSubmission('wire'), answering({ error: { code: 'made_up', message: 'no' } }, 409)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'relay.http_409', relayCode: null, retryable: false });
  });
});

describe('the app builds submissions with the relay’s schema', () => {
  const sent = seededSubmission('built');
  const batch = { device: sent.device, epoch: sent.epoch, commitment: BigInt(sent.commitment), signature: sent.signature } as ProvableBatch;
  const proved = (proof: unknown): BatchProof => ({ proof, publicSignals: sent.publicSignals.map(BigInt) } as unknown as BatchProof);

  it('a proved batch becomes the body the relay takes', () => {
    expect(batchSubmission(batch, proved(sent.proof))).toEqual(sent);
  });

  it('a proof the relay would refuse is a clear error where it was made, naming the field', () => {
    // 2^256: past the BN254 base field order p, so BatchInbox's verifier (and the relay) cannot take it.
    const proof = { ...sent.proof, pi_a: [(1n << 256n).toString(), sent.proof.pi_a[1], '1'] };
    expect(() => batchSubmission(batch, proved(proof))).toThrow(expect.objectContaining({ code: 'outbox.invalid_submission', details: expect.stringContaining('proof.pi_a.0:') }));
  });
});
