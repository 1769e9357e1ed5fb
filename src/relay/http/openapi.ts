import { REJECTION_CODES } from '../errors.js';

const hex = (bytes: number) => ({ type: 'string', pattern: `^0x[0-9a-fA-F]{${bytes * 2}}$` });
const decimal = { type: 'string', pattern: '^(0|[1-9][0-9]{0,77})$' };
const errorRef = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } });

/** OpenAPI 3.1 description of the relay's HTTP API, served at /openapi.json. */
export function openApiDocument(bodyLimitBytes: number): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Outpost relay',
      version: '1.0.0',
      description:
        'Takes proven device batches, verifies them (schema, epoch window, ioID, device signature, Groth16 proof, duplicates), anchors them on-chain in Merkle batches (BatchInbox) and posts data-reward roots (DataRewards). Every refusal is a 4xx with a machine-readable error.code. See docs/relay.md.',
    },
    paths: {
      '/v1/batches': {
        post: {
          summary: 'Submit one device batch',
          description: `Body at most ${bodyLimitBytes} bytes. Idempotent on (device, epoch, commitment): a retry answers 200 with the same receipt.`,
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/BatchSubmission' } } } },
          responses: {
            '201': { description: 'Accepted and durably stored', content: { 'application/json': { schema: { $ref: '#/components/schemas/ReceiptResponse' } } } },
            '200': { description: 'Already stored (retry): the same receipt', content: { 'application/json': { schema: { $ref: '#/components/schemas/ReceiptResponse' } } } },
            '400': errorResponse('malformed_json | invalid_batch'),
            '401': errorResponse('bad_signature'),
            '403': errorResponse('no_ioid | cors_forbidden'),
            '409': errorResponse('duplicate_conflict | replay'),
            '413': errorResponse('body_too_large'),
            '415': errorResponse('unsupported_media_type'),
            '422': errorResponse('epoch_out_of_window | epoch_mismatch | window_in_future | tampered_public_signal | bad_proof'),
            '429': errorResponse('rate_limited'),
            '503': errorResponse('unavailable (a verification thread failed; send the same batch again)'),
          },
        },
      },
      '/v1/batches/{id}': {
        get: {
          summary: 'A batch receipt, with its Merkle proof and anchoring transaction once anchored',
          parameters: [{ name: 'id', in: 'path', required: true, schema: hex(32) }],
          responses: { '200': { description: 'The receipt', content: { 'application/json': { schema: { $ref: '#/components/schemas/ReceiptResponse' } } } }, '404': errorResponse('not_found') },
        },
      },
      '/v1/anchors/{id}': {
        get: {
          summary: 'The published data of an anchor (the uri in BatchInbox); keccak256 of the body is the anchor’s dataHash',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: { '200': { description: 'Anchor document: every batch with signature, proof and public signals' }, '404': errorResponse('not_found') },
        },
      },
      '/v1/rewards/{device}': {
        get: {
          summary: 'Data rewards of a device with the Merkle proofs DataRewards.claim takes',
          parameters: [{ name: 'device', in: 'path', required: true, schema: hex(20) }],
          responses: { '200': { description: 'Rewards by epoch' } },
        },
      },
      '/v1/info': {
        get: {
          summary: 'What a batch must match here (epoch length in s, accepted epoch lag, chain id, body limit in bytes) and what the relay promises (the module it anchors under; the longest time from a receipt to its anchor being mined, after which the batch may be submitted directly)',
          responses: { '200': { description: '{epochSeconds, maxEpochLag, chainId, bodyLimitBytes, moduleId, anchorWithinSeconds}' } },
        },
      },
      '/healthz': { get: { summary: 'Liveness and store reachability', responses: { '200': { description: 'ok' }, '503': { description: 'store unavailable' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics (text format 0.0.4)', responses: { '200': { description: 'metrics' } } } },
    },
    components: {
      schemas: {
        BatchSubmission: {
          type: 'object',
          additionalProperties: false,
          required: ['device', 'epoch', 'commitment', 'signature', 'proof', 'publicSignals'],
          properties: {
            device: hex(20),
            epoch: { type: 'integer', minimum: 0, description: 'floor(unix time / epoch length); the proved window must lie inside it' },
            commitment: { ...decimal, description: 'Poseidon readings commitment (public signal 0), below the BN254 scalar field order r' },
            signature: { ...hex(65), description: 'raw secp256k1 signature r ‖ s ‖ v by the device over batchSigningDigest(commitment): low s (≤ n/2), v 0/1 or 27/28 (BatchInbox.recoverDevice)' },
            proof: { type: 'object', description: 'snarkjs Groth16 proof {pi_a, pi_b, pi_c, protocol: "groth16", curve: "bn128"}: affine points, coordinates below the BN254 base field order p' },
            publicSignals: { type: 'array', items: decimal, minItems: 4, maxItems: 4, description: '[commitment, device uint160, windowStart + windowEnd·2^64, statement], each below the BN254 scalar field order r; the window must lie in one epoch and have ended' },
            encryptedReadings: { type: 'string', maxLength: 49152, description: 'optional, base64, readings encrypted to the relay for data buyers' },
          },
        },
        ReceiptResponse: {
          type: 'object',
          properties: {
            duplicate: { type: 'boolean' },
            receipt: {
              type: 'object',
              properties: {
                id: { ...hex(32), description: 'the batch’s Merkle leaf' },
                device: hex(20),
                epoch: { type: 'integer' },
                commitment: decimal,
                readings: { type: 'integer' },
                receivedAt: { type: 'string', format: 'date-time' },
                status: { enum: ['accepted', 'anchoring', 'anchored', 'anchor_failed'] },
                anchor: {
                  type: ['object', 'null'],
                  properties: {
                    id: { type: 'integer' },
                    merkleRoot: hex(32),
                    leafIndex: { type: 'integer' },
                    merkleProof: { type: 'array', items: hex(32) },
                    uri: { type: 'string' },
                    dataHash: hex(32),
                    status: { enum: ['queued', 'sent', 'confirmed', 'reverted'] },
                    txHash: { oneOf: [hex(32), { type: 'null' }] },
                    blockNumber: { type: ['integer', 'null'] },
                  },
                },
              },
            },
          },
        },
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { enum: [...Object.keys(REJECTION_CODES), 'internal'] }, message: { type: 'string' }, details: { type: 'string' }, hint: { type: 'string' } },
            },
          },
        },
      },
    },
  };
}
