/**
 * The relay's OpenAPI 3.1 document, generated from the wire schemas and the route table, so the
 * document cannot drift from what the relay checks and answers. Served at GET /openapi.json.
 */
import { toJsonSchema, type ConversionConfig, type JsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { INTERNAL_ERROR_CODE } from './refusals.js';
import { ROUTES, refusalsByStatus, type Route } from './routes.js';
import { errorBodySchema } from './schemas.js';

type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, unknown>>;
};

/**
 * OpenAPI 3.1's schema dialect is JSON Schema 2020-12. Valibot checks that JSON Schema cannot say
 * (a number below the BN254 field order, for one) are left out of the document (errorMode
 * 'ignore'); the descriptions name them, and the relay applies them. 'input': what goes on the wire,
 * before any transform (an address as sent, not checksummed).
 */
const CONVERSION: ConversionConfig = { target: 'draft-2020-12', typeMode: 'input', errorMode: 'ignore' };

function jsonSchema(schema: v.GenericSchema): JsonSchema {
  const { $schema: _dialect, ...rest } = toJsonSchema(schema, CONVERSION);
  return rest;
}

const json = (schema: v.GenericSchema, contentType = 'application/json') => ({ [contentType]: { schema: jsonSchema(schema) } });

function operation(route: Route, bodyLimitBytes: number): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(route.answers)) {
    responses[status] = { description: answer.description, content: json(answer.schema, answer.contentType) };
  }
  for (const [status, codes] of [...refusalsByStatus(route)].sort(([a], [b]) => a - b)) {
    responses[String(status)] = { description: `Refused: ${codes.join(' | ')}`, content: json(errorBodySchema(codes)) };
  }
  responses['500'] = { description: 'The relay failed (a bug, never a verdict on the request)', content: json(errorBodySchema([INTERNAL_ERROR_CODE])) };
  return {
    summary: route.summary,
    ...(route.params
      ? {
          parameters: route.params.map((param) => ({
            name: param.name,
            in: 'path',
            required: true,
            description: param.description,
            schema: param.type === 'integer' ? { type: 'integer' } : { type: 'string', ...(param.pattern ? { pattern: param.pattern } : {}) },
          })),
        }
      : {}),
    ...(route.body
      ? { requestBody: { required: true, description: `application/json, at most ${bodyLimitBytes} bytes`, content: json(route.body) } }
      : {}),
    responses,
  };
}

/** The relay's OpenAPI 3.1 document; `bodyLimitBytes` is the relay's configured body limit. */
export function openApiDocument(bodyLimitBytes: number): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of Object.values(ROUTES) as Route[]) {
    paths[route.path] = { ...paths[route.path], [route.method]: operation(route, bodyLimitBytes) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Outpost relay',
      version: '1.0.0',
      description:
        'Takes proven device batches, verifies them (schema, epoch window, ioID, device signature, Groth16 proof, duplicates), anchors them on-chain in Merkle batches (BatchInbox) and posts data-reward roots (DataRewards). Every refusal is a 4xx (or 503 when the relay cannot verify just now) with a machine-readable error.code. Generated from src/core/relayWire; see docs/relay.md.',
    },
    paths,
  };
}
